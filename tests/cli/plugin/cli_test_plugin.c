/* A plugin for the command-line tests: a runtime "sh-clitest" (suffix
 * "-clitest"), its builder, a deployer and a runner, all named "clitest".
 * Each callback goes through the host services table the way a real
 * plugin does, and leaves traces under <root>/.funcp/ for the tests. */
#include <stdio.h>
#include <string.h>

#include "funcp/plugin.h"

static int write_text(const funcp_host *host, funcp_call *call, const char *path,
                      const char *text, const char *mode)
{
    FILE *f = fopen(path, mode);
    if (!f)
        return host->error(call, FUNCP_EIO, "clitest: cannot write %s", path);
    fputs(text, f);
    fclose(f);
    return FUNCP_OK;
}

static int create(const funcp_host *host, funcp_call *call, const char *template_name,
                  const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/src.txt", dir);
    if (!strcmp(template_name, "fail"))
        return host->error(call, FUNCP_EIO, "clitest: template \"fail\" always fails");
    int rc = write_text(host, call, path, "hello from clitest\n", "w");
    if (rc == FUNCP_OK)
        rc = host->fy_set(call, "build.buildEnvs[0].name", "CLITEST");
    if (rc == FUNCP_OK) /* func refuses a name without a value */
        rc = host->fy_set(call, "build.buildEnvs[0].value", "1");
    return rc;
}

static int build(const funcp_host *host, funcp_call *call)
{
    /* The smallest valid WebAssembly module, written by a child process. */
    const char *const argv[] = {
        "sh", "-c",
        "test -f src.txt || { echo 'src.txt missing' >&2; exit 3; }; mkdir -p .funcp && "
        "printf '\\000asm\\001\\000\\000\\000' > module.wasm && echo built >> .funcp/builds && "
        "echo \"env=$CLITEST_ENV\"",
        NULL};
    const char *const env[] = {"CLITEST_ENV=from-plugin", NULL};
    funcp_process proc = {sizeof proc, argv, env, NULL,
                          FUNCP_PROC_CAPTURE_STDOUT | FUNCP_PROC_QUIET_STDERR, NULL};
    funcp_process_result res = {sizeof res, 0, NULL, 0, NULL, 0};
    int rc = host->run(call, &proc, &res);
    if (rc != FUNCP_OK)
        return rc;
    int code = res.exit_code;
    char seen[1024];
    const char *registry = host->option(call, "registry");
    const char *greeting = host->config(call, "greeting");
    const char *password = host->option(call, "password");
    /* Only whether a password arrived: a secret is never written anywhere. */
    snprintf(seen, sizeof seen, "%sregistry=%s\ngreeting=%s\npassword=%s\n",
             res.out ? res.out : "", registry ? registry : "", greeting ? greeting : "",
             password && !strcmp(password, "pw-from-stdin") ? "from-stdin"
             : password                                    ? "other"
                                                           : "none");
    host->free(res.out);
    host->free(res.err);
    if (code != 0)
        return host->error(call, FUNCP_EBUILD, "clitest: build script exited with %d", code);
    char path[4096];
    snprintf(path, sizeof path, "%s/.funcp/seen", host->function_root(call));
    return write_text(host, call, path, seen, "w");
}

static int deploy(const funcp_host *host, funcp_call *call, const char *image, char **url)
{
    char path[4096], text[1024];
    const char *ns = host->option(call, "namespace");
    snprintf(path, sizeof path, "%s/.funcp/deployed", host->function_root(call));
    /* A second deploy of the same function updates it, as on a cluster. */
    FILE *before = fopen(path, "r");
    if (before) {
        fclose(before);
        if (funcp_host_has(host, deploy_updated))
            host->deploy_updated(call);
    }
    snprintf(text, sizeof text, "image=%s\nnamespace=%s\ntimeout-ms=%s\n", image, ns ? ns : "",
             host->option(call, "timeout-ms") ? host->option(call, "timeout-ms") : "");
    int rc = write_text(host, call, path, text, "w");
    if (rc != FUNCP_OK)
        return rc;
    const char *name = host->fy_get(call, "name");
    char buf[256];
    snprintf(buf, sizeof buf, "http://%s.clitest.invalid", name ? name : "unnamed");
    *url = strdup(buf);
    return FUNCP_OK;
}

