/* The jco runner's transpile cache. `jco serve` transpiles the component to
 * JavaScript on every start (about a second for a componentize-js output);
 * the result depends only on the component and the toolchain, so it is kept
 * in the toolchain directory, keyed by the component's sha256:
 *   <toolchain>/serve/jco-serve-<script hash>.mjs   the node helper
 *   <toolchain>/serve/<sha256>/                     one transpiled component
 *   <toolchain>/serve/<sha256>/.funcp-complete      written last; holds the
 *                                                   helper's hash
 * An entry is transpiled into <sha256>.tmp-<pid> and renamed into place, so
 * an entry that exists is whole. Lookups touch the marker; entries beyond
 * the KEEP most recently used are removed (renamed away first, so nobody
 * sees half of one). A running server no longer reads its entry: it has
 * compiled everything before its port answers. Helper scripts of other
 * plugin builds go once unused for a week. */
#include "jswasi.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define KEEP 5
#define MARKER ".funcp-complete"
#define SCRIPT "data/jco-serve.mjs"
#define HEX_DIGEST 64
#define SCRIPT_AGE (7 * 24 * 3600)

static uint32_t script_hash(const jswasi_file *f)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < f->size; i++)
        h = (h ^ f->data[i]) * 16777619u;
    return h;
}

/* sha256 of a file as 64 lowercase hex digits. */
static int file_sha256(const char *path, char hex[HEX_DIGEST + 1])
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    enum { CHUNK = 1 << 16 };
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned char *buf = malloc(CHUNK);
    int ok = ctx && buf && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1;
    size_t n;
    while (ok && (n = fread(buf, 1, CHUNK, f)) > 0)
        ok = EVP_DigestUpdate(ctx, buf, n) == 1;
    ok = ok && !ferror(f);
    unsigned char md[32];
    unsigned len = 0;
    ok = ok && EVP_DigestFinal_ex(ctx, md, &len) == 1 && len == sizeof md;
    int saved = errno;
    free(buf);
    EVP_MD_CTX_free(ctx);
    fclose(f);
    if (!ok) {
        errno = saved ? saved : EIO;
        return -1;
    }
    for (unsigned i = 0; i < sizeof md; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    return 0;
}

/* Is the entry complete and made by this helper script? */
static int entry_valid(const char *entry, const char *tag)
{
    char *mark = jswasi_strf("%s/" MARKER, entry);
    FILE *f = mark ? fopen(mark, "r") : NULL;
    char got[32] = "";
    int ok = f && fgets(got, sizeof got, f) && !strcmp(got, tag);
    if (f)
        fclose(f);
    if (ok) /* most recently used: the pruning keeps it */
        utimensat(AT_FDCWD, mark, NULL, 0);
    free(mark);
    return ok;
}

static int is_digest(const char *name)
{
    size_t n = strspn(name, "0123456789abcdef");
    return n == HEX_DIGEST && name[n] == '\0';
}

