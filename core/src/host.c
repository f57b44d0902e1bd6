/* The host services table (funcp_host) and the funcp_call it works on. */
#include "call.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "function/local_env.h"
#include "kube/kube_api.h"
#include "oci/oci_api.h"
#include "util/cancel.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/module.h"
#include "util/process.h"
#include "util/progress.h"

/* ---- call lifecycle -------------------------------------------------- */

static void hook_log(void *user, funcp_log_level level, const char *message)
{
    (void)user;
    fp_log(level, "%s", message);
}

static void hook_progress(void *user, const char *label, uint64_t done, uint64_t total)
{
    (void)user;
    fp_progress(label, done, total);
}

static int hook_cancelled(void *user)
{
    (void)user;
    return fp_cancelled();
}

void fp_call_init(funcp_call *call)
{
    memset(call, 0, sizeof *call);
    call->hooks.user = call;
    call->hooks.log = hook_log;
    call->hooks.progress = hook_progress;
    call->hooks.cancelled = hook_cancelled;
}

void fp_call_cleanup(funcp_call *call)
{
    if (call->kube) {
        const fp_net_module *net = fp_net();
        if (net && net->kube)
            net->kube->client_free(call->kube);
        call->kube = NULL;
    }
    if (call->plugins_loaded)
        fp_plugins_unload(&call->plugins);
    fp_funcyaml_free(call->fy);
    fp_funcyaml_free(call->config);
    if (call->password) {
        memset(call->password, 0, strlen(call->password));
        free(call->password);
    }
    free(call->root);
    free(call->funcyaml_path);
    free(call->kube_ns);
    fp_local_env_free(call->run_env);
    fp_args_free(&call->args);
    memset(call, 0, sizeof *call);
}

void fp_call_enter(funcp_call *call, const char *plugin)
{
    if (call)
        call->plugin = plugin;
}

int fp_call_load_plugins(funcp_call *call)
{
    if (call->plugins_loaded)
        return FUNCP_OK;
    int rc = fp_plugins_load(&call->plugins, fp_host());
    call->plugins_loaded = 1;
    if (rc < 0)
        return rc;
    if (!call->plugins.registry)
        return fp_error_set(FUNCP_ERROR, "plugins: no registry was made");
    return FUNCP_OK;
}

int fp_call_load_function(funcp_call *call)
{
    if (call->fy)
        return FUNCP_OK;
    call->fy = fp_funcyaml_load(call->funcyaml_path);
    if (!call->fy) {
        if (fp_error_code() == FUNCP_ENOTFOUND) {
            fp_error_set(FUNCP_ENOTFOUND, "no function in %s (%s not found)", call->root,
                         FP_FUNCYAML_FILE);
            fp_error_hint("create one with 'funcp create -l <runtime> <path>', or point -p/--path "
                          "at a function");
        }
        return fp_error_code() ? fp_error_code() : FUNCP_ERROR;
    }
    /* Loaded once per command, so each unknown key is told once. */
    char *unknown = fp_funcyaml_unknown_keys(call->fy, call->funcyaml_path);
    for (char *line = unknown, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        fp_log(FUNCP_LOG_WARN, "%s", line);
        if (!next)
            break;
    }
    free(unknown);
    return FUNCP_OK;
}

int fp_call_save_function(funcp_call *call)
{
    if (!call->fy || !fp_funcyaml_dirty(call->fy))
        return FUNCP_OK;
    /* As func's Write: an invalid function is not written. */
    int rc = fp_funcyaml_validate(call->fy, call->funcyaml_path);
    return rc == FUNCP_OK ? fp_funcyaml_save(call->fy, call->funcyaml_path) : rc;
}

const char *fp_call_option(funcp_call *call, const char *name)
{
    if (!call || !name)
        return NULL;
    if (!strcmp(name, "verbose"))
        return call->verbose ? "true" : "false";
    if (!strcmp(name, "output"))
        return call->format == FP_FORMAT_JSON ? "json"
               : call->format == FP_FORMAT_YAML ? "yaml" : "text";
    if (!strcmp(name, "path"))
        return call->root;
    if (!strcmp(name, "password") && call->password)
        return call->password;
    if (!strcmp(name, "timeout-ms")) {
        const char *t = fp_args_get(&call->args, "timeout");
        long long ms;
        if (!t || fp_parse_duration(t, &ms) != FUNCP_OK) {
            fp_error_clear();
            return NULL;
        }
        snprintf(call->option_buf, sizeof call->option_buf, "%lld", ms);
        return call->option_buf;
    }
    return fp_args_get(&call->args, name);
}

