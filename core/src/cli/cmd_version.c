#include <json-c/json.h>
#include <stdio.h>

#include "call.h"
#include "cli/commands.h"
#include "util/output.h"

int fp_main_version(void)
{
    printf("funcp version %s\n", FUNCP_VERSION);
    return 0;
}

/* No plugin and no network module is loaded: start-up speed matters. */
static int run_version(funcp_call *call)
{
    if (call->format == FP_FORMAT_TEXT) {
        printf("funcp version %s\nplugin ABI %d.%d\n", FUNCP_VERSION, FUNCP_PLUGIN_ABI_MAJOR,
               FUNCP_PLUGIN_ABI_MINOR);
        return 0;
    }
    json_object *o = json_object_new_object();
    json_object_object_add(o, "version", json_object_new_string(FUNCP_VERSION));
    char abi[32];
    snprintf(abi, sizeof abi, "%d.%d", FUNCP_PLUGIN_ABI_MAJOR, FUNCP_PLUGIN_ABI_MINOR);
    json_object_object_add(o, "pluginAbi", json_object_new_string(abi));
    int rc = fp_output_data(stdout, call->format, o);
    json_object_put(o);
    return rc;
}

static const fp_flag version_flags[] = {{0}};

const fp_command fp_cmd_version = {
    .name = "version",
    .usage = "version",
    .summary = "Show the version",
    .description = "Show the funcp version and the plugin ABI it provides.",
    .examples = "  funcp version\n  funcp version -o json",
    .flags = version_flags,
    .min_args = 0,
    .max_args = 0,
    .run = run_version,
};
