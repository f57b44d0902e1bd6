/* The client: configuration plus one curl easy handle per request. */
#include "kube/kube_client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "net/curl_common.h"
#include "util/buf.h"
#include "util/error.h"

#define CONNECT_TIMEOUT_MS 10000L
#define REQUEST_TIMEOUT_MS 120000L
#define MAX_BODY (512u << 20)
#define MAX_DROPS 3 /* dropped connections retried per request */

int fp_kube_client_new(const fp_kube_options *opts, fp_kube_client **out)
{
    *out = NULL;
    int rc = fp_curl_global();
    if (rc < 0)
        return rc;
    fp_kube_client *c = calloc(1, sizeof *c);
    if (!c)
        return fp_error_set(FUNCP_ERROR, "out of memory");
    rc = fp_kube_config_load(opts ? opts->kubeconfig : NULL, opts ? opts->context : NULL,
                             opts ? opts->namespace_ : NULL, &c->cfg);
    if (rc < 0) {
        free(c);
        return rc;
    }
    c->hooks = opts ? opts->hooks : NULL;
    pthread_mutex_init(&c->lock, NULL);
    *out = c;
    return FUNCP_OK;
}

void fp_kube_client_free(fp_kube_client *c)
{
    if (!c)
        return;
    fp_kube_exec_cred_free(&c->cred);
    fp_kube_config_free(&c->cfg);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

const char *fp_kube_namespace_of(const fp_kube_client *c)
{
    return c ? c->cfg.namespace_ : "default";
}

char *fp_kube_url(const fp_kube_client *c, const char *path, const char *query)
{
    size_t n = strlen(c->cfg.server) + strlen(path) + (query ? strlen(query) : 0) + 3;
    char *url = malloc(n);
    if (!url)
        return NULL;
    if (query && *query)
        snprintf(url, n, "%s%s%c%s", c->cfg.server, path, strchr(path, '?') ? '&' : '?', query);
    else
        snprintf(url, n, "%s%s", c->cfg.server, path);
    return url;
}

int fp_kube_prepare(fp_kube_client *c, CURL *curl, const char *method, const char *url,
                    const char *body, const fp_kube_auth *auth, struct curl_slist **headers)
{
    const fp_kube_config *cfg = &c->cfg;
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, CONNECT_TIMEOUT_MS);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "funcp/" FUNCP_VERSION);
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    if (strcmp(method, "GET") == 0) {
        curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    } else {
        if (strcmp(method, "POST") != 0)
            curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
        if (body || strcmp(method, "DELETE") != 0) {
            curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)(body ? strlen(body) : 0));
            curl_easy_setopt(curl, CURLOPT_COPYPOSTFIELDS, body ? body : "");
        }
    }
    if (cfg->insecure) {
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    if (cfg->ca_data) {
        struct curl_blob blob = {cfg->ca_data, cfg->ca_len, CURL_BLOB_COPY};
        curl_easy_setopt(curl, CURLOPT_CAINFO_BLOB, &blob);
    } else if (cfg->ca_file) {
        curl_easy_setopt(curl, CURLOPT_CAINFO, cfg->ca_file);
    }
    /* Client certificate: an exec plugin's wins over the kubeconfig's. */
    if (auth->cert) {
        struct curl_blob cert = {auth->cert, auth->cert_len, CURL_BLOB_COPY};
        struct curl_blob key = {auth->key, auth->key_len, CURL_BLOB_COPY};
        curl_easy_setopt(curl, CURLOPT_SSLCERT_BLOB, &cert);
        curl_easy_setopt(curl, CURLOPT_SSLKEY_BLOB, &key);
    } else {
        if (cfg->cert_data) {
            struct curl_blob cert = {cfg->cert_data, cfg->cert_len, CURL_BLOB_COPY};
            curl_easy_setopt(curl, CURLOPT_SSLCERT_BLOB, &cert);
        } else if (cfg->cert_file) {
            curl_easy_setopt(curl, CURLOPT_SSLCERT, cfg->cert_file);
        }
        if (cfg->key_data) {
            struct curl_blob key = {cfg->key_data, cfg->key_len, CURL_BLOB_COPY};
            curl_easy_setopt(curl, CURLOPT_SSLKEY_BLOB, &key);
        } else if (cfg->key_file) {
            curl_easy_setopt(curl, CURLOPT_SSLKEY, cfg->key_file);
        }
    }
    struct curl_slist *h = curl_slist_append(NULL, "Accept: application/json");
    if (strcmp(method, "PATCH") == 0)
        h = curl_slist_append(h, "Content-Type: application/merge-patch+json");
    else if (body)
        h = curl_slist_append(h, "Content-Type: application/json");
    if (auth->token) {
        size_t n = strlen(auth->token) + 32;
        char *line = malloc(n);
        if (line) {
            snprintf(line, n, "Authorization: Bearer %s", auth->token);
            h = curl_slist_append(h, line);
            OPENSSL_cleanse(line, n);
            free(line);
        }
    } else if (cfg->username && cfg->password) {
        curl_easy_setopt(curl, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        curl_easy_setopt(curl, CURLOPT_USERNAME, cfg->username);
        curl_easy_setopt(curl, CURLOPT_PASSWORD, cfg->password);
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
    *headers = h;
    return h ? FUNCP_OK : fp_error_set(FUNCP_ERROR, "out of memory");
}

int fp_kube_transfer_error(const fp_kube_client *c, CURLcode code, const char *errbuf, int cancelled)
{
    if (cancelled)
        return fp_error_set(FUNCP_ECANCELED, "canceled");
    return fp_error_set(FUNCP_ENETWORK, "cannot talk to the Kubernetes API server %s (context \"%s\"): %s",
                        c->cfg.server, c->cfg.context,
                        errbuf && *errbuf ? errbuf : curl_easy_strerror(code));
}

typedef struct body_buf {
    fp_buf buf;
    int too_big; /* or out of memory: the body could not be kept */
} body_buf;

static size_t body_write(char *ptr, size_t size, size_t nmemb, void *user)
{
    body_buf *b = user;
    size_t n = size * nmemb;
    if (fp_buf_append(&b->buf, ptr, n, MAX_BODY - 1) == 0)
        return n;
    b->too_big = 1;
    return 0;
}

/* The connection broke after it was made: the server may or may not
 * have seen the request. A refused connection is not one (the server is
 * down: report it at once). */
static int dropped(CURLcode code)
{
    return code == CURLE_SEND_ERROR || code == CURLE_RECV_ERROR || code == CURLE_GOT_NOTHING ||
           code == CURLE_PARTIAL_FILE;
}

static int request_once(fp_kube_client *c, const char *method, const char *url, const char *body,
                        long *status, body_buf *out, int *was_dropped)
{
    fp_kube_auth auth;
    int rc = fp_kube_auth_get(c, &auth);
    if (rc < 0)
        return rc;
    CURL *curl = curl_easy_init();
    if (!curl) {
        fp_kube_auth_free(&auth);
        return fp_error_set(FUNCP_ERROR, "cannot create a curl handle");
    }
    struct curl_slist *headers = NULL;
    char errbuf[CURL_ERROR_SIZE] = "";
    fp_curl_progress progress = {.hooks = c->hooks};
    rc = fp_kube_prepare(c, curl, method, url, body, &auth, &headers);
    fp_kube_auth_free(&auth);
    if (rc == FUNCP_OK) {
        curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
        curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, REQUEST_TIMEOUT_MS);
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, body_write);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, out);
        int headers_done = 0;
        curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, fp_curl_header_end_cb);
        curl_easy_setopt(curl, CURLOPT_HEADERDATA, &headers_done);
        fp_curl_attach_hooks(curl, c->hooks, &progress);
        CURLcode code = curl_easy_perform(curl);
        if (code == CURLE_OK && !headers_done) {
            code = CURLE_PARTIAL_FILE;
            snprintf(errbuf, sizeof errbuf, "connection closed in the middle of the response headers");
        }
        fp_net_log_request(c->hooks, curl, method, url, code, errbuf);
        if (out->too_big)
            rc = fp_error_set(FUNCP_ENETWORK, "%s %s: response larger than %u MiB", method, url, MAX_BODY >> 20);
        else if (code != CURLE_OK)
            rc = fp_kube_transfer_error(c, code, errbuf, progress.cancelled);
        else
            curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, status);
        *was_dropped = code != CURLE_OK && !progress.cancelled && dropped(code);
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return rc;
}

