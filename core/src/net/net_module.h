/* Interface of the funcp-net module: the core's network clients, behind one
 * table so that the module can be loaded lazily (see util/module.h). The
 * module links libfuncp for error reporting (fp_error_*). */
#ifndef FUNCP_NET_MODULE_H
#define FUNCP_NET_MODULE_H

#include <stddef.h>
#include <stdint.h>

#include "funcp/plugin.h"

/* Hooks the clients use to talk back to the command being run. */
typedef struct fp_net_hooks {
    void *user;
    void (*log)(void *user, funcp_log_level level, const char *message);
    void (*progress)(void *user, const char *label, uint64_t done, uint64_t total);
    int (*cancelled)(void *user);
    int verbose;
} fp_net_hooks;

struct fp_oci_api;   /* oci/oci_api.h   */
struct fp_kube_api;  /* kube/kube_api.h */
struct fp_http_api;  /* net/http_api.h  */

typedef struct fp_net_module {
    size_t struct_size;
    const struct fp_oci_api *oci;
    const struct fp_kube_api *kube;
    const struct fp_http_api *http;
} fp_net_module;

/* The module's one exported symbol. */
#define FP_NET_MODULE_ENTRY "fp_net_module_get"
typedef const fp_net_module *(*fp_net_module_get_fn)(void);

#endif
