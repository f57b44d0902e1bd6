/* deployer-wasmmodule against the fake API server, through a fake host
 * whose Kubernetes services are the real client (as funcp's host does). */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "cli/args.h"
#include "kube/kube_client.h"
#include "kube_test_util.h"
#include "util/error.h"
#include "wm.h"

#define SECRET "deployer-sekrit-token-77"
#define POD "hello-00001-deployment-7c9f8d6b5-x2x4q"

struct funcp_call {
    fp_kube_client *kube;
    const char *run_json, *deploy_json, *timeout, *registry_insecure;
    char timeout_ms[32];
    pthread_mutex_t lock;
    int code;
    int updated;    /* host->deploy_updated calls */
    int no_ns;      /* kube_namespace: NULL with a reason, as without a kubeconfig */
    char err[4096]; /* room for a prefix and an old message */
    char log[1 << 16];
};

static void h_log(funcp_call *c, funcp_log_level level, const char *fmt, ...)
{
    (void)level;
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&c->lock);
    strncat(c->log, buf, sizeof c->log - strlen(c->log) - 2);
    strcat(c->log, "\n");
    pthread_mutex_unlock(&c->lock);
}

static int h_error(funcp_call *c, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pthread_mutex_lock(&c->lock);
    vsnprintf(c->err, sizeof c->err, fmt, ap);
    c->code = code;
    pthread_mutex_unlock(&c->lock);
    va_end(ap);
    return code;
}

static int h_error_wrap(funcp_call *c, const char *fmt, ...)
{
    char pre[1024], old[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pre, sizeof pre, fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&c->lock);
    memcpy(old, c->err, sizeof old);
    snprintf(c->err, sizeof c->err, "%.1000s: %.3000s", pre, old);
    int code = c->code ? c->code : FUNCP_ERROR;
    pthread_mutex_unlock(&c->lock);
    return code;
}

static int h_cancelled(funcp_call *c)
{
    (void)c;
    return 0;
}

static char *h_fy_json(funcp_call *c, const char *path)
{
    const char *j = strcmp(path, "run") == 0 ? c->run_json : strcmp(path, "deploy") == 0 ? c->deploy_json : NULL;
    return j ? strdup(j) : NULL;
}

/* The value at a "run."/"deploy." path of the JSON, parsed with `json`. */
static json_object *fy_node(funcp_call *c, const char *path, json_object **json)
{
    *json = NULL;
    const char *dot = strchr(path, '.');
    if (!dot)
        return NULL;
    char top[16];
    snprintf(top, sizeof top, "%.*s", (int)(dot - path), path);
    char *text = h_fy_json(c, top);
    *json = text ? json_tokener_parse(text) : NULL;
    free(text);
    return pcom_jget(*json, dot + 1);
}

static const char *h_fy_get(funcp_call *c, const char *path)
{
    static char scalar[256];
    if (strcmp(path, "name") == 0)
        return "hello";
    if (strcmp(path, "runtime") == 0)
        return "go-wasi";
    if (strcmp(path, "registryInsecure") == 0)
        return c->registry_insecure;
    json_object *o, *v = fy_node(c, path, &o);
    const char *out = NULL;
    if (v && !json_object_is_type(v, json_type_object) && !json_object_is_type(v, json_type_array)) {
        snprintf(scalar, sizeof scalar, "%s", json_object_get_string(v));
        out = scalar;
    }
    json_object_put(o);
    return out;
}

/* Entries of the list or mapping at a "run."/"deploy." path, from the JSON. */
static size_t h_fy_count(funcp_call *c, const char *path)
{
    json_object *o, *v = fy_node(c, path, &o);
    size_t n = json_object_is_type(v, json_type_array) ? json_object_array_length(v)
             : json_object_is_type(v, json_type_object) ? (size_t)json_object_object_length(v) : 0;
    json_object_put(o);
    return n;
}

/* As funcp's host: "timeout-ms" is --timeout parsed by the core, NULL when
 * unset or not a duration (the core refuses those before a plugin runs). */
static const char *h_option(funcp_call *c, const char *name)
{
    if (strcmp(name, "timeout") == 0)
        return c->timeout;
    if (strcmp(name, "timeout-ms") == 0 && c->timeout) {
        long long ms;
        if (fp_parse_duration(c->timeout, &ms) != FUNCP_OK) {
            fp_error_clear();
            return NULL;
        }
        snprintf(c->timeout_ms, sizeof c->timeout_ms, "%lld", ms);
        return c->timeout_ms;
    }
    return NULL;
}

