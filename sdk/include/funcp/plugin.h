/*
 * funcp plugin SDK, ABI v1.
 *
 * This is the only header a funcp plugin includes. It is self-contained C99
 * and needs no library: everything a plugin may ask of funcp comes through the
 * host services table (funcp_host) handed to each callback.
 *
 * A plugin is a shared object that exports one symbol:
 *
 *     const funcp_plugin *funcp_plugin_get_v1(void);
 *
 * Use FUNCP_PLUGIN_DEFINE() to write it. The descriptor says what the plugin
 * provides: runtimes (with the runtime-name suffix they claim and the builder
 * and deployer inferred for them), builders, deployers and runners.
 *
 * ABI rules (the contract between funcp and plugins built at another time):
 *  1. Every struct below starts with `struct_size` and is append-only: new
 *     members only ever go at the end, and a reader checks struct_size before
 *     touching a member past the v1 layout (use FUNCP_HAS_MEMBER()).
 *  2. FUNCP_PLUGIN_ABI_MAJOR changes only when an existing member changes
 *     meaning or place. funcp refuses a plugin whose major differs.
 *  3. A NULL callback means "not supported". funcp reports it as an error
 *     (FUNCP_ENOTSUPPORTED) naming the plugin; it never calls through NULL.
 *     Plugins must do the same with host callbacks that their host's table
 *     is too small to hold (see funcp_host_has()).
 *  4. Strings are UTF-8, NUL-terminated and owned by whoever returned them.
 *     Memory the host hands to a plugin is released with host->free().
 *  5. Callbacks return FUNCP_OK (0) or a negative funcp_status; on failure
 *     they first describe the problem with host->error().
 *  6. Fill descriptor structs with designated initializers
 *     ({ .struct_size = sizeof(funcp_runtime), .name = "x", ... }): members a
 *     later minor version appends then start out zero, and the plugin keeps
 *     compiling warning-free against the newer header.
 */
#ifndef FUNCP_PLUGIN_H
#define FUNCP_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FUNCP_PLUGIN_ABI_MAJOR 1
#define FUNCP_PLUGIN_ABI_MINOR 2

/* The name of the one symbol funcp looks up in a plugin. */
#define FUNCP_PLUGIN_ENTRY "funcp_plugin_get_v1"

#if defined(_WIN32)
#define FUNCP_PLUGIN_EXPORT __declspec(dllexport)
#elif defined(__GNUC__)
#define FUNCP_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define FUNCP_PLUGIN_EXPORT
#endif

#if defined(__GNUC__)
#define FUNCP_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define FUNCP_PRINTF(fmt, args)
#endif

/* True when a struct of size `size` is large enough to hold `member`. */
#define FUNCP_HAS_MEMBER(type, size, member) \
    ((size) >= offsetof(type, member) + sizeof(((type *)0)->member))

/* ------------------------------------------------------------------ */
/* Status codes. Negative, like libgit2. Each has a documented exit code. */

typedef enum funcp_status {
    FUNCP_OK = 0,
    FUNCP_ERROR = -1,           /* anything not listed below              */
    FUNCP_EUSAGE = -2,          /* bad flag, argument or value            */
    FUNCP_EINCOMPATIBLE = -3,   /* runtime/builder/deployer do not fit    */
    FUNCP_ENOPLUGIN = -4,       /* no installed plugin provides this      */
    FUNCP_EIO = -5,             /* file system error                      */
    FUNCP_EPARSE = -6,          /* malformed func.yaml, JSON, WIT, ...    */
    FUNCP_ENOTSUPPORTED = -7,   /* the plugin left this callback NULL     */
    FUNCP_ENOTFOUND = -8,       /* function, image or resource not found  */
    FUNCP_ETOOLCHAIN = -9,      /* a build tool is missing or too old     */
    FUNCP_EBUILD = -10,         /* the build tool ran and failed          */
    FUNCP_ENETWORK = -11,       /* connection, TLS or HTTP failure        */
    FUNCP_EAUTH = -12,          /* credentials missing or refused         */
    FUNCP_ECANCELED = -13,      /* the user pressed Ctrl-C                */
    FUNCP_ETIMEOUT = -14,       /* gave up waiting                        */
    FUNCP_EEXISTS = -15,        /* would overwrite something              */
    FUNCP_EDEPLOY = -16         /* the cluster refused or failed the app  */
} funcp_status;