/* ---- logging and errors ------------------------------------------------ */

static void host_log(funcp_call *call, funcp_log_level level, const char *fmt, ...)
{
    (void)call;
    va_list ap;
    va_start(ap, fmt);
    fp_logv(level, fmt, ap);
    va_end(ap);
}

static int host_error(funcp_call *call, int code, const char *fmt, ...)
{
    (void)call;
    va_list ap;
    va_start(ap, fmt);
    int rc = fp_error_setv(code < 0 ? code : FUNCP_ERROR, fmt, ap);
    va_end(ap);
    return rc;
}

static int host_error_wrap(funcp_call *call, const char *fmt, ...)
{
    (void)call;
    va_list ap;
    va_start(ap, fmt);
    int rc = fp_error_wrapv(fmt, ap);
    va_end(ap);
    return rc;
}

static void host_progress(funcp_call *call, const char *label, uint64_t done, uint64_t total)
{
    (void)call;
    fp_progress(label, done, total);
}

static int host_cancelled(funcp_call *call)
{
    (void)call;
    return fp_cancelled();
}

static void host_free(void *ptr) { free(ptr); }

/* ---- child processes ---------------------------------------------------- */

static fp_proc_ctx proc_ctx(funcp_call *call)
{
    /* With -o json|yaml stdout carries data: streamed tool output goes to stderr. */
    fp_proc_ctx ctx = {call ? call->root : NULL,
                       call && call->format != FP_FORMAT_TEXT ? 2 : 1};
    return ctx;
}

static int host_run(funcp_call *call, const funcp_process *proc, funcp_process_result *result)
{
    fp_proc_ctx ctx = proc_ctx(call);
    return fp_process_run(&ctx, proc, result);
}

static int host_spawn(funcp_call *call, const funcp_process *proc, funcp_child **child)
{
    fp_proc_ctx ctx = proc_ctx(call);
    return fp_process_spawn(&ctx, proc, child);
}

static int host_child_wait(funcp_call *call, funcp_child *child, int timeout_ms, int *exit_code)
{
    (void)call;
    return fp_process_wait(child, timeout_ms, exit_code);
}

static void host_child_stop(funcp_call *call, funcp_child *child)
{
    (void)call;
    fp_process_stop(child);
}

static char *host_which(funcp_call *call, const char *program)
{
    (void)call;
    return fp_which(program);
}

/* ---- func.yaml ---------------------------------------------------------- */

static const char *host_function_root(funcp_call *call) { return call ? call->root : NULL; }

static const char *host_fy_get(funcp_call *call, const char *path)
{
    return call && call->fy ? fp_funcyaml_get(call->fy, path) : NULL;
}

static size_t host_fy_count(funcp_call *call, const char *path)
{
    return call && call->fy ? fp_funcyaml_count(call->fy, path) : 0;
}

static const char *host_fy_key(funcp_call *call, const char *path, size_t index)
{
    return call && call->fy ? fp_funcyaml_key(call->fy, path, index) : NULL;
}

static int host_fy_set(funcp_call *call, const char *path, const char *value)
{
    if (!call || !call->fy)
        return fp_error_set(FUNCP_ENOTFOUND, "no func.yaml is loaded for this command");
    return fp_funcyaml_set(call->fy, path, value);
}

static char *host_fy_json(funcp_call *call, const char *path)
{
    return call && call->fy ? fp_funcyaml_json(call->fy, path) : NULL;
}

/* ---- options and config ------------------------------------------------- */

static const char *host_option(funcp_call *call, const char *name)
{
    return fp_call_option(call, name);
}

/* The config file: $FUNCP_CONFIG_FILE, else $XDG_CONFIG_HOME/funcp/config.yaml,
 * else ~/.config/funcp/config.yaml. */
static char *config_path(void)
{
    const char *file = getenv("FUNCP_CONFIG_FILE");
    if (file && *file)
        return strdup(file);
    const char *xdg = getenv("XDG_CONFIG_HOME");
    if (xdg && *xdg)
        return fp_path_join(xdg, "funcp/config.yaml");
    const char *home = getenv("HOME");
    if (!home || !*home)
        return NULL;
    return fp_path_join(home, ".config/funcp/config.yaml");
}

static const char *host_config(funcp_call *call, const char *key)
{
    if (!call || !call->plugin || !key)
        return NULL;
    if (!call->config_loaded) {
        call->config_loaded = 1;
        char *path = config_path();
        if (path && fp_exists(path)) {
            call->config = fp_funcyaml_load(path);
            if (!call->config) {
                fp_log(FUNCP_LOG_WARN, "ignoring config file: %s", fp_error_message());
                fp_error_clear();
            }
        }
        free(path);
    }
    if (!call->config)
        return NULL;
    char full[512];
    snprintf(full, sizeof full, "plugins.%s.%s", call->plugin, key);
    return fp_funcyaml_get(call->config, full);
}

