/* WIT provisioning (knative func's ProvisionWIT): each build.builderImages
 * entry names an OCI artifact holding a WIT package encoded as a component.
 * It is pulled through the host, decoded with `wasm-tools component wit`
 * (or `jco wit`) and laid out flat as wit/deps/<pkg>/<pkg>.wit, the main
 * package and each package it depends on. wit/.versions remembers what was
 * provisioned so unchanged entries are skipped. */
#include "pcom/fs.h"
#include "pcom/tool.h"
#include "pcom/wit.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char GITIGNORE[] = "# Downloaded WIT artifacts \xE2\x80\x94 do not commit\n*\n";

typedef struct entry {
    char *key;
    char *ref;
} entry;

typedef struct prov {
    const funcp_host *host;
    funcp_call *call;
    char *deps;        /* <root>/wit/deps                         */
    char *work;        /* scratch dir under <root>/wit, removed at end */
    int forgiving;
    const char *decoder; /* "wasm-tools" or "jco"                 */
    char **direct;     /* main packages provisioned by this run   */
    size_t n_direct;
} prov;

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->key, ((const entry *)b)->key);
}

static void free_entries(entry *e, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(e[i].key);
        free(e[i].ref);
    }
    free(e);
}

/* builderImages minus the mode key, sorted by key; *forgiving from the mode. */
static int read_entries(const funcp_host *host, funcp_call *call, entry **out, size_t *n_out,
                        int *forgiving)
{
    size_t n = host->fy_count(call, "build.builderImages");
    entry *e = calloc(n ? n : 1, sizeof *e);
    if (!e)
        return host->error(call, FUNCP_ERROR, "out of memory");
    size_t k = 0;
    *forgiving = 0;
    for (size_t i = 0; i < n; i++) {
        const char *key = host->fy_key(call, "build.builderImages", i);
        if (!key)
            continue;
        char *path = pcom_strdup_printf("build.builderImages.%s", key);
        const char *val = path ? host->fy_get(call, path) : NULL;
        free(path);
        if (strcmp(key, PCOM_WIT_MODE_KEY) == 0) {
            if (val && strcmp(val, "forgiving") == 0) {
                *forgiving = 1;
            } else if (!val || strcmp(val, "strict") != 0) {
                free_entries(e, k);
                return host->error(call, FUNCP_EUSAGE,
                                   "invalid " PCOM_WIT_MODE_KEY " value \"%s\" (expected "
                                   "\"strict\" or \"forgiving\")", val ? val : "");
            }
            continue;
        }
        if (!val || !*val) {
            free_entries(e, k);
            return host->error(call, FUNCP_EUSAGE,
                               "func.yaml build.builderImages.%s: expected an OCI reference", key);
        }
        e[k].key = strdup(key);
        e[k].ref = strdup(val);
        if (!e[k].key || !e[k].ref) {
            free_entries(e, k + 1);
            return host->error(call, FUNCP_ERROR, "out of memory");
        }
        k++;
    }
    qsort(e, k, sizeof *e, cmp_entry);
    *out = e;
    *n_out = k;
    return FUNCP_OK;
}

/* A directory funcp provisioned: its .gitignore has a line "*". */
static int auto_fetched(const char *dir)
{
    char *gi = pcom_path_join(dir, ".gitignore");
    char *text = gi ? pcom_read_file(gi, NULL) : NULL;
    free(gi);
    if (!text)
        return 0;
    int found = 0;
    for (char *line = strtok(text, "\n"); line && !found; line = strtok(NULL, "\n")) {
        while (*line == ' ' || *line == '\t')
            line++;
        size_t n = strlen(line);
        while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t' || line[n - 1] == '\r'))
            n--;
        found = n == 1 && line[0] == '*';
    }
    free(text);
    return found;
}

/* A directory we may write into: exists, is a real directory, and was
 * provisioned by funcp. A symlink is always treated as the user's. */
static int is_user_vendored(const char *dir)
{
    struct stat st;
    if (lstat(dir, &st) != 0)
        return 0;
    return !S_ISDIR(st.st_mode) || !auto_fetched(dir);
}