/* ------------------------------------------------------------------ */
/* Opaque handles. */

/* One command being carried out: the function, its func.yaml, the user's
 * flags, the error and cancellation state. Valid during the callback only. */
typedef struct funcp_call funcp_call;

/* A child process started with host->spawn(). */
typedef struct funcp_child funcp_child;

/* ------------------------------------------------------------------ */
/* Host services. Filled by funcp; plugins never write to it. */

typedef enum funcp_log_level {
    FUNCP_LOG_ERROR = 0,
    FUNCP_LOG_WARN = 1,
    FUNCP_LOG_INFO = 2,  /* shown by default on a terminal     */
    FUNCP_LOG_DEBUG = 3, /* shown with -v/--verbose            */
    /* Always shown, untagged, terminal or not: what the user waits for
     * (the URL a runner serves on). Hosts older than this value show it
     * as DEBUG. */
    FUNCP_LOG_NOTICE = 4
} funcp_log_level;

/* What to do with a child's standard output and error. */
enum {
    FUNCP_PROC_CAPTURE_STDOUT = 1 << 0, /* collect into result->out         */
    FUNCP_PROC_CAPTURE_STDERR = 1 << 1, /* collect into result->err         */
    FUNCP_PROC_STREAM = 1 << 2,         /* pass output through to the user  */
    FUNCP_PROC_QUIET_STDERR = 1 << 3    /* keep stderr, show it on failure only */
};

typedef struct funcp_process {
    size_t struct_size;
    const char *const *argv; /* argv[0] is looked up on PATH; NULL-terminated */
    const char *const *env;  /* extra "NAME=VALUE" on top of ours; NULL ok    */
    const char *cwd;         /* NULL: the function's directory                */
    unsigned flags;          /* FUNCP_PROC_*                                  */
    const char *stdin_data;  /* written to the child's stdin; NULL: /dev/null */
} funcp_process;

typedef struct funcp_process_result {
    size_t struct_size;
    int exit_code;  /* 0..255, or 128+signal when killed by a signal */
    char *out;      /* captured stdout (NUL-terminated) or NULL; host->free() */
    size_t out_len;
    char *err;      /* captured stderr (NUL-terminated) or NULL; host->free() */
    size_t err_len;
} funcp_process_result;

/* Result of an OCI push. */
typedef struct funcp_oci_result {
    size_t struct_size;
    char digest[80];   /* manifest digest, "sha256:<64 hex>"                 */
    char image[512];   /* the reference pushed, pinned: repo@sha256:...      */
    uint64_t size;     /* bytes of the pushed layer                          */
} funcp_oci_result;

/* A Kubernetes API response. */
typedef struct funcp_kube_response {
    size_t struct_size;
    long status;      /* HTTP status                                          */
    char *body;       /* response body (NUL-terminated) or NULL; host->free() */
    size_t body_len;
} funcp_kube_response;

/* Called for each event of a watch; return non-zero to stop watching.
 * `type` is ADDED (also for the items listed first), MODIFIED, DELETED, BOOKMARK;
 * `object_json` is the object. While idle, PING ("{}") comes every ~100 ms. */
typedef int (*funcp_watch_fn)(void *user, const char *type, const char *object_json);

