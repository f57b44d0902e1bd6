/* list: Knative Services that are functions (label function.knative.dev/name);
 * plain Services are left out. A cluster without Knative Serving is not an
 * error here, so other deployers' functions still show. */
#include <stdlib.h>
#include <string.h>

#include "kn.h"

int kn_is_function(json_object *svc)
{
    if (!pcom_kube_label(svc, KN_LABEL_NAME))
        return 0;
    /* Another deployer's (e.g. the ksvc a WasmModule owns): not ours to show. */
    const char *dep = pcom_kube_annotation(svc, KN_ANN_DEPLOYER);
    if (dep && strcmp(dep, "knative") != 0)
        return 0;
    json_object *owners = pcom_jget(svc, "metadata.ownerReferences");
    return !(owners && json_object_is_type(owners, json_type_array) && pcom_jlen(owners) > 0);
}

void kn_instance_from(json_object *svc, funcp_instance *inst)
{
    memset(inst, 0, sizeof *inst);
    inst->struct_size = sizeof *inst;
    inst->name = pcom_jstr(svc, "metadata.name");
    inst->namespace_ = pcom_jstr(svc, "metadata.namespace");
    inst->runtime = pcom_kube_label(svc, KN_LABEL_RUNTIME);
    inst->url = pcom_jstr(svc, "status.url");
    json_object *ready = pcom_condition(svc, "Ready");
    inst->ready = ready && pcom_jstr(ready, "status") ? pcom_jstr(ready, "status") : "Unknown";
    json_object *ctr = pcom_jidx(pcom_jget(svc, "spec.template.spec.containers"), 0);
    inst->image = ctr ? pcom_jstr(ctr, "image") : NULL;
    inst->deployer = "knative";
}

int kn_list(const funcp_host *h, funcp_call *c, const char *ns, funcp_instance_fn fn, void *user)
{
    char *cont = NULL;
    int rc = FUNCP_OK;
    do {
        char *enc = cont ? pcom_urlenc(cont) : NULL;
        char *path = ns ? pcom_strdup_printf(KN_SERVING "/namespaces/%s/services?labelSelector=function.knative.dev%%2Fname&limit=500%s%s",
                                 ns, enc ? "&continue=" : "", enc ? enc : "")
                        : pcom_strdup_printf(KN_SERVING "/services?labelSelector=function.knative.dev%%2Fname&limit=500%s%s",
                                 enc ? "&continue=" : "", enc ? enc : "");
        free(enc);
        free(cont);
        cont = NULL;
        kn_resp r;
        rc = kn_request(h, c, "GET", path, NULL, &r);
        free(path);
        if (rc != FUNCP_OK)
            return h->error_wrap(c, "listing Knative Services");
        if (kn_not_served(&r)) {
            h->log(c, FUNCP_LOG_WARN, "knative: " KN_NOT_INSTALLED "; no Knative functions listed");
            kn_resp_free(h, &r);
            return FUNCP_OK;
        }
        if (r.status != 200 || !r.obj) {
            rc = kn_fail(h, c, &r, "listing Knative Services");
            kn_resp_free(h, &r);
            return rc;
        }
        json_object *items = pcom_jget(r.obj, "items");
        for (size_t i = 0; items && i < pcom_jlen(items); i++) {
            json_object *svc = pcom_jidx(items, i);
            if (!kn_is_function(svc))
                continue;
            funcp_instance inst;
            kn_instance_from(svc, &inst);
            fn(user, &inst);
        }
        const char *next = pcom_jstr(r.obj, "metadata.continue");
        if (next && *next)
            cont = strdup(next);
        kn_resp_free(h, &r);
    } while (cont);
    return FUNCP_OK;
}
