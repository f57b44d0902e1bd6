#include "oci/artifact.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "oci/config_blob.h"
#include "oci/reference.h"
#include "oci/wasm_inspect.h"
#include "util/error.h"

/* "created" is the file's modification time (unless SOURCE_DATE_EPOCH is
 * set): pushing the same build twice gives the same artifact, so
 * registries and layouts deduplicate it. NULL: let the config decide. */
static const char *created_of(const char *path, char buf[32])
{
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    struct stat st;
    if ((epoch && *epoch) || stat(path, &st) != 0)
        return NULL;
    struct tm tm;
    time_t t = st.st_mtime;
    gmtime_r(&t, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

int fp_artifact_build(fp_artifact *a, const fp_wasm_info *info, const char *wasm_path, const char *layer_digest,
                      uint64_t layer_size)
{
    memset(a, 0, sizeof *a);
    snprintf(a->layer.digest, sizeof a->layer.digest, "%s", layer_digest);
    a->layer.size = layer_size;
    char created[32];
    int rc = fp_config_blob(info, a->layer.digest, created_of(wasm_path, created), &a->config_json, &a->config_len);
    if (!rc)
        rc = fp_digest_buffer(a->config_json, a->config_len, a->config.digest);
    if (!rc) {
        a->config.size = a->config_len;
        strcpy(a->layer.media_type, FP_MEDIA_WASM_LAYER);
        strcpy(a->config.media_type, FP_MEDIA_WASM_CONFIG);
        rc = fp_manifest_json(a->config.digest, a->config_len, a->layer.digest, a->layer.size, &a->manifest,
                              &a->manifest_len);
    }
    if (!rc)
        rc = fp_digest_buffer(a->manifest, a->manifest_len, a->manifest_digest);
    if (rc)
        fp_artifact_free(a);
    return rc;
}

int fp_artifact_from_wasm(const char *wasm_path, fp_artifact *a)
{
    memset(a, 0, sizeof *a);
    fp_wasm_info info;
    int rc = fp_wasm_inspect_file(wasm_path, &info);
    if (rc)
        return rc;
    char digest[FP_DIGEST_LEN + 1];
    uint64_t size = 0;
    rc = fp_digest_file(wasm_path, digest, &size);
    if (!rc)
        rc = fp_artifact_build(a, &info, wasm_path, digest, size);
    fp_wasm_info_free(&info);
    return rc;
}

void fp_artifact_free(fp_artifact *a)
{
    free(a->config_json);
    free(a->manifest);
    a->config_json = a->manifest = NULL;
}

static int read_descriptor(json_object *obj, const char *what, const char *field, fp_descriptor *d)
{
    json_object *mt, *dg, *sz;
    if (!json_object_is_type(obj, json_type_object) || !json_object_object_get_ex(obj, "mediaType", &mt) ||
        !json_object_object_get_ex(obj, "digest", &dg) || !json_object_object_get_ex(obj, "size", &sz) ||
        !json_object_is_type(mt, json_type_string) || !json_object_is_type(dg, json_type_string) ||
        !json_object_is_type(sz, json_type_int) || json_object_get_int64(sz) < 0)
        return fp_error_set(FUNCP_EPARSE, "%s: %s is not a descriptor {mediaType, digest, size}", what, field);
    if (json_object_get_string_len(mt) >= (int)sizeof d->media_type ||
        !fp_oci_digest_valid(json_object_get_string(dg)))
        return fp_error_set(FUNCP_EPARSE, "%s: %s has a bad media type or a digest that is not sha256", what,
                            field);
    strcpy(d->media_type, json_object_get_string(mt));
    strcpy(d->digest, json_object_get_string(dg));
    d->size = (uint64_t)json_object_get_int64(sz);
    return FUNCP_OK;
}

static int one_of(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(s, *list))
            return 1;
    return 0;
}

int fp_manifest_parse(const char *json, size_t len, const char *what, fp_descriptor *config,
                      fp_descriptor *layer)
{
    static const char *const config_types[] = {FP_MEDIA_WASM_CONFIG, "application/vnd.wasm.config.v1+json", NULL};
    static const char *const layer_types[] = {FP_MEDIA_WASM_LAYER, "application/vnd.wasm.content.layer.v1+wasm",
                                              "application/vnd.module.wasm.content.layer.v1+wasm", NULL};
    json_tokener *tok = json_tokener_new();
    json_object *root = tok && len < INT32_MAX ? json_tokener_parse_ex(tok, json, (int)len) : NULL;
    json_tokener_free(tok);
    json_object *cfg, *layers, *mt;
    int rc = FUNCP_OK;
    if (!root || !json_object_is_type(root, json_type_object)) {
        rc = fp_error_set(FUNCP_EPARSE, "%s: manifest is not a JSON object", what);
    } else if (json_object_object_get_ex(root, "mediaType", &mt) && json_object_is_type(mt, json_type_string) &&
               strcmp(json_object_get_string(mt), FP_MEDIA_MANIFEST) != 0 &&
               strcmp(json_object_get_string(mt), "application/vnd.docker.distribution.manifest.v2+json") != 0) {
        rc = fp_error_set(FUNCP_EPARSE, "%s: %s is not an image manifest", what, json_object_get_string(mt));
    } else if (!json_object_object_get_ex(root, "config", &cfg) ||
               !json_object_object_get_ex(root, "layers", &layers) ||
               !json_object_is_type(layers, json_type_array)) {
        rc = fp_error_set(FUNCP_EPARSE, "%s: manifest has no config or layers", what);
    } else if ((rc = read_descriptor(cfg, what, "config", config)) == FUNCP_OK) {
        if (!one_of(config->media_type, config_types))
            rc = fp_error_set(FUNCP_EPARSE, "%s: config media type %s is not a wasm artifact config", what,
                              config->media_type);
        else if (json_object_array_length(layers) != 1)
            rc = fp_error_set(FUNCP_EPARSE, "%s: a wasm artifact has exactly one layer, this one has %zu", what,
                              json_object_array_length(layers));
        else if ((rc = read_descriptor(json_object_array_get_idx(layers, 0), what, "layers[0]", layer)) ==
                     FUNCP_OK &&
                 !one_of(layer->media_type, layer_types))
            rc = fp_error_set(FUNCP_EPARSE, "%s: layer media type %s is not WebAssembly", what, layer->media_type);
    }
    json_object_put(root);
    return rc;
}