static const char *h_namespace(funcp_call *c)
{
    if (c->no_ns) {
        h_error(c, FUNCP_ENOTFOUND, "no Kubernetes configuration");
        return NULL;
    }
    return fp_kube_namespace_of(c->kube);
}

static void h_deploy_updated(funcp_call *c)
{
    c->updated++;
}

/* Like the host: core errors become the call's error. */
static int pass_error(funcp_call *c, int rc)
{
    if (rc < 0)
        h_error(c, rc, "%s", fp_error_message());
    return rc;
}

static int h_kube_request(funcp_call *c, const char *method, const char *path, const char *body,
                          funcp_kube_response *r)
{
    return pass_error(c, fp_kube_request(c->kube, method, path, body, r));
}

static int h_kube_watch(funcp_call *c, const char *path, int timeout_ms, funcp_watch_fn fn, void *user)
{
    return pass_error(c, fp_kube_watch(c->kube, path, timeout_ms, fn, user));
}

static funcp_host host;

static char *dir;
static kt_server srv;
static funcp_call call;

static int setup(void **state)
{
    (void)state;
    dir = kt_tmpdir();
    memset(&host, 0, sizeof host);
    host.struct_size = sizeof host;
    host.abi_major = FUNCP_PLUGIN_ABI_MAJOR;
    host.log = h_log;
    host.error = h_error;
    host.error_wrap = h_error_wrap;
    host.cancelled = h_cancelled;
    host.free = free;
    host.fy_get = h_fy_get;
    host.fy_json = h_fy_json;
    host.fy_count = h_fy_count;
    host.option = h_option;
    host.kube_namespace = h_namespace;
    host.kube_request = h_kube_request;
    host.kube_watch = h_kube_watch;
    host.deploy_updated = h_deploy_updated;
    return dir ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    kt_rmrf(dir);
    free(dir);
    return 0;
}

static void start(const char *const *args, const char *token)
{
    assert_int_equal(kt_server_start(&srv, dir, args), 0);
    char *kc = kt_kubeconfig(dir, &srv, token, NULL);
    memset(&call, 0, sizeof call);
    pthread_mutex_init(&call.lock, NULL);
    fp_kube_options opts = {sizeof opts, NULL, kc, NULL, NULL};
    assert_int_equal(fp_kube_client_new(&opts, &call.kube), FUNCP_OK);
    free(kc);
    call.timeout = "20s";
}

static void stop(void)
{
    fp_kube_client_free(call.kube);
    pthread_mutex_destroy(&call.lock);
    kt_server_stop(&srv);
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#define IMAGE "registry.example.com/hello@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static int deploy(char **url)
{
    *url = NULL;
    return wm_deploy(&host, &call, IMAGE, url);
}

static json_object *stored(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "/fake/object?resource=wasmmodules&namespace=default&name=%s", name);
    char *body = kt_admin(&srv, "GET", path);
    json_object *o = body ? json_tokener_parse(body) : NULL;
    free(body);
    return o;
}

static const char *jpath(json_object *o, const char *path)
{
    return pcom_jstr(o, path);
}

static const char *map_get(json_object *o, const char *map, const char *key)
{
    json_object *m = pcom_jget(o, map), *v;
    return m && json_object_object_get_ex(m, key, &v) ? json_object_get_string(v) : NULL;
}

