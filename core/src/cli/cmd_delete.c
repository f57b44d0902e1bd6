/* funcp delete: remove a deployed function through its deployer. */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/compat_flags.h"
#include "cli/common.h"
#include "cli/instances.h"
#include "util/error.h"
#include "util/log.h"
#include "util/output.h"

static int run_delete(funcp_call *call)
{
    const char *name;
    int rc = fp_cli_note_unapplied(call);
    if (rc == FUNCP_OK)
        rc = fp_call_load_plugins(call);
    if (rc == FUNCP_OK)
        rc = fp_instances_name(call, &name);
    if (rc != FUNCP_OK)
        return rc;
    fp_registry *reg = call->plugins.registry;
    const funcp_deployer *deployer = NULL;
    const char *own = call->fy ? fp_funcyaml_get(call->fy, "name") : NULL;
    const char *runtime = call->fy ? fp_funcyaml_get(call->fy, "runtime") : NULL;
    fp_instances set = {json_object_new_array(), NULL};
    if (own && runtime && !strcmp(own, name))
        rc = fp_cli_deployer(call, reg, runtime, &deployer);
    else
        rc = fp_instances_find(call, name, &deployer, &set);
    json_object_put(set.items);
    if (rc != FUNCP_OK)
        return rc;
    const char *owner = fp_registry_owner(reg, deployer);
    /* func's --all also removes the Tekton pipelines (and their secrets and
     * volumes) of on-cluster builds; funcp never creates any, and what its
     * deployers create besides the function (Knative Triggers) is owned by
     * it and goes with it. So both values delete the same. */
    fp_log(FUNCP_LOG_DEBUG, "Removing %s%s", name,
           fp_args_bool(&call->args, "all") ? " and all dependent resources" : "");
    if (!deployer->remove)
        return fp_cli_unsupported(owner, "delete");
    fp_call_enter(call, owner);
    rc = deployer->remove(fp_host(), call, name);
    fp_call_enter(call, NULL);
    rc = fp_cli_plugin_result(rc, owner, "delete");
    if (rc != FUNCP_OK)
        return rc;
    if (call->format == FP_FORMAT_TEXT) {
        printf("Removed function \"%s\"\n", name);
        return FUNCP_OK;
    }
    json_object *o = json_object_new_object();
    json_object_object_add(o, "name", json_object_new_string(name));
    json_object_object_add(o, "deployer", json_object_new_string(deployer->name));
    json_object_object_add(o, "deleted", json_object_new_boolean(1));
    rc = fp_output_data(stdout, call->format, o);
    json_object_put(o);
    return rc;
}

static const fp_flag delete_flags[] = {
    {"namespace", 'n', FP_FLAG_STRING, NULL,
     "Namespace (default: func.yaml, then the kubeconfig context)", NULL, NULL, NULL},
    /* A string flag as in func (-a false), so "-a" alone wants a value. */
    {"all", 'a', FP_FLAG_STRING, "true",
     "Delete all resources created for a function, eg. Pipelines, Secrets, etc. funcp makes "
     "no pipelines, and the function's Triggers go with it: both values delete the same",
     "true|false", NULL, NULL},
    FP_COMPAT_CONFIRM,
    {"context", 0, FP_FLAG_STRING, NULL, "Kubernetes context to use", NULL, NULL, NULL},
    {"kubeconfig", 0, FP_FLAG_STRING, NULL, "Path to the kubeconfig file", NULL, NULL, NULL},
    /* The deployer reads it (option "force"); func has no such flag. */
    {"force", 0, FP_FLAG_BOOL, "false",
     "Delete even a Service that funcp or func did not create (knative; refused otherwise)",
     NULL, NULL, NULL},
    {0},
};

const fp_command fp_cmd_delete = {
    .name = "delete",
    .aliases = "rm",
    .usage = "delete [name]",
    .summary = "Delete a deployed function",
    .description = "Remove a deployed function from the cluster. Without a name, the function\n"
                   "in the current directory (or --path). Local files are not touched.",
    .examples = "  funcp delete\n  funcp delete hello -n prod\n  funcp delete hello --all=false",
    .flags = delete_flags,
    .min_args = 0,
    .max_args = 1,
    .run = run_delete,
};
