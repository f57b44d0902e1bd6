/* The client against the fake API server: CRUD and Status errors, 401
 * without leaking the token, paging, watch resume after a dropped stream,
 * re-list after 410, timeouts, and TLS with client certificates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <signal.h>
#include <sys/wait.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "kube/kube_client.h"
#include "kube_test_util.h"
#include "util/error.h"

#define SECRET "fake-sekrit-token-42"
#define CM "/api/v1/namespaces/default/configmaps"
#define WM "/apis/wasm.serving.knative.dev/v1alpha1/namespaces/default/wasmmodules"

static char *dir;

static int setup(void **state)
{
    (void)state;
    dir = kt_tmpdir();
    return dir ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    kt_rmrf(dir);
    free(dir);
    return 0;
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A server with args, and a client with a kubeconfig holding `token`. */
typedef struct env {
    kt_server srv;
    fp_kube_client *c;
} env;

static void start(env *e, const char *const *args, const char *token, const fp_net_hooks *hooks)
{
    assert_int_equal(kt_server_start(&e->srv, dir, args), 0);
    char *kc = kt_kubeconfig(dir, &e->srv, token, NULL);
    fp_kube_options opts = {sizeof opts, hooks, kc, NULL, NULL};
    assert_int_equal(fp_kube_client_new(&opts, &e->c), FUNCP_OK);
    free(kc);
}

static void stop(env *e)
{
    fp_kube_client_free(e->c);
    kt_server_stop(&e->srv);
}

static char *rv_of(const char *body)
{
    json_object *o = json_tokener_parse(body), *md, *rv;
    char *out = NULL;
    if (json_object_object_get_ex(o, "metadata", &md) && json_object_object_get_ex(md, "resourceVersion", &rv))
        out = strdup(json_object_get_string(rv));
    json_object_put(o);
    return out;
}

static void test_crud_and_status_errors(void **state)
{
    (void)state;
    env e;
    const char *args[] = {"--scenario", "none", NULL};
    start(&e, args, NULL, NULL);
    funcp_kube_response r;
    const char *cm = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"},\"data\":{\"k\":\"1\"}}";
    assert_int_equal(fp_kube_request(e.c, "POST", CM, cm, &r), FUNCP_OK);
    assert_int_equal(r.status, 201);
    char *rv1 = rv_of(r.body);
    free(r.body);
    /* Creating it again: 409 AlreadyExists. */
    assert_int_equal(fp_kube_request(e.c, "POST", CM, cm, &r), FUNCP_OK);
    assert_int_equal(r.status, 409);
    assert_int_equal(fp_kube_status_error(r.status, r.body, "create"), FUNCP_EEXISTS);
    assert_string_equal(fp_error_message(), "create: configmaps \"a\" already exists");
    free(r.body);
    /* Merge patch (the server refuses application/json with 415). */
    assert_int_equal(fp_kube_request(e.c, "PATCH", CM "/a", "{\"data\":{\"k\":\"2\"}}", &r), FUNCP_OK);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"k\": \"2\""));
    free(r.body);
    /* Replace with the stale resourceVersion: 409 Conflict. */
    char body[512];
    snprintf(body, sizeof body, "{\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"%s\"},\"data\":{\"k\":\"3\"}}", rv1);
    assert_int_equal(fp_kube_request(e.c, "PUT", CM "/a", body, &r), FUNCP_OK);
    assert_int_equal(r.status, 409);
    assert_int_equal(fp_kube_status_error(r.status, r.body, NULL), FUNCP_EDEPLOY);
    assert_non_null(strstr(fp_error_message(), "the object has been modified"));
    free(r.body);
    /* ... and with the fresh one: 200. */
    assert_int_equal(fp_kube_request(e.c, "GET", CM "/a", NULL, &r), FUNCP_OK);
    char *rv2 = rv_of(r.body);
    free(r.body);
    snprintf(body, sizeof body, "{\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"%s\"},\"data\":{\"k\":\"3\"}}", rv2);
    assert_int_equal(fp_kube_request(e.c, "PUT", CM "/a", body, &r), FUNCP_OK);
    assert_int_equal(r.status, 200);
    free(r.body);
    assert_int_equal(fp_kube_request(e.c, "DELETE", CM "/a", NULL, &r), FUNCP_OK);
    assert_int_equal(r.status, 200);
    free(r.body);
    assert_int_equal(fp_kube_request(e.c, "GET", CM "/a", NULL, &r), FUNCP_OK);
    assert_int_equal(r.status, 404);
    assert_int_equal(fp_kube_status_error(r.status, r.body, "get"), FUNCP_ENOTFOUND);
    assert_string_equal(fp_error_message(), "get: configmaps \"a\" not found");
    free(r.body);
    /* A resource type nobody serves: plain-text 404. */
    assert_int_equal(fp_kube_request(e.c, "GET", "/apis/nosuch.example.com/v1/namespaces/default/things", NULL, &r),
                     FUNCP_OK);
    assert_int_equal(r.status, 404);
    assert_string_equal(r.body, "404 page not found\n");
    assert_int_equal(fp_kube_status_error(r.status, r.body, "list things"), FUNCP_ENOTFOUND);
    assert_non_null(strstr(fp_error_message(), "does not serve this resource type"));
    free(r.body);
    /* A WasmModule without spec.image: 422 with the field named. */
    assert_int_equal(fp_kube_request(e.c, "POST", WM, "{\"metadata\":{\"name\":\"m\"},\"spec\":{}}", &r), FUNCP_OK);
    assert_int_equal(r.status, 422);
    assert_int_equal(fp_kube_status_error(r.status, r.body, NULL), FUNCP_EDEPLOY);
    assert_string_equal(fp_error_message(), "WasmModule.wasm.serving.knative.dev \"m\" is invalid: spec.image: Required value");
    free(r.body);
    free(rv1);
    free(rv2);
    stop(&e);
}

