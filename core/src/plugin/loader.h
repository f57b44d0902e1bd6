/* Finds plugin shared objects, loads them with libltdl (local symbols),
 * validates their descriptors and feeds the registry. A refused file never
 * stops the others. */
#ifndef FUNCP_PLUGIN_LOADER_H
#define FUNCP_PLUGIN_LOADER_H

#include <stddef.h>

#include "funcp/plugin.h"
#include "plugin/registry.h"

typedef enum fp_refusal {
    FP_REFUSED_NOT_LOADABLE = 1,   /* dlopen failed (not a shared object, missing deps) */
    FP_REFUSED_NO_ENTRY,           /* no funcp_plugin_get_v1 symbol      */
    FP_REFUSED_ABI,                /* abi_major differs / struct too small */
    FP_REFUSED_INVALID,            /* descriptor fails validation         */
    FP_REFUSED_DUPLICATE,          /* a plugin of that name loaded earlier */
    FP_REFUSED_INIT_FAILED         /* init() returned non-zero            */
} fp_refusal;

typedef struct fp_loaded_plugin {
    const funcp_plugin *plugin;
    char *path;
    void *handle;   /* the lt_dlhandle, closed by fp_plugins_unload */
} fp_loaded_plugin;

typedef struct fp_refused_plugin {
    char *path;
    fp_refusal reason;
    char *message;  /* the whole reason in words */
} fp_refused_plugin;

typedef struct fp_plugin_set {
    fp_loaded_plugin *loaded;
    size_t n_loaded;
    fp_refused_plugin *refused;
    size_t n_refused;
    fp_registry *registry;
    char **search_path;   /* directories searched, in order */
    size_t n_search_path;
    /* Loaded plugins whose runtime/deployer/runner names clash with an
     * earlier plugin's: "<path>: plugin "b": runtime "x" is already provided
     * by plugin "a"; skipped". The plugin is loaded, the clash skipped. */
    char **warnings;
    size_t n_warnings;
} fp_plugin_set;

/* Stable lowercase word for a refusal ("incompatible-abi"), for -o json. */
const char *fp_refusal_name(fp_refusal reason);

/* Directories to search: $FUNCP_PLUGIN_PATH entries, then the build tree's
 * plugin directory when the running binary lives in the build tree, then
 * the installed plugin directory. */
int fp_plugin_search_path(char ***dirs, size_t *n);

/* Load every *.so in the search path. `host` is passed to init(). */
int fp_plugins_load(fp_plugin_set *set, const funcp_host *host);
/* The same, searching only `dirs` (tests; tools with their own path). */
int fp_plugins_load_dirs(fp_plugin_set *set, const funcp_host *host,
                         const char *const *dirs, size_t n_dirs);
/* Call fini() of loaded plugins, close them, free everything. */
void fp_plugins_unload(fp_plugin_set *set);

#endif
