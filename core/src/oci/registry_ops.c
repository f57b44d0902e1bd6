/* The distribution-spec operations: ping, blobs, manifests. */
#include "oci/registry_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/crypto.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/error.h"
#include "util/fs.h"

static const char *const manifest_accept[] = {
    "Accept: application/vnd.oci.image.manifest.v1+json, "
    "application/vnd.docker.distribution.manifest.v2+json",
    NULL};

uint64_t fp_registry_chunk_size(void)
{
    const char *env = getenv("FUNCP_OCI_CHUNK_SIZE");
    if (env && *env) {
        char *end;
        unsigned long long v = strtoull(env, &end, 10);
        if (!*end && v >= 1024)
            return v;
    }
    return 64ull << 20;
}

static int ping_with(fp_registry *reg, const char *scheme, fp_resp *resp)
{
    reg->scheme = scheme;
    char url[600];
    snprintf(url, sizeof url, "%s://%s/v2/", scheme, reg->ref.api_host);
    fp_req req = {.method = "GET", .url = url, .fd = -1, .retry = 1};
    return fp_registry_perform(reg, &req, resp);
}

/* HTTPS first, always. Plain HTTP only for a registry listed as insecure
 * or local by fp_registry_http_capable(), and only when the HTTPS attempt
 * shows the port speaks plain HTTP: a certificate problem or an HTTP
 * answer (401 included) is reported as it is. */
int fp_registry_ping(fp_registry *reg)
{
    if (reg->pinged)
        return FUNCP_OK;
    fp_resp resp = {0};
    if (reg->insecure)
        fp_net_log(reg->hooks, FUNCP_LOG_WARN,
                   "registry %s is listed as insecure: its TLS certificate is not verified and plain HTTP is "
                   "allowed", reg->ref.registry);
    int rc = ping_with(reg, "https", &resp);
    if (rc && (reg->insecure || reg->http_capable) && fp_tls_means_plain_http(resp.tls_failure)) {
        if (reg->insecure || reg->http_capable == FP_HTTP_LOOPBACK)
            fp_net_log(reg->hooks, reg->insecure ? FUNCP_LOG_WARN : FUNCP_LOG_DEBUG,
                       "registry %s speaks plain HTTP; using it", reg->ref.registry);
        else
            fp_net_log(reg->hooks, FUNCP_LOG_WARN,
                       "registry %s speaks plain HTTP; using it unencrypted (a private address, as knative "
                       "func allows)", reg->ref.registry);
        fp_error_clear();
        rc = ping_with(reg, "http", &resp);
    }
    if (!rc && resp.status != 200)
        rc = fp_registry_fail(reg, "GET /v2/", &resp);
    fp_resp_free(&resp);
    if (!rc)
        reg->pinged = 1;
    return rc;
}

int fp_registry_blob_exists(fp_registry *reg, const char *digest, int *exists)
{
    *exists = 0;
    char suffix[128], *url = NULL;
    snprintf(suffix, sizeof suffix, "blobs/%s", digest);
    int rc = fp_registry_url(reg, suffix, &url);
    fp_resp resp = {0};
    if (!rc) {
        fp_req req = {.method = "HEAD", .url = url, .fd = -1, .retry = 1};
        rc = fp_registry_perform(reg, &req, &resp);
    }
    if (!rc) {
        if (resp.status == 200)
            *exists = 1;
        else if (resp.status != 404)
            rc = fp_registry_fail(reg, "HEAD blob", &resp);
    }
    fp_resp_free(&resp);
    free(url);
    return rc;
}

/* POST an upload session; *location is the absolute upload URL. */
static int upload_start(fp_registry *reg, char **location)
{
    char *url = NULL;
    int rc = fp_registry_url(reg, "blobs/uploads/", &url);
    fp_resp resp = {0};
    if (!rc) {
        fp_req req = {.method = "POST", .url = url, .fd = -1, .retry = 1};
        rc = fp_registry_perform(reg, &req, &resp);
    }
    if (!rc && resp.status != 202)
        rc = fp_registry_fail(reg, "POST blob upload", &resp);
    if (!rc && !resp.location[0])
        rc = fp_error_set(FUNCP_ENETWORK, "registry %s, repository %s: POST blob upload: HTTP %ld without a "
                          "Location header", reg->ref.registry, reg->ref.repository, resp.status);
    if (!rc)
        rc = fp_registry_resolve(url, resp.location, NULL, location);
    fp_resp_free(&resp);
    free(url);
    return rc;
}

