/* Requests through host->kube_request, with the body parsed by json-c and
 * the API server's error shapes told apart (Status object vs plain text). */
#include <string.h>

#include "kn.h"

int kn_namespace(const funcp_host *h, funcp_call *c, const char *what, const char **ns)
{
    *ns = h->kube_namespace(c);
    if (*ns && **ns)
        return FUNCP_OK;
    if (*ns)
        return h->error(c, FUNCP_EUSAGE, "%s", what);
    /* No namespace because there is no cluster configuration: that is the
     * cause, not the namespace. */
    return h->error_wrap(c, "knative deployer");
}

int kn_request(const funcp_host *h, funcp_call *c, const char *method,
               const char *path, const char *body, kn_resp *r)
{
    funcp_kube_response resp;
    memset(&resp, 0, sizeof resp);
    resp.struct_size = sizeof resp;
    memset(r, 0, sizeof *r);
    int rc = h->kube_request(c, method, path, body, &resp);
    if (rc != FUNCP_OK) {
        if (resp.body)
            h->free(resp.body);
        return rc;
    }
    r->status = resp.status;
    r->text = resp.body;
    if (resp.body && resp.body_len > 0)
        r->obj = json_tokener_parse(resp.body);
    return FUNCP_OK;
}

void kn_resp_free(const funcp_host *h, kn_resp *r)
{
    if (r->obj)
        json_object_put(r->obj);
    if (r->text)
        h->free(r->text);
    memset(r, 0, sizeof *r);
}

int kn_not_served(const kn_resp *r)
{
    return pcom_kube_not_served(r->status, r->obj);
}

const char *kn_status_message(const kn_resp *r)
{
    const char *m = r->obj ? pcom_jstr(r->obj, "message") : NULL;
    if (m && *m)
        return m;
    if (r->text && *r->text)
        return r->text;
    return "no response body";
}

int kn_fail(const funcp_host *h, funcp_call *c, const kn_resp *r, const char *what)
{
    int code = FUNCP_EDEPLOY;
    if (kn_not_served(r))
        return h->error(c, FUNCP_ENOTFOUND, "%s: " KN_NOT_INSTALLED, what);
    if (r->status == 401 || r->status == 403)
        code = FUNCP_EAUTH;
    else if (r->status == 404)
        code = FUNCP_ENOTFOUND;
    else if (r->status >= 500)
        code = FUNCP_ENETWORK;
    return h->error(c, code, "%s: %s (HTTP %ld)", what, kn_status_message(r), r->status);
}