static int io_error(prov *p, const char *what, const char *path)
{
    return p->host->error(p->call, FUNCP_EIO, "%s %s: %s", what, path, strerror(errno));
}

/* Build <work>/stage-<stem>/{<stem>.wit,.gitignore} and move it to
 * <deps>/<stem>, replacing what was there. */
static int install_dir(prov *p, const char *stem, const char *src)
{
    char *stage = pcom_strdup_printf("%s/stage-%s", p->work, stem);
    char *old = pcom_strdup_printf("%s/old-%s", p->work, stem);
    char *dst = pcom_path_join(p->deps, stem);
    char *file = stage ? pcom_strdup_printf("%s/%s.wit", stage, stem) : NULL;
    char *gi = stage ? pcom_path_join(stage, ".gitignore") : NULL;
    int rc = FUNCP_OK;
    if (!stage || !old || !dst || !file || !gi)
        rc = p->host->error(p->call, FUNCP_ERROR, "out of memory");
    else if (mkdir(stage, 0755) != 0)
        rc = io_error(p, "create directory", stage);
    else if (pcom_copy_file_atomic(src, file) != 0)
        rc = io_error(p, "write", file);
    else if (pcom_write_file_atomic(gi, GITIGNORE, sizeof GITIGNORE - 1, 0644) != 0)
        rc = io_error(p, "write", gi);
    else {
        int had_old = pcom_exists(dst);
        if (had_old && rename(dst, old) != 0)
            rc = io_error(p, "move aside", dst);
        else if (rename(stage, dst) != 0) {
            rc = io_error(p, "install", dst);
            if (had_old)
                (void)rename(old, dst);
        }
    }
    free(stage);
    free(old);
    free(dst);
    free(file);
    free(gi);
    return rc;
}

static int is_direct(const prov *p, const char *stem)
{
    for (size_t i = 0; i < p->n_direct; i++)
        if (strcmp(p->direct[i], stem) == 0)
            return 1;
    return 0;
}

static int install_main(prov *p, const char *stem, const char *src)
{
    char *dst = pcom_path_join(p->deps, stem);
    if (!dst)
        return p->host->error(p->call, FUNCP_ERROR, "out of memory");
    int rc = FUNCP_OK;
    if (is_user_vendored(dst))
        p->host->log(p->call, FUNCP_LOG_WARN,
                     "wit/deps/%s is user-vendored (no auto-fetch .gitignore); leaving it untouched",
                     stem);
    else
        rc = install_dir(p, stem, src);
    free(dst);
    if (rc != FUNCP_OK)
        return rc;
    char **grown = realloc(p->direct, (p->n_direct + 1) * sizeof *grown);
    char *copy = strdup(stem);
    if (!grown || !copy) {
        free(copy);
        if (grown)
            p->direct = grown;
        return p->host->error(p->call, FUNCP_ERROR, "out of memory");
    }
    p->direct = grown;
    p->direct[p->n_direct++] = copy;
    return FUNCP_OK;
}

/* An existing auto-fetched transitive package meets a different copy. */
static int resolve_conflict(prov *p, const char *stem, const char *fname, const char *existing,
                            const char *incoming, long long have, long long got)
{
    if (!p->forgiving)
        return p->host->error(p->call, FUNCP_EPARSE,
            "WIT transitive dep conflict for \"%s\": file \"%s\" differs between transitive deps "
            "(existing %lld bytes vs incoming %lld bytes); set " PCOM_WIT_MODE_KEY " to "
            "\"forgiving\" in builderImages or add \"%s\" as a direct builderImages entry to "
            "resolve", stem, fname, have, got, stem);
    if (got == have) {
        p->host->log(p->call, FUNCP_LOG_WARN,
                     "WIT transitive dep \"%s\": file \"%s\" differs but has the same size "
                     "(%lld bytes); keeping the existing file", stem, fname, have);
        return FUNCP_OK;
    }
    if (got < have) {
        p->host->log(p->call, FUNCP_LOG_WARN,
                     "WIT transitive dep \"%s\": file \"%s\" differs; keeping the existing file "
                     "(existing %lld bytes vs incoming %lld bytes, larger wins)", stem, fname,
                     have, got);
        return FUNCP_OK;
    }
    p->host->log(p->call, FUNCP_LOG_WARN,
                 "WIT transitive dep \"%s\": file \"%s\" differs; replacing it with the incoming "
                 "file (existing %lld bytes vs incoming %lld bytes, larger wins)", stem, fname,
                 have, got);
    if (pcom_copy_file_atomic(incoming, existing) != 0)
        return io_error(p, "write", existing);
    return FUNCP_OK;
}