static int describe(const funcp_host *host, funcp_call *call, const char *name,
                    funcp_instance_fn fn, void *user)
{
    if (!strcmp(name, "missing"))
        return host->error(call, FUNCP_ENOTFOUND, "clitest: no function \"%s\"", name);
    const char *url = host->config(call, "url"); /* the tests point it at a server */
    funcp_instance in = {sizeof in, name, "clitest-ns", "sh-clitest",
                         url ? url : "http://x.clitest.invalid",
                         "True", "example.invalid/x@sha256:00", NULL,
                         "{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}"};
    fn(user, &in);
    return FUNCP_OK;
}

static int list(const funcp_host *host, funcp_call *call, const char *namespace_,
                funcp_instance_fn fn, void *user)
{
    (void)host;
    (void)call;
    funcp_instance in = {sizeof in, "listed", namespace_ ? namespace_ : "(all)", "sh-clitest",
                         "http://listed.clitest.invalid", "True", NULL, NULL, NULL};
    fn(user, &in);
    return FUNCP_OK;
}

static int remove_fn(const funcp_host *host, funcp_call *call, const char *name)
{
    if (!strcmp(name, "missing"))
        return host->error(call, FUNCP_ENOTFOUND, "clitest: no function \"%s\"", name);
    return FUNCP_OK;
}

/* Serves nothing: a child that sleeps until Ctrl-C stops it. */
static int run(const funcp_host *host, funcp_call *call, const char *artifact,
               const char *address)
{
    char line[512];
    snprintf(line, sizeof line, "echo \"serving %s on %s\"; exec sleep 60", artifact, address);
    const char *const argv[] = {"sh", "-c", line, NULL};
    funcp_process proc = {sizeof proc, argv, NULL, NULL, FUNCP_PROC_STREAM, NULL};
    funcp_child *child;
    int rc = host->spawn(call, &proc, &child);
    if (rc != FUNCP_OK)
        return rc;
    int code = 0;
    rc = host->child_wait(call, child, -1, &code);
    host->child_stop(call, child);
    return rc;
}

static const funcp_template templates[] = {
    {sizeof(funcp_template), "http", "writes src.txt"},
    {sizeof(funcp_template), "fail", "create fails after writing nothing"},
};

static const funcp_runtime runtimes[] = {{
    sizeof(funcp_runtime), "sh-clitest", "test runtime", "-clitest", "clitest", "clitest",
    FUNCP_ARTIFACT_WASM, templates, FUNCP_COUNTOF(templates), create,
}};

static const char *const builder_runtimes[] = {"*-clitest", NULL};

static const funcp_builder builders[] = {
    {sizeof(funcp_builder), "clitest", builder_runtimes, build, "module.wasm", NULL},
};

static const funcp_deployer deployers[] = {
    {sizeof(funcp_deployer), "clitest", FUNCP_ARTIFACT_WASM, 0, deploy, describe, list,
     remove_fn, NULL},
};

static const funcp_runner runners[] = {
    {sizeof(funcp_runner), "clitest", FUNCP_ARTIFACT_WASM, NULL, run, 1},
};

static const funcp_plugin plugin = {
    sizeof(funcp_plugin), FUNCP_PLUGIN_ABI_MAJOR, FUNCP_PLUGIN_ABI_MINOR, "cli-test", "1.0",
    "plugin for the command-line tests", "Apache-2.0",
    runtimes, FUNCP_COUNTOF(runtimes), builders, FUNCP_COUNTOF(builders),
    deployers, FUNCP_COUNTOF(deployers), runners, FUNCP_COUNTOF(runners), NULL, NULL,
};

FUNCP_PLUGIN_DEFINE(plugin)
