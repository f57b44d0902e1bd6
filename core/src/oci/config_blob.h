/* The config blob of a Wasm OCI artifact (CNCF TAG Runtime layout):
 * {"created","architecture":"wasm","os","layerDigests",["component"]}. */
#ifndef FUNCP_OCI_CONFIG_BLOB_H
#define FUNCP_OCI_CONFIG_BLOB_H

#include <stddef.h>

#include "oci/wasm_inspect.h"

#define FP_MEDIA_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define FP_MEDIA_WASM_CONFIG "application/vnd.wasm.config.v0+json"
#define FP_MEDIA_WASM_LAYER "application/wasm"

/* Compact JSON, malloc'ed into *json. `created` is RFC 3339 (NULL: now,
 * or $SOURCE_DATE_EPOCH when set, for reproducible artifacts). */
int fp_config_blob(const fp_wasm_info *info, const char *layer_digest, const char *created, char **json,
                   size_t *len);

/* The image manifest referencing one config and one wasm layer. */
int fp_manifest_json(const char *config_digest, size_t config_size, const char *layer_digest,
                     unsigned long long layer_size, char **json, size_t *len);

#endif