static void test_deploy_ready_with_full_spec(void **state)
{
    (void)state;
    const char *args[] = {"--scenario", "ready", "--ready-delay", "300", NULL};
    start(args, NULL);
    setenv("KT_LOCAL_VALUE", "from-local-env", 1);
    call.run_json = "{\"args\":[\"--flag\",\"x\"],\"envs\":[{\"name\":\"A\",\"value\":\"1\"},"
                    "{\"name\":\"FROM_ENV\",\"value\":\"{{ env:KT_LOCAL_VALUE }}\"}]}";
    call.deploy_json = "{\"labels\":[{\"key\":\"team\",\"value\":\"wasm\"}],\"annotations\":{\"example.com/note\":\"hi\"},"
                       "\"options\":{\"resources\":{\"requests\":{\"cpu\":\"100m\"},\"limits\":{\"memory\":\"64Mi\"}}},"
                       "\"network\":{\"allowIpNameLookup\":true,\"tcp\":{\"connect\":[\"db:5432\"]},"
                       "\"udp\":{\"outgoing\":[\"*:53\"]}}}";
    char *url;
    assert_int_equal(deploy(&url), FUNCP_OK);
    assert_string_equal(url, "http://hello.default.example.com");
    free(url);
    assert_non_null(strstr(call.log, "WasmModule \"hello\" created in namespace \"default\""));
    assert_int_equal(call.updated, 0);
    json_object *m = stored("hello");
    assert_string_equal(jpath(m, "apiVersion"), "wasm.serving.knative.dev/v1alpha1");
    assert_string_equal(jpath(m, "spec.image"), IMAGE);
    json_object *a = pcom_jget(m, "spec.args");
    assert_int_equal(json_object_array_length(a), 2);
    assert_string_equal(json_object_get_string(json_object_array_get_idx(a, 0)), "--flag");
    json_object *env = pcom_jget(m, "spec.env");
    assert_int_equal(json_object_array_length(env), 4);
    assert_string_equal(pcom_jstr(json_object_array_get_idx(env, 0), "name"), "BUILT");
    assert_string_equal(pcom_jstr(json_object_array_get_idx(env, 1), "value"), "1");
    assert_string_equal(pcom_jstr(json_object_array_get_idx(env, 2), "value"), "from-local-env");
    assert_string_equal(pcom_jstr(json_object_array_get_idx(env, 3), "name"), "ADDRESS");
    assert_string_equal(pcom_jstr(json_object_array_get_idx(env, 3), "value"), "0.0.0.0");
    assert_int_equal(json_object_get_boolean(pcom_jget(m, "spec.network.allowIpNameLookup")), 1);
    assert_string_equal(json_object_get_string(json_object_array_get_idx(pcom_jget(m, "spec.network.tcp.connect"), 0)),
                        "db:5432");
    assert_string_equal(json_object_get_string(json_object_array_get_idx(pcom_jget(m, "spec.network.udp.outgoing"), 0)),
                        "*:53");
    assert_null(pcom_jget(m, "spec.network.inherit"));
    assert_string_equal(jpath(m, "spec.resources.requests.cpu"), "100m");
    assert_string_equal(jpath(m, "spec.resources.limits.memory"), "64Mi");
    assert_string_equal(map_get(m, "metadata.labels", "function.knative.dev/name"), "hello");
    assert_string_equal(map_get(m, "metadata.labels", "function.knative.dev/runtime"), "go-wasi");
    assert_string_equal(map_get(m, "metadata.labels", "boson.dev/function"), "true");
    assert_string_equal(map_get(m, "metadata.labels", "team"), "wasm");
    assert_string_equal(map_get(m, "metadata.annotations", "function.knative.dev/deployer"), "wasm");
    assert_string_equal(map_get(m, "metadata.annotations", "example.com/note"), "hi");
    json_object_put(m);
    /* Waiting was list-and-watch by field selector, not a polling loop of
     * GETs (on a slow machine the list alone may already show Ready). */
    assert_int_equal(kt_count_requests(&srv, "GET", "/wasmmodules/hello", NULL), 0);
    assert_int_equal(kt_count_requests(&srv, "GET", "/wasmmodules", "fieldSelector=metadata.name%3Dhello&limit=500"), 1);
    assert_true(kt_count_requests(&srv, "GET", "/pods", "labelSelector=serving.knative.dev%2Fservice%3Dhello") >= 1);
    call.run_json = call.deploy_json = NULL;
    stop();
}

/* Issues 7 and 17: keys a WasmModule cannot hold are named, one warning
 * each; a redeploy removes the labels and annotations func.yaml dropped
 * (the funcp.dev/managed-* record) and keeps what another tool added. */
