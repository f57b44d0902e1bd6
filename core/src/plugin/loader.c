/* Plugin discovery and loading with libltdl. Plugins are opened with local
 * symbols (lt_dladvise_local) so two plugins may use the same internal
 * names; only funcp_plugin_get_v1 is looked up. Every refusal is recorded
 * with its kind and a sentence naming the file, and never stops the rest. */
#include "plugin/loader.h"

#include <dirent.h>
#include <dlfcn.h>
#include <ltdl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "plugin/search_dirs.h"
#include "plugin/validate.h"
#include "util/error.h"
#include "util/fs.h"

enum { WHY_MAX = 1024 };

const char *fp_refusal_name(fp_refusal reason)
{
    switch (reason) {
    case FP_REFUSED_NOT_LOADABLE: return "not-loadable";
    case FP_REFUSED_NO_ENTRY: return "missing-entry-symbol";
    case FP_REFUSED_ABI: return "incompatible-abi";
    case FP_REFUSED_INVALID: return "invalid-descriptor";
    case FP_REFUSED_DUPLICATE: return "duplicate-name";
    case FP_REFUSED_INIT_FAILED: return "init-failed";
    }
    return "unknown";
}

int fp_plugin_search_path(char ***dirs, size_t *n)
{
    return fp_search_dirs("FUNCP_PLUGIN_PATH", FUNCP_BUILD_DIR, FUNCP_BUILD_PLUGIN_DIR,
                          FUNCP_LIBDIR "/funcp/plugins", FUNCP_PLUGIN_DIR, dirs, n);
}

static int oom(void)
{
    return fp_error_set(FUNCP_ERROR, "out of memory");
}

static int refuse(fp_plugin_set *set, const char *path, fp_refusal reason, const char *why)
{
    fp_refused_plugin *grown =
        realloc(set->refused, (set->n_refused + 1) * sizeof *set->refused);
    if (!grown)
        return oom();
    set->refused = grown;
    fp_refused_plugin *r = &set->refused[set->n_refused];
    size_t len = strlen(path) + 2 + strlen(why) + 1;
    r->path = strdup(path);
    r->message = malloc(len);
    r->reason = reason;
    if (!r->path || !r->message) {
        free(r->path);
        free(r->message);
        return oom();
    }
    snprintf(r->message, len, "%s: %s", path, why);
    set->n_refused++;
    return FUNCP_OK;
}

static int add_warning(fp_plugin_set *set, const char *path, const char *what)
{
    char **grown = realloc(set->warnings, (set->n_warnings + 1) * sizeof *set->warnings);
    if (!grown)
        return oom();
    set->warnings = grown;
    size_t len = strlen(path) + 2 + strlen(what) + 1;
    char *msg = malloc(len);
    if (!msg)
        return oom();
    snprintf(msg, len, "%s: %s", path, what);
    set->warnings[set->n_warnings++] = msg;
    return FUNCP_OK;
}

static const fp_loaded_plugin *find_loaded(const fp_plugin_set *set, const char *name)
{
    for (size_t i = 0; i < set->n_loaded; i++)
        if (strcmp(set->loaded[i].plugin->name, name) == 0)
            return &set->loaded[i];
    return NULL;
}

/* A symbol's address as the entry function (POSIX guarantees the
 * conversion works; memcpy keeps ISO C quiet about it). */
static funcp_plugin_get_fn as_entry(void *symbol)
{
    funcp_plugin_get_fn fn;
    memcpy(&fn, &symbol, sizeof fn);
    return fn;
}

/* Why the system loader refuses `path`. libltdl reports only its last
 * attempt ("file not found" from its preloaded-symbols loader), which hides
 * a bad ELF header or a missing dependency; ask dlopen itself. */
static void not_loadable_reason(const char *path, char *why, size_t why_len)
{
    const char *lt_err = lt_dlerror();
    void *h = dlopen(path, RTLD_LAZY | RTLD_LOCAL);
    if (!h) {
        const char *err = dlerror();
        size_t len = strlen(path);
        /* dlerror() starts with the path, which the refusal already names. */
        if (err && strncmp(err, path, len) == 0 && strncmp(err + len, ": ", 2) == 0)
            err += len + 2;
        snprintf(why, why_len, "cannot open: %s", err ? err : "unknown error");
        return;
    }
    dlclose(h);
    snprintf(why, why_len, "cannot open: %s", lt_err ? lt_err : "unknown error");
}