typedef struct funcp_host {
    size_t struct_size;
    unsigned abi_major;
    unsigned abi_minor;
    const char *funcp_version;

    /* -- logging and errors ------------------------------------------ */

    /* Write a message for the user. Secrets must never be passed here. */
    void (*log)(funcp_call *call, funcp_log_level level, const char *fmt, ...)
        FUNCP_PRINTF(3, 4);
    /* Set the call's error and return `code`: `return host->error(call,
     * FUNCP_EBUILD, "cargo failed");`. Replaces any earlier error. */
    int (*error)(funcp_call *call, int code, const char *fmt, ...)
        FUNCP_PRINTF(3, 4);
    /* Prefix the current error with context ("build: " + old message) and
     * return its code, like Go's fmt.Errorf("ctx: %w", err). */
    int (*error_wrap)(funcp_call *call, const char *fmt, ...) FUNCP_PRINTF(2, 3);
    /* Report progress of long work; total 0 = unknown. Drawn on a terminal
     * only. done == total ends the bar. */
    void (*progress)(funcp_call *call, const char *label, uint64_t done,
                     uint64_t total);
    /* Non-zero once the user asked to stop (Ctrl-C). Poll in long loops. */
    int (*cancelled)(funcp_call *call);
    /* Release memory the host returned. */
    void (*free)(void *ptr);

    /* -- child processes --------------------------------------------- */

    /* Run to completion. Returns FUNCP_OK when the process ran (check
     * result->exit_code), FUNCP_ETOOLCHAIN when argv[0] is not found,
     * FUNCP_ECANCELED on Ctrl-C (the child's process group is killed). */
    int (*run)(funcp_call *call, const funcp_process *proc,
               funcp_process_result *result);
    /* Start in the background, in its own process group. */
    int (*spawn)(funcp_call *call, const funcp_process *proc, funcp_child **child);
    /* Wait up to timeout_ms (-1: forever) for exit; FUNCP_ETIMEOUT if it is
     * still running, FUNCP_ECANCELED on Ctrl-C. */
    int (*child_wait)(funcp_call *call, funcp_child *child, int timeout_ms,
                      int *exit_code);
    /* Stop the child's process group (TERM, then KILL) and release it. */
    void (*child_stop)(funcp_call *call, funcp_child *child);
    /* Full path of a program on PATH, or NULL; host->free() the result. */
    char *(*which)(funcp_call *call, const char *program);

    /* -- the function and its func.yaml ------------------------------ */

    /* The function's root directory (absolute). */
    const char *(*function_root)(funcp_call *call);
    /* Read a func.yaml scalar by path: "runtime", "build.builderImages.http",
     * "run.envs[0].name". NULL when absent or not a scalar. */
    const char *(*fy_get)(funcp_call *call, const char *path);
    /* Number of entries of the sequence or mapping at path (0 if absent). */
    size_t (*fy_count)(funcp_call *call, const char *path);
    /* Key of the index-th entry of the mapping at path, or NULL. */
    const char *(*fy_key)(funcp_call *call, const char *path, size_t index);
    /* Set a scalar, creating mappings on the way; value NULL removes the key.
     * Saved atomically when the command succeeds. */
    int (*fy_set)(funcp_call *call, const char *path, const char *value);
    /* The subtree at path as JSON text (NULL if absent); host->free(). */
    char *(*fy_json)(funcp_call *call, const char *path);

    /* -- the user's options ------------------------------------------ */

    /* A command option by its long name without dashes ("namespace",
     * "verbose", "address", "timeout", "output"), or NULL when unset.
     * Falls back to the FUNC_<NAME> environment variable, as knative func
     * does (FUNC_REGISTRY, FUNC_DEPLOYER, ...). */
    const char *(*option)(funcp_call *call, const char *name);
    /* The plugin's own setting from the funcp config file, or NULL. */
    const char *(*config)(funcp_call *call, const char *key);

    /* -- OCI registries (network code lives in funcp, not in plugins) - */

    /* Push a .wasm file as an OCI wasm artifact to `image` (a reference).
     * Credentials and TLS settings come from the user's configuration. */
    int (*oci_push_wasm)(funcp_call *call, const char *wasm_path,
                         const char *image, funcp_oci_result *result);
    /* Pull the single layer of `ref` into out_path, digest verified. */
    int (*oci_pull_layer)(funcp_call *call, const char *ref, const char *out_path);

    /* -- Kubernetes (the user's kubeconfig, --context, --namespace) ---- */

    /* The namespace to use: flag, func.yaml, then kubeconfig context.
     * NULL when none can be chosen, with the reason set (no kubeconfig,
     * say): keep it with error_wrap() rather than replacing it. */
    const char *(*kube_namespace)(funcp_call *call);
    /* method GET/POST/PUT/PATCH/DELETE, path "/apis/...", body JSON or NULL.
     * PATCH sends application/merge-patch+json. A non-2xx status is not an
     * error here: check response->status. */
    int (*kube_request)(funcp_call *call, const char *method, const char *path,
                        const char *body, funcp_kube_response *response);
    /* Watch a collection path (with ?fieldSelector=... if wanted) until fn
     * returns non-zero, timeout_ms passes (FUNCP_ETIMEOUT) or Ctrl-C.
     * Resumes after dropped connections and re-lists after 410 Gone. */
    int (*kube_watch)(funcp_call *call, const char *path, int timeout_ms,
                      funcp_watch_fn fn, void *user);

    /* -- added in ABI 1.1: check funcp_host_has(host, m) before use ---- */

    /* A deployer calls this during deploy when it updated an existing
     * instance rather than creating one, so funcp says "Function updated"
     * instead of "Function deployed" (as knative func does). */
    void (*deploy_updated)(funcp_call *call);

    /* -- added in ABI 1.2 --------------------------------------------- */

    /* The function's environment for a local run, as "NAME=VALUE"
     * strings, NULL-terminated: func.yaml run.envs after the command's
     * -e/--env flags, {{ env:VAR }} read from funcp's own environment.
     * Secret and ConfigMap references exist only in a cluster: funcp warns
     * about each and leaves it out. Owned by funcp, valid until the call
     * ends. NULL on error (an unset {{ env:VAR }}), with the error set.
     * Runners hand these to the function (funcp_process.env is for the
     * runner's own process). */
    const char *const *(*run_env)(funcp_call *call);
} funcp_host;

