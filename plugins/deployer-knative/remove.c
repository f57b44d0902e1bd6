/* delete: foreground propagation, then wait for the object to be gone. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kn.h"
#include "pcom/timeout.h"

#define GONE_SLICE_MS 500

static int on_event(void *user, const char *type, const char *json)
{
    (void)json;
    int *gone = user;
    if (type && strcmp(type, "DELETED") == 0)
        *gone = 1;
    return *gone; /* PING and other events: keep watching */
}

/* DELETE with foreground propagation, then wait until the Service is gone
 * (its Revisions, Routes and owned Triggers go first). Gone already is fine. */
int kn_delete_service(const funcp_host *h, funcp_call *c, const char *ns, const char *name, long long timeout)
{
    char *path = pcom_strdup_printf(KN_SERVING "/namespaces/%s/services/%s", ns, name);
    char *enc = pcom_urlenc(name);
    char *watch = pcom_strdup_printf(KN_SERVING "/namespaces/%s/services?fieldSelector=metadata.name%%3D%s", ns, enc);
    free(enc);
    kn_resp r;
    int rc;
    if ((rc = kn_request(h, c, "DELETE", path, "{\"propagationPolicy\":\"Foreground\"}", &r)) != FUNCP_OK) {
        rc = h->error_wrap(c, "knative remover failed to delete the service");
        goto out;
    }
    if (r.status == 404) { /* gone already */
        kn_resp_free(h, &r);
        goto out;
    }
    if (r.status < 200 || r.status > 299) {
        rc = kn_fail(h, c, &r, "knative remover failed to delete the service");
        kn_resp_free(h, &r);
        goto out;
    }
    kn_resp_free(h, &r);
    /* Watch in slices and GET between them: a DELETED event that came
     * before the watch opened would otherwise be missed. */
    long long deadline = pcom_now_ms() + timeout;
    int gone = 0;
    while (!gone) {
        if ((rc = kn_request(h, c, "GET", path, NULL, &r)) != FUNCP_OK)
            break;
        gone = r.status == 404;
        kn_resp_free(h, &r);
        long long left = deadline - pcom_now_ms();
        if (gone)
            break;
        if (left <= 0) {
            rc = h->error(c, FUNCP_ETIMEOUT, "timeout: service '%s' not deleted after %lld seconds "
                          "(it carries finalizers that are not done yet)", name, timeout / 1000);
            break;
        }
        int wrc = h->kube_watch(c, watch, (int)(left < GONE_SLICE_MS ? left : GONE_SLICE_MS), on_event, &gone);
        if (wrc != FUNCP_OK && wrc != FUNCP_ETIMEOUT) {
            rc = h->error_wrap(c, "knative remover failed to delete the service");
            break;
        }
        rc = FUNCP_OK;
    }
out:
    free(path);
    free(watch);
    return rc;
}

int kn_remove(const funcp_host *h, funcp_call *c, const char *name)
{
    const char *ns;
    long long timeout;
    int rc;
    if ((rc = kn_namespace(h, c, "namespace required", &ns)) != FUNCP_OK)
        return rc;
    if ((rc = pcom_timeout_ms(h, c, KN_DEFAULT_TIMEOUT_MS, &timeout)) != FUNCP_OK)
        return rc;
    char *path = pcom_strdup_printf(KN_SERVING "/namespaces/%s/services/%s", ns, name);
    kn_resp r;
    if ((rc = kn_request(h, c, "GET", path, NULL, &r)) != FUNCP_OK) {
        rc = h->error_wrap(c, "failed to get knative service");
        goto out;
    }
    if (kn_not_served(&r))
        rc = h->error(c, FUNCP_ENOTFOUND, KN_NOT_INSTALLED);
    else if (r.status == 404)
        rc = h->error(c, FUNCP_ENOTFOUND, "function \"%s\" not found in namespace \"%s\"", name, ns);
    else if (r.status != 200)
        rc = kn_fail(h, c, &r, "failed to get knative service");
    else if (!pcom_jget(r.obj, "metadata.annotations") ||
             !json_object_object_get_ex(pcom_jget(r.obj, "metadata.annotations"), KN_ANN_DEPLOYER, NULL)) {
        const char *force = h->option(c, "force");
        if (!force || !*force || strcmp(force, "false") == 0)
            rc = h->error(c, FUNCP_EEXISTS,
                          "Knative Service \"%s\" in namespace \"%s\" was not created by funcp or func; "
                          "refusing to delete it without --force", name, ns);
    }
    kn_resp_free(h, &r);
    if (rc != FUNCP_OK)
        goto out;
    rc = kn_delete_service(h, c, ns, name, timeout);
out:
    free(path);
    return rc;
}
