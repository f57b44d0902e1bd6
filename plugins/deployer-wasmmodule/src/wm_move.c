/* A namespace change (func.yaml `namespace` or --namespace differs from
 * deploy.namespace): knative func's client removes the function from the
 * old namespace whatever the deployer, so the wasm deployer does it too,
 * once the module in the new namespace is Ready. */
#include <string.h>

#include "pcom/deploy_keys.h"
#include "wm.h"

static int failed(const funcp_host *h, funcp_call *call, const funcp_kube_response *r, const char *name,
                  const char *ns, const char *from)
{
    char msg[1024];
    wm_status_message(r, msg, sizeof msg);
    return h->error(call, r->status == 403 ? FUNCP_EAUTH : FUNCP_EDEPLOY,
                    "function \"%s\" deployed to namespace \"%s\", but removing WasmModule \"%s\" from \"%s\" "
                    "failed: %s", name, ns, name, from, msg);
}

int wm_move_cleanup(const funcp_host *h, funcp_call *call, const char *ns, const char *name)
{
    const char *from = pcom_moved_from(h, call, ns);
    if (!from)
        return FUNCP_OK;
    char path[768];
    wm_object_path(path, sizeof path, from, name);
    funcp_kube_response r = {sizeof r, 0, NULL, 0};
    if (h->kube_request(call, "GET", path, NULL, &r) < 0)
        return h->error_wrap(call, "function \"%s\" deployed to namespace \"%s\", but removing it from \"%s\" failed",
                             name, ns, from);
    if (r.status == 404) { /* as func: gone already is no reason to fail */
        h->free(r.body);
        h->log(call, FUNCP_LOG_WARN,
               "cannot remove function \"%s\" from namespace \"%s\": its WasmModule was not found (the namespace "
               "or module may have been removed already); it was deployed to \"%s\"", name, from, ns);
        return FUNCP_OK;
    }
    if (r.status != 200) {
        int rc = failed(h, call, &r, name, ns, from);
        h->free(r.body);
        return rc;
    }
    json_object *old = json_tokener_parse(r.body);
    h->free(r.body);
    const char *dep = pcom_kube_annotation(old, PCOM_ANN_DEPLOYER);
    int ours = !dep || strcmp(dep, WM_DEPLOYER) == 0;
    json_object_put(old);
    if (!ours) {
        h->log(call, FUNCP_LOG_WARN, "WasmModule \"%s\" in namespace \"%s\" belongs to deployer \"%s\"; left in place",
               name, from, dep);
        return FUNCP_OK;
    }
    funcp_kube_response d = {sizeof d, 0, NULL, 0};
    if (h->kube_request(call, "DELETE", path, NULL, &d) < 0)
        return h->error_wrap(call, "function \"%s\" deployed to namespace \"%s\", but removing it from \"%s\" failed",
                             name, ns, from);
    int rc = FUNCP_OK;
    if (d.status != 200 && d.status != 202 && d.status != 404)
        rc = failed(h, call, &d, name, ns, from);
    h->free(d.body);
    if (rc == FUNCP_OK)
        pcom_log_moved(h, call, name, from, ns);
    return rc;
}