int fp_upload_range_next(const char *range, uint64_t *next)
{
    *next = 0;
    if (!range)
        return 0;
    if (!strncmp(range, "bytes=", 6))
        range += 6;
    char *end;
    if (*range < '0' || *range > '9' || strtoull(range, &end, 10) != 0 || *end != '-')
        return 0;
    const char *last = end + 1;
    if (*last < '0' || *last > '9')
        return 0;
    unsigned long long v = strtoull(last, &end, 10);
    if (*end || v == 0 || v == ULLONG_MAX)
        return 0; /* "0-0": nothing or one byte, and we cannot tell which */
    *next = (uint64_t)v + 1;
    return 1;
}

/* Where an interrupted upload stands: GET <location> → 204, Range 0-N.
 * *known = 0 when the answer does not say (no Range, or "0-0"): the
 * caller starts a new session rather than guess. */
static int upload_status(fp_registry *reg, char **location, uint64_t *next, int *known)
{
    fp_resp resp = {0};
    fp_req req = {.method = "GET", .url = *location, .fd = -1, .retry = 1};
    int rc = fp_registry_perform(reg, &req, &resp);
    if (!rc && resp.status != 204)
        rc = fp_registry_fail(reg, "GET blob upload status", &resp);
    if (!rc) {
        *known = fp_upload_range_next(resp.range, next);
        if (!*known)
            fp_net_log(reg->hooks, FUNCP_LOG_DEBUG, "upload status of %s: Range \"%s\" does not say how much "
                       "it holds", reg->ref.registry, resp.range);
        if (resp.location[0]) {
            char *loc = NULL;
            rc = fp_registry_resolve(*location, resp.location, NULL, &loc);
            if (!rc) {
                free(*location);
                *location = loc;
            }
        }
    }
    fp_resp_free(&resp);
    return rc;
}

typedef struct blob_src {
    int fd;
    const void *mem;
    uint64_t size;
    const char *label;
} blob_src;

/* PATCH one chunk [off, off+len) with Content-Range; follows Location. */
static int upload_chunk(fp_registry *reg, char **location, const blob_src *src, uint64_t off, uint64_t len,
                        const _Atomic int *stop)
{
    char range[96];
    snprintf(range, sizeof range, "Content-Range: %llu-%llu", (unsigned long long)off,
             (unsigned long long)(off + len - 1));
    const char *headers[] = {"Content-Type: application/octet-stream", range, NULL};
    fp_req req = {.method = "PATCH", .url = *location, .headers = headers, .fd = src->fd,
                  .mem = src->mem ? (const char *)src->mem + off : NULL, .off = src->fd >= 0 ? off : 0,
                  .len = len, .label = src->label, .progress_base = off, .progress_total = src->size,
                  .stop = stop};
    fp_resp resp = {0};
    int rc = fp_registry_perform(reg, &req, &resp);
    if (rc == FUNCP_EEXISTS) { /* the blob turned out to exist */
        fp_resp_free(&resp);
        return rc;
    }
    if (!rc && resp.status != 202 && resp.status != 204 && resp.status != 201)
        rc = fp_registry_fail(reg, "PATCH blob chunk", &resp);
    if (!rc && resp.location[0]) {
        char *loc = NULL;
        rc = fp_registry_resolve(*location, resp.location, NULL, &loc);
        if (!rc) {
            free(*location);
            *location = loc;
        }
    }
    /* A transient failure, or 416 after curl resent a chunk the registry
     * had partly taken: ask where the upload stands and resume. */
    if (rc && (resp.transient || resp.status == 416))
        rc = FUNCP_ETIMEOUT; /* marker: worth resuming */
    fp_resp_free(&resp);
    return rc;
}

/* PUT <location>?digest=… with the remaining bytes [off, size) as body
 * (a monolithic upload when off = 0; empty after chunks). */
