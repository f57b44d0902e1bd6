/* funcp list: every deployer's functions, merged. */
#include <stdio.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/instances.h"
#include "util/error.h"
#include "util/log.h"
#include "util/output.h"

static int run_list(funcp_call *call)
{
    int rc = fp_call_load_plugins(call);
    if (rc != FUNCP_OK)
        return rc;
    fp_registry *reg = call->plugins.registry;
    const char *const *names;
    size_t n = fp_registry_deployer_names(reg, &names);
    if (n == 0)
        return fp_error_set(FUNCP_ENOPLUGIN, "no deployer plugin is installed; 'funcp plugins' "
                                             "shows the search path");
    const char *ns = NULL;
    if (!fp_args_bool(&call->args, "all-namespaces")) {
        ns = fp_host()->kube_namespace(call);
        if (!ns)
            return fp_error_code() ? fp_error_code()
                                   : fp_error_set(FUNCP_ERROR, "no namespace could be chosen");
    }
    fp_instances set = {json_object_new_array(), NULL};
    for (size_t i = 0; i < n && rc == FUNCP_OK; i++) {
        const funcp_deployer *d = fp_registry_deployer(reg, names[i]);
        const char *owner = fp_registry_owner(reg, d);
        if (!d || !d->list) {
            fp_log(FUNCP_LOG_DEBUG, "deployer \"%s\" cannot list functions", names[i]);
            continue;
        }
        set.deployer = d->name;
        fp_call_enter(call, owner);
        rc = d->list(fp_host(), call, ns, fp_instances_collect, &set);
        fp_call_enter(call, NULL);
        rc = fp_cli_plugin_result(rc, owner, "list");
    }
    if (rc == FUNCP_OK) {
        if (call->format != FUNCP_FORMAT_TEXT)
            rc = fp_output_data(stdout, call->format, set.items);
        else if (json_object_array_length(set.items) == 0)
            printf("No functions found%s%s%s\n", ns ? " in namespace \"" : "", ns ? ns : "",
                   ns ? "\"" : "");
        else
            fp_instances_print_table(set.items);
    }
    json_object_put(set.items);
    return rc;
}

static const fp_flag list_flags[] = {
    {"namespace", 'n', FP_FLAG_STRING, NULL, "Namespace to list (default: the kubeconfig context's)",
     NULL, NULL, NULL},
    {"all-namespaces", 'A', FP_FLAG_BOOL, "false", "List functions in all namespaces", NULL,
     NULL, NULL},
    {"context", 0, FP_FLAG_STRING, NULL, "Kubernetes context to use", NULL, NULL, NULL},
    {"kubeconfig", 0, FP_FLAG_STRING, NULL, "Path to the kubeconfig file", NULL, NULL, NULL},
    {0},
};

const fp_command fp_cmd_list = {
    .name = "list",
    .aliases = "ls",
    .usage = "list",
    .summary = "List deployed functions",
    .description = "List the functions deployed in the namespace (or in all namespaces), as\n"
                   "reported by every installed deployer.",
    .examples = "  funcp list\n  funcp list --all-namespaces\n  funcp list -n prod -o json",
    .flags = list_flags,
    .min_args = 0,
    .max_args = 0,
    .run = run_list,
};