static char logbuf[1 << 16];

static void collect_log(void *user, funcp_log_level level, const char *message)
{
    (void)user;
    (void)level;
    strncat(logbuf, message, sizeof logbuf - strlen(logbuf) - 2);
    strcat(logbuf, "\n");
}

static int never(void *user, const char *type, const char *json)
{
    (void)user;
    (void)type;
    (void)json;
    return 0;
}

static void test_unauthorized_never_shows_token(void **state)
{
    (void)state;
    env e;
    logbuf[0] = '\0';
    fp_net_hooks hooks = {NULL, collect_log, NULL, NULL, 2}; /* 2: the header trace too */
    const char *args[] = {"--token", "the-right-one", NULL};
    start(&e, args, SECRET, &hooks);
    funcp_kube_response r;
    assert_int_equal(fp_kube_request(e.c, "GET", CM, NULL, &r), FUNCP_EAUTH);
    assert_null(r.body);
    assert_string_equal(fp_error_message(), "Unauthorized: the cluster refused the credentials of context \"fake\"");
    assert_int_equal(fp_kube_watch(e.c, WM, 2000, never, NULL), FUNCP_EAUTH);
    assert_null(strstr(fp_error_message(), SECRET));
    /* Verbose tracing shows the request line and the header redacted,
     * never the token. */
    assert_non_null(strstr(logbuf, "Authorization: <redacted>"));
    assert_non_null(strstr(logbuf, "GET http://127.0.0.1:"));
    assert_non_null(strstr(logbuf, " -> 401 ("));
    assert_null(strstr(logbuf, SECRET));
    stop(&e);
}

typedef struct counter {
    int added, pings, ready, modified;
    int stop_at;
    long long stop_after_ms, start;
} counter;

static int count_events(void *user, const char *type, const char *json)
{
    counter *c = user;
    if (strcmp(type, "PING") == 0) {
        c->pings++;
        return c->stop_after_ms && now_ms() - c->start >= c->stop_after_ms;
    }
    if (strcmp(type, "ADDED") == 0)
        c->added++;
    if (strcmp(type, "MODIFIED") == 0)
        c->modified++;
    if (!c->stop_at && (strstr(json, "\"type\":\"Ready\",\"status\":\"True\"") ||
                        strstr(json, "\"status\":\"True\",\"type\":\"Ready\"")))
        c->ready = 1;
    return (c->stop_at && c->added >= c->stop_at) || c->ready;
}

