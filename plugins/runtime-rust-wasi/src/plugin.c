/* runtime-rust-wasi: the runtime `rust-wasi` and its builder `wasm`. */
#include "rustwasi.h"

static const funcp_template templates[] = {
    {sizeof(funcp_template), "http", "HTTP handler (wasi:http/proxy) with the wasi crate"},
};

static const funcp_runtime runtimes[] = {{
    sizeof(funcp_runtime), RUSTWASI_RUNTIME,
    "Rust compiled by cargo to a WebAssembly component (wasm32-wasip2)",
    "-wasi", "wasm", "wasm", FUNCP_ARTIFACT_WASM,
    templates, FUNCP_COUNTOF(templates), rustwasi_create,
}};

static const char *const builds[] = {RUSTWASI_RUNTIME, NULL};

/* What the build runs: a new version of one of them rebuilds. */
static const char *const toolchain[] = {"cargo", "rustc", NULL};

static const funcp_builder builders[] = {{
    sizeof(funcp_builder), "wasm", builds, rustwasi_build, "module.wasm", toolchain,
}};

static const funcp_plugin plugin = {
    .struct_size = sizeof(funcp_plugin),
    .abi_major = FUNCP_PLUGIN_ABI_MAJOR,
    .abi_minor = FUNCP_PLUGIN_ABI_MINOR,
    .name = "runtime-rust-wasi",
    .version = "0.1.0",
    .description = "Rust functions for WASI: templates and the cargo wasm builder",
    .license = "Apache-2.0",
    .runtimes = runtimes,
    .n_runtimes = FUNCP_COUNTOF(runtimes),
    .builders = builders,
    .n_builders = FUNCP_COUNTOF(builders),
};

FUNCP_PLUGIN_DEFINE(plugin)