/* 1 when `path` is the very file of a loaded plugin, reached again through
 * a symlink in another search directory: one plugin, not a duplicate. */
static int same_file_loaded(const fp_plugin_set *set, const char *path)
{
    char *real = realpath(path, NULL);
    int same = 0;
    for (size_t i = 0; real && i < set->n_loaded && !same; i++) {
        char *other = realpath(set->loaded[i].path, NULL);
        same = other && strcmp(other, real) == 0;
        free(other);
    }
    free(real);
    return same;
}

/* Opens, validates and registers one file. Returns a negative status only
 * for failures of funcp itself (out of memory); a bad plugin is recorded in
 * set->refused and FUNCP_OK returned. */
static int load_file(fp_plugin_set *set, const funcp_host *host, lt_dladvise advise,
                     const char *path)
{
    char why[WHY_MAX];
    if (same_file_loaded(set, path))
        return FUNCP_OK;
    lt_dlhandle handle = lt_dlopenadvise(path, advise);
    if (!handle) {
        not_loadable_reason(path, why, sizeof why);
        return refuse(set, path, FP_REFUSED_NOT_LOADABLE, why);
    }
    fp_refusal reason = 0;
    void *symbol = lt_dlsym(handle, FUNCP_PLUGIN_ENTRY);
    const funcp_plugin *plugin = NULL;
    if (!symbol) {
        reason = FP_REFUSED_NO_ENTRY;
        snprintf(why, sizeof why, "missing entry symbol %s (not a funcp plugin?)",
                 FUNCP_PLUGIN_ENTRY);
    } else if (!(plugin = as_entry(symbol)())) {
        reason = FP_REFUSED_INVALID;
        snprintf(why, sizeof why, "invalid descriptor: %s returned NULL", FUNCP_PLUGIN_ENTRY);
    } else if ((reason = fp_plugin_validate(plugin, why, sizeof why)) != 0) {
        /* why is filled */
    } else {
        const fp_loaded_plugin *first = find_loaded(set, plugin->name);
        if (first) {
            reason = FP_REFUSED_DUPLICATE;
            snprintf(why, sizeof why, "duplicate plugin name \"%s\": already loaded from %s",
                     plugin->name, first->path);
        } else if (plugin->init) {
            int rc = plugin->init(host);
            if (rc != 0) {
                reason = FP_REFUSED_INIT_FAILED;
                snprintf(why, sizeof why, "init failed (plugin \"%s\" returned %d)",
                         plugin->name, rc);
            }
        }
    }
    if (reason) {
        lt_dlclose(handle);
        return refuse(set, path, reason, why);
    }

    fp_loaded_plugin *grown = realloc(set->loaded, (set->n_loaded + 1) * sizeof *set->loaded);
    char *path_copy = strdup(path);
    if (grown)
        set->loaded = grown;
    if (!grown || !path_copy) {
        free(path_copy);
        if (plugin->fini)
            plugin->fini();
        lt_dlclose(handle);
        return oom();
    }
    set->loaded[set->n_loaded++] = (fp_loaded_plugin){plugin, path_copy, handle};
    /* A runtime or deployer name that an earlier plugin already provides is
     * skipped by the registry (first wins); the plugin itself stays loaded
     * for what else it provides. */
    int rc = fp_registry_add(set->registry, plugin, plugin->name);
    if (rc == FUNCP_EEXISTS) {
        rc = add_warning(set, path, fp_error_message());
        fp_error_clear();
    }
    return rc;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int has_so_suffix(const char *name)
{
    size_t len = strlen(name);
    return len > 3 && strcmp(name + len - 3, ".so") == 0;
}

/* Every regular *.so file of `dir`, sorted by name so that load order (and
 * so duplicate resolution) does not depend on the file system. */
static int load_dir(fp_plugin_set *set, const funcp_host *host, lt_dladvise advise,
                    const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return FUNCP_OK; /* a directory that does not exist holds no plugin */
    char **paths = NULL;
    size_t n = 0;
    int rc = FUNCP_OK;
    struct dirent *ent;
    while (rc == FUNCP_OK && (ent = readdir(d)) != NULL) {
        if (!has_so_suffix(ent->d_name))
            continue;
        char *path = fp_path_join(dir, ent->d_name);
        char **grown = realloc(paths, (n + 1) * sizeof *paths);
        if (grown)
            paths = grown;
        if (!path || !grown) {
            free(path);
            rc = oom();
            break;
        }
        struct stat st;
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
            paths[n++] = path;
        else
            free(path);
    }
    closedir(d);
    if (n > 1)
        qsort(paths, n, sizeof *paths, compare_names);
    for (size_t i = 0; i < n; i++) {
        if (rc == FUNCP_OK)
            rc = load_file(set, host, advise, paths[i]);
        free(paths[i]);
    }
    free(paths);
    return rc;
}

static int copy_search_path(fp_plugin_set *set, const char *const *dirs, size_t n)
{
    set->search_path = calloc(n ? n : 1, sizeof *set->search_path);
    if (!set->search_path)
        return oom();
    for (size_t i = 0; i < n; i++) {
        if (!(set->search_path[i] = strdup(dirs[i])))
            return oom();
        set->n_search_path++;
    }
    return FUNCP_OK;
}

int fp_plugins_load_dirs(fp_plugin_set *set, const funcp_host *host,
                         const char *const *dirs, size_t n_dirs)
{
    memset(set, 0, sizeof *set);
    if (lt_dlinit() != 0)
        return fp_error_set(FUNCP_ERROR, "cannot initialise libltdl: %s", lt_dlerror());
    set->registry = fp_registry_new();
    if (!set->registry) {
        lt_dlexit();
        return oom();
    }
    int rc = copy_search_path(set, dirs, n_dirs);
    /* Local symbols: plugins never see each other's internals. */
    lt_dladvise advise = NULL;
    if (rc == FUNCP_OK && (lt_dladvise_init(&advise) != 0 || lt_dladvise_local(&advise) != 0 ||
                           lt_dladvise_ext(&advise) != 0))
        rc = fp_error_set(FUNCP_ERROR, "cannot set up libltdl: %s", lt_dlerror());
    for (size_t i = 0; i < n_dirs && rc == FUNCP_OK; i++)
        rc = load_dir(set, host, advise, dirs[i]);
    if (advise)
        lt_dladvise_destroy(&advise);
    if (rc < 0) {
        fp_plugins_unload(set);
        return rc;
    }
    return FUNCP_OK;
}

int fp_plugins_load(fp_plugin_set *set, const funcp_host *host)
{
    char **dirs = NULL;
    size_t n = 0;
    memset(set, 0, sizeof *set);
    int rc = fp_plugin_search_path(&dirs, &n);
    if (rc < 0)
        return rc;
    rc = fp_plugins_load_dirs(set, host, (const char *const *)dirs, n);
    fp_search_dirs_free(dirs, n);
    return rc;
}

void fp_plugins_unload(fp_plugin_set *set)
{
    if (!set->registry && !set->loaded && !set->refused && !set->search_path)
        return;
    /* Reverse load order, like destructors. */
    for (size_t i = set->n_loaded; i-- > 0;) {
        fp_loaded_plugin *lp = &set->loaded[i];
        if (lp->plugin->fini)
            lp->plugin->fini();
        lt_dlclose((lt_dlhandle)lp->handle);
        free(lp->path);
    }
    free(set->loaded);
    for (size_t i = 0; i < set->n_refused; i++) {
        free(set->refused[i].path);
        free(set->refused[i].message);
    }
    free(set->refused);
    for (size_t i = 0; i < set->n_warnings; i++)
        free(set->warnings[i]);
    free(set->warnings);
    for (size_t i = 0; i < set->n_search_path; i++)
        free(set->search_path[i]);
    free(set->search_path);
    fp_registry_free(set->registry);
    memset(set, 0, sizeof *set);
    lt_dlexit();
}