/* "<sha256>.tmp-<pid>" or "<sha256>.old-<pid>" whose process is gone. */
static int is_leftover(const char *name)
{
    if (strspn(name, "0123456789abcdef") != HEX_DIGEST)
        return 0;
    const char *rest = name + HEX_DIGEST;
    if (strncmp(rest, ".tmp-", 5) && strncmp(rest, ".old-", 5))
        return 0;
    char *end;
    long pid = strtol(rest + 5, &end, 10);
    return !*end && pid > 0 && kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

/* Move dir out of the way, then delete it. */
static void discard(const char *dir)
{
    char *old = jswasi_strf("%s.old-%ld", dir, (long)getpid());
    if (old && rename(dir, old) == 0)
        jswasi_rmtree(old);
    free(old);
}

typedef struct {
    char *path;
    struct timespec used;
} entry_use;

static int newest_first(const void *a, const void *b)
{
    const struct timespec *x = &((const entry_use *)a)->used;
    const struct timespec *y = &((const entry_use *)b)->used;
    if (x->tv_sec != y->tv_sec)
        return x->tv_sec < y->tv_sec ? 1 : -1;
    return x->tv_nsec < y->tv_nsec ? 1 : x->tv_nsec > y->tv_nsec ? -1 : 0;
}

/* A helper script of another plugin build, unused for SCRIPT_AGE seconds
 * (a plugin touches its own on every start). */
static int old_script(const char *dir, const char *name, const char *current)
{
    size_t len = strlen(name);
    if (strncmp(name, "jco-serve-", 10) || len < 14 || strcmp(name + len - 4, ".mjs"))
        return 0;
    const char *slash = strrchr(current, '/');
    if (slash && !strcmp(name, slash + 1))
        return 0;
    char *path = jswasi_strf("%s/%s", dir, name);
    struct stat st;
    int old = path && stat(path, &st) == 0 && time(NULL) - st.st_mtime > SCRIPT_AGE;
    free(path);
    return old;
}

/* Keep the KEEP most recently used entries (always `keep`); remove
 * leftovers of runs that died mid-transpile. */
static void prune(const funcp_host *host, funcp_call *call, const char *dir, const char *keep,
                  const char *script)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    entry_use *uses = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char *path = jswasi_strf("%s/%s", dir, e->d_name);
        if (!path)
            break;
        if (is_leftover(e->d_name) || old_script(dir, e->d_name, script)) {
            jswasi_rmtree(path);
        } else if (is_digest(e->d_name) && strcmp(path, keep)) {
            if (n == cap) {
                cap = cap ? 2 * cap : 8;
                entry_use *grown = realloc(uses, cap * sizeof *uses);
                if (!grown) {
                    free(path);
                    break;
                }
                uses = grown;
            }
            struct stat st;
            char *mark = jswasi_strf("%s/" MARKER, path);
            if (!mark || stat(mark, &st) != 0)
                st.st_mtim = (struct timespec){0, 0}; /* broken: oldest */
            free(mark);
            uses[n++] = (entry_use){path, st.st_mtim};
            continue;
        }
        free(path);
    }
    closedir(d);
    qsort(uses, n, sizeof *uses, newest_first);
    for (size_t i = 0; i < n; i++) {
        if (i + 1 >= KEEP) { /* + 1: `keep` is one of the KEEP */
            host->log(call, FUNCP_LOG_DEBUG, "jco runner: removing the least recently used %s",
                      uses[i].path);
            discard(uses[i].path);
        }
        free(uses[i].path);
    }
    free(uses);
}

/* Write the helper script once per content (atomically: many runs may
 * start at once). */
static int write_script(const funcp_host *host, funcp_call *call, const char *path,
                        const jswasi_file *f)
{
    if (jswasi_exists(path)) {
        utimensat(AT_FDCWD, path, NULL, 0); /* in use: see old_script() */
        return FUNCP_OK;
    }
    if (jswasi_write_file(path, f->data, f->size) != 0)
        return host->error(call, FUNCP_EIO, "write %s: %s", path, strerror(errno));
    return FUNCP_OK;
}

