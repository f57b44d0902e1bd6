#include "pcom/kube.h"

#include <string.h>

#include "pcom/json.h"

void pcom_kube_func_labels(json_object *labels, const char *name, const char *runtime,
                           const char *domain)
{
    pcom_jset_str(labels, PCOM_LABEL_NAME, name);
    if (runtime)
        pcom_jset_str(labels, PCOM_LABEL_RUNTIME, runtime);
    pcom_jset_str(labels, "boson.dev/function", "true");
    if (domain && *domain)
        pcom_jset_str(labels, "func.domain", domain);
}

static const char *meta_str(json_object *obj, const char *map, const char *key)
{
    json_object *m = pcom_jget(pcom_jget(obj, "metadata"), map), *v;
    if (!m || !json_object_is_type(m, json_type_object) || !json_object_object_get_ex(m, key, &v) ||
        !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

const char *pcom_kube_label(json_object *obj, const char *key)
{
    return meta_str(obj, "labels", key);
}

const char *pcom_kube_annotation(json_object *obj, const char *key)
{
    return meta_str(obj, "annotations", key);
}

json_object *pcom_kube_key_ref(const char *kind, const char *name, const char *key)
{
    json_object *ref = json_object_new_object(), *from = json_object_new_object();
    pcom_jset_str(ref, "name", name);
    pcom_jset_str(ref, "key", key);
    json_object_object_add(from, strcmp(kind, "secret") == 0 ? "secretKeyRef" : "configMapKeyRef", ref);
    return from;
}

int pcom_kube_not_served(long status, json_object *body)
{
    if (status != 404)
        return 0;
    const char *kind = pcom_jstr(body, "kind");
    return !(kind && strcmp(kind, "Status") == 0);
}
