/* Create the WasmModule, or replace it with the resourceVersion just read:
 * POST first (one request in the common first-deploy case); on 409
 * AlreadyExists, GET + PUT, retrying while someone else writes it. */
#include <stdio.h>
#include <string.h>

#include "pcom/deploy_keys.h"
#include "wm.h"

#define MAX_CONFLICTS 5

static int code_for(long status)
{
    if (status == 403)
        return FUNCP_EAUTH;
    if (status == 404)
        return FUNCP_ENOTFOUND;
    if (status == 429 || status >= 500)
        return FUNCP_ENETWORK;
    return FUNCP_EDEPLOY;
}

static int api_error(const funcp_host *h, funcp_call *call, const funcp_kube_response *r, const char *verb,
                     const char *name, const char *ns)
{
    if (wm_not_served(r))
        return h->error(call, FUNCP_ENOTFOUND, WM_NOT_INSTALLED);
    char msg[1024];
    wm_status_message(r, msg, sizeof msg);
    return h->error(call, code_for(r->status), "failed to %s WasmModule \"%s\" in namespace \"%s\": %s", verb,
                    name, ns, msg);
}

static long long generation_of(const char *body)
{
    json_object *o = body ? json_tokener_parse(body) : NULL;
    json_object *g = pcom_jget(o, "metadata.generation");
    long long gen = g ? json_object_get_int64(g) : 0;
    json_object_put(o);
    return gen;
}

/* Our labels and annotations over the existing ones (others' keys stay,
 * ours that func.yaml dropped go: the funcp.dev/managed-* record), our
 * spec in place of theirs. */
static void merge_into(json_object *existing, json_object *module)
{
    static const char *const maps[] = {"labels", "annotations"};
    json_object *md = pcom_jget(existing, "metadata");
    json_object *was = pcom_jget(md, "annotations"), *now = pcom_jget(module, "metadata.annotations");
    json_object *stale_l = pcom_managed_stale(was, now, PCOM_ANN_MANAGED_LABELS);
    json_object *stale_a = pcom_managed_stale(was, now, PCOM_ANN_MANAGED_ANNOTATIONS);
    pcom_drop_keys(pcom_jget(md, "labels"), stale_l);
    pcom_drop_keys(was, stale_a);
    json_object_put(stale_l);
    json_object_put(stale_a);
    for (size_t i = 0; i < 2; i++) {
        json_object *dst = json_object_object_get(md, maps[i]);
        if (!json_object_is_type(dst, json_type_object)) {
            dst = json_object_new_object();
            json_object_object_add(md, maps[i], dst);
        }
        json_object *src = pcom_jget(module, i == 0 ? "metadata.labels" : "metadata.annotations");
        json_object_object_foreach(src, k, v) {
            json_object_object_add(dst, k, json_object_get(v));
        }
    }
    json_object_object_add(existing, "spec", json_object_get(json_object_object_get(module, "spec")));
    json_object_object_del(existing, "status");
}

int wm_apply(const funcp_host *h, funcp_call *call, const char *ns, json_object *module, long long *generation,
             int *created)
{
    const char *name = pcom_jstr(module, "metadata.name");
    char coll[512], path[768];
    wm_collection_path(coll, sizeof coll, ns);
    wm_object_path(path, sizeof path, ns, name);
    const char *body = json_object_to_json_string_ext(module, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
    for (int attempt = 0; attempt <= MAX_CONFLICTS; attempt++) {
        funcp_kube_response r = {sizeof r, 0, NULL, 0};
        int rc = h->kube_request(call, "POST", coll, body, &r);
        if (rc < 0)
            return h->error_wrap(call, "create WasmModule \"%s\"", name);
        if (r.status == 200 || r.status == 201) {
            *generation = generation_of(r.body);
            *created = 1;
            h->free(r.body);
            return FUNCP_OK;
        }
        if (r.status != 409) {
            rc = api_error(h, call, &r, "create", name, ns);
            h->free(r.body);
            return rc;
        }
        h->free(r.body);
        /* It exists: replace it, retrying while writes race ours. */
        for (; attempt <= MAX_CONFLICTS; attempt++) {
            funcp_kube_response g = {sizeof g, 0, NULL, 0};
            if (h->kube_request(call, "GET", path, NULL, &g) < 0)
                return h->error_wrap(call, "get WasmModule \"%s\"", name);
            if (g.status == 404 && !wm_not_served(&g)) {
                h->free(g.body);
                break; /* deleted meanwhile: create it again */
            }
            if (g.status != 200) {
                rc = api_error(h, call, &g, "get", name, ns);
                h->free(g.body);
                return rc;
            }
            json_object *existing = json_tokener_parse(g.body);
            h->free(g.body);
            if (!existing || !pcom_jstr(existing, "metadata.resourceVersion")) {
                json_object_put(existing);
                return h->error(call, FUNCP_EPARSE, "WasmModule \"%s\": the API server answered something else", name);
            }
            merge_into(existing, module);
            funcp_kube_response p = {sizeof p, 0, NULL, 0};
            rc = h->kube_request(call, "PUT", path, json_object_to_json_string_ext(existing, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE), &p);
            json_object_put(existing);
            if (rc < 0)
                return h->error_wrap(call, "update WasmModule \"%s\"", name);
            if (p.status == 200) {
                *generation = generation_of(p.body);
                *created = 0;
                h->free(p.body);
                return FUNCP_OK;
            }
            if (p.status != 409) {
                rc = api_error(h, call, &p, "update", name, ns);
                h->free(p.body);
                return rc;
            }
            h->free(p.body);
            h->log(call, FUNCP_LOG_DEBUG, "WasmModule \"%s\" changed while updating it; retrying with its new resourceVersion",
                   name);
        }
    }
    return h->error(call, FUNCP_EDEPLOY,
                    "failed to update WasmModule \"%s\" in namespace \"%s\": it kept changing (%d conflicts in a row)",
                    name, ns, MAX_CONFLICTS + 1);
}
