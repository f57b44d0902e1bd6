#include "oci/digest.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"

struct fp_sha256 {
    EVP_MD_CTX *ctx;
};

fp_sha256 *fp_sha256_new(void)
{
    fp_sha256 *h = malloc(sizeof *h);
    if (!h)
        return NULL;
    h->ctx = EVP_MD_CTX_new();
    if (!h->ctx || EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(h->ctx);
        free(h);
        return NULL;
    }
    return h;
}

void fp_sha256_update(fp_sha256 *h, const void *data, size_t len)
{
    EVP_DigestUpdate(h->ctx, data, len);
}

void fp_sha256_final(fp_sha256 *h, char out[FP_DIGEST_LEN + 1])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_DigestFinal_ex(h->ctx, md, &n);
    memcpy(out, "sha256:", 7);
    for (unsigned i = 0; i < n && i < 32; i++)
        snprintf(out + 7 + 2 * i, 3, "%02x", md[i]);
    out[FP_DIGEST_LEN] = '\0';
    EVP_MD_CTX_free(h->ctx);
    free(h);
}

int fp_digest_buffer(const void *data, size_t len, char out[FP_DIGEST_LEN + 1])
{
    fp_sha256 *h = fp_sha256_new();
    if (!h)
        return fp_error_set(FUNCP_ERROR, "sha256: out of memory");
    fp_sha256_update(h, data, len);
    fp_sha256_final(h, out);
    return FUNCP_OK;
}

int fp_digest_file(const char *path, char out[FP_DIGEST_LEN + 1], uint64_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return fp_error_set(errno == ENOENT ? FUNCP_ENOTFOUND : FUNCP_EIO, "%s: %s", path, strerror(errno));
    enum { BLOCK = 256 * 1024 };
    unsigned char *buf = malloc(BLOCK);
    fp_sha256 *h = fp_sha256_new();
    if (!buf || !h) {
        free(buf);
        if (h)
            fp_sha256_final(h, out);
        fclose(f);
        return fp_error_set(FUNCP_ERROR, "sha256: out of memory");
    }
    uint64_t total = 0;
    size_t n;
    while ((n = fread(buf, 1, BLOCK, f)) > 0) {
        fp_sha256_update(h, buf, n);
        total += n;
    }
    int failed = ferror(f);
    fclose(f);
    free(buf);
    fp_sha256_final(h, out);
    if (failed)
        return fp_error_set(FUNCP_EIO, "%s: read error", path);
    if (size)
        *size = total;
    return FUNCP_OK;
}
