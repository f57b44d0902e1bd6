#include "oci/digest_cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/error.h"
#include "util/fs.h"

#define CACHE_MAGIC "funcp-artifact-digest 1"

/* A change within this long before the stat could be followed by another
 * with the same (coarse, jiffy-based) timestamps: too recent to trust.
 * The ctime counts too: touch -d can set an old mtime, not a ctime. */
enum { RACY_MS = 100 };

static void key_line(const struct stat *st, char *out, size_t size)
{
    snprintf(out, size, "%lld %lld.%09ld %lld.%09ld %llu %llu", (long long)st->st_size, (long long)st->st_mtim.tv_sec,
             st->st_mtim.tv_nsec, (long long)st->st_ctim.tv_sec, st->st_ctim.tv_nsec, (unsigned long long)st->st_ino,
             (unsigned long long)st->st_dev);
}

static int same_file(const struct stat *a, const struct stat *b)
{
    return a->st_size == b->st_size && a->st_ino == b->st_ino && a->st_dev == b->st_dev &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
           a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

int fp_digest_cache_get(const char *cache, const char *file, const struct stat *st, char digest[FP_DIGEST_LEN + 1])
{
    digest[0] = '\0';
    char *data = NULL;
    size_t len = 0;
    if (!cache || fp_read_file(cache, &data, &len) != FUNCP_OK) {
        fp_error_clear();
        return 0;
    }
    char want[4600], key[160];
    key_line(st, key, sizeof key);
    int n = snprintf(want, sizeof want, CACHE_MAGIC "\n%s\n%s ", file, key);
    int hit = n > 0 && (size_t)n < sizeof want && len == (size_t)n + FP_DIGEST_LEN + 1 &&
              !memcmp(data, want, (size_t)n) && !strncmp(data + n, "sha256:", 7) && data[len - 1] == '\n';
    if (hit) {
        memcpy(digest, data + n, FP_DIGEST_LEN);
        digest[FP_DIGEST_LEN] = '\0';
        hit = strspn(digest + 7, "0123456789abcdef") == FP_DIGEST_LEN - 7;
        if (!hit)
            digest[0] = '\0';
    }
    free(data);
    return hit;
}

int fp_digest_cache_put(const char *cache, const char *file, const struct stat *before, const char *digest)
{
    struct stat now;
    struct timespec t;
    if (!cache || strlen(digest) != FP_DIGEST_LEN || stat(file, &now) != 0 || !same_file(before, &now) ||
        clock_gettime(CLOCK_REALTIME, &t) != 0)
        return -1;
    const struct timespec *last = now.st_ctim.tv_sec > now.st_mtim.tv_sec ||
                                          (now.st_ctim.tv_sec == now.st_mtim.tv_sec &&
                                           now.st_ctim.tv_nsec > now.st_mtim.tv_nsec)
                                      ? &now.st_ctim
                                      : &now.st_mtim;
    long long age_ms = ((long long)t.tv_sec - last->tv_sec) * 1000 + (t.tv_nsec - last->tv_nsec) / 1000000;
    if (age_ms < RACY_MS)
        return -1;
    char text[4800], key[160];
    key_line(&now, key, sizeof key);
    int n = snprintf(text, sizeof text, CACHE_MAGIC "\n%s\n%s %s\n", file, key, digest);
    if (n < 0 || (size_t)n >= sizeof text)
        return -1;
    if (fp_write_file_atomic(cache, text, (size_t)n) != FUNCP_OK) {
        fp_error_clear();
        return -1;
    }
    return 0;
}