/* True when `host` has member `m` (its table may be older than this header). */
#define funcp_host_has(host, m) \
    (FUNCP_HAS_MEMBER(funcp_host, (host)->struct_size, m) && (host)->m != NULL)

/* ------------------------------------------------------------------ */
/* What a plugin provides. */

/* Kinds of artifact a build produces and a deployer or runner accepts. */
enum {
    FUNCP_ARTIFACT_WASM = 1 << 0,  /* a WebAssembly component or module */
    FUNCP_ARTIFACT_IMAGE = 1 << 1  /* a container image                */
};

typedef struct funcp_template {
    size_t struct_size;
    const char *name;         /* "http" */
    const char *description;  /* one line for `funcp templates` */
} funcp_template;

typedef struct funcp_runtime {
    size_t struct_size;
    const char *name;             /* "go-wasi"; [a-z0-9-]+                   */
    const char *description;      /* one line for `funcp languages`          */
    /* A runtime-name suffix this plugin claims, e.g. "-wasi". Runtimes whose
     * name ends with it get default_builder/default_deployer inferred, and
     * builders/deployers that do not list it refuse them. NULL: none. */
    const char *suffix;
    const char *default_builder;  /* inferred builder, e.g. "wasm"          */
    const char *default_deployer; /* inferred deployer, e.g. "wasm"         */
    unsigned artifact;            /* FUNCP_ARTIFACT_* that builds produce    */
    const funcp_template *templates; /* array of n_templates                 */
    size_t n_templates;
    /* Write the template into `dir` (exists and is empty) and set func.yaml
     * values (runtime and name are already set). */
    int (*create)(const funcp_host *host, funcp_call *call,
                  const char *template_name, const char *dir);
} funcp_runtime;

typedef struct funcp_builder {
    size_t struct_size;
    const char *name;  /* what users type: --builder wasm                    */
    /* Runtimes it builds, NULL-terminated: exact names ("go-wasi"), suffix
     * patterns ("*-wasi"), or "*" for every runtime whose suffix no plugin
     * claims. */
    const char *const *runtimes;
    /* Build the function in its root, producing `artifact_path`. A failed
     * build must leave the previous artifact in place. */
    int (*build)(const funcp_host *host, funcp_call *call);
    /* The built artifact, relative to the function root ("module.wasm"). */
    const char *artifact_path;

    /* -- added in ABI 1.1: funcp reads it only when struct_size covers it
     *    (FUNCP_HAS_MEMBER) ------------------------------------------- */

    /* Programs the build runs (NULL-terminated; NULL: none): funcp includes
     * each one's resolved path, size and modification time in the build
     * stamp, so upgrading a toolchain triggers a rebuild without running
     * it. A program not on PATH counts as "missing". */
    const char *const *toolchain;
} funcp_builder;

/* One deployed function, as list and describe report it. JSON keys of
 * `funcp list -o json` are these member names. */
typedef struct funcp_instance {
    size_t struct_size;
    const char *name;
    const char *namespace_;
    const char *runtime;
    const char *url;
    const char *ready;      /* "True", "False", "Unknown"                   */
    const char *image;
    const char *deployer;   /* filled in by funcp                            */
    const char *detail_json; /* describe: extra JSON object (conditions,
                               events, ...) or NULL                          */
} funcp_instance;

