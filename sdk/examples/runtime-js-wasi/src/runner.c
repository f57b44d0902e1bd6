/* Local runners: serve a wasi:http/proxy component until Ctrl-C.
 *   jco       node + jco's transpiler and WASI host from the toolchain cache,
 *             transpiled once per component (serve_cache.c) (priority 10)
 *   wasmtime  `wasmtime serve`, when installed (priority 20)
 * Both refuse a taken port and a component that is not an HTTP handler
 * before starting anything, print the URL once the port answers, pass the
 * function's output through, and stop the server's whole process group. */
#include "jswasi.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The server gets this long to answer (compiling a large component on a
 * loaded machine can take a while). */
#define START_TIMEOUT_MS (180 * 1000)
#define POLL_MS 25

static int have(const funcp_host *host, funcp_call *call, const char *program)
{
    char *path = host->which(call, program);
    host->free(path);
    return path != NULL;
}

int jswasi_jco_available(const funcp_host *host, funcp_call *call)
{
    return have(host, call, "node");
}

int jswasi_wasmtime_available(const funcp_host *host, funcp_call *call)
{
    return have(host, call, "wasmtime");
}

/* Does the component's WIT (as printed by `wasm-tools component wit` or
 * `jco wit`) export wasi:http/incoming-handler? */
static int exports_handler(const char *wit)
{
    for (const char *line = wit; line && *line;) {
        while (*line == ' ' || *line == '\t')
            line++;
        if (!strncmp(line, "export wasi:http/incoming-handler", 33))
            return 1;
        line = strchr(line, '\n');
        if (line)
            line++;
    }
    return 0;
}

static int check_exports(const funcp_host *host, funcp_call *call, const char *artifact)
{
    char *jco = NULL, *toolchain = NULL;
    const char *tool;
    int rc;
    if (have(host, call, "wasm-tools")) {
        tool = "wasm-tools";
    } else {
        rc = jswasi_toolchain(host, call, &toolchain);
        if (rc != FUNCP_OK)
            return host->error_wrap(call, "check %s exports wasi:http/incoming-handler", artifact);
        jco = jswasi_strf("%s/node_modules/.bin/jco", toolchain);
        if (!jco) {
            free(toolchain);
            return host->error(call, FUNCP_ERROR, "out of memory");
        }
        tool = "jco";
    }
    const char *wt[] = {"wasm-tools", "component", "wit", artifact, NULL};
    const char *nj[] = {"node", jco, "wit", artifact, NULL};
    funcp_process proc = {sizeof proc, jco ? nj : wt, NULL, NULL,
                          FUNCP_PROC_CAPTURE_STDOUT | FUNCP_PROC_CAPTURE_STDERR, NULL};
    funcp_process_result res = {sizeof res, 0, NULL, 0, NULL, 0};
    rc = host->run(call, &proc, &res);
    if (rc != FUNCP_OK) {
        rc = host->error_wrap(call, "%s wit %s", tool, artifact);
    } else if (res.exit_code != 0) {
        const char *why = res.err && *res.err ? res.err : "no message";
        size_t len = strcspn(why, "\n");
        rc = host->error(call, FUNCP_EINCOMPATIBLE,
                         "%s is not a WebAssembly component (%s wit: %.*s)", artifact, tool,
                         (int)len, why);
    } else if (!exports_handler(res.out)) {
        rc = host->error(call, FUNCP_EINCOMPATIBLE,
                         "%s does not export wasi:http/incoming-handler: only HTTP functions "
                         "(world wasi:http/proxy) can be run",
                         artifact);
    }
    host->free(res.out);
    host->free(res.err);
    free(jco);
    free(toolchain);
    return rc;
}

