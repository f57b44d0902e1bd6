/* The Kubernetes client's table in the funcp-net module. */
#include <stddef.h>

#include "kube/kube_client.h"
#include "net/apis.h"

const struct fp_kube_api *fp_kube_api_get(void)
{
    static const fp_kube_api api = {
        .struct_size = sizeof api,
        .client_new = fp_kube_client_new,
        .client_free = fp_kube_client_free,
        .namespace_of = fp_kube_namespace_of,
        .request = fp_kube_request,
        .watch = fp_kube_watch,
        .status_error = fp_kube_status_error,
    };
    return &api;
}
