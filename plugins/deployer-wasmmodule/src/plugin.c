/* The deployer "wasm": WasmModule resources of knative-serving-wasm. */
#include "wm.h"

static const funcp_deployer deployers[] = {{
    .struct_size = sizeof(funcp_deployer),
    .name = WM_DEPLOYER,
    .artifacts = FUNCP_ARTIFACT_WASM,
    .is_default = 0,
    .deploy = wm_deploy,
    .describe = wm_describe,
    .list = wm_list,
    .remove = wm_remove,
    .preflight = wm_preflight,
}};

static const funcp_plugin plugin = {
    .struct_size = sizeof(funcp_plugin),
    .abi_major = FUNCP_PLUGIN_ABI_MAJOR,
    .abi_minor = FUNCP_PLUGIN_ABI_MINOR,
    .name = "deployer-wasmmodule",
    .version = "0.1.0",
    .description = "deploy wasm functions as knative-serving-wasm WasmModules",
    .license = "Apache-2.0",
    .deployers = deployers,
    .n_deployers = FUNCP_COUNTOF(deployers),
};

FUNCP_PLUGIN_DEFINE(plugin)