static int install_transitive(prov *p, const char *stem, const char *src)
{
    if (is_direct(p, stem)) {
        p->host->log(p->call, FUNCP_LOG_DEBUG,
                     "WIT package %s: provided directly, skipping the transitive copy", stem);
        return FUNCP_OK;
    }
    char *dst = pcom_path_join(p->deps, stem);
    if (!dst)
        return p->host->error(p->call, FUNCP_ERROR, "out of memory");
    if (!pcom_exists(dst)) {
        int rc = install_dir(p, stem, src);
        free(dst);
        return rc;
    }
    if (is_user_vendored(dst)) {
        p->host->log(p->call, FUNCP_LOG_DEBUG,
                     "wit/deps/%s is user-vendored (no auto-fetch .gitignore); leaving it untouched",
                     stem);
        free(dst);
        return FUNCP_OK;
    }
    char *fname = pcom_strdup_printf("%s.wit", stem);
    char *existing = fname ? pcom_path_join(dst, fname) : NULL;
    int rc = FUNCP_OK;
    if (!existing) {
        rc = p->host->error(p->call, FUNCP_ERROR, "out of memory");
    } else if (!pcom_exists(existing)) {
        if (pcom_copy_file_atomic(src, existing) != 0)
            rc = io_error(p, "write", existing);
    } else {
        size_t have_len = 0, got_len = 0;
        char *have = pcom_read_file(existing, &have_len);
        char *got = pcom_read_file(src, &got_len);
        if (!have || !got)
            rc = io_error(p, "read", have ? src : existing);
        else if (have_len != got_len || memcmp(have, got, have_len) != 0)
            rc = resolve_conflict(p, stem, fname, existing, src, (long long)have_len,
                                  (long long)got_len);
        free(have);
        free(got);
    }
    free(fname);
    free(existing);
    free(dst);
    return rc;
}

static int reject(prov *p, const char *name)
{
    return p->host->error(p->call, FUNCP_EPARSE,
                          "WIT package entry \"%s\" would escape wit/deps: rejected", name);
}

/* Each <dir>/<stem>.wit, as main packages or dependencies. Symlinks,
 * unsafe names and anything but regular files are rejected. */
static int install_listing(prov *p, const char *dir, int main, size_t *count)
{
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT && !main ? FUNCP_OK : io_error(p, "read directory", dir);
    int rc = FUNCP_OK;
    struct dirent *e;
    while (rc == FUNCP_OK && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *path = pcom_path_join(dir, e->d_name);
        struct stat st;
        if (!path || lstat(path, &st) != 0) {
            rc = path ? io_error(p, "stat", path) : p->host->error(p->call, FUNCP_ERROR, "out of memory");
        } else if (main && strcmp(e->d_name, "deps") == 0 && S_ISDIR(st.st_mode)) {
            /* dependencies: the caller's second pass */
        } else if (!S_ISREG(st.st_mode)) {
            rc = reject(p, e->d_name);
        } else {
            size_t n = strlen(e->d_name);
            if (n > 4 && strcmp(e->d_name + n - 4, ".wit") == 0) {
                char *stem = strndup(e->d_name, n - 4);
                if (!pcom_wit_stem_ok(stem))
                    rc = reject(p, e->d_name);
                else
                    rc = main ? install_main(p, stem, path) : install_transitive(p, stem, path);
                (*count)++;
                free(stem);
            }
        }
        free(path);
    }
    closedir(d);
    return rc;
}