static void test_list_pages_with_continue(void **state)
{
    (void)state;
    env e;
    const char *args[] = {"--scenario", "none", NULL};
    start(&e, args, NULL, NULL);
    char *res = kt_admin(&e.srv, "POST", "/fake/seed?count=1203");
    assert_non_null(strstr(res, "1203"));
    free(res);
    counter c = {0};
    c.stop_at = 1203;
    assert_int_equal(fp_kube_watch(e.c, WM, 20000, count_events, &c), FUNCP_OK);
    assert_int_equal(c.added, 1203);
    assert_int_equal(kt_count_requests(&e.srv, "GET", "/wasmmodules", "limit=500"), 3);
    assert_int_equal(kt_count_requests(&e.srv, "GET", "/wasmmodules", "continue="), 2);
    stop(&e);
}

static void create_module(env *e, const char *name)
{
    char body[256];
    snprintf(body, sizeof body, "{\"metadata\":{\"name\":\"%s\"},\"spec\":{\"image\":\"r.example/x@sha256:00\"}}", name);
    funcp_kube_response r;
    assert_int_equal(fp_kube_request(e->c, "POST", WM, body, &r), FUNCP_OK);
    assert_int_equal(r.status, 201);
    free(r.body);
}

/* Connections that break: a list answer cut inside its headers (libcurl
 * takes it for an empty 200) and a create whose answer is lost after the
 * server made the object. Both are repeated; the create's repeat meets
 * 409 AlreadyExists, which callers turn into an update. */
static void test_broken_connections_retried(void **state)
{
    (void)state;
    env e;
    const char *args[] = {"--scenario", "none,cut-headers-once,lose-reply-once", NULL};
    start(&e, args, NULL, NULL);
    funcp_kube_response r;
    assert_int_equal(fp_kube_request(e.c, "GET", WM, NULL, &r), FUNCP_OK);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"items\""));
    free(r.body);
    assert_int_equal(kt_count_requests(&e.srv, "GET", "/wasmmodules", NULL), 2);
    const char *body = "{\"metadata\":{\"name\":\"once\"},\"spec\":{\"image\":\"r.example/x@sha256:00\"}}";
    assert_int_equal(fp_kube_request(e.c, "POST", WM, body, &r), FUNCP_OK);
    assert_int_equal(r.status, 409);
    free(r.body);
    assert_int_equal(kt_count_requests(&e.srv, "POST", "/wasmmodules", NULL), 2);
    assert_int_equal(fp_kube_request(e.c, "GET", WM "/once", NULL, &r), FUNCP_OK);
    assert_int_equal(r.status, 200);
    free(r.body);
    stop(&e);
}

static void test_watch_resumes_after_drop(void **state)
{
    (void)state;
    env e;
    const char *args[] = {"--scenario", "transient,drop-watch", "--ready-delay", "900", NULL};
    start(&e, args, NULL, NULL);
    create_module(&e, "hello");
    counter c = {0};
    assert_int_equal(fp_kube_watch(e.c, WM "?fieldSelector=metadata.name%3Dhello", 10000, count_events, &c), FUNCP_OK);
    assert_int_equal(c.ready, 1);
    /* One list, then a watch that was cut and a second one resuming from
     * the last resourceVersion (not a new list). */
    assert_int_equal(kt_count_requests(&e.srv, "GET", "/wasmmodules", "limit=500"), 1);
    assert_int_equal(kt_count_requests(&e.srv, "GET", "/wasmmodules", "watch=1"), 2);
    stop(&e);
}

static void test_watch_relists_after_410(void **state)
{
    (void)state;
    env e;
    const char *args[] = {"--scenario", "ready,gone-once", "--ready-delay", "400", NULL};
    start(&e, args, NULL, NULL);
    create_module(&e, "hello");
    counter c = {0};
    assert_int_equal(fp_kube_watch(e.c, WM "?fieldSelector=metadata.name%3Dhello", 10000, count_events, &c), FUNCP_OK);
    assert_int_equal(c.ready, 1);
    assert_int_equal(kt_count_requests(&e.srv, "GET", "/wasmmodules", "limit=500"), 2);
    assert_true(c.added >= 2); /* the item again from the second list */
    stop(&e);
}

