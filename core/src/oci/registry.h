/* One session with a registry repository over libcurl: scheme and TLS
 * choice, authentication (Basic or Bearer tokens cached per scope),
 * bounded retries, and the blob/manifest operations of the OCI
 * distribution spec. Every error names the registry, the repository and
 * the HTTP status, and decodes the registry's {"errors":[...]} body. */
#ifndef FUNCP_OCI_REGISTRY_H
#define FUNCP_OCI_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

#include "oci/oci_api.h"
#include "oci/reference.h"

typedef struct fp_registry fp_registry;

/* Open a session (no request yet). `push` asks for push,pull scope. */
int fp_registry_open(const fp_oci_options *opts, const fp_oci_ref *ref, int push, fp_registry **out);
void fp_registry_close(fp_registry *reg);

/* GET /v2/: picks http/https, learns the auth challenge. */
int fp_registry_ping(fp_registry *reg);

/* HEAD /v2/<name>/blobs/<digest>: *exists = 1 on 200, 0 on 404. */
int fp_registry_blob_exists(fp_registry *reg, const char *digest, int *exists);
/* Upload a blob from a file (streamed; chunked above the chunk size). */
int fp_registry_blob_put_file(fp_registry *reg, const char *path, const char *digest, uint64_t size,
                              const char *label);
/* Push a file whose digest is not known yet: hashes it while it uploads,
 * skips it (*skipped = 1) when the registry has it; digest is filled. */
enum { FP_PARALLEL_HASH_MIN = 8 << 20 };
int fp_registry_blob_push_file(fp_registry *reg, const char *path, uint64_t size, const char *label,
                               char digest[72], int *skipped);
int fp_registry_blob_put_buffer(fp_registry *reg, const void *data, size_t len, const char *digest);
/* Stream a blob into `out_path` (temp + rename, sha256 and size checked;
 * nothing is left behind on failure). */
int fp_registry_blob_get_file(fp_registry *reg, const char *digest, uint64_t size, const char *out_path,
                              const char *label);

/* PUT /v2/<name>/manifests/<ref>. */
int fp_registry_manifest_put(fp_registry *reg, const char *target, const char *media_type, const char *body,
                             size_t len);
/* GET /v2/<name>/manifests/<ref> (OCI and Docker manifest types). *body
 * is malloc'ed and NUL-terminated; media_type gets the Content-Type. */
int fp_registry_manifest_get(fp_registry *reg, const char *target, char **body, size_t *len, char *media_type,
                             size_t media_type_size);

/* Upload chunk size: 64 MiB, or $FUNCP_OCI_CHUNK_SIZE (bytes) for tests. */
uint64_t fp_registry_chunk_size(void);

#endif
