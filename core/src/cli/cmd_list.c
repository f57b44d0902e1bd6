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
        return fp_cli_no_deployer();
    const char *ns = NULL;
    if (!fp_args_bool(&call->args, "all-namespaces")) {
        ns = fp_host()->kube_namespace(call);
        if (!ns)
            return fp_error_code() ? fp_error_code()
                                   : fp_error_set(FUNCP_ERROR, "no namespace could be chosen");
    }
    fp_instances set = {json_object_new_array(), NULL};
    /* One deployer that cannot answer (its cluster API is absent, say)
     * must not hide the others' functions: it is reported as a warning,
     * and only when no deployer answered is the command an error. */
    size_t asked = 0, answered = 0;
    int first_rc = FUNCP_OK;
    char first_msg[1024] = "";
    for (size_t i = 0; i < n; i++) {
        const funcp_deployer *d = fp_registry_deployer(reg, names[i]);
        if (!d || !d->list) {
            fp_log(FUNCP_LOG_DEBUG, "deployer \"%s\" cannot list functions", names[i]);
            continue;
        }
        const char *owner = fp_registry_owner(reg, d);
        set.deployer = d->name;
        asked++;
        fp_call_enter(call, owner);
        int one = d->list(fp_host(), call, ns, fp_instances_collect, &set);
        fp_call_enter(call, NULL);
        one = fp_cli_plugin_result(one, owner, "list");
        if (one == FUNCP_OK) {
            answered++;
            continue;
        }
        if (first_rc == FUNCP_OK) {
            first_rc = one;
            snprintf(first_msg, sizeof first_msg, "%s", fp_error_message());
        }
        fp_log(FUNCP_LOG_WARN, "deployer \"%s\": %s", d->name, fp_error_message());
        fp_error_clear();
    }
    if (asked > 0 && answered == 0)
        rc = fp_error_set(first_rc, "%s", first_msg);
    else if (asked == 0)
        rc = fp_error_set(FUNCP_ENOTSUPPORTED, "no installed deployer can list functions");
    if (rc == FUNCP_OK) {
        if (call->format != FP_FORMAT_TEXT)
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