static int upload_finish(fp_registry *reg, const char *location, const blob_src *src, uint64_t off,
                         const char *digest, int *again)
{
    char *url = NULL;
    int rc = fp_registry_resolve(location, location, digest, &url);
    if (rc)
        return rc;
    const char *headers[] = {"Content-Type: application/octet-stream", NULL};
    uint64_t len = src->size - off;
    fp_req req = {.method = "PUT", .url = url, .headers = headers, .fd = len ? src->fd : -1,
                  .mem = len && src->mem ? (const char *)src->mem + off : NULL, .off = off, .len = len,
                  .label = len ? src->label : NULL, .progress_base = off, .progress_total = src->size};
    if (src->fd < 0)
        req.off = 0;
    fp_resp resp = {0};
    rc = fp_registry_perform(reg, &req, &resp);
    *again = resp.transient ? UPLOAD_TRANSIENT : 0;
    /* The bytes the registry got are not the blob: the session is spoilt
     * (a chunk lost or doubled), a new one may well succeed. */
    if (!rc && resp.status == 400 && resp.body &&
        (strstr(resp.body, "DIGEST_INVALID") || strstr(resp.body, "BLOB_UPLOAD_INVALID")))
        *again = UPLOAD_DIGEST_REFUSED;
    if (!rc && resp.status != 201)
        rc = fp_registry_fail(reg, "PUT blob", &resp);
    if (!rc && resp.digest[0] && strcmp(resp.digest, digest) != 0)
        rc = fp_error_set(FUNCP_ENETWORK, "registry %s, repository %s: blob stored as %s, expected %s",
                          reg->ref.registry, reg->ref.repository, resp.digest, digest);
    fp_resp_free(&resp);
    free(url);
    return rc;
}

/* Hashing a large blob runs in a thread while the upload streams: the
 * digest is only needed for the final PUT, so the file is read by both at
 * once and the push costs about one pass instead of two. As soon as the
 * digest is known the thread asks (HEAD) whether the registry already has
 * the blob; if so the upload stops and is discarded. */
typedef struct hash_job {
    fp_registry *reg;
    const char *path;
    char auth[4200];
    char digest[FP_DIGEST_LEN + 1];
    int rc;
    _Atomic int exists;
    pthread_t thread;
    int started, joined;
} hash_job;

static void *hash_main(void *arg)
{
    hash_job *job = arg;
    job->rc = fp_digest_file(job->path, job->digest, NULL);
    if (job->rc) {
        job->rc = FUNCP_EIO; /* the message is thread-local: redone below */
        return NULL;
    }
    char suffix[128], *url = NULL;
    snprintf(suffix, sizeof suffix, "blobs/%s", job->digest);
    long status = 0;
    if (fp_registry_url(job->reg, suffix, &url) == FUNCP_OK &&
        fp_registry_head_detached(job->reg, url, job->auth, &status) == FUNCP_OK && status == 200)
        atomic_store(&job->exists, 1);
    free(url);
    return NULL;
}

static int job_wait(hash_job *job)
{
    if (job->started && !job->joined) {
        pthread_join(job->thread, NULL);
        job->joined = 1;
    }
    if (job->rc)
        return fp_error_set(FUNCP_EIO, "%s: cannot read it to compute its digest", job->path);
    return FUNCP_OK;
}

/* Best effort: drop an upload session we no longer need. */
static void upload_cancel(fp_registry *reg, const char *location)
{
    fp_resp resp = {0};
    fp_req req = {.method = "DELETE", .url = location, .fd = -1};
    if (fp_registry_perform(reg, &req, &resp) != FUNCP_OK)
        fp_error_clear();
    fp_resp_free(&resp);
}

/* Ask where the upload stands after a failure at `*off`. FUNCP_OK with
 * *off moved to what the registry holds, or non-zero: start again. */
static int upload_resume_point(fp_registry *reg, char **location, const blob_src *src, uint64_t *off,
                               int attempt)
{
    fp_registry_backoff(reg, attempt, NULL);
    uint64_t next = 0;
    int known = 0;
    if (upload_status(reg, location, &next, &known) != FUNCP_OK) {
        fp_net_log(reg->hooks, FUNCP_LOG_WARN, "upload to %s: cannot ask where it stands (%s); starting a new "
                   "upload session", reg->ref.registry, fp_error_message());
        return FUNCP_ENETWORK;
    }
    if (!known || next > src->size) {
        fp_net_log(reg->hooks, FUNCP_LOG_WARN, "upload to %s: the registry does not say how many bytes it "
                   "holds; starting a new upload session", reg->ref.registry);
        return FUNCP_ENETWORK;
    }
    *off = next;
    return FUNCP_OK;
}

