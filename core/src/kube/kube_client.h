/* Internals shared by the request, watch and status parts of the client.
 * A client is safe for concurrent requests and watches: each one uses its
 * own curl easy handle; only the exec credential cache is shared (locked). */
#ifndef FUNCP_KUBE_CLIENT_H
#define FUNCP_KUBE_CLIENT_H

#include <pthread.h>

#include <curl/curl.h>

#include "kube/kube_api.h"
#include "kube/kube_exec.h"
#include "kube/kubeconfig.h"

struct fp_kube_client {
    fp_kube_config cfg;
    const fp_net_hooks *hooks;
    pthread_mutex_t lock;      /* guards cred and cred_valid */
    fp_kube_exec_cred cred;
    int cred_valid;
};

/* Authorization and client-certificate material for one request. */
typedef struct fp_kube_auth {
    char *token;                       /* bearer, or NULL            */
    char *cert; size_t cert_len;       /* PEM from an exec plugin    */
    char *key; size_t key_len;
} fp_kube_auth;

/* Gather credentials (running the exec plugin when its cache is empty or
 * expired). Errors are those of the plugin or of reading the token file. */
int fp_kube_auth_get(fp_kube_client *c, fp_kube_auth *auth);
void fp_kube_auth_free(fp_kube_auth *auth);
/* After a 401: drop cached exec credentials. Non-zero when a retry with
 * fresh ones may help. */
int fp_kube_auth_invalidate(fp_kube_client *c);
/* Set FUNCP_EAUTH "Unauthorized: ..." naming the context, not the token. */
int fp_kube_unauthorized(const fp_kube_client *c);

/* Set URL, method, TLS and auth on an easy handle; *headers must be freed
 * with curl_slist_free_all after the transfer. */
int fp_kube_prepare(fp_kube_client *c, CURL *curl, const char *method, const char *url,
                    const char *body, const fp_kube_auth *auth, struct curl_slist **headers);
/* Describe a failed transfer (FUNCP_ENETWORK, or FUNCP_ECANCELED). */
int fp_kube_transfer_error(const fp_kube_client *c, CURLcode code, const char *errbuf, int cancelled);
/* server + path (+ '?' or '&' + query when query is non-NULL); malloc'ed. */
char *fp_kube_url(const fp_kube_client *c, const char *path, const char *query);

int fp_kube_client_new(const fp_kube_options *opts, fp_kube_client **client);
void fp_kube_client_free(fp_kube_client *client);
const char *fp_kube_namespace_of(const fp_kube_client *client);
int fp_kube_request(fp_kube_client *c, const char *method, const char *path, const char *body,
                    funcp_kube_response *response);
int fp_kube_watch(fp_kube_client *c, const char *path, int timeout_ms, funcp_watch_fn fn, void *user);
int fp_kube_status_error(long status, const char *body, const char *what);

#endif