/* `jco wit` prints every package in one text: write the out-dir layout. */
static int jco_decode(prov *p, const char *wasm, const char *outdir)
{
    const char *argv[] = {"jco", "wit", wasm, NULL};
    char *text = NULL;
    int rc = pcom_run_tool(p->host, p->call, NULL, argv, &text);
    if (rc != FUNCP_OK)
        return rc;
    pcom_wit_package *pkgs = NULL;
    int n = pcom_wit_split(text, &pkgs);
    free(text);
    if (n < 0)
        return p->host->error(p->call, FUNCP_EPARSE,
                              "jco wit printed no WIT package declaration");
    char *deps = pcom_path_join(outdir, "deps");
    if (!deps || pcom_mkdir_p(deps) != 0)
        rc = deps ? io_error(p, "create directory", deps)
                  : p->host->error(p->call, FUNCP_ERROR, "out of memory");
    for (int i = 0; i < n && rc == FUNCP_OK; i++) {
        char *stem = pcom_wit_stem(pkgs, n, i);
        if (!pcom_wit_stem_ok(stem)) {
            rc = reject(p, pkgs[i].name);
        } else {
            char *file = pcom_strdup_printf("%s/%s.wit", i == 0 ? outdir : deps, stem);
            if (!file || pcom_write_file_atomic(file, pkgs[i].text, strlen(pkgs[i].text), 0644) != 0)
                rc = io_error(p, "write", file ? file : stem);
            free(file);
        }
        free(stem);
    }
    free(deps);
    pcom_wit_packages_free(pkgs, n);
    return rc;
}

static int provision_entry(prov *p, size_t index, const entry *e)
{
    const funcp_host *host = p->host;
    char *dir = pcom_strdup_printf("%s/entry-%zu", p->work, index);
    char *wasm = dir ? pcom_path_join(dir, "artifact.wasm") : NULL;
    char *out = dir ? pcom_path_join(dir, "out") : NULL;
    char *outdeps = out ? pcom_path_join(out, "deps") : NULL;
    int rc = FUNCP_OK;
    if (!outdeps)
        rc = host->error(p->call, FUNCP_ERROR, "out of memory");
    else if (pcom_mkdir_p(out) != 0)
        rc = io_error(p, "create directory", out);
    else if (!funcp_host_has(host, oci_pull_layer))
        rc = host->error(p->call, FUNCP_ENOTSUPPORTED, "this funcp cannot pull OCI artifacts");
    if (rc == FUNCP_OK) {
        host->log(p->call, FUNCP_LOG_INFO, "Fetching WIT package %s from %s", e->key, e->ref);
        rc = host->oci_pull_layer(p->call, e->ref, wasm);
        if (rc != FUNCP_OK)
            rc = host->error_wrap(p->call, "OCI pull failed: \"%s\" (check network "
                                  "connectivity and registry authentication)", e->ref);
    }
    if (rc == FUNCP_OK && strcmp(p->decoder, "jco") == 0) {
        rc = jco_decode(p, wasm, out);
    } else if (rc == FUNCP_OK) {
        const char *argv[] = {"wasm-tools", "component", "wit", wasm, "--out-dir", out, NULL};
        char *ignored = NULL;
        rc = pcom_run_tool(host, p->call, NULL, argv, &ignored);
        free(ignored);
    }
    size_t mains = 0, deps = 0;
    if (rc == FUNCP_OK)
        rc = install_listing(p, out, 1, &mains);
    if (rc == FUNCP_OK && mains == 0)
        rc = host->error(p->call, FUNCP_EPARSE, "no WIT package found in the artifact");
    if (rc == FUNCP_OK) {
        struct stat st;
        if (lstat(outdeps, &st) == 0 && !S_ISDIR(st.st_mode))
            rc = reject(p, "deps");
        else
            rc = install_listing(p, outdeps, 0, &deps);
    }
    if (rc == FUNCP_OK)
        host->log(p->call, FUNCP_LOG_DEBUG, "WIT package %s: %zu main, %zu dependencies",
                  e->key, mains, deps);
    free(dir);
    free(wasm);
    free(out);
    free(outdeps);
    return rc;
}

