/* fp_oci_api: push and pull Wasm OCI artifacts, OCI image layouts. */
#include "oci/oci_api.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "net/apis.h"
#include "net/curl_common.h"
#include "oci/artifact.h"
#include "oci/config_blob.h"
#include "oci/digest_cache.h"
#include "oci/layout.h"
#include "oci/registry.h"
#include "oci/wasm_inspect.h"
#include "util/error.h"

static void set_result(funcp_oci_result *result, const fp_oci_ref *ref, const char *digest, uint64_t size)
{
    if (!result)
        return;
    size_t struct_size = result->struct_size ? result->struct_size : sizeof *result;
    if (!FUNCP_HAS_MEMBER(funcp_oci_result, struct_size, size))
        return;
    snprintf(result->digest, sizeof result->digest, "%s", digest);
    if (ref && fp_oci_ref_pinned(ref, digest, result->image, sizeof result->image) != FUNCP_OK) {
        fp_error_clear();
        result->image[0] = '\0';
    }
    result->size = size;
}

/* Upload one blob unless the registry has it; from a file or memory. */
static int ensure_blob(fp_registry *reg, const fp_descriptor *d, const char *path, const char *data,
                       const char *label)
{
    int exists = 0;
    int rc = fp_registry_blob_exists(reg, d->digest, &exists);
    if (rc || exists)
        return rc;
    if (path)
        return fp_registry_blob_put_file(reg, path, d->digest, d->size, label);
    return fp_registry_blob_put_buffer(reg, data, (size_t)d->size, d->digest);
}

/* Push config, layer and manifest. The config comes from memory or, when
 * config_path is set, from a file (an OCI layout). */
static int push_artifact(const fp_oci_options *opts, const fp_oci_ref *ref, const fp_descriptor *config,
                         const char *config_data, const char *config_path, const fp_descriptor *layer,
                         const char *layer_path, const char *manifest, size_t manifest_len,
                         const char *manifest_digest)
{
    if (ref->digest[0] && !ref->tag[0] && strcmp(ref->digest, manifest_digest) != 0)
        return fp_error_set(FUNCP_EUSAGE, "image %s/%s@%s does not match the artifact's digest %s", ref->registry,
                            ref->repository, ref->digest, manifest_digest);
    fp_registry *reg = NULL;
    int rc = fp_registry_open(opts, ref, 1, &reg);
    if (!rc)
        rc = fp_registry_ping(reg);
    if (!rc)
        rc = ensure_blob(reg, config, config_path, config_data, NULL);
    if (!rc)
        rc = ensure_blob(reg, layer, layer_path, NULL, "push");
    if (!rc)
        rc = fp_registry_manifest_put(reg, ref->tag[0] ? ref->tag : manifest_digest, FP_MEDIA_MANIFEST, manifest,
                                      manifest_len);
    fp_registry_close(reg);
    if (rc)
        fp_error_wrap("push %s/%s:%s", ref->registry, ref->repository, fp_oci_ref_target(ref));
    return rc;
}

/* The layer goes first: it is hashed while it uploads, and its digest is
 * then written into the config and the manifest. */
static int oci_push_wasm(const fp_oci_options *opts, const char *wasm_path, const char *image,
                         funcp_oci_result *result)
{
    fp_oci_ref ref;
    int rc = fp_oci_ref_parse(image, &ref);
    if (rc)
        return rc;
    fp_wasm_info info;
    if ((rc = fp_wasm_inspect_file(wasm_path, &info)))
        return fp_error_wrap("push %s", image);
    struct stat st;
    if (stat(wasm_path, &st) != 0) {
        fp_wasm_info_free(&info);
        return fp_error_set(FUNCP_EIO, "push %s: %s: %s", image, wasm_path, strerror(errno));
    }
    fp_registry *reg = NULL;
    fp_artifact a = {0};
    char layer_digest[FP_DIGEST_LEN + 1] = "";
    int skipped = 0;
    const char *cache = opts && FUNCP_HAS_MEMBER(fp_oci_options, opts->struct_size, digest_cache)
                            ? opts->digest_cache : NULL;
    /* An unchanged artifact is not read again: its digest is known, so the
     * layer costs a HEAD (and an upload only if the registry lacks it). */
    int cached = fp_digest_cache_get(cache, wasm_path, &st, layer_digest);
    rc = fp_registry_open(opts, &ref, 1, &reg);
    if (!rc)
        rc = fp_registry_ping(reg);
    if (!rc && cached) {
        fp_descriptor layer = {.size = (uint64_t)st.st_size};
        snprintf(layer.digest, sizeof layer.digest, "%s", layer_digest);
        fp_net_log(opts->hooks, FUNCP_LOG_DEBUG, "%s: digest %s from %s (size, mtime, ctime and inode unchanged)",
                   wasm_path, layer_digest, cache);
        rc = ensure_blob(reg, &layer, wasm_path, NULL, "push");
    } else if (!rc) {
        rc = fp_registry_blob_push_file(reg, wasm_path, (uint64_t)st.st_size, "push", layer_digest, &skipped);
        if (!rc && cache)
            fp_digest_cache_put(cache, wasm_path, &st, layer_digest);
    }
    if (!rc)
        rc = fp_artifact_build(&a, &info, wasm_path, layer_digest, (uint64_t)st.st_size);
    if (!rc && ref.digest[0] && !ref.tag[0] && strcmp(ref.digest, a.manifest_digest) != 0)
        rc = fp_error_set(FUNCP_EUSAGE, "image %s does not match the artifact's digest %s", image,
                          a.manifest_digest);
    if (!rc)
        rc = ensure_blob(reg, &a.config, NULL, a.config_json, NULL);
    if (!rc)
        rc = fp_registry_manifest_put(reg, ref.tag[0] ? ref.tag : a.manifest_digest, FP_MEDIA_MANIFEST, a.manifest,
                                      a.manifest_len);
    fp_registry_close(reg);
    fp_wasm_info_free(&info);
    if (rc)
        fp_error_wrap("push %s/%s:%s", ref.registry, ref.repository, fp_oci_ref_target(&ref));
    else
        set_result(result, &ref, a.manifest_digest, a.layer.size);
    fp_artifact_free(&a);
    return rc;
}