/* ---- OCI ---------------------------------------------------------------- */

/* The registry host of an image reference, docker's way. */
static void registry_of(const char *image, char *out, size_t size)
{
    const char *slash = strchr(image, '/');
    size_t len = slash ? (size_t)(slash - image) : 0;
    if (slash && (memchr(image, '.', len) || memchr(image, ':', len) ||
                  (len == 9 && !strncmp(image, "localhost", 9))))
        snprintf(out, size, "%.*s", (int)len, image);
    else
        snprintf(out, size, "docker.io");
}

void fp_call_oci_options(funcp_call *call, const char *image, fp_oci_options *opts,
                         char store[][256], const char **list)
{
    memset(opts, 0, sizeof *opts);
    opts->struct_size = sizeof *opts;
    opts->hooks = &call->hooks;
    opts->username = fp_call_option(call, "username");
    opts->password = fp_call_option(call, "password");
    opts->token = fp_call_option(call, "token");
    opts->authfile = fp_call_option(call, "registry-authfile");
    opts->ca_file = fp_call_option(call, "ca-file");
    size_t n = 0;
    const char *yaml_insecure = call->fy ? fp_funcyaml_get(call->fy, "registryInsecure") : NULL;
    if (image && (fp_args_bool(&call->args, "registry-insecure") ||
                  (yaml_insecure && fp_parse_bool(yaml_insecure) == 1))) {
        registry_of(image, store[n], 256);
        list[n] = store[n];
        n++;
    }
    const char *env = getenv("FUNCP_INSECURE_REGISTRIES");
    while (env && *env && n < 8) {
        const char *comma = strchr(env, ',');
        size_t len = comma ? (size_t)(comma - env) : strlen(env);
        while (len > 0 && *env == ' ') {
            env++;
            len--;
        }
        if (len > 0 && len < 256) {
            memcpy(store[n], env, len);
            store[n][len] = '\0';
            list[n] = store[n];
            n++;
        }
        env = comma ? comma + 1 : NULL;
    }
    opts->insecure_registries = n ? list : NULL;
    opts->n_insecure_registries = n;
}

static const fp_oci_api *oci_api(void)
{
    const fp_net_module *net = fp_net();
    if (!net)
        return NULL;
    if (!net->oci) {
        fp_error_set(FUNCP_ENOPLUGIN, "the network module has no OCI client");
        return NULL;
    }
    return net->oci;
}

static int host_oci_push_wasm(funcp_call *call, const char *wasm_path, const char *image,
                              funcp_oci_result *result)
{
    if (!call)
        return fp_error_set(FUNCP_EUSAGE, "oci push: no call");
    const fp_oci_api *oci = oci_api();
    if (!oci)
        return fp_error_code();
    fp_oci_options opts;
    char store[8][256];
    const char *list[8];
    fp_call_oci_options(call, image, &opts, store, list);
    /* The function's state dir remembers the artifact's digest, so that
     * re-pushing an unchanged artifact does not hash it again. */
    char *state = call->root ? fp_path_join(call->root, ".funcp") : NULL;
    char *cache = state && fp_is_dir(state) ? fp_path_join(state, "artifact-digest") : NULL;
    opts.digest_cache = cache;
    int rc = oci->push_wasm(&opts, wasm_path, image, result);
    free(cache);
    free(state);
    return rc;
}

static int host_oci_pull_layer(funcp_call *call, const char *ref, const char *out_path)
{
    if (!call)
        return fp_error_set(FUNCP_EUSAGE, "oci pull: no call");
    const fp_oci_api *oci = oci_api();
    if (!oci)
        return fp_error_code();
    fp_oci_options opts;
    char store[8][256];
    const char *list[8];
    fp_call_oci_options(call, ref, &opts, store, list);
    funcp_oci_result result;
    memset(&result, 0, sizeof result);
    result.struct_size = sizeof result;
    return oci->pull_layer(&opts, ref, out_path, &result);
}

/* ---- Kubernetes --------------------------------------------------------- */

/* Namespace chosen by the user: -n/--namespace or FUNC_NAMESPACE, then
 * func.yaml. deploy targets `namespace` (what the user asked for) before
 * deploy.namespace (where it was last deployed), as knative func does; a
 * deployer that finds them differ moves the function. Other commands look
 * where the function is: deploy.namespace first. NULL: the context's. */
