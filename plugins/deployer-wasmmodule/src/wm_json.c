/* WasmModule paths and API server error bodies. */
#include <stdio.h>
#include <string.h>

#include "wm.h"

void wm_collection_path(char *buf, size_t size, const char *ns)
{
    if (ns)
        snprintf(buf, size, "/apis/" WM_API_VERSION "/namespaces/%s/wasmmodules", ns);
    else
        snprintf(buf, size, "/apis/" WM_API_VERSION "/wasmmodules");
}

void wm_object_path(char *buf, size_t size, const char *ns, const char *name)
{
    snprintf(buf, size, "/apis/" WM_API_VERSION "/namespaces/%s/wasmmodules/%s", ns, name);
}

static json_object *parse_status(const funcp_kube_response *r)
{
    json_object *o = r->body ? json_tokener_parse(r->body) : NULL;
    const char *kind = pcom_jstr(o, "kind");
    if (!kind || strcmp(kind, "Status") != 0) {
        json_object_put(o);
        return NULL;
    }
    return o;
}

int wm_not_served(const funcp_kube_response *r)
{
    if (r->status != 404)
        return 0;
    json_object *body = r->body ? json_tokener_parse(r->body) : NULL;
    int unserved = pcom_kube_not_served(r->status, body);
    json_object_put(body);
    return unserved;
}

void wm_status_message(const funcp_kube_response *r, char *buf, size_t size)
{
    json_object *st = parse_status(r);
    const char *msg = pcom_jstr(st, "message");
    if (msg && *msg) {
        snprintf(buf, size, "%s", msg);
    } else if (st && pcom_jstr(st, "reason")) {
        snprintf(buf, size, "%s (HTTP %ld)", pcom_jstr(st, "reason"), r->status);
    } else {
        size_t n = r->body ? strcspn(r->body, "\r\n") : 0;
        if (n > 200)
            n = 200;
        snprintf(buf, size, "HTTP %ld%s%.*s", r->status, n ? ": " : "", (int)n, r->body ? r->body : "");
    }
    json_object_put(st);
}
