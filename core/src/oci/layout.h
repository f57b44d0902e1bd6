/* OCI image layouts on disk (image-spec image-layout.md): `oci-layout`,
 * `index.json` (tags in org.opencontainers.image.ref.name) and
 * `blobs/sha256/<hex>`. Readable by skopeo's oci:<dir>:<tag> transport.
 * Every file is written to a temporary name and renamed. */
#ifndef FUNCP_OCI_LAYOUT_H
#define FUNCP_OCI_LAYOUT_H

#include <stddef.h>

#include "oci/artifact.h"

/* Store the artifact (layer copied from its file) and tag it. */
int fp_layout_store(const char *dir, const char *layer_path, const fp_artifact *a, const char *tag);
/* The manifest digest tagged `tag`; FUNCP_ENOTFOUND when absent. */
int fp_layout_find(const char *dir, const char *tag, char digest[FP_DIGEST_LEN + 1]);
/* "<dir>/blobs/sha256/<hex>" into buf. */
int fp_layout_blob_path(const char *dir, const char *digest, char *buf, size_t size);
/* Read a blob (up to 4 MiB) and check its digest. */
int fp_layout_read_blob(const char *dir, const char *digest, char **data, size_t *len);

#endif