/* Start argv, wait for the port to answer, then serve until Ctrl-C. */
static int serve(const funcp_host *host, funcp_call *call, const char *name,
                 const char *const *argv, const char *const *env, const char *addr_host,
                 const char *addr_port, const char *address)
{
    funcp_process proc = {sizeof proc, argv, env, NULL, FUNCP_PROC_STREAM, NULL};
    funcp_child *child = NULL;
    int rc = host->spawn(call, &proc, &child);
    if (rc != FUNCP_OK)
        return host->error_wrap(call, "start %s", name);
    int code = 0, waited = 0;
    for (;;) {
        rc = host->child_wait(call, child, POLL_MS, &code);
        if (rc == FUNCP_OK) {
            host->child_stop(call, child);
            return host->error(call, FUNCP_ERROR,
                               "%s exited (status %d) before serving on %s; its output is above",
                               name, code, address);
        }
        if (rc != FUNCP_ETIMEOUT) /* Ctrl-C, or the wait failed */
            goto stop;
        if (jswasi_address_answers(addr_host, addr_port))
            break;
        waited += POLL_MS;
        if (waited >= START_TIMEOUT_MS) {
            rc = host->error(call, FUNCP_ETIMEOUT, "%s did not answer on %s within %d s", name,
                             address, START_TIMEOUT_MS / 1000);
            goto stop;
        }
    }
    /* NOTICE: shown when piped too, so scripts and logs see the URL. */
    host->log(call, FUNCP_LOG_NOTICE, "Running on http://%s/", address);
    rc = host->child_wait(call, child, -1, &code);
    if (rc == FUNCP_OK) {
        host->child_stop(call, child);
        return host->error(call, FUNCP_ERROR, "%s exited (status %d) while serving %s", name,
                           code, address);
    }
stop:
    /* Kills the server's whole process group: no helper process of the
     * server may outlive us. */
    host->child_stop(call, child);
    return rc;
}

/* The function's environment (func.yaml run.envs and -e), for the
 * runner's process: values travel in the environment, never on a command
 * line where ps shows them. FUNCP_FUNCTION_ENV lists the names so the jco
 * host gives the component those and nothing else of ours, as wasmtime
 * and a container do. */
typedef struct fn_env {
    const char **env;   /* for funcp_process.env                         */
    char **names;       /* the variable names alone                      */
    char *names_var;    /* "FUNCP_FUNCTION_ENV=A,B"                      */
    size_t n;
} fn_env;

static void free_fn_env(fn_env *e)
{
    for (size_t i = 0; e->names && i < e->n; i++)
        free(e->names[i]);
    free(e->names);
    free((void *)e->env);
    free(e->names_var);
    memset(e, 0, sizeof *e);
}

static int function_env(const funcp_host *host, funcp_call *call, fn_env *e)
{
    memset(e, 0, sizeof *e);
    const char *const *list = NULL;
    if (funcp_host_has(host, run_env) && !(list = host->run_env(call)))
        return FUNCP_EUSAGE; /* the host said why */
    size_t n = 0, names_len = sizeof "FUNCP_FUNCTION_ENV=";
    for (; list && list[n]; n++)
        names_len += strlen(list[n]) + 1;
    e->env = calloc(n + 2, sizeof *e->env);
    e->names = calloc(n + 1, sizeof *e->names);
    e->names_var = malloc(names_len);
    if (!e->env || !e->names || !e->names_var) {
        free_fn_env(e);
        return host->error(call, FUNCP_ERROR, "out of memory");
    }
    strcpy(e->names_var, "FUNCP_FUNCTION_ENV=");
    for (size_t i = 0; i < n; i++) {
        const char *eq = strchr(list[i], '=');
        size_t len = eq ? (size_t)(eq - list[i]) : strlen(list[i]);
        e->names[i] = malloc(len + 1);
        if (!e->names[i]) {
            e->n = i;
            free_fn_env(e);
            return host->error(call, FUNCP_ERROR, "out of memory");
        }
        memcpy(e->names[i], list[i], len);
        e->names[i][len] = '\0';
        e->env[i] = list[i];
        if (i)
            strcat(e->names_var, ",");
        strcat(e->names_var, e->names[i]);
    }
    e->n = n;
    e->env[n] = e->names_var;
    return FUNCP_OK;
}

/* What both runners check before starting anything; artifact NULL: the
 * caller checks the exports itself (the jco runner, when it transpiles). */
