#include <stdio.h>
#include <string.h>

#include "wm.h"

json_object *wm_get(json_object *obj, const char *path)
{
    char key[128];
    while (obj && *path) {
        size_t n = strcspn(path, ".");
        if (n >= sizeof key)
            return NULL;
        memcpy(key, path, n);
        key[n] = '\0';
        if (!json_object_is_type(obj, json_type_object) || !json_object_object_get_ex(obj, key, &obj))
            return NULL;
        path += n + (path[n] == '.');
    }
    return obj;
}

const char *wm_str(json_object *obj, const char *path)
{
    json_object *v = wm_get(obj, path);
    return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

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

void wm_query_escape(char *buf, size_t size, const char *value)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)value; *p && o + 4 < size; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '.' || *p == '_' || *p == '~') {
            buf[o++] = (char)*p;
        } else {
            buf[o++] = '%';
            buf[o++] = hex[*p >> 4];
            buf[o++] = hex[*p & 15];
        }
    }
    buf[o] = '\0';
}

static json_object *parse_status(const funcp_kube_response *r)
{
    json_object *o = r->body ? json_tokener_parse(r->body) : NULL;
    const char *kind = wm_str(o, "kind");
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
    json_object *st = parse_status(r);
    json_object_put(st);
    return st == NULL;
}

void wm_status_message(const funcp_kube_response *r, char *buf, size_t size)
{
    json_object *st = parse_status(r);
    const char *msg = wm_str(st, "message");
    if (msg && *msg) {
        snprintf(buf, size, "%s", msg);
    } else if (st && wm_str(st, "reason")) {
        snprintf(buf, size, "%s (HTTP %ld)", wm_str(st, "reason"), r->status);
    } else {
        size_t n = r->body ? strcspn(r->body, "\r\n") : 0;
        if (n > 200)
            n = 200;
        snprintf(buf, size, "HTTP %ld%s%.*s", r->status, n ? ": " : "", (int)n, r->body ? r->body : "");
    }
    json_object_put(st);
}

json_object *wm_ready_condition(json_object *obj)
{
    json_object *conds = wm_get(obj, "status.conditions");
    if (!conds || !json_object_is_type(conds, json_type_array))
        return NULL;
    for (size_t i = 0; i < json_object_array_length(conds); i++) {
        json_object *c = json_object_array_get_idx(conds, i);
        const char *type = wm_str(c, "type");
        if (type && strcmp(type, "Ready") == 0)
            return c;
    }
    return NULL;
}
