/* describe: routes, the image of the latest READY revision (func shows the
 * latest created one, which may be the failed one), conditions, labels, and
 * the event subscriptions (Triggers whose subscriber is the Service), which
 * funcp shows as func's `subscriptions`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kn.h"

static char *ready_image(const funcp_host *h, funcp_call *c, const char *ns, const char *rev)
{
    char *path = pcom_strdup_printf(KN_SERVING "/namespaces/%s/revisions/%s", ns, rev);
    kn_resp r;
    char *img = NULL;
    if (path && kn_request(h, c, "GET", path, NULL, &r) == FUNCP_OK) {
        if (r.status == 200 && r.obj) {
            /* Prefer the digest Serving resolved; fall back to the spec. */
            json_object *st = pcom_jidx(pcom_jget(r.obj, "status.containerStatuses"), 0);
            json_object *ctr = pcom_jidx(pcom_jget(r.obj, "spec.containers"), 0);
            const char *v = st ? pcom_jstr(st, "imageDigest") : NULL;
            if (!v && ctr)
                v = pcom_jstr(ctr, "image");
            img = v ? strdup(v) : NULL;
        }
        kn_resp_free(h, &r);
    }
    free(path);
    return img;
}

static json_object *detail(json_object *svc)
{
    json_object *d = json_object_new_object(), *routes = json_object_new_array();
    json_object *traffic = pcom_jget(svc, "status.traffic");
    for (size_t i = 0; traffic && i < pcom_jlen(traffic); i++)
        json_object_array_add(routes, json_object_get(pcom_jidx(traffic, i)));
    json_object_object_add(d, "routes", routes);
    static const char *const copy[][2] = {
        {"status.url", "url"}, {"status.address.url", "address"},
        {"status.latestReadyRevisionName", "latestReadyRevision"},
        {"status.latestCreatedRevisionName", "latestCreatedRevision"}};
    for (size_t i = 0; i < sizeof copy / sizeof copy[0]; i++) {
        const char *v = pcom_jstr(svc, copy[i][0]);
        if (v)
            pcom_jset_str(d, copy[i][1], v);
    }
    json_object *conds = json_object_new_array(), *src = pcom_jget(svc, "status.conditions");
    for (size_t i = 0; src && i < pcom_jlen(src); i++) {
        json_object *s = pcom_jidx(src, i), *o = json_object_new_object();
        static const char *const keys[] = {"type", "status", "reason", "message"};
        for (size_t k = 0; k < 4; k++)
            if (pcom_jstr(s, keys[k]))
                pcom_jset_str(o, keys[k], pcom_jstr(s, keys[k]));
        json_object_array_add(conds, o);
    }
    json_object_object_add(d, "conditions", conds);
    json_object *labels = pcom_jget(svc, "metadata.labels");
    json_object_object_add(d, "labels", labels ? json_object_get(labels) : json_object_new_object());
    return d;
}

#define KN_EVENTING_TRIGGERS "/apis/eventing.knative.dev/v1/namespaces/%s/triggers"

/* func's Subscription {source, type, broker} for each Trigger that sends to
 * the Service. Without Eventing (or not allowed to read Triggers) there are
 * none, as in func. */
static json_object *subscriptions(const funcp_host *h, funcp_call *c, const char *ns,
                                  const char *name)
{
    json_object *subs = json_object_new_array();
    char *path = pcom_strdup_printf(KN_EVENTING_TRIGGERS, ns);
    kn_resp r;
    if (!path || kn_request(h, c, "GET", path, NULL, &r) != FUNCP_OK) {
        free(path);
        return subs;
    }
    if (r.status != 200 || !r.obj)
        h->log(c, FUNCP_LOG_DEBUG, "Triggers in namespace \"%s\" not readable (HTTP %ld): no subscriptions shown",
               ns, r.status);
    json_object *items = r.status == 200 ? pcom_jget(r.obj, "items") : NULL;
    for (size_t i = 0; i < pcom_jlen(items); i++) {
        json_object *t = pcom_jidx(items, i);
        const char *ref = pcom_jstr(t, "spec.subscriber.ref.name");
        if (!ref || strcmp(ref, name) != 0)
            continue;
        json_object *s = json_object_new_object();
        const char *v;
        pcom_jset_str(s, "source", (v = pcom_jstr(t, "spec.filter.attributes.source")) ? v : "");
        pcom_jset_str(s, "type", (v = pcom_jstr(t, "spec.filter.attributes.type")) ? v : "");
        pcom_jset_str(s, "broker", (v = pcom_jstr(t, "spec.broker")) ? v : "");
        json_object_array_add(subs, s);
    }
    kn_resp_free(h, &r);
    free(path);
    return subs;
}

int kn_describe(const funcp_host *h, funcp_call *c, const char *name, funcp_instance_fn fn, void *user)
{
    const char *ns;
    char what[512];
    snprintf(what, sizeof what, "function namespace is required when describing \"%s\"", name);
    int rc = kn_namespace(h, c, what, &ns);
    if (rc != FUNCP_OK)
        return rc;
    char *path = pcom_strdup_printf(KN_SERVING "/namespaces/%s/services/%s", ns, name);
    kn_resp r;
    rc = kn_request(h, c, "GET", path, NULL, &r);
    free(path);
    if (rc != FUNCP_OK)
        return h->error_wrap(c, "describing \"%s\"", name);
    if (kn_not_served(&r)) {
        kn_resp_free(h, &r);
        return h->error(c, FUNCP_ENOTFOUND, KN_NOT_INSTALLED);
    }
    if (r.status == 404 || (r.status == 200 && r.obj && !kn_is_function(r.obj))) {
        kn_resp_free(h, &r);
        return h->error(c, FUNCP_ENOTFOUND, "function \"%s\" not found in namespace \"%s\"", name, ns);
    }
    if (r.status != 200 || !r.obj) {
        rc = kn_fail(h, c, &r, "failed to check if service uses Knative");
        kn_resp_free(h, &r);
        return rc;
    }
    funcp_instance inst;
    kn_instance_from(r.obj, &inst);
    if (!inst.namespace_)
        inst.namespace_ = ns;
    const char *ready_rev = pcom_jstr(r.obj, "status.latestReadyRevisionName");
    char *img = ready_rev ? ready_image(h, c, ns, ready_rev) : NULL;
    if (img)
        inst.image = img;
    json_object *d = detail(r.obj);
    json_object_object_add(d, "subscriptions", subscriptions(h, c, ns, name));
    inst.detail_json = json_object_to_json_string_ext(d, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
    fn(user, &inst);
    json_object_put(d);
    free(img);
    kn_resp_free(h, &r);
    return FUNCP_OK;
}
