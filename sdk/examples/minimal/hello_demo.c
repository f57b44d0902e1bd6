/* A minimal funcp plugin: the runtime "hello-demo" with one template,
 * "greeting", whose create callback writes hello.txt into the new
 * function's directory. It includes only <funcp/plugin.h> and links
 * nothing; everything it asks of funcp goes through `host`. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <funcp/plugin.h>

static int hello_create(const funcp_host *host, funcp_call *call, const char *template_name,
                        const char *dir)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s/hello.txt", dir) >= (int)sizeof path)
        return host->error(call, FUNCP_EIO, "hello-demo: directory name too long: %s", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return host->error(call, FUNCP_EIO, "hello-demo: cannot create %s: %s", path,
                           strerror(errno));
    int ok = fprintf(f, "Hello from the %s template of hello-demo!\n", template_name) > 0;
    ok = (fclose(f) == 0) && ok;
    if (!ok)
        return host->error(call, FUNCP_EIO, "hello-demo: cannot write %s", path);
    host->log(call, FUNCP_LOG_INFO, "hello-demo: wrote %s", path);
    return FUNCP_OK;
}

static const funcp_template templates[] = {
    {sizeof(funcp_template), "greeting", "writes hello.txt"},
};

static const funcp_runtime runtimes[] = {{
    sizeof(funcp_runtime),
    "hello-demo",                 /* funcp create -l hello-demo <name>   */
    "a demo runtime from the funcp SDK example",
    NULL,                         /* claims no runtime-name suffix        */
    NULL, NULL,                   /* no builder/deployer inferred         */
    FUNCP_ARTIFACT_IMAGE,
    templates, FUNCP_COUNTOF(templates),
    hello_create,
}};

static const funcp_plugin hello_plugin = {
    sizeof(funcp_plugin), FUNCP_PLUGIN_ABI_MAJOR, FUNCP_PLUGIN_ABI_MINOR,
    "runtime-hello-demo", "1.0.0", "minimal example plugin: the hello-demo runtime",
    "Apache-2.0",
    runtimes, FUNCP_COUNTOF(runtimes),
    NULL, 0,   /* builders  */
    NULL, 0,   /* deployers */
    NULL, 0,   /* runners   */
    NULL,      /* init: nothing to set up */
    NULL,      /* fini */
};

FUNCP_PLUGIN_DEFINE(hello_plugin)