/* Called by list for each instance found. */
typedef void (*funcp_instance_fn)(void *user, const funcp_instance *instance);

typedef struct funcp_deployer {
    size_t struct_size;
    const char *name;     /* what users type: --deployer wasm              */
    unsigned artifacts;   /* FUNCP_ARTIFACT_* it accepts                   */
    /* Non-zero: the deployer for runtimes that no plugin's suffix claims
     * (knative func's static default). */
    int is_default;
    /* Deploy `image`, a reference pinned by digest (funcp has built and
     * pushed it already). Sets *url to a malloc'ed URL that funcp frees. */
    int (*deploy)(const funcp_host *host, funcp_call *call, const char *image,
                  char **url);
    /* Report the instance called `name` in the namespace. */
    int (*describe)(const funcp_host *host, funcp_call *call, const char *name,
                    funcp_instance_fn fn, void *user);
    /* Report every instance; namespace NULL means all namespaces. */
    int (*list)(const funcp_host *host, funcp_call *call, const char *namespace_,
                funcp_instance_fn fn, void *user);
    int (*remove)(const funcp_host *host, funcp_call *call, const char *name);

    /* -- added in ABI 1.2: funcp reads it only when struct_size covers it
     *    (FUNCP_HAS_MEMBER) ------------------------------------------- */

    /* Check, before funcp builds or pushes anything, that deploy can work:
     * for a Kubernetes deployer, the kubeconfig and context load, the
     * namespace is valid, the API server answers and serves the resource
     * the deployer writes. Sends no change to the cluster. On failure set
     * the error naming the cause; funcp stops before building. NULL: no
     * check (deploy finds out after the build and push). */
    int (*preflight)(const funcp_host *host, funcp_call *call);
} funcp_deployer;

typedef struct funcp_runner {
    size_t struct_size;
    const char *name;     /* "jco", "wasmtime"                             */
    unsigned artifacts;   /* FUNCP_ARTIFACT_* it can run                   */
    /* Non-zero when this runner can work on this machine right now (its
     * tool is installed). Called to choose among runners. NULL: always. */
    int (*available)(const funcp_host *host, funcp_call *call);
    /* Serve the artifact at `address` (host:port) until Ctrl-C. Report the
     * URL with host->log once the port answers. */
    int (*run)(const funcp_host *host, funcp_call *call, const char *artifact,
               const char *address);
    int priority;         /* higher is tried first                         */
} funcp_runner;

typedef struct funcp_plugin {
    size_t struct_size;
    unsigned abi_major;     /* FUNCP_PLUGIN_ABI_MAJOR at build time       */
    unsigned abi_minor;
    const char *name;       /* unique; [a-z0-9-]+, e.g. "runtime-go-wasi" */
    const char *version;    /* the plugin's own version                   */
    const char *description;
    const char *license;    /* SPDX identifier                            */

    const funcp_runtime *runtimes;   size_t n_runtimes;
    const funcp_builder *builders;   size_t n_builders;
    const funcp_deployer *deployers; size_t n_deployers;
    const funcp_runner *runners;     size_t n_runners;

    /* Optional. Called once after validation, before any other callback.
     * A non-zero return refuses the plugin ("init failed"). */
    int (*init)(const funcp_host *host);
    /* Optional. Called once when funcp exits. */
    void (*fini)(void);
} funcp_plugin;

typedef const funcp_plugin *(*funcp_plugin_get_fn)(void);

/* Define the entry symbol. Use once per plugin:
 *
 *   FUNCP_PLUGIN_DEFINE(my_plugin)   // my_plugin: a static funcp_plugin
 */
#define FUNCP_PLUGIN_DEFINE(descriptor)                                     \
    FUNCP_PLUGIN_EXPORT const funcp_plugin *funcp_plugin_get_v1(void);       \
    FUNCP_PLUGIN_EXPORT const funcp_plugin *funcp_plugin_get_v1(void)        \
    {                                                                        \
        return &(descriptor);                                                \
    }

/* Count of a static array, for the n_* members. */
#define FUNCP_COUNTOF(array) (sizeof(array) / sizeof((array)[0]))

#ifdef __cplusplus
}
#endif

#endif /* FUNCP_PLUGIN_H */
