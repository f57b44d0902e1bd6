/* Update rules: what a redeploy changes on the Service fetched from the
 * cluster. Unlike func, labels and annotations that other tools set are
 * kept (merged), and the ones funcp set before that func.yaml no longer
 * has are removed (the funcp.dev/managed-* record); the template, container
 * and pod fields func.yaml owns are replaced; everything else (traffic,
 * other containers, ports, timeouts, the security context) is left as it is. */
#include <string.h>

#include "kn.h"
#include "pcom/deploy_keys.h"

/* Labels and annotations the last deploy set that this one does not: off
 * the Service and its template alike. */
static void prune_stale(json_object *cur, json_object *desired)
{
    json_object *was = pcom_jget(cur, "metadata.annotations"), *now = pcom_jget(desired, "metadata.annotations");
    json_object *labels = pcom_managed_stale(was, now, PCOM_ANN_MANAGED_LABELS);
    json_object *ann = pcom_managed_stale(was, now, PCOM_ANN_MANAGED_ANNOTATIONS);
    pcom_drop_keys(pcom_jget(cur, "metadata.labels"), labels);
    pcom_drop_keys(pcom_jget(cur, "spec.template.metadata.labels"), labels);
    pcom_drop_keys(pcom_jget(cur, "metadata.annotations"), ann);
    pcom_drop_keys(pcom_jget(cur, "spec.template.metadata.annotations"), ann);
    json_object_put(labels);
    json_object_put(ann);
}

static void merge_map(json_object *dst_parent, const char *key, json_object *src)
{
    json_object *dst = pcom_jobj(dst_parent, key);
    if (!src)
        return;
    json_object_object_foreach(src, k, v) json_object_object_add(dst, k, json_object_get(v));
}

/* Replace dst[key] with src[key], or remove it when src has none. */
static void replace(json_object *dst, json_object *src, const char *key)
{
    json_object *v;
    if (json_object_object_get_ex(src, key, &v))
        json_object_object_add(dst, key, json_object_get(v));
    else
        json_object_object_del(dst, key);
}

void kn_service_update(json_object *cur, json_object *desired)
{
    static const char *const scale_keys[] = {
        "autoscaling.knative.dev/min-scale", "autoscaling.knative.dev/max-scale",
        "autoscaling.knative.dev/metric", "autoscaling.knative.dev/target",
        "autoscaling.knative.dev/target-utilization-percentage"};
    prune_stale(cur, desired);
    json_object *meta = pcom_jobj(cur, "metadata");
    merge_map(meta, "labels", pcom_jget(desired, "metadata.labels"));
    merge_map(meta, "annotations", pcom_jget(desired, "metadata.annotations"));

    json_object *tmpl = pcom_jobj(pcom_jobj(cur, "spec"), "template");
    json_object *tmeta = pcom_jobj(tmpl, "metadata");
    json_object_object_del(tmeta, "name"); /* the server names the new revision */
    merge_map(tmeta, "labels", pcom_jget(desired, "spec.template.metadata.labels"));
    json_object *tann = pcom_jobj(tmeta, "annotations");
    for (size_t i = 0; i < sizeof scale_keys / sizeof scale_keys[0]; i++)
        json_object_object_del(tann, scale_keys[i]); /* func.yaml owns scale */
    merge_map(tmeta, "annotations", pcom_jget(desired, "spec.template.metadata.annotations"));

    json_object *pod = pcom_jobj(tmpl, "spec"), *dpod = pcom_jget(desired, "spec.template.spec");
    json_object *ctrs;
    if (!json_object_object_get_ex(pod, "containers", &ctrs) ||
        !json_object_is_type(ctrs, json_type_array)) {
        ctrs = json_object_new_array();
        json_object_object_add(pod, "containers", ctrs);
    }
    if (pcom_jlen(ctrs) == 0)
        json_object_array_add(ctrs, json_object_new_object());
    json_object *ctr = pcom_jidx(ctrs, 0);
    json_object *dctr = pcom_jidx(pcom_jget(dpod, "containers"), 0);
    static const char *const ctr_keys[] = {"image", "env", "envFrom", "volumeMounts",
                                           "livenessProbe", "readinessProbe", "resources"};
    for (size_t i = 0; i < sizeof ctr_keys / sizeof ctr_keys[0]; i++)
        replace(ctr, dctr, ctr_keys[i]);
    static const char *const pod_keys[] = {"containerConcurrency", "volumes", "serviceAccountName",
                                           "imagePullSecrets"};
    for (size_t i = 0; i < sizeof pod_keys / sizeof pod_keys[0]; i++)
        replace(pod, dpod, pod_keys[i]);
}