static int oci_pull_layer(const fp_oci_options *opts, const char *image, const char *out_path,
                          funcp_oci_result *result)
{
    fp_oci_ref ref;
    int rc = fp_oci_ref_parse(image, &ref);
    if (rc)
        return rc;
    fp_registry *reg = NULL;
    char *manifest = NULL, media_type[256] = "", digest[FP_DIGEST_LEN + 1] = "";
    size_t len = 0;
    fp_descriptor config, layer;
    rc = fp_registry_open(opts, &ref, 0, &reg);
    if (!rc)
        rc = fp_registry_manifest_get(reg, fp_oci_ref_target(&ref), &manifest, &len, media_type, sizeof media_type);
    if (!rc)
        rc = fp_digest_buffer(manifest, len, digest);
    if (!rc && ref.digest[0] && strcmp(digest, ref.digest) != 0)
        rc = fp_error_set(FUNCP_ENETWORK, "registry %s, repository %s: manifest digest mismatch: asked for %s, got %s",
                          ref.registry, ref.repository, ref.digest, digest);
    if (!rc) {
        char what[600];
        snprintf(what, sizeof what, "registry %s, repository %s", ref.registry, ref.repository);
        rc = fp_manifest_parse(manifest, len, what, &config, &layer);
    }
    if (!rc)
        rc = fp_registry_blob_get_file(reg, layer.digest, layer.size, out_path, "pull");
    if (!rc)
        set_result(result, &ref, digest, layer.size);
    free(manifest);
    fp_registry_close(reg);
    if (rc)
        fp_error_wrap("pull %s", image);
    return rc;
}

static int oci_layout_write(const fp_oci_options *opts, const char *layout_dir, const char *wasm_path,
                            const char *tag, funcp_oci_result *result)
{
    (void)opts;
    if (!tag || !*tag)
        tag = "latest";
    fp_artifact a;
    int rc = fp_artifact_from_wasm(wasm_path, &a);
    if (!rc)
        rc = fp_layout_store(layout_dir, wasm_path, &a, tag);
    if (!rc && result) {
        set_result(result, NULL, a.manifest_digest, a.layer.size);
        snprintf(result->image, sizeof result->image, "oci:%s:%s", layout_dir, tag);
    }
    fp_artifact_free(&a);
    if (rc)
        fp_error_wrap("write OCI layout %s", layout_dir);
    return rc;
}

static int oci_layout_push(const fp_oci_options *opts, const char *layout_dir, const char *tag, const char *image,
                           funcp_oci_result *result)
{
    fp_oci_ref ref;
    int rc = fp_oci_ref_parse(image, &ref);
    if (rc)
        return rc;
    if (!tag || !*tag)
        tag = "latest";
    char digest[FP_DIGEST_LEN + 1], config_path[4200], layer_path[4200], *manifest = NULL;
    size_t len = 0;
    fp_descriptor config, layer;
    if (!(rc = fp_layout_find(layout_dir, tag, digest)) &&
        !(rc = fp_layout_read_blob(layout_dir, digest, &manifest, &len)) &&
        !(rc = fp_manifest_parse(manifest, len, layout_dir, &config, &layer)) &&
        !(rc = fp_layout_blob_path(layout_dir, config.digest, config_path, sizeof config_path)) &&
        !(rc = fp_layout_blob_path(layout_dir, layer.digest, layer_path, sizeof layer_path))) {
        rc = push_artifact(opts, &ref, &config, NULL, config_path, &layer, layer_path, manifest, len, digest);
        if (!rc)
            set_result(result, &ref, digest, layer.size);
    } else {
        fp_error_wrap("push oci:%s:%s", layout_dir, tag);
    }
    free(manifest);
    return rc;
}

const struct fp_oci_api *fp_oci_api_get(void)
{
    static const fp_oci_api api = {
        .struct_size = sizeof(fp_oci_api),
        .push_wasm = oci_push_wasm,
        .pull_layer = oci_pull_layer,
        .layout_write = oci_layout_write,
        .layout_push = oci_layout_push,
    };
    return &api;
}