static void test_unapplied_keys_and_dropped_labels(void **state)
{
    (void)state;
    const char *args[] = {"--scenario", "ready", "--ready-delay", "100", NULL};
    start(args, NULL);
    call.deploy_json = "{\"labels\":[{\"key\":\"team\",\"value\":\"wasm\"}],\"annotations\":{\"example.com/note\":\"hi\"},"
                       "\"options\":{\"scale\":{\"min\":1},\"resources\":{\"limits\":{\"concurrency\":4}}},"
                       "\"serviceAccountName\":\"sa\",\"imagePullSecret\":\"creds\","
                       "\"healthEndpoints\":{\"liveness\":\"/l\"},\"subscriptions\":[{\"source\":\"default\"}]}";
    call.run_json = "{\"envs\":[{\"value\":\"{{ secret:all-keys }}\"}]}";
    char *url;
    assert_int_equal(deploy(&url), FUNCP_OK);
    free(url);
    static const char *const named[] = {
        "deployer \"wasm\" cannot apply func.yaml deploy.options.scale (WasmModule has no scaling settings); ignored",
        "deployer \"wasm\" cannot apply func.yaml deploy.options.resources.limits.concurrency (",
        "deployer \"wasm\" cannot apply func.yaml deploy.healthEndpoints (WasmModule has no probes); ignored",
        "deployer \"wasm\" cannot apply func.yaml deploy.serviceAccountName (WasmModule has no service account); ignored",
        "deployer \"wasm\" cannot apply func.yaml deploy.imagePullSecret (",
        "deployer \"wasm\" cannot apply func.yaml deploy.subscriptions (",
        "deployer \"wasm\" cannot apply func.yaml run.envs[0] ({{ secret:all-keys }}: ",
    };
    for (size_t i = 0; i < sizeof named / sizeof *named; i++)
        if (!strstr(call.log, named[i]))
            fail_msg("no warning \"%s\" in:\n%s", named[i], call.log);
    json_object *m = stored("hello");
    assert_null(pcom_jget(m, "spec.serviceAccountName"));
    assert_string_equal(map_get(m, "metadata.annotations", "funcp.dev/managed-labels"),
                        "boson.dev/function,function.knative.dev/name,function.knative.dev/runtime,team");
    json_object_put(m);
    /* Another tool labels the module; then func.yaml drops team and the note. */
    funcp_kube_response r = {sizeof r, 0, NULL, 0};
    assert_int_equal(host.kube_request(&call, "PATCH", "/apis/wasm.serving.knative.dev/v1alpha1/namespaces/default/wasmmodules/hello",
                                       "{\"metadata\":{\"labels\":{\"argocd.argoproj.io/instance\":\"shop\"}}}", &r), FUNCP_OK);
    assert_int_equal(r.status, 200);
    free(r.body);
    call.deploy_json = "{\"annotations\":{\"example.com/other\":\"x\"}}";
    call.run_json = NULL;
    call.log[0] = '\0';
    assert_int_equal(deploy(&url), FUNCP_OK);
    free(url);
    assert_null(strstr(call.log, "cannot apply"));
    m = stored("hello");
    assert_null(map_get(m, "metadata.labels", "team"));
    assert_null(map_get(m, "metadata.annotations", "example.com/note"));
    assert_string_equal(map_get(m, "metadata.annotations", "example.com/other"), "x");
    assert_string_equal(map_get(m, "metadata.labels", "argocd.argoproj.io/instance"), "shop");
    assert_string_equal(map_get(m, "metadata.labels", "function.knative.dev/name"), "hello");
    json_object_put(m);
    call.deploy_json = NULL;
    stop();
}

static void test_update_retries_conflict(void **state)
{
    (void)state;
    const char *args[] = {"--scenario", "ready,conflict", "--ready-delay", "100", NULL};
    start(args, NULL);
    char *url;
    assert_int_equal(deploy(&url), FUNCP_OK);
    free(url);
    assert_int_equal(call.updated, 0);
    /* Second deploy: exists -> GET (then the controller writes) -> PUT 409
     * -> GET -> PUT 200. */
    assert_int_equal(deploy(&url), FUNCP_OK);
    assert_string_equal(url, "http://hello.default.example.com");
    free(url);
    assert_int_equal(kt_count_requests(&srv, "PUT", "/wasmmodules/hello", NULL), 2);
    assert_int_equal(kt_count_requests(&srv, "GET", "/wasmmodules/hello", NULL), 2);
    assert_non_null(strstr(call.log, "WasmModule \"hello\" updated in namespace \"default\""));
    assert_int_equal(call.updated, 1);
    stop();
}

