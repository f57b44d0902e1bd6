/* Pre-flight checks. Before funcp builds anything: the cluster answers and
 * serves Knative Services. Before creating or updating: every Secret,
 * ConfigMap, PVC and service account func.yaml references must exist, or
 * the pod would wait forever. */
#include <stdlib.h>
#include <string.h>

#include "kn.h"
#include "pcom/kube_preflight.h"

int kn_cluster_preflight(const funcp_host *h, funcp_call *c)
{
    static const pcom_kube_api serving = {"serving.knative.dev/v1", "services", KN_NOT_INSTALLED};
    const char *ns;
    int rc = pcom_kube_preflight(h, c, &serving, &ns);
    if (rc == FUNCP_OK)
        rc = kn_triggers_preflight(h, c, ns);
    return rc;
}

typedef struct missing {
    char *text;
    size_t len;
} missing;

static void add_line(missing *ms, const char *line)
{
    size_t n = strlen(line);
    char *t = realloc(ms->text, ms->len + n + 2);
    if (!t)
        return;
    ms->text = t;
    memcpy(ms->text + ms->len, "\n", 1);
    memcpy(ms->text + ms->len + 1, line, n + 1);
    ms->len += n + 1;
}

/* 0 present, 1 missing (line added), <0 request failed. */
static int check(const funcp_host *h, funcp_call *c, const char *ns, const char *resource,
                 const char *kind, const char *name, missing *ms)
{
    char *path = pcom_strdup_printf("/api/v1/namespaces/%s/%s/%s", ns, resource, name);
    kn_resp r;
    int rc = path ? kn_request(h, c, "GET", path, NULL, &r) : FUNCP_ERROR;
    free(path);
    if (rc != FUNCP_OK)
        return rc;
    char *line = NULL;
    if (r.status == 404)
        line = pcom_strdup_printf("  referenced %s \"%s\" is not present in namespace \"%s\"", kind, name, ns);
    else if (r.status == 403)
        line = pcom_strdup_printf("  cannot check %s \"%s\" in namespace \"%s\": permission denied "
                      "(your account may not read %ss; ask for \"get\" on %s)",
                      kind, name, ns, kind, resource);
    else if (r.status < 200 || r.status > 299)
        line = pcom_strdup_printf("  cannot check %s \"%s\" in namespace \"%s\": %s", kind, name, ns,
                      kn_status_message(&r));
    kn_resp_free(h, &r);
    if (line) {
        add_line(ms, line);
        free(line);
        return 1;
    }
    return 0;
}

/* deploy.imagePullSecret (issue 16): func checks it exists too, with its own
 * wording; the kubelet would otherwise fail the pull much later. */
static int check_pull_secret(const funcp_host *h, funcp_call *c, const char *ns, const char *name, missing *ms)
{
    return check(h, c, ns, "secrets", "image pull Secret", name, ms);
}

int kn_preflight(const funcp_host *h, funcp_call *c, const char *ns, const kn_refs *refs)
{
    static const struct { const char *resource, *kind; } kinds[] = {
        {"secrets", "Secret"}, {"configmaps", "ConfigMap"}, {"persistentvolumeclaims", "PersistentVolumeClaim"}};
    json_object *lists[] = {refs->secrets, refs->config_maps, refs->pvcs};
    missing ms = {NULL, 0};
    int rc = FUNCP_OK;
    for (size_t k = 0; k < 3 && rc >= 0; k++)
        for (size_t i = 0; lists[k] && i < pcom_jlen(lists[k]) && rc >= 0; i++)
            rc = check(h, c, ns, kinds[k].resource, kinds[k].kind,
                       json_object_get_string(pcom_jidx(lists[k], i)), &ms);
    if (rc >= 0 && refs->service_account)
        rc = check(h, c, ns, "serviceaccounts", "ServiceAccount", refs->service_account, &ms);
    if (rc >= 0 && refs->image_pull_secret)
        rc = check_pull_secret(h, c, ns, refs->image_pull_secret, &ms);
    if (rc < 0) {
        free(ms.text);
        return h->error_wrap(c, "checking resources referenced by func.yaml");
    }
    if (ms.text) {
        rc = h->error(c, FUNCP_ENOTFOUND, "error(s) while validating resources:%s", ms.text);
        free(ms.text);
        return rc;
    }
    return FUNCP_OK;
}
