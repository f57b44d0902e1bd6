/* The module's one exported symbol: the table of its network clients. */
#include "net/net_module.h"

#include "net/apis.h"
#include "util/api.h"

FP_API const fp_net_module *fp_net_module_get(void);

const fp_net_module *fp_net_module_get(void)
{
    static fp_net_module module;
    if (!module.struct_size) {
        module.oci = fp_oci_api_get();
        module.kube = fp_kube_api_get();
        module.http = fp_http_api_get();
        module.struct_size = sizeof module;
    }
    return &module;
}
