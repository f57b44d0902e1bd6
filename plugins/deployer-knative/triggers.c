/* deploy.subscriptions -> Knative Eventing Triggers, named and shaped as
 * func names them (<name>-function-trigger-<i>, owned by the Service). Unlike
 * func, an existing Trigger is updated to the current filters and Triggers of
 * subscriptions that were removed from func.yaml are deleted. */
#include <stdlib.h>
#include <string.h>

#include "kn.h"

#define KN_EVENTING "/apis/eventing.knative.dev/v1"

static json_object *owner_ref(const char *name, const char *uid)
{
    json_object *refs = json_object_new_array(), *r = json_object_new_object();
    pcom_jset_str(r, "apiVersion", "serving.knative.dev/v1");
    pcom_jset_str(r, "kind", "Service");
    pcom_jset_str(r, "name", name);
    pcom_jset_str(r, "uid", uid);
    json_object_array_add(refs, r);
    return refs;
}

static json_object *trigger(const char *name, size_t i, const char *uid, json_object *sub)
{
    json_object *t = json_object_new_object();
    pcom_jset_str(t, "apiVersion", "eventing.knative.dev/v1");
    pcom_jset_str(t, "kind", "Trigger");
    json_object *md = pcom_jobj(t, "metadata");
    char *tname = pcom_strdup_printf("%s-function-trigger-%zu", name, i);
    pcom_jset_str(md, "name", tname);
    free(tname);
    json_object_object_add(md, "ownerReferences", owner_ref(name, uid));
    json_object *spec = pcom_jobj(t, "spec");
    const char *broker = pcom_jstr(sub, "source");
    pcom_jset_str(spec, "broker", broker ? broker : "default");
    json_object *attrs = json_object_new_object(), *filters = pcom_jget(sub, "filters");
    if (filters && json_object_is_type(filters, json_type_object)) {
        json_object_object_foreach(filters, k, v) {
            const char *s = json_object_get_string(v);
            pcom_jset_str(attrs, k, s ? s : "");
        }
    }
    json_object_object_add(pcom_jobj(spec, "filter"), "attributes", attrs);
    json_object *ref = pcom_jobj(pcom_jobj(spec, "subscriber"), "ref");
    pcom_jset_str(ref, "apiVersion", "serving.knative.dev/v1");
    pcom_jset_str(ref, "kind", "Service");
    pcom_jset_str(ref, "name", name);
    return t;
}

static int owned_by(json_object *obj, const char *uid)
{
    json_object *refs = pcom_jget(obj, "metadata.ownerReferences");
    for (size_t i = 0; i < pcom_jlen(refs); i++) {
        const char *u = pcom_jstr(pcom_jidx(refs, i), "uid");
        if (u && strcmp(u, uid) == 0)
            return 1;
    }
    return 0;
}

/* Create, or update the one we own of the same name. */
static int apply_one(const funcp_host *h, funcp_call *c, const char *ns, json_object *t, const char *uid)
{
    const char *tname = pcom_jstr(t, "metadata.name");
    char *coll = pcom_strdup_printf(KN_EVENTING "/namespaces/%s/triggers", ns);
    char *one = pcom_strdup_printf(KN_EVENTING "/namespaces/%s/triggers/%s", ns, tname);
    kn_resp r;
    int rc = kn_request(h, c, "POST", coll, json_object_to_json_string_ext(t, JSON_C_TO_STRING_PLAIN), &r);
    if (rc == FUNCP_OK && r.status == 409) {
        kn_resp_free(h, &r);
        rc = kn_request(h, c, "GET", one, NULL, &r);
        if (rc == FUNCP_OK && r.status == 200 && r.obj) {
            if (!owned_by(r.obj, uid)) {
                rc = h->error(c, FUNCP_EEXISTS, "Trigger \"%s\" in namespace \"%s\" exists and does not belong "
                              "to this function", tname, ns);
            } else {
                json_object_object_add(r.obj, "spec", json_object_get(pcom_jget(t, "spec")));
                json_object_object_del(r.obj, "status");
                kn_resp put;
                rc = kn_request(h, c, "PUT", one, json_object_to_json_string_ext(r.obj, JSON_C_TO_STRING_PLAIN), &put);
                if (rc == FUNCP_OK && (put.status < 200 || put.status > 299))
                    rc = kn_fail(h, c, &put, "knative deployer failed to update the Trigger");
                kn_resp_free(h, &put);
            }
        } else if (rc == FUNCP_OK) {
            rc = kn_fail(h, c, &r, "knative deployer failed to get the Trigger");
        }
    } else if (rc == FUNCP_OK && kn_not_served(&r)) {
        rc = h->error(c, FUNCP_ENOTFOUND, "Knative Eventing is not installed in this cluster; "
                      "deploy.subscriptions need its Triggers");
    } else if (rc == FUNCP_OK && (r.status < 200 || r.status > 299)) {
        rc = kn_fail(h, c, &r, "knative deployer failed to create the Trigger");
    }
    kn_resp_free(h, &r); /* zeroed by kn_request even when it failed */
    free(coll);
    free(one);
    return rc;
}

