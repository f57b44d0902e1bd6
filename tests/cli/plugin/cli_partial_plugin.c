/* A second plugin for the command-line tests, "cli-partial":
 *  - a runtime "sh-partial" whose create, builder "partial" and deployer
 *    "partial" are all NULL callbacks: funcp must report "not supported"
 *    naming the plugin, never call through NULL;
 *  - a runtime "sh-clitest", which the cli-test plugin already provides:
 *    loaded after it, the clash is skipped and shown as a warning. */
#include "funcp/plugin.h"

/* Designated initializers: members appended to the SDK structs stay zero. */
static const funcp_template templates[] = {
    {.struct_size = sizeof(funcp_template), .name = "http", .description = "has no create"},
};

static const funcp_runtime runtimes[] = {
    {.struct_size = sizeof(funcp_runtime), .name = "sh-partial",
     .description = "runtime whose plugin leaves callbacks NULL", .suffix = "-partial",
     .default_builder = "partial", .default_deployer = "partial",
     .artifact = FUNCP_ARTIFACT_WASM, .templates = templates,
     .n_templates = FUNCP_COUNTOF(templates), .create = NULL},
    {.struct_size = sizeof(funcp_runtime), .name = "sh-clitest",
     .description = "clashes with the cli-test plugin", .artifact = FUNCP_ARTIFACT_WASM,
     .templates = templates, .n_templates = FUNCP_COUNTOF(templates)},
};

static const char *const builder_runtimes[] = {"*-partial", NULL};

static const funcp_builder builders[] = {
    {.struct_size = sizeof(funcp_builder), .name = "partial", .runtimes = builder_runtimes,
     .build = NULL, .artifact_path = "module.wasm"},
};

/* deploy, describe, list and remove all NULL. */
static const funcp_deployer deployers[] = {
    {.struct_size = sizeof(funcp_deployer), .name = "partial", .artifacts = FUNCP_ARTIFACT_WASM},
};

static const funcp_plugin plugin = {
    .struct_size = sizeof(funcp_plugin),
    .abi_major = FUNCP_PLUGIN_ABI_MAJOR,
    .abi_minor = FUNCP_PLUGIN_ABI_MINOR,
    .name = "cli-partial",
    .version = "1.0",
    .description = "plugin with NULL callbacks for the command-line tests",
    .license = "Apache-2.0",
    .runtimes = runtimes,
    .n_runtimes = FUNCP_COUNTOF(runtimes),
    .builders = builders,
    .n_builders = FUNCP_COUNTOF(builders),
    .deployers = deployers,
    .n_deployers = FUNCP_COUNTOF(deployers),
};

FUNCP_PLUGIN_DEFINE(plugin)
