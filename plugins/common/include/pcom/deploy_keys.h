/* What a deployer does with func.yaml keys beyond building its object:
 * naming the keys it cannot apply (never dropped silently), recording which
 * labels and annotations it manages on the object (so a redeploy can remove
 * the ones func.yaml no longer has, as kubectl apply does with its
 * last-applied record), and noticing a function moved to a new namespace. */
#ifndef PCOM_DEPLOY_KEYS_H
#define PCOM_DEPLOY_KEYS_H

#include <json-c/json.h>
#include <stddef.h>

#include "funcp/plugin.h"

/* A func.yaml key a deployer cannot apply, and why (shown in brackets). */
typedef struct pcom_unapplied {
    const char *path; /* "deploy.options.scale", "run.args" */
    const char *why;  /* "WasmModule has no scaling settings" */
} pcom_unapplied;

/* One warning per key that func.yaml sets (a non-empty scalar, list or
 * mapping): `deployer "<deployer>" cannot apply func.yaml <path> (<why>);
 * ignored`. Also names a top-level `deployer` (knative func's requested
 * deployer) that is not this one. */
void pcom_warn_unapplied(const funcp_host *h, funcp_call *c, const char *deployer,
                         const pcom_unapplied *keys, size_t n);

/* The annotations holding the label and annotation keys funcp set on an
 * object at its last deploy (comma-separated, sorted). */
#define PCOM_ANN_MANAGED_LABELS "funcp.dev/managed-labels"
#define PCOM_ANN_MANAGED_ANNOTATIONS "funcp.dev/managed-annotations"

/* Record the keys of `labels` and `annotations` (the record's own keys
 * left out) in `record` (an object's metadata.annotations). */
void pcom_managed_record(json_object *record, json_object *labels, json_object *annotations);

/* Keys funcp managed on the object whose metadata.annotations is `cur`
 * that the new record `next` (from pcom_managed_record) no longer holds:
 * `which` is PCOM_ANN_MANAGED_LABELS or PCOM_ANN_MANAGED_ANNOTATIONS. An
 * object without a record (deployed by knative func, or an older funcp)
 * counts as managing the keys func itself sets: boson.dev/function,
 * func.domain, the function.knative.dev/ keys, Dapr's and the scale
 * annotations. A new array; json_object_put() it. */
json_object *pcom_managed_stale(json_object *cur, json_object *next, const char *which);

/* Remove every key listed in `keys` from the object `map` (NULL: none). */
void pcom_drop_keys(json_object *map, json_object *keys);

/* The namespace func.yaml says the function was last deployed to
 * (deploy.namespace) when it is not `ns`: knative func then removes the
 * function from there (a move). NULL when there is nothing to move. */
const char *pcom_moved_from(const funcp_host *h, funcp_call *c, const char *ns);

/* The one line that says what was moved. */
void pcom_log_moved(const funcp_host *h, funcp_call *c, const char *name, const char *from,
                    const char *to);

#endif
