/* funcp create -l go-wasi: the template plus the WIT packages its world
 * includes, recorded in func.yaml build.builderImages (the runtime's
 * manifest in knative func). */
#include "gowasi.h"

#include <stdio.h>

/* Copied into build.builderImages when the function has none yet. The WASI
 * http and cli packages disagree on some shared transitive packages, hence
 * the forgiving mode. */
static const char *const builder_images[][2] = {
    {"__WASI_WIT_PROVIDER_MODE", "forgiving"},
    {"cli", "ghcr.io/webassembly/wasi/cli:0.2.3"},
    {"http", "ghcr.io/webassembly/wasi/http:0.2.3"},
};

int gowasi_create(const funcp_host *host, funcp_call *call, const char *template_name,
                  const char *dir)
{
    int rc = pcom_write_template(host, call, GOWASI_RUNTIME, gowasi_templates,
                                 gowasi_templates_count, template_name, dir);
    if (rc != FUNCP_OK)
        return rc;
    if (host->fy_count(call, "build.builderImages") > 0)
        return FUNCP_OK;
    for (size_t i = 0; i < sizeof builder_images / sizeof builder_images[0]; i++) {
        char path[128];
        snprintf(path, sizeof path, "build.builderImages.%s", builder_images[i][0]);
        rc = host->fy_set(call, path, builder_images[i][1]);
        if (rc != FUNCP_OK)
            return rc;
    }
    return FUNCP_OK;
}