static void expect_failure(const char *scenario, int code, const char *part1, const char *part2)
{
    const char *args[] = {"--scenario", scenario, "--ready-delay", "300", NULL};
    start(args, NULL);
    char *url;
    long long t0 = now_ms();
    assert_int_equal(deploy(&url), code);
    assert_null(url);
    assert_true(now_ms() - t0 < 5000); /* fail fast, far from the 20 s timeout */
    if (!strstr(call.err, part1) || (part2 && !strstr(call.err, part2)))
        fail_msg("error \"%s\" lacks \"%s\" / \"%s\"", call.err, part1, part2 ? part2 : "");
    stop();
}

static void test_crashloop_fails_fast(void **state)
{
    (void)state;
    expect_failure("crashloop", FUNCP_EDEPLOY,
                   "WasmModule \"hello\" failed to become ready: deploy error: pod " POD
                   ": runner is crash-looping (CrashLoopBackOff) after 2 restart(s)", NULL);
}

static void test_image_pull_fails_fast(void **state)
{
    (void)state;
    expect_failure("imagepullbackoff", FUNCP_EDEPLOY, "pod " POD, "cannot be pulled from inside the cluster (ImagePullBackOff)");
    expect_failure("errimagepull", FUNCP_EDEPLOY, "pod " POD, "(ErrImagePull)");
}

static void test_terminal_reason(void **state)
{
    (void)state;
    expect_failure("failed", FUNCP_EDEPLOY,
                   "WasmModule \"hello\" failed to become ready: reason=RevisionFailed: Revision \"x-00001\" failed", NULL);
}

static void test_transient_reasons_wait(void **state)
{
    (void)state;
    const char *args[] = {"--scenario", "transient", "--ready-delay", "600", NULL};
    start(args, NULL);
    char *url;
    assert_int_equal(deploy(&url), FUNCP_OK);
    assert_string_equal(url, "http://hello.default.example.com");
    free(url);
    assert_non_null(strstr(call.log, "RevisionMissing"));
    stop();
}

static void test_timeout_message(void **state)
{
    (void)state;
    const char *args[] = {"--scenario", "none", NULL};
    start(args, NULL);
    call.timeout = "1s";
    char *url;
    long long t0 = now_ms();
    assert_int_equal(deploy(&url), FUNCP_ETIMEOUT);
    long long took = now_ms() - t0;
    assert_true(took >= 950 && took < 3000);
    assert_string_equal(call.err, "WasmModule \"hello\" failed to become ready: timed out waiting for WasmModule "
                                  "\"hello\" to become ready after 1s; run: funcp describe hello --namespace default");
    /* A malformed --timeout is the core's usage error (e2e_wasmmodule.sh). */
    call.timeout = "0";
    assert_int_equal(deploy(&url), FUNCP_EUSAGE);
    assert_string_equal(call.err, "invalid --timeout \"0\": use a duration longer than zero, such as 90s or 2m");
    stop();
}

struct seen {
    int count, hello;
    char detail[8192];
    char ready[16];
};
typedef struct seen seen;
static void on_instance(void *user, const funcp_instance *in);

static void test_missing_crd(void **state)
{
    (void)state;
    const char *args[] = {"--no-crd", NULL};
    start(args, NULL);
    char *url;
    assert_int_equal(deploy(&url), FUNCP_ENOTFOUND);
    assert_string_equal(call.err, "WasmModule resource not installed in this cluster: install knative-serving-wasm "
                                  "v0.2.0 (its CRD and controller)");
    /* list finds nothing (no error), as in the PR. */
    seen s = {0};
    assert_int_equal(wm_list(&host, &call, NULL, on_instance, &s), FUNCP_OK);
    assert_int_equal(s.count, 0);
    stop();
}

/* The preflight funcp runs before building: read-only, and each cause
 * named (no CRD, no namespace, no configuration). */