/* One upload session: monolithic when the digest is known and the blob
 * fits a chunk, else PATCH chunks then PUT ?digest=; a failed chunk or
 * final PUT resumes from the registry's Range when it is unambiguous.
 * With `job`, the digest comes from the hashing thread; FUNCP_EEXISTS
 * when the blob turned out to exist. *again says why a new session may
 * succeed (UPLOAD_TRANSIENT, UPLOAD_DIGEST_REFUSED) or 0. */
static int upload_session(fp_registry *reg, const blob_src *src, const char *digest, hash_job *job, int *again)
{
    char *location = NULL;
    *again = 0;
    int rc = upload_start(reg, &location);
    if (rc) {
        free(location);
        return rc;
    }
    uint64_t chunk = fp_registry_chunk_size();
    uint64_t off = 0;
    const _Atomic int *stop = job ? &job->exists : NULL;
    int chunked = src->size > chunk || job;
    int resumes = 0;
    if (chunked) {
        while (!rc && off < src->size) {
            uint64_t len = src->size - off < chunk ? src->size - off : chunk;
            rc = upload_chunk(reg, &location, src, off, len, stop);
            if (rc == FUNCP_ETIMEOUT) {
                *again = UPLOAD_TRANSIENT;
                rc = FUNCP_ENETWORK;
                if (resumes == FP_REGISTRY_TRIES - 1)
                    break;
                fp_net_log(reg->hooks, FUNCP_LOG_WARN, "upload to %s interrupted at byte %llu: %s; resuming",
                           reg->ref.registry, (unsigned long long)off, fp_error_message());
                fp_error_clear();
                if (upload_resume_point(reg, &location, src, &off, ++resumes) != FUNCP_OK) {
                    fp_error_set(FUNCP_ENETWORK, "registry %s, repository %s: upload interrupted and its "
                                 "status unknown", reg->ref.registry, reg->ref.repository);
                    break;
                }
                *again = 0;
                rc = FUNCP_OK;
                continue;
            }
            if (!rc)
                off += len;
        }
    }
    if (job && (!rc || rc == FUNCP_EEXISTS)) {
        int wrc = job_wait(job);
        if (wrc)
            rc = wrc;
        else if (atomic_load(&job->exists))
            rc = FUNCP_EEXISTS;
        digest = job->digest;
    }
    if (rc == FUNCP_EEXISTS) {
        fp_error_clear();
        upload_cancel(reg, location);
    }
    while (!rc) {
        rc = upload_finish(reg, location, src, off, digest, again);
        /* A chunked upload whose final PUT failed in transit: when the
         * registry says it holds every byte, only the PUT is repeated. */
        if (!rc || *again != UPLOAD_TRANSIENT || !chunked || resumes == FP_REGISTRY_TRIES - 1)
            break;
        fp_net_log(reg->hooks, FUNCP_LOG_WARN, "upload to %s: completing it failed (%s); asking where it stands",
                   reg->ref.registry, fp_error_message());
        char saved[1024];
        snprintf(saved, sizeof saved, "%s", fp_error_message());
        uint64_t held = off;
        if (upload_resume_point(reg, &location, src, &held, ++resumes) != FUNCP_OK || held != src->size) {
            fp_error_set(FUNCP_ENETWORK, "%s", saved);
            break;
        }
        fp_error_clear();
        *again = 0;
        rc = FUNCP_OK;
    }
    free(location);
    return rc;
}

