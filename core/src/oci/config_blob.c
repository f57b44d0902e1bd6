#include "oci/config_blob.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/error.h"

static json_object *string_array(char *const *items, size_t n)
{
    json_object *a = json_object_new_array();
    for (size_t i = 0; i < n; i++)
        json_object_array_add(a, json_object_new_string(items[i]));
    return a;
}

static int take_json(json_object *root, char **json, size_t *len)
{
    const char *s = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
    *json = s ? strdup(s) : NULL;
    json_object_put(root);
    if (!*json)
        return fp_error_set(FUNCP_ERROR, "out of memory");
    if (len)
        *len = strlen(*json);
    return FUNCP_OK;
}

static void created_now(char out[32])
{
    time_t t = time(NULL);
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    if (epoch && *epoch) {
        char *end;
        long long v = strtoll(epoch, &end, 10);
        if (!*end && v >= 0)
            t = (time_t)v;
    }
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int fp_config_blob(const fp_wasm_info *info, const char *layer_digest, const char *created, char **json,
                   size_t *len)
{
    char now[32];
    if (!created) {
        created_now(now);
        created = now;
    }
    json_object *root = json_object_new_object();
    json_object_object_add(root, "created", json_object_new_string(created));
    json_object_object_add(root, "architecture", json_object_new_string("wasm"));
    json_object_object_add(root, "os", json_object_new_string(info->os));
    json_object *layers = json_object_new_array();
    json_object_array_add(layers, json_object_new_string(layer_digest));
    json_object_object_add(root, "layerDigests", layers);
    if (info->is_component) {
        json_object *component = json_object_new_object();
        json_object_object_add(component, "exports", string_array(info->exports, info->n_exports));
        json_object_object_add(component, "imports", string_array(info->imports, info->n_imports));
        json_object_object_add(root, "component", component);
    }
    return take_json(root, json, len);
}

static json_object *descriptor(const char *media_type, unsigned long long size, const char *digest)
{
    json_object *d = json_object_new_object();
    json_object_object_add(d, "mediaType", json_object_new_string(media_type));
    json_object_object_add(d, "size", json_object_new_int64((int64_t)size));
    json_object_object_add(d, "digest", json_object_new_string(digest));
    return d;
}

int fp_manifest_json(const char *config_digest, size_t config_size, const char *layer_digest,
                     unsigned long long layer_size, char **json, size_t *len)
{
    json_object *root = json_object_new_object();
    json_object_object_add(root, "schemaVersion", json_object_new_int(2));
    json_object_object_add(root, "mediaType", json_object_new_string(FP_MEDIA_MANIFEST));
    json_object_object_add(root, "config", descriptor(FP_MEDIA_WASM_CONFIG, config_size, config_digest));
    json_object *layers = json_object_new_array();
    json_object_array_add(layers, descriptor(FP_MEDIA_WASM_LAYER, layer_size, layer_digest));
    json_object_object_add(root, "layers", layers);
    return take_json(root, json, len);
}
