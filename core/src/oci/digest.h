/* sha256 digests in OCI form ("sha256:<64 hex>"), streamed with OpenSSL. */
#ifndef FUNCP_OCI_DIGEST_H
#define FUNCP_OCI_DIGEST_H

#include <stddef.h>
#include <stdint.h>

enum { FP_DIGEST_LEN = 71 }; /* "sha256:" + 64 hex, without the NUL */

typedef struct fp_sha256 fp_sha256;

fp_sha256 *fp_sha256_new(void);
void fp_sha256_update(fp_sha256 *h, const void *data, size_t len);
/* Writes "sha256:<hex>" into out (FP_DIGEST_LEN + 1 bytes) and frees h. */
void fp_sha256_final(fp_sha256 *h, char out[FP_DIGEST_LEN + 1]);

int fp_digest_buffer(const void *data, size_t len, char out[FP_DIGEST_LEN + 1]);
/* Digest and size of a file, read in 256 KiB blocks. */
int fp_digest_file(const char *path, char out[FP_DIGEST_LEN + 1], uint64_t *size);

#endif