static void test_preflight(void **state)
{
    (void)state;
    start(NULL, NULL);
    assert_int_equal(wm_preflight(&host, &call), FUNCP_OK);
    assert_int_equal(kt_count_requests(&srv, "GET", "/apis/" WM_API_VERSION, NULL), 1);
    assert_int_equal(kt_count_requests(&srv, "GET", "/api/v1/namespaces/default", NULL), 1);
    assert_int_equal(kt_count_requests(&srv, "POST", NULL, NULL) + kt_count_requests(&srv, "PUT", NULL, NULL) +
                         kt_count_requests(&srv, "PATCH", NULL, NULL) + kt_count_requests(&srv, "DELETE", NULL, NULL),
                     0);
    call.no_ns = 1;
    assert_true(wm_preflight(&host, &call) < 0);
    assert_string_equal(call.err, "no Kubernetes configuration"); /* the host's reason, untouched */
    assert_int_equal(call.code, FUNCP_ENOTFOUND);
    stop();

    /* A context whose namespace the cluster does not have. */
    assert_int_equal(kt_server_start(&srv, dir, NULL), 0);
    char *kc = kt_kubeconfig(dir, &srv, NULL, "nosuch");
    memset(&call, 0, sizeof call);
    pthread_mutex_init(&call.lock, NULL);
    fp_kube_options opts = {sizeof opts, NULL, kc, NULL, NULL};
    assert_int_equal(fp_kube_client_new(&opts, &call.kube), FUNCP_OK);
    free(kc);
    assert_int_equal(wm_preflight(&host, &call), FUNCP_ENOTFOUND);
    assert_string_equal(call.err, "namespace \"nosuch\" does not exist in the cluster");
    stop();

    const char *no_crd[] = {"--no-crd", NULL};
    start(no_crd, NULL);
    assert_int_equal(wm_preflight(&host, &call), FUNCP_ENOTFOUND);
    assert_string_equal(call.err, WM_NOT_INSTALLED);
    stop();
}

static void test_unauthorized(void **state)
{
    (void)state;
    const char *args[] = {"--token", "right-token", NULL};
    start(args, SECRET);
    char *url;
    assert_int_equal(deploy(&url), FUNCP_EAUTH);
    assert_string_equal(call.err,
                        "create WasmModule \"hello\": Unauthorized: the cluster refused the credentials of context \"fake\"");
    assert_null(strstr(call.err, SECRET));
    assert_null(strstr(call.log, SECRET));
    stop();
}

static void test_bad_func_yaml_values(void **state)
{
    (void)state;
    const char *args[] = {"--scenario", "none", NULL};
    start(args, NULL);
    unsetenv("KT_UNSET_VAR");
    call.run_json = "{\"envs\":[{\"name\":\"X\",\"value\":\"{{ env:KT_UNSET_VAR }}\"}]}";
    char *url;
    assert_int_equal(deploy(&url), FUNCP_EUSAGE);
    assert_string_equal(call.err, "run.envs[0] (X): the local environment variable KT_UNSET_VAR is not set");
    /* As func's ProcessEnvs: entries it cannot place are errors, never dropped. */
    static const char *const bad_envs[][2] = {
        {"{\"envs\":[{\"name\":\"X\"}]}", "unsupported env source entry \"X\" (run.envs[0]: no value)"},
        {"{\"envs\":[{\"name\":\"X\",\"value\":\"{{ foo:B }}\"}]}",
         "allowed env value entry is \"{{ env:LOCAL_VALUE }}\"; got: \"foo\""},
        {"{\"envs\":[{\"name\":\"X\",\"value\":\"{{ vault:s:k }}\"}]}",
         "unsupported env source type \"vault\"; supported source types are \"configMap\" or \"secret\""},
    };
    for (size_t i = 0; i < sizeof bad_envs / sizeof bad_envs[0]; i++) {
        call.run_json = bad_envs[i][0];
        assert_int_equal(deploy(&url), FUNCP_EUSAGE);
        assert_string_equal(call.err, bad_envs[i][1]);
    }
    call.run_json = NULL;
    call.deploy_json = "{\"options\":{\"resources\":{\"limits\":{\"memory\":\"12Qb\"}}}}";
    assert_int_equal(deploy(&url), FUNCP_EUSAGE);
    assert_string_equal(call.err, "deploy.options.resources.limits.memory: invalid quantity \"12Qb\"");
    call.deploy_json = "{\"network\":{\"tcp\":{\"bind\":[\"8080\"]}}}";
    assert_int_equal(deploy(&url), FUNCP_EUSAGE);
    assert_string_equal(call.err, "deploy.network.tcp.bind[0] \"8080\": want host:port (host: *, an IP or a name; "
                                  "port: * or a number)");
    call.deploy_json = NULL;
    assert_int_equal(kt_count_requests(&srv, "POST", "/wasmmodules", NULL), 0); /* nothing sent */
    stop();
}


