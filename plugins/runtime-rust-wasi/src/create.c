/* funcp create -l rust-wasi: the template only (the runtime's manifest
 * has no builderImages). */
#include "rustwasi.h"

int rustwasi_create(const funcp_host *host, funcp_call *call, const char *template_name,
                    const char *dir)
{
    return pcom_write_template(host, call, RUSTWASI_RUNTIME, rustwasi_templates,
                               rustwasi_templates_count, template_name, dir);
}
