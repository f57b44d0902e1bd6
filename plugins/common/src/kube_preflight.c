/* The read-only cluster check of the deployers (see pcom/kube_preflight.h). */
#include "pcom/kube_preflight.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "pcom/json.h"
#include "pcom/kube.h"

static int dns1123_label(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 63)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        int alnum = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
        if (!alnum && !(ch == '-' && i > 0 && i < n - 1))
            return 0;
    }
    return 1;
}

/* The Status message of an error answer, or its first line. */
static void answer_text(const funcp_kube_response *r, char *buf, size_t size)
{
    json_object *o = r->body ? json_tokener_parse(r->body) : NULL;
    const char *m = pcom_jstr(o, "message");
    if (m && *m)
        snprintf(buf, size, "%s", m);
    else
        snprintf(buf, size, "%.*s", (int)strcspn(r->body ? r->body : "", "\r\n"), r->body ? r->body : "");
    json_object_put(o);
}

/* GET the discovery document: is api->resource served? */
static int check_api(const funcp_host *h, funcp_call *c, const pcom_kube_api *api)
{
    char path[512], msg[512];
    snprintf(path, sizeof path, "%s/%s", strchr(api->group_version, '/') ? "/apis" : "/api", api->group_version);
    funcp_kube_response r = {sizeof r, 0, NULL, 0};
    if (h->kube_request(c, "GET", path, NULL, &r) != FUNCP_OK) {
        h->free(r.body);
        return FUNCP_ENETWORK; /* the host said why: unreachable, TLS, 401 */
    }
    json_object *list = r.status == 200 && r.body ? json_tokener_parse(r.body) : NULL;
    int rc = FUNCP_OK;
    if (r.status == 404) {
        rc = h->error(c, FUNCP_ENOTFOUND, "%s", api->not_installed);
    } else if (r.status == 403) {
        /* Discovery is open to every account on a stock cluster; a
         * stricter one leaves the answer to deploy itself. */
        h->log(c, FUNCP_LOG_DEBUG, "GET %s: forbidden; not checking that %s are served", path, api->resource);
    } else if (r.status != 200) {
        answer_text(&r, msg, sizeof msg);
        rc = h->error(c, FUNCP_ENETWORK, "the Kubernetes API server answered GET %s with HTTP %ld: %s", path,
                      r.status, msg);
    } else {
        json_object *resources = pcom_jget(list, "resources");
        int served = 0;
        for (size_t i = 0; i < pcom_jlen(resources) && !served; i++) {
            const char *name = pcom_jstr(pcom_jidx(resources, i), "name");
            served = name && !strcmp(name, api->resource);
        }
        if (!served)
            rc = h->error(c, FUNCP_ENOTFOUND, "%s", api->not_installed);
    }
    json_object_put(list);
    h->free(r.body);
    return rc;
}

static int check_namespace(const funcp_host *h, funcp_call *c, const char *ns)
{
    char path[160];
    snprintf(path, sizeof path, "/api/v1/namespaces/%s", ns);
    funcp_kube_response r = {sizeof r, 0, NULL, 0};
    if (h->kube_request(c, "GET", path, NULL, &r) != FUNCP_OK) {
        h->free(r.body);
        return FUNCP_ENETWORK;
    }
    json_object *body = r.status == 404 && r.body ? json_tokener_parse(r.body) : NULL;
    /* A Status 404 is "no such namespace"; 403 (an account limited to its
     * namespace) and the rest say nothing about it. */
    int missing = r.status == 404 && !pcom_kube_not_served(r.status, body);
    json_object_put(body);
    h->free(r.body);
    if (missing)
        return h->error(c, FUNCP_ENOTFOUND, "namespace \"%s\" does not exist in the cluster", ns);
    return FUNCP_OK;
}

int pcom_kube_preflight(const funcp_host *h, funcp_call *c, const pcom_kube_api *api, const char **ns_out)
{
    if (!funcp_host_has(h, kube_namespace) || !funcp_host_has(h, kube_request))
        return h->error(c, FUNCP_ENOTSUPPORTED, "this funcp has no Kubernetes client");
    const char *ns = h->kube_namespace(c);
    if (!ns)
        return FUNCP_ERROR; /* the host's reason: no kubeconfig, no such context */
    if (!dns1123_label(ns))
        return h->error(c, FUNCP_EUSAGE,
                        "invalid namespace \"%s\" (from func.yaml or the kubeconfig context): a namespace is a "
                        "DNS-1123 label, at most 63 lower case letters, digits and '-', starting and ending "
                        "with a letter or digit",
                        ns);
    int rc = check_api(h, c, api);
    if (rc == FUNCP_OK)
        rc = check_namespace(h, c, ns);
    if (rc == FUNCP_OK && ns_out)
        *ns_out = ns;
    return rc;
}