static void on_instance(void *user, const funcp_instance *in)
{
    seen *s = user;
    s->count++;
    if (strcmp(in->name, "hello") == 0) {
        s->hello = 1;
        snprintf(s->ready, sizeof s->ready, "%s", in->ready);
        if (in->detail_json)
            snprintf(s->detail, sizeof s->detail, "%s", in->detail_json);
        assert_string_equal(in->url, "http://hello.default.example.com");
        assert_string_equal(in->image, IMAGE);
        assert_string_equal(in->runtime, "go-wasi");
        assert_string_equal(in->namespace_, "default");
    }
}

static void test_list_describe_remove(void **state)
{
    (void)state;
    const char *args[] = {"--scenario", "ready", "--ready-delay", "100", "--namespace", "other", NULL};
    start(args, NULL);
    char *url;
    assert_int_equal(deploy(&url), FUNCP_OK);
    free(url);
    free(kt_admin(&srv, "POST", "/fake/seed?count=3&namespace=other"));
    seen all = {0}, def = {0}, one = {0};
    assert_int_equal(wm_list(&host, &call, NULL, on_instance, &all), FUNCP_OK);
    assert_int_equal(all.count, 4);
    assert_int_equal(all.hello, 1);
    assert_string_equal(all.ready, "True");
    assert_int_equal(wm_list(&host, &call, "default", on_instance, &def), FUNCP_OK);
    assert_int_equal(def.count, 1);
    assert_int_equal(wm_describe(&host, &call, "hello", on_instance, &one), FUNCP_OK);
    assert_int_equal(one.count, 1);
    json_object *d = json_tokener_parse(one.detail);
    assert_non_null(d);
    json_object *conds = pcom_jget(d, "conditions"), *events = pcom_jget(d, "events");
    assert_string_equal(pcom_jstr(json_object_array_get_idx(conds, 0), "type"), "Ready");
    assert_true(json_object_array_length(events) >= 1);
    assert_string_equal(pcom_jstr(json_object_array_get_idx(events, 0), "reason"), "Created");
    json_object_put(d);
    assert_int_equal(wm_remove(&host, &call, "hello"), FUNCP_OK);
    assert_int_equal(wm_remove(&host, &call, "hello"), FUNCP_ENOTFOUND);
    assert_string_equal(call.err, "function \"hello\" not found in namespace \"default\"");
    assert_int_equal(wm_describe(&host, &call, "hello", on_instance, &one), FUNCP_ENOTFOUND);
    assert_string_equal(call.err, "function \"hello\" not found in namespace \"default\"");
    /* No namespace: the host's reason and code are kept, with context, and
     * no "namespace required" claim: the namespace is not the cause. */
    call.no_ns = 1;
    char *none = NULL;
    assert_int_equal(deploy(&none), FUNCP_ENOTFOUND);
    assert_null(none);
    assert_string_equal(call.err, "deploy: no Kubernetes configuration");
    assert_int_equal(wm_describe(&host, &call, "hello", on_instance, &one), FUNCP_ENOTFOUND);
    assert_string_equal(call.err, "describe: no Kubernetes configuration");
    assert_int_equal(wm_remove(&host, &call, "hello"), FUNCP_ENOTFOUND);
    assert_string_equal(call.err, "delete: no Kubernetes configuration");
    call.no_ns = 0;
    stop();
}

static void test_format_duration(void **state)
{
    (void)state;
    char buf[32];
    wm_format_duration(120000, buf, sizeof buf);
    assert_string_equal(buf, "2m0s");
    wm_format_duration(1500, buf, sizeof buf);
    assert_string_equal(buf, "1.5s");
    wm_format_duration(300, buf, sizeof buf);
    assert_string_equal(buf, "300ms");
    wm_format_duration(3723000, buf, sizeof buf);
    assert_string_equal(buf, "1h2m3s");
}

/* When the pod watch may end by itself: the runner is ready and runs our
 * image (IMAGE env of user-container); failures are still failures. */