static int blob_put(fp_registry *reg, const blob_src *src, const char *digest, hash_job *job)
{
    int rc = fp_registry_ping(reg);
    int digest_restarts = 0;
    for (int attempt = 1; !rc; attempt++) {
        int again = 0;
        rc = upload_session(reg, src, digest, job, &again);
        if (again == UPLOAD_DIGEST_REFUSED && digest_restarts++ > 0)
            again = 0; /* once: a second refusal is not bad luck */
        if (!rc || !again || attempt >= FP_REGISTRY_TRIES) {
            if (rc && again)
                fp_error_wrap("gave up after %d tries", attempt);
            break;
        }
        fp_net_log(reg->hooks, FUNCP_LOG_WARN, "upload of %s to %s failed (%s), restarting (try %d of %d)",
                   digest ? digest : src->label, reg->ref.registry, fp_error_message(), attempt + 1,
                   FP_REGISTRY_TRIES);
        fp_error_clear();
        rc = FUNCP_OK;
        if (again == UPLOAD_TRANSIENT)
            fp_registry_backoff(reg, attempt, NULL);
    }
    return rc;
}

int fp_registry_blob_put_file(fp_registry *reg, const char *path, const char *digest, uint64_t size,
                              const char *label)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fp_error_set(FUNCP_EIO, "%s: %s", path, strerror(errno));
    blob_src src = {.fd = fd, .size = size, .label = label};
    int rc = blob_put(reg, &src, digest, NULL);
    close(fd);
    return rc;
}

int fp_registry_blob_put_buffer(fp_registry *reg, const void *data, size_t len, const char *digest)
{
    blob_src src = {.fd = -1, .mem = data, .size = len};
    return blob_put(reg, &src, digest, NULL);
}

int fp_registry_manifest_put(fp_registry *reg, const char *target, const char *media_type, const char *body,
                             size_t len)
{
    int rc = fp_registry_ping(reg);
    char suffix[256], ct[300], *url = NULL;
    snprintf(suffix, sizeof suffix, "manifests/%s", target);
    snprintf(ct, sizeof ct, "Content-Type: %s", media_type);
    const char *headers[] = {ct, NULL};
    fp_resp resp = {0};
    if (!rc)
        rc = fp_registry_url(reg, suffix, &url);
    if (!rc) {
        fp_req req = {.method = "PUT", .url = url, .headers = headers, .fd = -1, .mem = body, .len = len,
                      .retry = 1};
        rc = fp_registry_perform(reg, &req, &resp);
    }
    if (!rc && resp.status != 201 && resp.status != 200 && resp.status != 202)
        rc = fp_registry_fail(reg, "PUT manifest", &resp);
    fp_resp_free(&resp);
    free(url);
    return rc;
}

int fp_registry_manifest_get(fp_registry *reg, const char *target, char **body, size_t *len, char *media_type,
                             size_t media_type_size)
{
    *body = NULL;
    *len = 0;
    int rc = fp_registry_ping(reg);
    char suffix[256], *url = NULL;
    snprintf(suffix, sizeof suffix, "manifests/%s", target);
    fp_resp resp = {0};
    if (!rc)
        rc = fp_registry_url(reg, suffix, &url);
    if (!rc) {
        fp_req req = {.method = "GET", .url = url, .headers = manifest_accept, .fd = -1, .keep_body = 1,
                      .retry = 1};
        rc = fp_registry_perform(reg, &req, &resp);
    }
    if (!rc && resp.status != 200)
        rc = fp_registry_fail(reg, "GET manifest", &resp);
    if (!rc) {
        size_t n = strcspn(resp.content_type, ";");
        snprintf(media_type, media_type_size, "%.*s", (int)n, resp.content_type);
        *body = resp.body ? resp.body : calloc(1, 1);
        *len = resp.body_len;
        resp.body = NULL;
        if (!*body)
            rc = fp_error_set(FUNCP_ERROR, "out of memory");
    }
    fp_resp_free(&resp);
    free(url);
    return rc;
}

