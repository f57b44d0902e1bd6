/* Lazy loading of the funcp-net module (libcurl, OpenSSL and the clients
 * built on them). Commands that never touch the network do not map those
 * libraries at all, which keeps `funcp --help` and `funcp plugins` close to
 * the start-up time of a program that links nothing.
 *
 * Not thread-safe: call fp_net() from the main thread (funcp's commands
 * run there; plugins reach the network through host callbacks that funcp
 * runs on that thread too). */
#include "util/module.h"

#include <ltdl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plugin/search_dirs.h"
#include "util/error.h"

#define NET_MODULE_FILE "funcp-net.so"

static const fp_net_module *net_module;
static lt_dlhandle net_handle;

static const fp_net_module *open_module(const char *path, lt_dladvise advise)
{
    lt_dlhandle handle = lt_dlopenadvise(path, advise);
    if (!handle) {
        const char *err = lt_dlerror();
        fp_error_set(FUNCP_ENOPLUGIN, "cannot load network module %s: %s", path,
                     err ? err : "unknown error");
        return NULL;
    }
    void *symbol = lt_dlsym(handle, FP_NET_MODULE_ENTRY);
    fp_net_module_get_fn get = NULL;
    if (symbol)
        memcpy(&get, &symbol, sizeof get);
    const fp_net_module *module = get ? get() : NULL;
    if (!module || module->struct_size < sizeof(fp_net_module)) {
        fp_error_set(FUNCP_ENOPLUGIN,
                     "cannot load network module %s: no usable %s (a funcp-net of another version?)",
                     path, FP_NET_MODULE_ENTRY);
        lt_dlclose(handle);
        return NULL;
    }
    net_handle = handle;
    return module;
}

/* "a, b, c" of the directories, for the not-found message. */
static char *join_dirs(char **dirs, size_t n)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(dirs[i]) + 2;
    char *out = malloc(len);
    if (!out)
        return NULL;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i)
            strcat(out, ", ");
        strcat(out, dirs[i]);
    }
    return out;
}

const fp_net_module *fp_net(void)
{
    if (net_module)
        return net_module;
    char **dirs = NULL;
    size_t n = 0;
    if (fp_search_dirs("FUNCP_MODULE_PATH", FUNCP_BUILD_DIR, FUNCP_BUILD_MODULE_DIR,
                       FUNCP_LIBDIR "/funcp/modules", FUNCP_MODULE_DIR, &dirs, &n) < 0)
        return NULL;
    if (lt_dlinit() != 0) {
        fp_error_set(FUNCP_ERROR, "cannot initialise libltdl: %s", lt_dlerror());
        fp_search_dirs_free(dirs, n);
        return NULL;
    }
    lt_dladvise advise;
    int found = 0;
    if (lt_dladvise_init(&advise) == 0 && lt_dladvise_local(&advise) == 0) {
        for (size_t i = 0; i < n && !found; i++) {
            size_t len = strlen(dirs[i]) + sizeof("/" NET_MODULE_FILE);
            char *path = malloc(len);
            if (!path)
                break;
            strcpy(path, dirs[i]);
            strcat(path, "/" NET_MODULE_FILE);
            if (access(path, F_OK) == 0) {
                found = 1; /* the first one found is the one to use */
                net_module = open_module(path, advise);
            }
            free(path);
        }
        lt_dladvise_destroy(&advise);
    }
    if (!found) {
        char *list = join_dirs(dirs, n);
        fp_error_set(FUNCP_ENOPLUGIN, "network module " NET_MODULE_FILE " not found (looked in: %s)",
                     list ? list : "");
        free(list);
    }
    if (!net_module)
        lt_dlexit(); /* balance the lt_dlinit above; a later call retries */
    fp_search_dirs_free(dirs, n);
    return net_module;
}