static void test_pod_verdict(void **state)
{
    (void)state;
#define RUNNER_ENV(img) "\"spec\":{\"containers\":[{\"name\":\"queue-proxy\"},{\"name\":\"user-container\"," \
                        "\"env\":[{\"name\":\"WASI_CONFIG\",\"value\":\"{}\"},{\"name\":\"IMAGE\",\"value\":\"" img "\"}]}]}"
#define STATUS(cs) "\"status\":{\"containerStatuses\":[{\"name\":\"queue-proxy\",\"ready\":true}," cs "]}"
    static const struct {
        const char *pod, *image;
        int verdict;
        const char *msg;
    } cases[] = {
        {"{" RUNNER_ENV(IMAGE) "," STATUS("{\"name\":\"user-container\",\"ready\":true}") "}", IMAGE, WM_POD_RUNNING, NULL},
        /* another image (an older revision), not ready, "true" as a string, no image to match */
        {"{" RUNNER_ENV("registry.example.com/old@sha256:00") "," STATUS("{\"name\":\"user-container\",\"ready\":true}") "}",
         IMAGE, WM_POD_PENDING, NULL},
        {"{" RUNNER_ENV(IMAGE) "," STATUS("{\"name\":\"user-container\",\"ready\":false}") "}", IMAGE, WM_POD_PENDING, NULL},
        {"{" RUNNER_ENV(IMAGE) "," STATUS("{\"name\":\"user-container\",\"ready\":\"true\"}") "}", IMAGE, WM_POD_PENDING, NULL},
        {"{" RUNNER_ENV(IMAGE) "," STATUS("{\"name\":\"user-container\",\"ready\":true}") "}", NULL, WM_POD_PENDING, NULL},
        /* only queue-proxy is ready; no spec at all */
        {"{" RUNNER_ENV(IMAGE) "," STATUS("{\"name\":\"user-container\"}") "}", IMAGE, WM_POD_PENDING, NULL},
        {"{" STATUS("{\"name\":\"user-container\",\"ready\":true}") "}", IMAGE, WM_POD_PENDING, NULL},
        {"{\"metadata\":{\"name\":\"p1\"}," RUNNER_ENV(IMAGE) ","
         STATUS("{\"name\":\"user-container\",\"ready\":false,\"restartCount\":3,\"state\":{\"waiting\":"
                "{\"reason\":\"CrashLoopBackOff\"}},\"lastState\":{\"terminated\":{\"exitCode\":1,\"reason\":\"Error\"}}}") "}",
         IMAGE, WM_POD_FAILED, "pod p1: runner is crash-looping (CrashLoopBackOff) after 3 restart(s); last exit code 1 (Error)"},
        {"{\"metadata\":{\"name\":\"p2\"}," STATUS("{\"name\":\"user-container\",\"state\":{\"waiting\":"
                                                        "{\"reason\":\"ErrImagePull\",\"message\":\"no such host\"}}}") "}",
         IMAGE, WM_POD_FAILED, "pod p2: runner image cannot be pulled from inside the cluster (ErrImagePull): no such host"},
    };
#undef RUNNER_ENV
#undef STATUS
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_object *pod = json_tokener_parse(cases[i].pod);
        if (!pod)
            fail_msg("case %zu: bad JSON", i);
        char msg[1024] = "";
        int v = wm_pod_verdict(pod, cases[i].image, msg, sizeof msg);
        json_object_put(pod);
        if (v != cases[i].verdict)
            fail_msg("case %zu: verdict %d, want %d", i, v, cases[i].verdict);
        if (cases[i].msg)
            assert_string_equal(msg, cases[i].msg);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_duration),
        cmocka_unit_test(test_pod_verdict),
        cmocka_unit_test(test_deploy_ready_with_full_spec),
        cmocka_unit_test(test_update_retries_conflict),
        cmocka_unit_test(test_unapplied_keys_and_dropped_labels),
        cmocka_unit_test(test_crashloop_fails_fast),
        cmocka_unit_test(test_image_pull_fails_fast),
        cmocka_unit_test(test_terminal_reason),
        cmocka_unit_test(test_transient_reasons_wait),
        cmocka_unit_test(test_timeout_message),
        cmocka_unit_test(test_missing_crd),
        cmocka_unit_test(test_preflight),
        cmocka_unit_test(test_unauthorized),
        cmocka_unit_test(test_bad_func_yaml_values),
        cmocka_unit_test(test_list_describe_remove),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
