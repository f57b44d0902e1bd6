/* When a deploy fails: the revision's own conditions (the real cause) and
 * the last lines the function printed. */
#include <stdlib.h>
#include <string.h>

#include "kn.h"

int kn_revision_cause(const funcp_host *h, funcp_call *c, const char *ns, const char *rev, char **cause)
{
    static const char *const order[] = {"ContainerHealthy", "ResourcesAvailable", "Ready"};
    *cause = NULL;
    char *path = pcom_strdup_printf(KN_SERVING "/namespaces/%s/revisions/%s", ns, rev);
    kn_resp r;
    int rc = path ? kn_request(h, c, "GET", path, NULL, &r) : FUNCP_ERROR;
    free(path);
    if (rc != FUNCP_OK)
        return rc;
    int found = 0;
    for (size_t i = 0; r.status == 200 && r.obj && i < sizeof order / sizeof order[0]; i++) {
        json_object *cond = pcom_condition(r.obj, order[i]);
        const char *st = cond ? pcom_jstr(cond, "status") : NULL;
        if (st && strcmp(st, "False") == 0) {
            const char *reason = pcom_jstr(cond, "reason"), *msg = pcom_jstr(cond, "message");
            *cause = pcom_strdup_printf("revision \"%s\" failed: %s: %s", rev, reason ? reason : order[i],
                            msg ? msg : "(no message)");
            found = 1;
            break;
        }
    }
    kn_resp_free(h, &r);
    return found;
}

static char *first_pod(const funcp_host *h, funcp_call *c, const char *ns, const char *rev)
{
    char *enc = pcom_urlenc(rev);
    char *path = pcom_strdup_printf("/api/v1/namespaces/%s/pods?labelSelector=serving.knative.dev%%2Frevision%%3D%s", ns, enc);
    free(enc);
    kn_resp r;
    char *pod = NULL;
    if (path && kn_request(h, c, "GET", path, NULL, &r) == FUNCP_OK) {
        json_object *items = r.status == 200 ? pcom_jget(r.obj, "items") : NULL;
        if (items && pcom_jlen(items) > 0) {
            const char *n = pcom_jstr(pcom_jidx(items, 0), "metadata.name");
            pod = n ? strdup(n) : NULL;
        }
        kn_resp_free(h, &r);
    }
    free(path);
    return pod;
}

void kn_print_logs(const funcp_host *h, funcp_call *c, const char *ns, const char *rev, const char *pod)
{
    char *p = pod ? strdup(pod) : rev ? first_pod(h, c, ns, rev) : NULL;
    if (!p)
        return;
    char *path = pcom_strdup_printf("/api/v1/namespaces/%s/pods/%s/log?container=user-container&tailLines=20", ns, p);
    kn_resp r;
    if (path && kn_request(h, c, "GET", path, NULL, &r) == FUNCP_OK) {
        if (r.status == 200 && r.text && *r.text) {
            h->log(c, FUNCP_LOG_WARN, "last output of pod %s (container user-container):", p);
            char *save = NULL;
            for (char *line = strtok_r(r.text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
                h->log(c, FUNCP_LOG_WARN, "  %s", line);
        }
        kn_resp_free(h, &r);
    }
    free(path);
    free(p);
}
