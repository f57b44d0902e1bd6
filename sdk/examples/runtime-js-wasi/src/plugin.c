/* runtime-js-wasi: the runtime `js-wasi`, its builder `wasm` and two local
 * runners, `wasmtime` (when installed) and `jco` (needs only node). */
#include "jswasi.h"

/* Designated initializers throughout: SDK structs grow at the end, and
 * members this plugin does not name are zero (not used). */
static const funcp_template templates[] = {{
    .struct_size = sizeof(funcp_template),
    .name = "http",
    .description = "HTTP handler (fetch event) built to a wasi:http/proxy component",
}};

/* Claims the same "-wasi" suffix with the same defaults as the other WASI
 * runtimes: js-wasi infers builder wasm and deployer wasm. */
static const funcp_runtime runtimes[] = {{
    .struct_size = sizeof(funcp_runtime),
    .name = JSWASI_RUNTIME,
    .description = "JavaScript compiled by componentize-js to a WebAssembly component (wasip2)",
    .suffix = "-wasi",
    .default_builder = "wasm",
    .default_deployer = "wasm",
    .artifact = FUNCP_ARTIFACT_WASM,
    .templates = templates,
    .n_templates = FUNCP_COUNTOF(templates),
    .create = jswasi_create,
}};

static const char *const builds[] = {JSWASI_RUNTIME, NULL};
static const funcp_builder builders[] = {{
    .struct_size = sizeof(funcp_builder),
    .name = "wasm",
    .runtimes = builds,
    .build = jswasi_build,
    .artifact_path = JSWASI_ARTIFACT,
}};

/* wasmtime serves faster (a new instance per request, compiled once), so it
 * wins when present; jco works wherever node does. */
static const funcp_runner runners[] = {
    {
        .struct_size = sizeof(funcp_runner),
        .name = "wasmtime",
        .artifacts = FUNCP_ARTIFACT_WASM,
        .available = jswasi_wasmtime_available,
        .run = jswasi_wasmtime_run,
        .priority = 20,
    },
    {
        .struct_size = sizeof(funcp_runner),
        .name = "jco",
        .artifacts = FUNCP_ARTIFACT_WASM,
        .available = jswasi_jco_available,
        .run = jswasi_jco_run,
        .priority = 10,
    },
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
