/* runtime-js-wasi: the runtime `js-wasi`, its builder `wasm` and two local
 * runners, `wasmtime` (when installed) and `jco` (needs only node). */
#include "jswasi.h"

static const funcp_template templates[] = {
    {sizeof(funcp_template), "http", "HTTP handler (fetch event) built to a wasi:http/proxy component"},
};

/* Claims the same "-wasi" suffix with the same defaults as the other WASI
 * runtimes: js-wasi infers builder wasm and deployer wasm. */
static const funcp_runtime runtimes[] = {{
    sizeof(funcp_runtime), JSWASI_RUNTIME,
    "JavaScript compiled by componentize-js to a WebAssembly component (wasip2)",
    "-wasi", "wasm", "wasm", FUNCP_ARTIFACT_WASM,
    templates, FUNCP_COUNTOF(templates), jswasi_create,
}};

static const char *const builds[] = {JSWASI_RUNTIME, NULL};
static const funcp_builder builders[] = {{
    sizeof(funcp_builder), "wasm", builds, jswasi_build, JSWASI_ARTIFACT,
}};

/* wasmtime serves faster (a new instance per request, compiled once), so it
 * wins when present; jco works wherever node does. */
static const funcp_runner runners[] = {
    {sizeof(funcp_runner), "wasmtime", FUNCP_ARTIFACT_WASM, jswasi_wasmtime_available,
     jswasi_wasmtime_run, 20},
    {sizeof(funcp_runner), "jco", FUNCP_ARTIFACT_WASM, jswasi_jco_available, jswasi_jco_run,
     10},
};

static const funcp_plugin plugin = {
    .struct_size = sizeof(funcp_plugin),
    .abi_major = FUNCP_PLUGIN_ABI_MAJOR,
    .abi_minor = FUNCP_PLUGIN_ABI_MINOR,
    .name = "runtime-js-wasi",
    .version = JSWASI_VERSION,
    .description = "JavaScript functions for WASI: componentize-js builder, jco/wasmtime runners",
    .license = "Apache-2.0",
    .runtimes = runtimes,
    .n_runtimes = FUNCP_COUNTOF(runtimes),
    .builders = builders,
    .n_builders = FUNCP_COUNTOF(builders),
    .runners = runners,
    .n_runners = FUNCP_COUNTOF(runners),
};

FUNCP_PLUGIN_DEFINE(plugin)
