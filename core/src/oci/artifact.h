/* A Wasm OCI artifact: one application/wasm layer (the file itself), the
 * CNCF config blob and the image manifest, with their digests. */
#ifndef FUNCP_OCI_ARTIFACT_H
#define FUNCP_OCI_ARTIFACT_H

#include <stddef.h>
#include <stdint.h>

#include "oci/digest.h"
#include "oci/wasm_inspect.h"

typedef struct fp_descriptor {
    char media_type[128];
    char digest[FP_DIGEST_LEN + 1];
    uint64_t size;
} fp_descriptor;

typedef struct fp_artifact {
    fp_descriptor layer;
    fp_descriptor config;
    char *config_json;
    size_t config_len;
    char *manifest;
    size_t manifest_len;
    char manifest_digest[FP_DIGEST_LEN + 1];
} fp_artifact;

/* Build config and manifest for a layer whose digest is known. */
int fp_artifact_build(fp_artifact *a, const fp_wasm_info *info, const char *wasm_path, const char *layer_digest,
                      uint64_t layer_size);
/* Inspect and hash a .wasm (refused when it is not WebAssembly) and build
 * config and manifest. */
int fp_artifact_from_wasm(const char *wasm_path, fp_artifact *a);
void fp_artifact_free(fp_artifact *a);

/* Read a wasm artifact manifest: config and exactly one layer, with media
 * types checked. `what` names it in errors. */
int fp_manifest_parse(const char *json, size_t len, const char *what, fp_descriptor *config,
                      fp_descriptor *layer);

#endif
