/* libFuzzer: the kubeconfig parser and resolver on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>

#include "kube/kubeconfig.h"
#include "util/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fp_kubeconfig kc;
    fp_kubeconfig_init(&kc);
    if (fp_kubeconfig_merge_buffer(&kc, (const char *)data, size, "fuzz.yaml", "/base") == FUNCP_OK) {
        fp_kube_config cfg;
        if (fp_kubeconfig_resolve(&kc, NULL, NULL, &cfg) == FUNCP_OK)
            fp_kube_config_free(&cfg);
        json_object_object_foreach(kc.contexts, name, val) {
            (void)val;
            if (fp_kubeconfig_resolve(&kc, name, "ns", &cfg) == FUNCP_OK)
                fp_kube_config_free(&cfg);
        }
    }
    fp_kubeconfig_free(&kc);
    fp_error_clear();
    return 0;
}
