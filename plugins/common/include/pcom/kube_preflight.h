/* The cluster check a Kubernetes deployer runs before funcp builds or
 * pushes anything (funcp_deployer.preflight). */
#ifndef PCOM_KUBE_PREFLIGHT_H
#define PCOM_KUBE_PREFLIGHT_H

#include "funcp/plugin.h"

/* The API a deployer writes to. */
typedef struct pcom_kube_api {
    const char *group_version; /* "serving.knative.dev/v1"; "v1" is the core API  */
    const char *resource;      /* plural, as in the path: "services"             */
    const char *not_installed; /* the error when the server does not serve it    */
} pcom_kube_api;

/* Read-only, in this order: the kubeconfig loads and its context exists
 * (host->kube_namespace, whose error is kept as it is), the namespace is a
 * DNS-1123 label, the API server answers the discovery document of
 * api->group_version and lists api->resource there (else
 * FUNCP_ENOTFOUND with api->not_installed), and the namespace exists (when
 * the account may read namespaces). Returns FUNCP_OK (the namespace into
 * *ns when ns is non-NULL) or the error set. */
int pcom_kube_preflight(const funcp_host *h, funcp_call *c, const pcom_kube_api *api, const char **ns);

#endif