static void test_watch_timeout_and_ping_stop(void **state)
{
    (void)state;
    env e;
    const char *args[] = {"--scenario", "none", NULL};
    start(&e, args, NULL, NULL);
    counter c = {0};
    long long t0 = now_ms();
    assert_int_equal(fp_kube_watch(e.c, WM, 700, count_events, &c), FUNCP_ETIMEOUT);
    long long took = now_ms() - t0;
    assert_true(took >= 650 && took < 2500);
    assert_true(c.pings >= 3); /* idle PINGs about every 100 ms */
    /* A callback stops an idle watch through PING, promptly. */
    counter s = {0};
    s.start = now_ms();
    s.stop_after_ms = 300;
    assert_int_equal(fp_kube_watch(e.c, WM, 10000, count_events, &s), FUNCP_OK);
    took = now_ms() - s.start;
    assert_true(took >= 300 && took < 1000);
    stop(&e);
}

static void test_watch_server_gone(void **state)
{
    (void)state;
    env e;
    const char *args[] = {"--scenario", "none", NULL};
    start(&e, args, NULL, NULL);
    /* The server dies after the list: reconnects are bounded. */
    kill(e.srv.pid, 9);
    waitpid(e.srv.pid, NULL, 0);
    e.srv.pid = 0;
    counter c = {0};
    long long t0 = now_ms();
    assert_int_equal(fp_kube_watch(e.c, WM, 20000, count_events, &c), FUNCP_ENETWORK);
    assert_true(now_ms() - t0 < 5000);
    assert_non_null(strstr(fp_error_message(), "cannot talk to the Kubernetes API server http://127.0.0.1:"));
    assert_non_null(strstr(fp_error_message(), "(context \"fake\")"));
    stop(&e);
}

static long long cancel_at;

static int cancel_later(void *user)
{
    (void)user;
    return now_ms() >= cancel_at;
}

static void test_ctrl_c_stops_watch(void **state)
{
    (void)state;
    env e;
    fp_net_hooks hooks = {NULL, NULL, NULL, cancel_later, 0};
    cancel_at = now_ms() + 1000000;
    const char *args[] = {"--scenario", "none", NULL};
    start(&e, args, NULL, &hooks);
    cancel_at = now_ms() + 400;
    long long t0 = now_ms();
    assert_int_equal(fp_kube_watch(e.c, WM, 20000, never, NULL), FUNCP_ECANCELED);
    assert_true(now_ms() - t0 < 1500);
    stop(&e);
}

static void test_token_file_read_per_request(void **state)
{
    (void)state;
    kt_server srv;
    const char *args[] = {"--token", "file-token-1", NULL};
    assert_int_equal(kt_server_start(&srv, dir, args), 0);
    free(kt_write(dir, "token", "file-token-1\n"));
    char text[1024];
    snprintf(text, sizeof text,
             "current-context: f\nclusters: [{name: c, cluster: {server: 'http://127.0.0.1:%d'}}]\n"
             "users: [{name: u, user: {tokenFile: token}}]\n"
             "contexts: [{name: f, context: {cluster: c, user: u}}]\n", srv.port);
    char *kc = kt_write(dir, "tf-kubeconfig", text);
    fp_kube_options opts = {sizeof opts, NULL, kc, NULL, NULL};
    fp_kube_client *c;
    assert_int_equal(fp_kube_client_new(&opts, &c), FUNCP_OK);
    funcp_kube_response r;
    assert_int_equal(fp_kube_request(c, "GET", CM, NULL, &r), FUNCP_OK);
    assert_int_equal(r.status, 200);
    free(r.body);
    /* The file is rotated: the next request sends the new token. */
    free(kt_write(dir, "token", "rotated-token"));
    assert_int_equal(fp_kube_request(c, "GET", CM, NULL, &r), FUNCP_EAUTH);
    assert_string_equal(fp_error_message(), "Unauthorized: the cluster refused the credentials of context \"f\"");
    assert_null(strstr(fp_error_message(), "rotated-token"));
    fp_kube_client_free(c);
    free(kc);
    kt_server_stop(&srv);
}