int fp_registry_blob_get_file(fp_registry *reg, const char *digest, uint64_t size, const char *out_path,
                              const char *label)
{
    int rc = fp_registry_ping(reg);
    if (rc)
        return rc;
    char *tmp;
    int fd = fp_temp_beside(out_path, &tmp);
    if (fd < 0 && errno == ENOMEM)
        return fp_error_set(FUNCP_ERROR, "out of memory");
    if (fd < 0)
        return fp_error_set(FUNCP_EIO, "%s: cannot create a temporary file next to it: %s", out_path,
                            strerror(errno));
    FILE *f = fdopen(fd, "w+b");
    char suffix[128], *url = NULL;
    snprintf(suffix, sizeof suffix, "blobs/%s", digest);
    rc = f ? fp_registry_url(reg, suffix, &url) : fp_error_set(FUNCP_EIO, "%s: %s", tmp, strerror(errno));
    for (int attempt = 1; !rc; attempt++) {
        fp_sha256 *h = fp_sha256_new();
        if (!h) {
            rc = fp_error_set(FUNCP_ERROR, "out of memory");
            break;
        }
        fp_req req = {.method = "GET", .url = url, .fd = -1, .out_file = f, .hash_out = h, .follow = 1,
                      .label = label, .progress_total = size};
        fp_resp resp = {0};
        rc = fp_registry_perform(reg, &req, &resp);
        char got[FP_DIGEST_LEN + 1];
        fp_sha256_final(h, got);
        if (!rc && resp.status != 200)
            rc = fp_registry_fail(reg, "GET blob", &resp);
        if (!rc && fflush(f) != 0)
            rc = fp_error_set(FUNCP_EIO, "%s: %s", tmp, strerror(errno));
        if (!rc && size && resp.out_written != size)
            rc = fp_error_set(FUNCP_ENETWORK, "registry %s, repository %s: blob %s: got %llu bytes, expected %llu",
                              reg->ref.registry, reg->ref.repository, digest, (unsigned long long)resp.out_written,
                              (unsigned long long)size);
        else if (!rc && strcmp(got, digest) != 0)
            rc = fp_error_set(FUNCP_ENETWORK, "registry %s, repository %s: blob digest mismatch: expected %s, "
                              "got %s", reg->ref.registry, reg->ref.repository, digest, got);
        int transient = resp.transient;
        fp_resp_free(&resp);
        if (rc && transient && attempt < FP_REGISTRY_TRIES) {
            fp_error_clear();
            rc = FUNCP_OK;
            fp_registry_backoff(reg, attempt, NULL);
            continue;
        }
        break;
    }
    free(url);
    if (f) {
        if (fsync(fileno(f)) != 0 && !rc)
            rc = fp_error_set(FUNCP_EIO, "%s: %s", tmp, strerror(errno));
        fclose(f);
    } else {
        close(fd);
    }
    if (!rc && rename(tmp, out_path) != 0)
        rc = fp_error_set(FUNCP_EIO, "%s: %s", out_path, strerror(errno));
    if (rc)
        unlink(tmp);
    free(tmp);
    return rc;
}

int fp_registry_blob_push_file(fp_registry *reg, const char *path, uint64_t size, const char *label,
                               char digest[FP_DIGEST_LEN + 1], int *skipped)
{
    *skipped = 0;
    int rc = fp_registry_ping(reg);
    if (rc)
        return rc;
    if (size < FP_PARALLEL_HASH_MIN) {
        int exists = 0;
        if ((rc = fp_digest_file(path, digest, NULL)) || (rc = fp_registry_blob_exists(reg, digest, &exists)))
            return rc;
        *skipped = exists;
        return exists ? FUNCP_OK : fp_registry_blob_put_file(reg, path, digest, size, label);
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fp_error_set(FUNCP_EIO, "%s: %s", path, strerror(errno));
    hash_job *job = calloc(1, sizeof *job);
    if (!job) {
        close(fd);
        return fp_error_set(FUNCP_ERROR, "out of memory");
    }
    job->reg = reg;
    job->path = path;
    fp_registry_auth_header(reg, job->auth, sizeof job->auth);
    if (pthread_create(&job->thread, NULL, hash_main, job) != 0) {
        rc = fp_error_set(FUNCP_ERROR, "cannot start a thread: %s", strerror(errno));
    } else {
        job->started = 1;
        blob_src src = {.fd = fd, .size = size, .label = label};
        rc = blob_put(reg, &src, NULL, job);
        if (rc == FUNCP_EEXISTS) {
            *skipped = 1;
            rc = FUNCP_OK;
        }
        /* Joined on every path; keep the first error. */
        int wrc = job_wait(job);
        if (!rc)
            rc = wrc;
        snprintf(digest, FP_DIGEST_LEN + 1, "%s", job->digest);
    }
    OPENSSL_cleanse(job->auth, sizeof job->auth);
    free(job);
    close(fd);
    return rc;
}
