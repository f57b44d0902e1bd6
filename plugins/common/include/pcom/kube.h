/* Kubernetes pieces both deployers build or read the same way. */
#ifndef PCOM_KUBE_H
#define PCOM_KUBE_H

#include <json-c/json.h>

/* The labels func puts on what it deploys (and lists by). */
#define PCOM_LABEL_NAME "function.knative.dev/name"
#define PCOM_LABEL_RUNTIME "function.knative.dev/runtime"
#define PCOM_ANN_DEPLOYER "function.knative.dev/deployer"

/* Set func's own labels on `labels`: name, runtime (when known),
 * boson.dev/function=true and func.domain (when set). Existing keys are
 * overwritten in place, so calling it after the user's labels makes func's
 * win. */
void pcom_kube_func_labels(json_object *labels, const char *name, const char *runtime,
                           const char *domain);

/* metadata.labels[key] / metadata.annotations[key] of an object when it is
 * a string, else NULL (keys hold dots and slashes: not a dotted path). */
const char *pcom_kube_label(json_object *obj, const char *key);
const char *pcom_kube_annotation(json_object *obj, const char *key);

/* An env valueFrom: {"secretKeyRef"|"configMapKeyRef": {name, key}} for
 * kind "secret" or "configMap". */
json_object *pcom_kube_key_ref(const char *kind, const char *name, const char *key);

/* A 404 whose body is not a Status object: the API server does not serve
 * the resource type at all (its CRD is not installed). */
int pcom_kube_not_served(long status, json_object *body);

#endif
