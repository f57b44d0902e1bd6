/* A namespace change (func.yaml `namespace` or --namespace differs from
 * deploy.namespace, where it was last deployed): knative func removes the
 * function from the old namespace. funcp does it after the new Service is
 * Ready, so a failed deploy leaves the old one serving. */
#include <stdlib.h>

#include "kn.h"
#include "pcom/deploy_keys.h"

int kn_move_cleanup(const funcp_host *h, funcp_call *c, const char *ns, const char *name, long long timeout)
{
    const char *from = pcom_moved_from(h, c, ns);
    if (!from)
        return FUNCP_OK;
    char *path = pcom_strdup_printf(KN_SERVING "/namespaces/%s/services/%s", from, name);
    kn_resp r;
    int rc = kn_request(h, c, "GET", path, NULL, &r);
    free(path);
    if (rc != FUNCP_OK)
        return h->error_wrap(c, "function \"%s\" deployed to namespace \"%s\", but removing it from \"%s\" failed",
                             name, ns, from);
    if (r.status == 404 || r.status == 403) {
        /* As func: a Service removed by hand, or a namespace gone, is no
         * reason to fail a deploy that worked. */
        h->log(c, FUNCP_LOG_WARN,
               "cannot remove function \"%s\" from namespace \"%s\": %s; it was deployed to \"%s\"", name, from,
               r.status == 403 ? "permission denied" : "its Knative Service was not found (the namespace or "
                                                        "Service may have been removed already)", ns);
        kn_resp_free(h, &r);
        return FUNCP_OK;
    }
    if (r.status != 200) {
        rc = kn_fail(h, c, &r, "removing the function from its previous namespace");
        kn_resp_free(h, &r);
        return rc;
    }
    int ours = kn_is_function(r.obj);
    kn_resp_free(h, &r);
    if (!ours) {
        h->log(c, FUNCP_LOG_WARN,
               "Knative Service \"%s\" in namespace \"%s\" is not this function's (no %s label, or another "
               "deployer's); left in place", name, from, KN_LABEL_NAME);
        return FUNCP_OK;
    }
    if ((rc = kn_delete_service(h, c, from, name, timeout)) != FUNCP_OK)
        return h->error_wrap(c, "function \"%s\" deployed to namespace \"%s\", but removing it from \"%s\" failed",
                             name, ns, from);
    pcom_log_moved(h, c, name, from, ns);
    return FUNCP_OK;
}
