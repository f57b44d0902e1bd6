/* runtime-go-wasi: the runtime `go-wasi` and its builder `wasm`. */
#include "gowasi.h"

static const funcp_template templates[] = {
    {sizeof(funcp_template), "http", "HTTP handler (wasi:http/proxy) on wit-bindgen-go bindings"},
};

static const funcp_runtime runtimes[] = {{
    sizeof(funcp_runtime), GOWASI_RUNTIME,
    "Go compiled by TinyGo to a WebAssembly component (wasip2)",
    "-wasi", "wasm", "wasm", FUNCP_ARTIFACT_WASM,
    templates, FUNCP_COUNTOF(templates), gowasi_create,
}};

static const char *const builds[] = {GOWASI_RUNTIME, NULL};

/* What the build runs: a new version of one of them rebuilds. */
static const char *const toolchain[] = {"tinygo", "go", "wasm-tools", NULL};

static const funcp_builder builders[] = {{
    sizeof(funcp_builder), "wasm", builds, gowasi_build, "module.wasm", toolchain,
}};

static const funcp_plugin plugin = {
    .struct_size = sizeof(funcp_plugin),
    .abi_major = FUNCP_PLUGIN_ABI_MAJOR,
    .abi_minor = FUNCP_PLUGIN_ABI_MINOR,
    .name = "runtime-go-wasi",
    .version = "0.1.0",
    .description = "Go functions for WASI: templates and the TinyGo wasm builder",
    .license = "Apache-2.0",
    .runtimes = runtimes,
    .n_runtimes = FUNCP_COUNTOF(runtimes),
    .builders = builders,
    .n_builders = FUNCP_COUNTOF(builders),
};

FUNCP_PLUGIN_DEFINE(plugin)
