/* wit/.versions: which OCI reference each builderImages key was last
 * provisioned from, so unchanged entries are not pulled again. */
#include "pcom/fs.h"
#include "pcom/wit.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

struct pcom_versions {
    json_object *obj;
};

pcom_versions *pcom_versions_load(const char *path)
{
    pcom_versions *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    size_t len = 0;
    char *text = pcom_read_file(path, &len);
    if (text) {
        json_object *parsed = json_tokener_parse(text);
        if (parsed && json_object_is_type(parsed, json_type_object))
            v->obj = parsed;
        else if (parsed)
            json_object_put(parsed);
        free(text);
    }
    if (!v->obj)
        v->obj = json_object_new_object();
    if (!v->obj) {
        free(v);
        return NULL;
    }
    return v;
}

const char *pcom_versions_get(const pcom_versions *v, const char *key)
{
    json_object *val;
    if (!json_object_object_get_ex(v->obj, key, &val) || !json_object_is_type(val, json_type_string))
        return NULL;
    return json_object_get_string(val);
}

int pcom_versions_set(pcom_versions *v, const char *key, const char *ref)
{
    json_object *s = json_object_new_string(ref);
    if (!s)
        return -1;
    return json_object_object_add(v->obj, key, s);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int pcom_versions_save(const pcom_versions *v, const char *path)
{
    /* json-c keeps insertion order: rebuild the object with sorted keys. */
    size_t n = (size_t)json_object_object_length(v->obj);
    const char **keys = calloc(n ? n : 1, sizeof *keys);
    if (!keys)
        return -1;
    size_t i = 0;
    json_object_object_foreach(v->obj, key, val) {
        (void)val;
        keys[i++] = key;
    }
    qsort(keys, n, sizeof *keys, cmp_str);
    json_object *sorted = json_object_new_object();
    int rc = sorted ? 0 : -1;
    for (i = 0; rc == 0 && i < n; i++) {
        json_object *item = json_object_object_get(v->obj, keys[i]);
        rc = json_object_object_add(sorted, keys[i], json_object_get(item));
    }
    free(keys);
    if (rc == 0) {
        const char *text = n == 0 ? "{}" : json_object_to_json_string_ext(sorted,
            JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
        char *withnl = pcom_strdup_printf("%s\n", text);
        rc = withnl ? pcom_write_file_atomic(path, withnl, strlen(withnl), 0644) : -1;
        free(withnl);
    }
    json_object_put(sorted);
    return rc;
}

void pcom_versions_free(pcom_versions *v)
{
    if (!v)
        return;
    json_object_put(v->obj);
    free(v);
}
