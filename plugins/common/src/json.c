#include "pcom/json.h"

#include <stdlib.h>
#include <string.h>

json_object *pcom_jget(json_object *o, const char *path)
{
    char key[256];
    const char *p = path;
    while (o && *p) {
        size_t n = strcspn(p, ".");
        if (n >= sizeof key || !json_object_is_type(o, json_type_object))
            return NULL;
        memcpy(key, p, n);
        key[n] = '\0';
        if (!json_object_object_get_ex(o, key, &o))
            return NULL;
        p += n + (p[n] == '.');
    }
    return o;
}

const char *pcom_jstr(json_object *o, const char *path)
{
    json_object *v = pcom_jget(o, path);
    return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

int64_t pcom_jint(json_object *o, const char *path, int64_t def)
{
    json_object *v = pcom_jget(o, path);
    return v && json_object_is_type(v, json_type_int) ? json_object_get_int64(v) : def;
}

size_t pcom_jlen(json_object *a)
{
    return a && json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
}

json_object *pcom_jidx(json_object *a, size_t i)
{
    return i < pcom_jlen(a) ? json_object_array_get_idx(a, i) : NULL;
}

json_object *pcom_jobj(json_object *o, const char *key)
{
    json_object *v;
    if (json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_object))
        return v;
    v = json_object_new_object();
    json_object_object_add(o, key, v);
    return v;
}

void pcom_jset_str(json_object *o, const char *key, const char *value)
{
    json_object_object_add(o, key, json_object_new_string(value));
}

json_object *pcom_condition(json_object *o, const char *type)
{
    json_object *conds = pcom_jget(o, "status.conditions");
    for (size_t i = 0; i < pcom_jlen(conds); i++) {
        json_object *c = pcom_jidx(conds, i);
        const char *t = pcom_jstr(c, "type");
        if (t && strcmp(t, type) == 0)
            return c;
    }
    return NULL;
}

void pcom_urlenc_into(char *buf, size_t size, const char *value)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    if (!size)
        return;
    for (const unsigned char *p = (const unsigned char *)value; *p && o + 3 < size; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.' || *p == '~') {
            buf[o++] = (char)*p;
        } else {
            buf[o++] = '%';
            buf[o++] = hex[*p >> 4];
            buf[o++] = hex[*p & 15];
        }
    }
    buf[o] = '\0';
}

char *pcom_urlenc(const char *value)
{
    size_t size = strlen(value) * 3 + 1;
    char *out = malloc(size);
    if (out)
        pcom_urlenc_into(out, size, value);
    return out;
}