static int prepare(const funcp_host *host, funcp_call *call, const char *artifact,
                   const char *address, char **addr_host, char **addr_port)
{
    if (jswasi_split_address(address, addr_host, addr_port) != 0)
        return host->error(call, FUNCP_EUSAGE,
                           "--address %s: expected host:port, e.g. 127.0.0.1:8080", address);
    int err = jswasi_address_bind_error(*addr_host, *addr_port);
    int rc = FUNCP_OK;
    if (err == EADDRINUSE)
        rc = host->error(call, FUNCP_ERROR, "address %s is already in use", address);
    else if (err)
        rc = host->error(call, FUNCP_ERROR, "address %s cannot be served: %s", address,
                         strerror(err));
    if (rc == FUNCP_OK && artifact)
        rc = check_exports(host, call, artifact);
    if (rc != FUNCP_OK) {
        free(*addr_host);
        free(*addr_port);
        *addr_host = *addr_port = NULL;
    }
    return rc;
}

/* Remove the per-run `jco serve` output directories that earlier versions
 * of this runner left when killed outright: serve-<pid> whose pid is gone. */
static void remove_stale_outputs(const char *toolchain)
{
    DIR *d = opendir(toolchain);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char *end;
        if (strncmp(e->d_name, "serve-", 6))
            continue;
        long pid = strtol(e->d_name + 6, &end, 10);
        if (*end || pid <= 0 || !(kill((pid_t)pid, 0) != 0 && errno == ESRCH))
            continue;
        char *path = jswasi_strf("%s/%s", toolchain, e->d_name);
        if (path)
            jswasi_rmtree(path);
        free(path);
    }
    closedir(d);
}

int jswasi_jco_run(const funcp_host *host, funcp_call *call, const char *artifact,
                   const char *address)
{
    char *h = NULL, *p = NULL, *toolchain = NULL, *script = NULL, *entry = NULL;
    int rc = prepare(host, call, NULL, address, &h, &p);
    if (rc == FUNCP_OK)
        rc = jswasi_toolchain(host, call, &toolchain);
    if (rc == FUNCP_OK) {
        remove_stale_outputs(toolchain);
        /* Transpiled once per component, not on every start as `jco serve`
         * does; the transpile checks the HTTP export (no separate `jco wit`,
         * which alone takes most of a second for a 13 MB component). */
        rc = jswasi_serve_cache(host, call, toolchain, artifact, &script, &entry);
    }
    fn_env env = {0};
    if (rc == FUNCP_OK)
        rc = function_env(host, call, &env);
    if (rc == FUNCP_OK) {
        /* Lazy compilation: V8 compiles the engine's functions when first
         * called, not all of its 13 MB before the port can answer. */
        const char *argv[] = {"node", "--wasm-lazy-compilation", script, "serve", entry, h, p,
                              NULL};
        rc = serve(host, call, "the jco runner", argv, env.env, h, p, address);
    }
    free_fn_env(&env);
    free(h);
    free(p);
    free(toolchain);
    free(script);
    free(entry);
    return rc;
}

int jswasi_wasmtime_run(const funcp_host *host, funcp_call *call, const char *artifact,
                        const char *address)
{
    char *h = NULL, *p = NULL;
    fn_env env = {0};
    const char **argv = NULL;
    int rc = prepare(host, call, artifact, address, &h, &p);
    if (rc == FUNCP_OK)
        rc = function_env(host, call, &env);
    if (rc == FUNCP_OK && !(argv = calloc(8 + 2 * env.n, sizeof *argv)))
        rc = host->error(call, FUNCP_ERROR, "out of memory");
    if (rc == FUNCP_OK) {
        /* -S cli: the components also import wasi:cli (stdio, environment).
         * --env NAME (no value) passes wasmtime's own variable through, so
         * values stay off the command line. */
        size_t n = 0;
        const char *head[] = {"wasmtime", "serve", "-S", "cli", "--addr", address};
        for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
            argv[n++] = head[i];
        for (size_t i = 0; i < env.n; i++) {
            argv[n++] = "--env";
            argv[n++] = env.names[i];
        }
        argv[n++] = artifact;
        rc = serve(host, call, "wasmtime serve", argv, env.env, h, p, address);
    }
    free(argv);
    free_fn_env(&env);
    free(h);
    free(p);
    return rc;
}
