/* The JavaScript toolchain: the pinned npm packages (data/package.json),
 * the helper scripts and the WIT world, installed once per user into
 *   ${XDG_CACHE_HOME:-~/.cache}/funcp/js-wasi/<plugin version>-<content hash>
 * and never into a function. Concurrent first builds each install into their
 * own temporary directory and rename it into place: the first wins, the
 * others discard theirs, and nobody ever sees a half-installed cache. */
#include "jswasi.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Marker written last, before the rename: its presence means complete. */
#define COMPLETE ".funcp-complete"

static const char *const toolchain_files[] = {
    "data/package.json", "data/componentize.mjs", "data/prepare-wit.mjs", "data/wit/world.wit",
};

/* Keyed by the content of what we install, so editing a pin or a script
 * without bumping the version still gets a fresh toolchain. */
static uint32_t content_hash(void)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < FUNCP_COUNTOF(toolchain_files); i++) {
        const jswasi_file *f = jswasi_embedded(toolchain_files[i]);
        for (size_t j = 0; f && j < f->size; j++)
            h = (h ^ f->data[j]) * 16777619u;
    }
    return h;
}

static char *cache_dir(void)
{
    const char *xdg = getenv("XDG_CACHE_HOME");
    if (xdg && xdg[0] == '/')
        return jswasi_strf("%s/funcp/js-wasi/%s-%08x", xdg, JSWASI_VERSION,
                           (unsigned)content_hash());
    const char *home = getenv("HOME");
    if (!home || !*home)
        return NULL;
    return jswasi_strf("%s/.cache/funcp/js-wasi/%s-%08x", home, JSWASI_VERSION,
                       (unsigned)content_hash());
}

static int write_files(const funcp_host *host, funcp_call *call, const char *dir)
{
    for (size_t i = 0; i < FUNCP_COUNTOF(toolchain_files); i++) {
        const jswasi_file *f = jswasi_embedded(toolchain_files[i]);
        const char *rel = toolchain_files[i] + strlen("data/");
        char *path = jswasi_strf("%s/%s", dir, rel);
        if (!f || !path) {
            free(path);
            return host->error(call, FUNCP_ERROR, "out of memory");
        }
        char *slash = strrchr(path, '/');
        *slash = '\0';
        int ok = jswasi_mkdirs(path) == 0;
        *slash = '/';
        if (!ok || jswasi_write_file(path, f->data, f->size) != 0) {
            int rc = host->error(call, FUNCP_EIO, "write %s: %s", path, strerror(errno));
            free(path);
            return rc;
        }
        free(path);
    }
    return FUNCP_OK;
}

/* Run a node/npm step in dir; on failure its stderr is shown. */
static int step(const funcp_host *host, funcp_call *call, const char *const *argv,
                const char *dir, const char *what)
{
    funcp_process proc = {sizeof proc, argv, NULL, dir,
                          FUNCP_PROC_CAPTURE_STDOUT | FUNCP_PROC_QUIET_STDERR, NULL};
    funcp_process_result res = {sizeof res, 0, NULL, 0, NULL, 0};
    int rc = host->run(call, &proc, &res);
    host->free(res.out);
    host->free(res.err);
    if (rc != FUNCP_OK)
        return host->error_wrap(call, "%s", what);
    if (res.exit_code != 0)
        return host->error(call, FUNCP_ETOOLCHAIN, "%s failed (exit status %d)", what,
                           res.exit_code);
    return FUNCP_OK;
}

static int install(const funcp_host *host, funcp_call *call, const char *dir)
{
    char *tmp = jswasi_strf("%s.tmp-%ld", dir, (long)getpid());
    if (!tmp)
        return host->error(call, FUNCP_ERROR, "out of memory");
    int rc = FUNCP_OK;
    jswasi_rmtree(tmp);
    if (jswasi_mkdirs(tmp) != 0) {
        rc = host->error(call, FUNCP_EIO, "create %s: %s", tmp, strerror(errno));
        goto out;
    }
    rc = write_files(host, call, tmp);
    if (rc != FUNCP_OK)
        goto out;
    host->log(call, FUNCP_LOG_INFO,
              "Installing the JavaScript toolchain from npm into %s (first build only)", dir);
    /* The exact pins live in package.json; --prefix keeps npm out of the
     * function and of any project around it. */
    const char *npm[] = {"npm", "install", "--prefix", tmp, "--no-audit", "--no-fund",
                         "--no-update-notifier", "--loglevel=error", NULL};
    rc = step(host, call, npm, tmp, "npm install (componentize-js, jco)");
    if (rc != FUNCP_OK)
        goto out;
    const char *wit[] = {"node", "prepare-wit.mjs", tmp, NULL};
    rc = step(host, call, wit, tmp, "prepare the WIT world (prepare-wit.mjs)");
    if (rc != FUNCP_OK)
        goto out;
    char *mark = jswasi_strf("%s/" COMPLETE, tmp);
    if (!mark || jswasi_write_file(mark, "", 0) != 0) {
        rc = host->error(call, FUNCP_EIO, "write %s/" COMPLETE ": %s", tmp, strerror(errno));
        free(mark);
        goto out;
    }
    free(mark);
    if (rename(tmp, dir) != 0) {
        if (errno != EEXIST && errno != ENOTEMPTY) {
            rc = host->error(call, FUNCP_EIO, "rename %s to %s: %s", tmp, dir, strerror(errno));
            goto out;
        }
        /* Another build installed it first: use theirs, if it is whole. */
        char *theirs = jswasi_strf("%s/" COMPLETE, dir);
        int whole = theirs && jswasi_exists(theirs);
        free(theirs);
        if (!whole)
            rc = host->error(call, FUNCP_EIO,
                             "%s exists but is not a complete toolchain; remove it and build again",
                             dir);
    }
out:
    jswasi_rmtree(tmp); /* gone already after a successful rename */
    free(tmp);
    return rc;
}

int jswasi_toolchain(const funcp_host *host, funcp_call *call, char **dir_out)
{
    *dir_out = NULL;
    char *dir = cache_dir();
    if (!dir)
        return host->error(call, FUNCP_ERROR,
                           "no cache directory: set HOME or XDG_CACHE_HOME (absolute)");
    char *mark = jswasi_strf("%s/" COMPLETE, dir);
    int ready = mark && jswasi_exists(mark);
    free(mark);
    if (!ready) {
        const char *need[] = {"node", "npm"};
        for (size_t i = 0; i < 2; i++) {
            char *path = host->which(call, need[i]);
            if (!path) {
                free(dir);
                return host->error(call, FUNCP_ETOOLCHAIN,
                                   "%s not found on PATH: js-wasi builds need Node.js 18 or "
                                   "newer and npm (Debian: apt-get install nodejs npm)",
                                   need[i]);
            }
            host->free(path);
        }
        char *parent = strdup(dir);
        if (parent)
            *strrchr(parent, '/') = '\0';
        if (!parent || jswasi_mkdirs(parent) != 0) {
            int rc = host->error(call, FUNCP_EIO, "create %s: %s", parent ? parent : dir,
                                 strerror(errno));
            free(parent);
            free(dir);
            return rc;
        }
        free(parent);
        int rc = install(host, call, dir);
        if (rc != FUNCP_OK) {
            free(dir);
            return rc;
        }
    }
    *dir_out = dir;
    return FUNCP_OK;
}