/* Delete our Triggers whose subscription is gone (index >= n). */
static int prune(const funcp_host *h, funcp_call *c, const char *ns, const char *name, const char *uid, size_t n)
{
    char *coll = pcom_strdup_printf(KN_EVENTING "/namespaces/%s/triggers", ns);
    char *prefix = pcom_strdup_printf("%s-function-trigger-", name);
    kn_resp r;
    int rc = kn_request(h, c, "GET", coll, NULL, &r);
    if (rc == FUNCP_OK && r.status == 200) {
        json_object *items = pcom_jget(r.obj, "items");
        for (size_t i = 0; rc == FUNCP_OK && i < pcom_jlen(items); i++) {
            json_object *t = pcom_jidx(items, i);
            const char *tn = pcom_jstr(t, "metadata.name");
            char *end;
            if (!tn || strncmp(tn, prefix, strlen(prefix)) != 0 || !owned_by(t, uid))
                continue;
            unsigned long idx = strtoul(tn + strlen(prefix), &end, 10);
            if (*end || idx < n)
                continue;
            char *one = pcom_strdup_printf("%s/%s", coll, tn);
            kn_resp d;
            if (kn_request(h, c, "DELETE", one, NULL, &d) == FUNCP_OK) {
                if (d.status != 200 && d.status != 202 && d.status != 404)
                    rc = kn_fail(h, c, &d, "knative deployer failed to delete a stale Trigger");
                else
                    h->log(c, FUNCP_LOG_DEBUG, "deleted Trigger %s (its subscription is gone)", tn);
                kn_resp_free(h, &d);
            }
            free(one);
        }
    } else if (rc != FUNCP_OK) {
        rc = FUNCP_OK; /* best effort: Eventing may be absent */
    }
    kn_resp_free(h, &r);
    free(coll);
    free(prefix);
    return rc;
}

int kn_apply_triggers(const funcp_host *h, funcp_call *c, const char *ns, const char *name,
                      const char *uid, int created)
{
    char *text = h->fy_json(c, "deploy.subscriptions");
    json_object *subs = text ? json_tokener_parse(text) : NULL;
    if (text)
        h->free(text);
    size_t n = pcom_jlen(subs);
    int rc = FUNCP_OK;
    kn_resp svc;
    memset(&svc, 0, sizeof svc);
    if (n == 0 && created) {
        json_object_put(subs);
        return FUNCP_OK;
    }
    if (!uid) {
        char *path = pcom_strdup_printf(KN_SERVING "/namespaces/%s/services/%s", ns, name);
        rc = kn_request(h, c, "GET", path, NULL, &svc);
        free(path);
        if (rc != FUNCP_OK) {
            json_object_put(subs);
            return h->error_wrap(c, "knative deployer failed to get the Service for Trigger");
        }
        uid = svc.status == 200 ? pcom_jstr(svc.obj, "metadata.uid") : NULL;
        if (!uid && n)
            rc = kn_fail(h, c, &svc, "knative deployer failed to get the Service for Trigger");
    }
    if (uid) {
        for (size_t i = 0; rc == FUNCP_OK && i < n; i++) {
            json_object *t = trigger(name, i, uid, pcom_jidx(subs, i));
            rc = apply_one(h, c, ns, t, uid);
            json_object_put(t);
        }
        if (rc == FUNCP_OK)
            rc = prune(h, c, ns, name, uid, n);
    }
    kn_resp_free(h, &svc);
    json_object_put(subs);
    return rc;
}

int kn_triggers_preflight(const funcp_host *h, funcp_call *c, const char *ns)
{
    if (h->fy_count(c, "deploy.subscriptions") == 0)
        return FUNCP_OK;
    char *path = pcom_strdup_printf(KN_EVENTING "/namespaces/%s/triggers?limit=1", ns);
    kn_resp r;
    int rc = kn_request(h, c, "GET", path, NULL, &r);
    free(path);
    if (rc != FUNCP_OK)
        return h->error_wrap(c, "checking for Knative Eventing");
    if (kn_not_served(&r))
        rc = h->error(c, FUNCP_ENOTFOUND, "Knative Eventing is not installed in this cluster; "
                      "deploy.subscriptions need its Triggers");
    kn_resp_free(h, &r);
    return rc;
}
