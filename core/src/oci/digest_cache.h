/* The sha256 of an artifact, remembered between pushes so that pushing an
 * unchanged file does not read it again: one small file (in the function's
 * .funcp/ state dir) holding the artifact's path, size, mtime and ctime
 * (ns), inode and device, and its digest. Any difference is a miss. */
#ifndef FUNCP_OCI_DIGEST_CACHE_H
#define FUNCP_OCI_DIGEST_CACHE_H

#include <sys/stat.h>

#include "oci/digest.h"

/* 1 and `digest` filled when `cache` holds `file` as `st` describes it;
 * 0 otherwise (no cache, another file, any field changed, unreadable). */
int fp_digest_cache_get(const char *cache, const char *file, const struct stat *st, char digest[FP_DIGEST_LEN + 1]);

/* Remember `digest` for `file` as `before` (its stat before hashing)
 * described it, unless the file changed since, or was modified so
 * recently that a rewrite could keep the same mtime. Best effort: 0 when
 * written, -1 when not (nothing is reported). */
int fp_digest_cache_put(const char *cache, const char *file, const struct stat *before, const char *digest);

#endif