/* Transpile artifact into entry via entry.tmp-<pid> and a rename. */
static int transpile(const funcp_host *host, funcp_call *call, const char *script,
                     const char *artifact, const char *entry, const char *tag)
{
    char *tmp = jswasi_strf("%s.tmp-%ld", entry, (long)getpid());
    char *mark = jswasi_strf("%s.tmp-%ld/" MARKER, entry, (long)getpid());
    if (!tmp || !mark) {
        free(tmp);
        free(mark);
        return host->error(call, FUNCP_ERROR, "out of memory");
    }
    int rc = FUNCP_OK;
    jswasi_rmtree(tmp);
    if (jswasi_mkdirs(tmp) != 0) {
        rc = host->error(call, FUNCP_EIO, "create %s: %s", tmp, strerror(errno));
        goto out;
    }
    host->log(call, FUNCP_LOG_INFO, "Transpiling %s for node (once per component build)",
              artifact);
    const char *argv[] = {"node", script, "transpile", artifact, tmp, NULL};
    funcp_process proc = {sizeof proc, argv, NULL, NULL,
                          FUNCP_PROC_CAPTURE_STDOUT | FUNCP_PROC_CAPTURE_STDERR, NULL};
    funcp_process_result res = {sizeof res, 0, NULL, 0, NULL, 0};
    rc = host->run(call, &proc, &res);
    const char *why = res.err && *res.err ? res.err : "no message";
    int why_len = (int)strcspn(why, "\n");
    if (rc != FUNCP_OK)
        rc = host->error_wrap(call, "transpile %s with jco", artifact);
    else if (res.exit_code == 3) /* see jco-serve.mjs */
        rc = host->error(call, FUNCP_EINCOMPATIBLE,
                         "%s does not export wasi:http/incoming-handler: only HTTP functions "
                         "(world wasi:http/proxy) can be run (%.*s)",
                         artifact, why_len, why);
    else if (res.exit_code == 4)
        rc = host->error(call, FUNCP_EINCOMPATIBLE,
                         "%s is not a WebAssembly component (jco: %.*s)", artifact, why_len, why);
    else if (res.exit_code != 0)
        rc = host->error(call, FUNCP_ETOOLCHAIN,
                         "transpiling %s with jco failed (exit status %d): %.*s", artifact,
                         res.exit_code, why_len, why);
    host->free(res.out);
    host->free(res.err);
    if (rc != FUNCP_OK)
        goto out;
    if (jswasi_write_file(mark, tag, strlen(tag)) != 0) {
        rc = host->error(call, FUNCP_EIO, "write %s: %s", mark, strerror(errno));
        goto out;
    }
    if (rename(tmp, entry) != 0) {
        if (errno != EEXIST && errno != ENOTEMPTY) {
            rc = host->error(call, FUNCP_EIO, "rename %s to %s: %s", tmp, entry, strerror(errno));
            goto out;
        }
        /* A concurrent run was first (use theirs), or the entry is from an
         * older helper script (replace it). */
        if (!entry_valid(entry, tag)) {
            discard(entry);
            if (rename(tmp, entry) != 0 && !entry_valid(entry, tag))
                rc = host->error(call, FUNCP_EIO, "rename %s to %s: %s", tmp, entry,
                                 strerror(errno));
        }
    }
out:
    jswasi_rmtree(tmp); /* gone already after a successful rename */
    free(tmp);
    free(mark);
    return rc;
}

int jswasi_serve_cache(const funcp_host *host, funcp_call *call, const char *toolchain,
                       const char *artifact, char **script_out, char **entry_out)
{
    *script_out = *entry_out = NULL;
    const jswasi_file *f = jswasi_embedded(SCRIPT);
    if (!f)
        return host->error(call, FUNCP_ERROR, "the plugin lacks " SCRIPT);
    char digest[HEX_DIGEST + 1];
    if (file_sha256(artifact, digest) != 0)
        return host->error(call, FUNCP_EIO, "read %s: %s", artifact, strerror(errno));
    char tag[16];
    snprintf(tag, sizeof tag, "%08x", (unsigned)script_hash(f));
    char *dir = jswasi_strf("%s/serve", toolchain);
    char *script = jswasi_strf("%s/serve/jco-serve-%s.mjs", toolchain, tag);
    char *entry = jswasi_strf("%s/serve/%s", toolchain, digest);
    int rc = FUNCP_OK;
    if (!dir || !script || !entry) {
        rc = host->error(call, FUNCP_ERROR, "out of memory");
        goto out;
    }
    if (jswasi_mkdirs(dir) != 0) {
        rc = host->error(call, FUNCP_EIO, "create %s: %s", dir, strerror(errno));
        goto out;
    }
    rc = write_script(host, call, script, f);
    if (rc != FUNCP_OK)
        goto out;
    if (entry_valid(entry, tag)) {
        /* Transpiled before, so it exports the HTTP handler: same bytes. */
        host->log(call, FUNCP_LOG_DEBUG, "jco runner: reusing the transpiled sha256:%s in %s",
                  digest, entry);
    } else {
        rc = transpile(host, call, script, artifact, entry, tag);
        if (rc != FUNCP_OK)
            goto out;
        host->log(call, FUNCP_LOG_DEBUG, "jco runner: transpiled sha256:%s into %s", digest,
                  entry);
    }
    prune(host, call, dir, entry, script);
    *script_out = script;
    *entry_out = entry;
    script = entry = NULL;
out:
    free(dir);
    free(script);
    free(entry);
    return rc;
}