static int run_entries(prov *p, entry *todo, size_t n, pcom_versions *versions,
                       const char *versions_path)
{
    for (size_t i = 0; i < n; i++) {
        if (p->host->cancelled(p->call))
            return p->host->error(p->call, FUNCP_ECANCELED, "canceled");
        int rc = provision_entry(p, i, &todo[i]);
        if (rc != FUNCP_OK)
            return p->host->error_wrap(p->call, "dep \"%s\" from %s", todo[i].key, todo[i].ref);
        if (pcom_versions_set(versions, todo[i].key, todo[i].ref) != 0)
            return p->host->error(p->call, FUNCP_ERROR, "out of memory");
    }
    if (pcom_versions_save(versions, versions_path) != 0)
        return io_error(p, "write", versions_path);
    return FUNCP_OK;
}

static const char *find_decoder(const funcp_host *host, funcp_call *call)
{
    static const char *const tools[] = {"wasm-tools", "jco"};
    for (size_t i = 0; i < 2; i++) {
        char *path = host->which(call, tools[i]);
        if (path) {
            host->free(path);
            return tools[i];
        }
    }
    return NULL;
}

int pcom_wit_provision(const funcp_host *host, funcp_call *call, const char *root)
{
    entry *all = NULL;
    size_t n = 0;
    int forgiving = 0;
    int rc = read_entries(host, call, &all, &n, &forgiving);
    if (rc != FUNCP_OK)
        return host->error_wrap(call, "WIT provisioning failed");
    char *wit = pcom_path_join(root, "wit");
    char *versions_path = wit ? pcom_path_join(wit, ".versions") : NULL;
    pcom_versions *versions = versions_path ? pcom_versions_load(versions_path) : NULL;
    prov p = {host, call, NULL, NULL, forgiving, NULL, NULL, 0};
    size_t todo = 0;
    if (!versions) {
        rc = host->error(call, FUNCP_ERROR, "out of memory");
        n = 0;
    }
    /* Keep only the entries whose reference changed, in key order. */
    for (size_t i = 0; i < n; i++) {
        const char *had = pcom_versions_get(versions, all[i].key);
        if (had && strcmp(had, all[i].ref) == 0) {
            free(all[i].key);
            free(all[i].ref);
            continue;
        }
        all[todo++] = all[i];
    }
    if (rc == FUNCP_OK && todo == 0) {
        host->log(call, FUNCP_LOG_DEBUG, "WIT packages unchanged (wit/.versions); nothing to fetch");
        goto done;
    }
    if (rc == FUNCP_OK && !(p.decoder = find_decoder(host, call))) {
        rc = host->error(call, FUNCP_ETOOLCHAIN,
                         "wasm-tools not found on PATH: install wasm-tools 1.219 or newer "
                         "(cargo install wasm-tools, or a release from "
                         "https://github.com/bytecodealliance/wasm-tools/releases), "
                         "or jco (npm install -g @bytecodealliance/jco)");
        goto done;
    }
    p.deps = rc == FUNCP_OK ? pcom_path_join(wit, "deps") : NULL;
    p.work = p.deps ? pcom_path_join(wit, ".funcp-wit-XXXXXX") : NULL;
    if (rc == FUNCP_OK && !p.work)
        rc = host->error(call, FUNCP_ERROR, "out of memory");
    else if (rc == FUNCP_OK && pcom_mkdir_p(p.deps) != 0)
        rc = io_error(&p, "create directory", p.deps);
    else if (rc == FUNCP_OK && !mkdtemp(p.work)) {
        rc = io_error(&p, "create directory", p.work);
        free(p.work);
        p.work = NULL;
    }
    if (rc == FUNCP_OK)
        rc = run_entries(&p, all, todo, versions, versions_path);
    if (p.work)
        pcom_remove_tree(p.work);
done:
    if (rc != FUNCP_OK)
        rc = host->error_wrap(call, "WIT provisioning failed");
    for (size_t i = 0; i < p.n_direct; i++)
        free(p.direct[i]);
    free(p.direct);
    free(p.deps);
    free(p.work);
    free_entries(all, todo);
    pcom_versions_free(versions);
    free(versions_path);
    free(wit);
    return rc;
}
