/* Deployed instances as deployers report them (list, describe, delete). */
#ifndef FUNCP_CLI_INSTANCES_H
#define FUNCP_CLI_INSTANCES_H

#include <json-c/json.h>

#include "call.h"
#include "plugin/registry.h"

/* Collects instances into a JSON array, adding the deployer's name. */
typedef struct fp_instances {
    json_object *items;    /* array of objects; keys as funcp_instance members */
    const char *deployer;  /* set before calling a deployer                    */
} fp_instances;

void fp_instances_collect(void *user, const funcp_instance *instance);

/* Add knative func's describe keys (fn.Instance's json tags) to one
 * collected instance: route, routes, labels, subscriptions and, when the
 * deployer knows it, generation; funcp's own keys stay, detail last. */
void fp_instance_func_keys(json_object *o);

/* NAME NAMESPACE RUNTIME DEPLOYER URL READY table. */
void fp_instances_print_table(json_object *items);

/* Find the deployer holding `name`: the function's own deployer when we are
 * in its directory and the name matches, otherwise every deployer is asked
 * to describe it. Fills `out` (may be NULL) with what describe reported. */
int fp_instances_find(funcp_call *call, const char *name, const funcp_deployer **deployer,
                      fp_instances *out);

/* The name argument, or func.yaml's name. */
int fp_instances_name(funcp_call *call, const char **name);

#endif