int fp_kube_request(fp_kube_client *c, const char *method, const char *path, const char *body,
                    funcp_kube_response *response)
{
    response->status = 0;
    response->body = NULL;
    response->body_len = 0;
    char *url = fp_kube_url(c, path, NULL);
    if (!url)
        return fp_error_set(FUNCP_ERROR, "out of memory");
    int rc = FUNCP_OK;
    /* A dropped connection is retried for requests that are safe to
     * repeat: reads, a PUT (it carries a resourceVersion: a repeat after
     * it landed is a 409 the caller handles) and a POST create (a repeat
     * after it landed is 409 AlreadyExists, which callers turn into an
     * update). DELETE and PATCH are not repeated. */
    int repeatable = !strcmp(method, "GET") || !strcmp(method, "HEAD") || !strcmp(method, "PUT") ||
                     !strcmp(method, "POST");
    for (int attempt = 0, drops = 0; attempt < 2; attempt++) {
        body_buf out = {0};
        long status = 0;
        int was_dropped = 0;
        rc = request_once(c, method, url, body, &status, &out, &was_dropped);
        if (rc < 0 && was_dropped && repeatable && drops < MAX_DROPS) {
            free(out.buf.data);
            drops++;
            fp_net_log(c->hooks, FUNCP_LOG_DEBUG, "kube: %s %s: %s; retrying (%d of %d)", method, path,
                       fp_error_message(), drops, MAX_DROPS);
            fp_error_clear();
            struct timespec ts = {0, 50000000L << drops}; /* 100, 200, 400 ms */
            nanosleep(&ts, NULL);
            attempt--;
            continue;
        }
        if (rc == FUNCP_OK && status == 401) {
            free(out.buf.data);
            /* Exec credentials may have been revoked early: fetch new ones
             * once, as client-go does. */
            if (attempt == 0 && fp_kube_auth_invalidate(c))
                continue;
            rc = fp_kube_unauthorized(c);
        } else if (rc == FUNCP_OK) {
            response->status = status;
            response->body = out.buf.data ? out.buf.data : calloc(1, 1);
            response->body_len = out.buf.len;
        } else {
            free(out.buf.data);
        }
        break;
    }
    free(url);
    return rc;
}
