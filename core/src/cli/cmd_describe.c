/* funcp describe: one deployed function, as its deployer sees it. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/instances.h"
#include "util/error.h"
#include "util/output.h"

static void print_text(json_object *o)
{
    static const char *const rows[][2] = {{"Name", "name"},       {"Namespace", "namespace"},
                                          {"Runtime", "runtime"}, {"Image", "image"},
                                          {"URL", "url"},         {"Ready", "ready"},
                                          {"Deployer", "deployer"}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        json_object *v = json_object_object_get(o, rows[i][1]);
        printf("%-10s %s\n", rows[i][0], v ? json_object_get_string(v) : "");
    }
    json_object *detail = json_object_object_get(o, "detail");
    if (detail) {
        printf("Detail:\n");
        fp_output_yaml(stdout, detail);
    }
}

static int run_describe(funcp_call *call)
{
    const char *name;
    fp_instances set;
    int rc = fp_cli_describe_named(call, &name, &set);
    if (rc == FUNCP_OK && json_object_array_length(set.items) == 0)
        rc = fp_error_set(FUNCP_ENOTFOUND, "function \"%s\" not found", name);
    if (rc == FUNCP_OK) {
        json_object *o = json_object_array_get_idx(set.items, 0);
        fp_instance_func_keys(o);
        json_object *url = json_object_object_get(o, "url");
        if (!strcmp(fp_args_get(&call->args, "output"), "url")) {
            if (url && *json_object_get_string(url))
                printf("%s\n", json_object_get_string(url));
            else
                rc = fp_error_set(FUNCP_ENOTFOUND, "function \"%s\" has no URL yet", name);
        } else if (call->format == FP_FORMAT_TEXT)
            print_text(o);
        else
            rc = fp_output_data(stdout, call->format, o);
    }
    json_object_put(set.items);
    return rc;
}

static const fp_flag describe_flags[] = {
    {"namespace", 'n', FP_FLAG_STRING, NULL,
     "Namespace (default: func.yaml, then the kubeconfig context)", NULL, NULL, NULL},
    {"context", 0, FP_FLAG_STRING, NULL, "Kubernetes context to use", NULL, NULL, NULL},
    {"kubeconfig", 0, FP_FLAG_STRING, NULL, "Path to the kubeconfig file", NULL, NULL, NULL},
    {0},
};

const fp_command fp_cmd_describe = {
    .name = "describe",
    .aliases = "info desc",
    .usage = "describe [name]",
    .summary = "Describe a deployed function",
    .description = "Show a deployed function: image, URL, readiness and what its deployer\n"
                   "adds (conditions, recent events). Without a name, the function in the\n"
                   "current directory (or --path).",
    .examples = "  funcp describe\n  funcp describe hello -n prod -o yaml\n"
                "  # the URL alone\n  funcp describe -o url",
    .flags = describe_flags,
    .min_args = 0,
    .max_args = 1,
    .output_url = 1,
    .run = run_describe,
};