const char *fp_call_namespace(funcp_call *call)
{
    const char *ns = fp_args_get(&call->args, "namespace");
    if (ns && *ns)
        return ns;
    if (!call->fy)
        return NULL;
    /* As in func: `namespace` is where the user wants the function and
     * `deploy.namespace` where it was last deployed. A deploy goes to the
     * first; describe, delete and the rest look where it is. */
    int deploying = call->cmd && !strcmp(call->cmd->name, "deploy");
    const char *first = deploying ? "namespace" : "deploy.namespace";
    const char *second = deploying ? "deploy.namespace" : "namespace";
    ns = fp_funcyaml_get(call->fy, first);
    if (!ns || !*ns)
        ns = fp_funcyaml_get(call->fy, second);
    return ns && *ns ? ns : NULL;
}

static const fp_kube_api *kube_client(funcp_call *call)
{
    const fp_net_module *net = fp_net();
    if (!net)
        return NULL;
    if (!net->kube) {
        fp_error_set(FUNCP_ENOPLUGIN, "the network module has no Kubernetes client");
        return NULL;
    }
    if (!call->kube) {
        fp_kube_options opts = {sizeof opts, &call->hooks, fp_call_option(call, "kubeconfig"),
                                fp_call_option(call, "context"), fp_call_namespace(call)};
        if (net->kube->client_new(&opts, &call->kube) != FUNCP_OK) {
            call->kube = NULL;
            return NULL;
        }
    }
    return net->kube;
}

static const char *host_kube_namespace(funcp_call *call)
{
    if (!call)
        return NULL;
    const char *ns = fp_call_namespace(call);
    if (!ns) {
        const fp_kube_api *kube = kube_client(call);
        if (!kube)
            return NULL;
        ns = kube->namespace_of(call->kube);
    }
    if (ns && (!call->kube_ns || strcmp(call->kube_ns, ns))) {
        free(call->kube_ns);
        call->kube_ns = strdup(ns);
    }
    return call->kube_ns;
}

static int host_kube_request(funcp_call *call, const char *method, const char *path,
                             const char *body, funcp_kube_response *response)
{
    if (!call)
        return fp_error_set(FUNCP_EUSAGE, "kube request: no call");
    const fp_kube_api *kube = kube_client(call);
    if (!kube)
        return fp_error_code();
    return kube->request(call->kube, method, path, body, response);
}

static int host_kube_watch(funcp_call *call, const char *path, int timeout_ms,
                           funcp_watch_fn fn, void *user)
{
    if (!call)
        return fp_error_set(FUNCP_EUSAGE, "kube watch: no call");
    const fp_kube_api *kube = kube_client(call);
    if (!kube)
        return fp_error_code();
    return kube->watch(call->kube, path, timeout_ms, fn, user);
}

static void host_deploy_updated(funcp_call *call)
{
    if (call)
        call->deploy_updated = 1;
}

static const char *const *host_run_env(funcp_call *call)
{
    if (!call || !call->fy) {
        fp_error_set(FUNCP_EUSAGE, "run env: no function loaded");
        return NULL;
    }
    if (!call->run_env && fp_local_env(call->fy, &call->run_env) != FUNCP_OK)
        return NULL;
    return (const char *const *)call->run_env;
}

/* ---- the table ---------------------------------------------------------- */

static const funcp_host host_table = {
    .struct_size = sizeof(funcp_host),
    .abi_major = FUNCP_PLUGIN_ABI_MAJOR,
    .abi_minor = FUNCP_PLUGIN_ABI_MINOR,
    .funcp_version = FUNCP_VERSION,
    .log = host_log,
    .error = host_error,
    .error_wrap = host_error_wrap,
    .progress = host_progress,
    .cancelled = host_cancelled,
    .free = host_free,
    .run = host_run,
    .spawn = host_spawn,
    .child_wait = host_child_wait,
    .child_stop = host_child_stop,
    .which = host_which,
    .function_root = host_function_root,
    .fy_get = host_fy_get,
    .fy_count = host_fy_count,
    .fy_key = host_fy_key,
    .fy_set = host_fy_set,
    .fy_json = host_fy_json,
    .option = host_option,
    .config = host_config,
    .oci_push_wasm = host_oci_push_wasm,
    .oci_pull_layer = host_oci_pull_layer,
    .kube_namespace = host_kube_namespace,
    .kube_request = host_kube_request,
    .kube_watch = host_kube_watch,
    .deploy_updated = host_deploy_updated,
    .run_env = host_run_env,
};

const funcp_host *fp_host(void) { return &host_table; }
