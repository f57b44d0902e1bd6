#include "pcom/deploy_keys.h"

#include <stdlib.h>
#include <string.h>

#include "pcom/json.h"

static int is_set(const funcp_host *h, funcp_call *c, const char *path)
{
    const char *v = h->fy_get(c, path);
    return (v && *v) || (funcp_host_has(h, fy_count) && h->fy_count(c, path) > 0);
}

void pcom_warn_unapplied(const funcp_host *h, funcp_call *c, const char *deployer,
                         const pcom_unapplied *keys, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (is_set(h, c, keys[i].path))
            h->log(c, FUNCP_LOG_WARN, "deployer \"%s\" cannot apply func.yaml %s (%s); ignored", deployer,
                   keys[i].path, keys[i].why);
    /* knative func's top-level `deployer` (raw, keda, ...) is its request
     * for another deployer; funcp chooses from --deployer, deploy.deployer
     * or the runtime, so say that this one is not it. */
    const char *wanted = h->fy_get(c, "deployer");
    if (wanted && *wanted && strcmp(wanted, deployer) != 0)
        h->log(c, FUNCP_LOG_WARN,
               "deployer \"%s\" cannot apply func.yaml deployer (\"%s\": funcp takes the deployer from "
               "--deployer, deploy.deployer or the runtime); ignored", deployer, wanted);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int is_record_key(const char *k)
{
    return strcmp(k, PCOM_ANN_MANAGED_LABELS) == 0 || strcmp(k, PCOM_ANN_MANAGED_ANNOTATIONS) == 0;
}

/* The keys of `map` sorted and comma-joined (label and annotation keys
 * never hold commas). */
static char *joined_keys(json_object *map)
{
    size_t n = 0, len = 1;
    if (map && json_object_is_type(map, json_type_object)) {
        json_object_object_foreach(map, k, v) {
            (void)v;
            n++;
            len += strlen(k) + 1;
        }
    }
    const char **keys = calloc(n ? n : 1, sizeof *keys);
    char *out = malloc(len);
    if (!keys || !out) {
        free(keys);
        free(out);
        return NULL;
    }
    size_t i = 0;
    if (n) {
        json_object_object_foreach(map, k, v) {
            (void)v;
            if (!is_record_key(k))
                keys[i++] = k;
        }
    }
    qsort(keys, i, sizeof *keys, by_name);
    out[0] = '\0';
    for (size_t j = 0; j < i; j++) {
        if (j)
            strcat(out, ",");
        strcat(out, keys[j]);
    }
    free(keys);
    return out;
}

void pcom_managed_record(json_object *record, json_object *labels, json_object *annotations)
{
    char *l = joined_keys(labels), *a = joined_keys(annotations);
    if (l && a) {
        pcom_jset_str(record, PCOM_ANN_MANAGED_LABELS, l);
        pcom_jset_str(record, PCOM_ANN_MANAGED_ANNOTATIONS, a);
    }
    free(l);
    free(a);
}

/* What knative func sets itself and overwrites on every deploy. */
static const char *const func_labels[] = {"boson.dev/function", "func.domain", "function.knative.dev/name",
                                          "function.knative.dev/runtime"};
static const char *const func_annotations[] = {
    "function.knative.dev/deployer", "dapr.io/app-id", "dapr.io/enabled", "dapr.io/metrics-port",
    "dapr.io/app-port", "dapr.io/enable-api-logging", "autoscaling.knative.dev/min-scale",
    "autoscaling.knative.dev/max-scale", "autoscaling.knative.dev/metric", "autoscaling.knative.dev/target",
    "autoscaling.knative.dev/target-utilization-percentage"};

/* Is `key` one of the comma-separated `list`? */
static int listed(const char *list, const char *key)
{
    size_t kl = strlen(key);
    for (const char *p = list; p && *p;) {
        size_t n = strcspn(p, ",");
        if (n == kl && strncmp(p, key, n) == 0)
            return 1;
        p += n + (p[n] == ',');
    }
    return 0;
}

static const char *record_of(json_object *annotations, const char *which)
{
    json_object *v;
    if (!annotations || !json_object_is_type(annotations, json_type_object) ||
        !json_object_object_get_ex(annotations, which, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

json_object *pcom_managed_stale(json_object *cur, json_object *next, const char *which)
{
    json_object *out = json_object_new_array();
    const char *was = record_of(cur, which), *now = record_of(next, which);
    if (!was) {
        int labels = strcmp(which, PCOM_ANN_MANAGED_LABELS) == 0;
        const char *const *keys = labels ? func_labels : func_annotations;
        size_t n = labels ? sizeof func_labels / sizeof *keys : sizeof func_annotations / sizeof *keys;
        for (size_t i = 0; i < n; i++)
            if (!listed(now, keys[i]))
                json_object_array_add(out, json_object_new_string(keys[i]));
        return out;
    }
    for (const char *p = was; *p;) {
        size_t n = strcspn(p, ",");
        char key[320];
        if (n > 0 && n < sizeof key) {
            memcpy(key, p, n);
            key[n] = '\0';
            if (!listed(now, key))
                json_object_array_add(out, json_object_new_string(key));
        }
        p += n + (p[n] == ',');
    }
    return out;
}

void pcom_drop_keys(json_object *map, json_object *keys)
{
    if (!map || !json_object_is_type(map, json_type_object))
        return;
    for (size_t i = 0; i < pcom_jlen(keys); i++)
        json_object_object_del(map, json_object_get_string(pcom_jidx(keys, i)));
}

const char *pcom_moved_from(const funcp_host *h, funcp_call *c, const char *ns)
{
    const char *last = h->fy_get(c, "deploy.namespace");
    if (!last || !*last || !ns || strcmp(last, ns) == 0)
        return NULL;
    return last;
}

void pcom_log_moved(const funcp_host *h, funcp_call *c, const char *name, const char *from, const char *to)
{
    h->log(c, FUNCP_LOG_WARN, "function \"%s\" moved from namespace \"%s\" to \"%s\"", name, from, to);
}
