/* The deployer's preflight: the cluster answers and serves WasmModules,
 * checked before funcp builds or pushes the function. */
#include "pcom/kube_preflight.h"
#include "wm.h"

int wm_preflight(const funcp_host *h, funcp_call *call)
{
    static const pcom_kube_api wasm = {WM_API_VERSION, "wasmmodules", WM_NOT_INSTALLED};
    return pcom_kube_preflight(h, call, &wasm, NULL);
}