/* openssl CLI: a CA, a server cert for 127.0.0.1 and a client cert. */
static int make_certs(void)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && "
             "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.crt "
             "-subj /CN=funcp-test-ca -days 1 && "
             "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout srv.key -out srv.csr "
             "-subj /CN=127.0.0.1 && printf 'subjectAltName=IP:127.0.0.1\\n' > srv.ext && "
             "openssl x509 -req -in srv.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out srv.crt -days 1 -extfile srv.ext && "
             "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout cli.key -out cli.csr "
             "-subj /CN=tester && "
             "openssl x509 -req -in cli.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out cli.crt -days 1 && "
             "for f in ca.crt cli.crt cli.key; do openssl base64 -A -in $f > $f.b64; done",
             dir);
    return system(cmd);
}

static char *slurp(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *data = NULL;
    size_t len;
    return fp_kube_read_file(path, "test file", &data, &len) == FUNCP_OK ? data : NULL;
}

static void test_tls_with_client_certificate(void **state)
{
    (void)state;
    if (system("openssl version > /dev/null 2>&1") != 0) {
        print_message("skipped: openssl not found (TLS client certificate test)\n");
        skip();
        return;
    }
    assert_int_equal(make_certs(), 0);
    char cert[1024], key[1024], ca[1024];
    snprintf(cert, sizeof cert, "%s/srv.crt", dir);
    snprintf(key, sizeof key, "%s/srv.key", dir);
    snprintf(ca, sizeof ca, "%s/ca.crt", dir);
    const char *args[] = {"--scenario", "none", "--tls-cert", cert, "--tls-key", key, "--client-ca", ca, NULL};
    kt_server srv;
    assert_int_equal(kt_server_start(&srv, dir, args), 0);
    char *ca64 = slurp("ca.crt.b64"), *cli64 = slurp("cli.crt.b64"), *key64 = slurp("cli.key.b64");
    assert_non_null(ca64);
    char text[16384];
    /* Three users: cert data, cert files, and none. */
    snprintf(text, sizeof text,
             "current-context: data\n"
             "clusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:%d\n    certificate-authority-data: %s\n"
             "- name: c-insecure\n  cluster:\n    server: https://127.0.0.1:%d\n    insecure-skip-tls-verify: true\n"
             "users:\n- name: data\n  user:\n    client-certificate-data: %s\n    client-key-data: %s\n"
             "- name: files\n  user:\n    client-certificate: cli.crt\n    client-key: cli.key\n"
             "- name: nocert\n  user: {}\n"
             "contexts:\n- name: data\n  context: {cluster: c, user: data}\n"
             "- name: files\n  context: {cluster: c-insecure, user: files}\n"
             "- name: nocert\n  context: {cluster: c, user: nocert}\n",
             srv.port, ca64, srv.port, cli64, key64);
    char *kc = kt_write(dir, "tls-kubeconfig", text);
    const char *contexts[] = {"data", "files", "nocert"};
    for (int i = 0; i < 3; i++) {
        fp_kube_options opts = {sizeof opts, NULL, kc, contexts[i], NULL};
        fp_kube_client *c;
        assert_int_equal(fp_kube_client_new(&opts, &c), FUNCP_OK);
        funcp_kube_response r;
        int rc = fp_kube_request(c, "GET", CM, NULL, &r);
        if (i < 2) {
            assert_int_equal(rc, FUNCP_OK);
            assert_int_equal(r.status, 200);
            free(r.body);
        } else {
            assert_int_equal(rc, FUNCP_ENETWORK); /* the server wants a client cert */
            assert_non_null(strstr(fp_error_message(), "(context \"nocert\")"));
        }
        fp_kube_client_free(c);
    }
    free(kc);
    free(ca64);
    free(cli64);
    free(key64);
    kt_server_stop(&srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crud_and_status_errors),
        cmocka_unit_test(test_unauthorized_never_shows_token),
        cmocka_unit_test(test_list_pages_with_continue),
        cmocka_unit_test(test_watch_resumes_after_drop),
        cmocka_unit_test(test_watch_relists_after_410),
        cmocka_unit_test(test_watch_timeout_and_ping_stop),
        cmocka_unit_test(test_watch_server_gone),
        cmocka_unit_test(test_ctrl_c_stops_watch),
        cmocka_unit_test(test_broken_connections_retried),
        cmocka_unit_test(test_token_file_read_per_request),
        cmocka_unit_test(test_tls_with_client_certificate),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
