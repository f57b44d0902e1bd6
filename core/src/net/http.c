/* fp_http_api: one plain HTTP(S) request with libcurl (funcp invoke). */
#include "net/http_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/apis.h"
#include "net/curl_common.h"
#include "util/buf.h"
#include "util/error.h"

static size_t write_cb(char *ptr, size_t size, size_t nmemb, void *user)
{
    size_t n = size * nmemb;
    return fp_buf_append(user, ptr, n, 0) == 0 ? n : 0;
}

static int http_request(const fp_http_request *req, fp_http_response *resp)
{
    if (!req || !resp || !req->url)
        return fp_error_set(FUNCP_EUSAGE, "http request: no URL");
    memset(resp, 0, sizeof *resp);
    int rc = fp_curl_global();
    if (rc)
        return rc;
    CURL *curl = curl_easy_init();
    if (!curl)
        return fp_error_set(FUNCP_ERROR, "http request: out of memory");
    fp_buf body = {0};
    struct curl_slist *headers = NULL;
    char ct[512];
    if (req->content_type) {
        snprintf(ct, sizeof ct, "Content-Type: %s", req->content_type);
        headers = curl_slist_append(headers, ct);
    }
    for (const char *const *h = req->headers; h && *h; h++)
        headers = curl_slist_append(headers, *h);
    char errbuf[CURL_ERROR_SIZE] = "";
    fp_curl_progress progress = {.hooks = req->hooks};
    curl_easy_setopt(curl, CURLOPT_URL, req->url);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, req->method ? req->method : "GET");
    if (req->method && strcmp(req->method, "HEAD") == 0)
        curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    if (req->body || (req->method && strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0)) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, req->body ? req->body : "");
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(req->body ? req->body_len : 0));
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, write_cb);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, req->timeout_ms > 0 ? req->timeout_ms : 30000L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    if (req->insecure) {
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    int headers_done = 0;
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, fp_curl_header_end_cb);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &headers_done);
    fp_curl_attach_hooks(curl, req->hooks, &progress);
    CURLcode cc = curl_easy_perform(curl);
    if (cc == CURLE_OK && !headers_done) { /* libcurl would call it an empty 2xx */
        cc = CURLE_PARTIAL_FILE;
        snprintf(errbuf, sizeof errbuf, "connection closed in the middle of the response headers");
    }
    fp_net_log_request(req->hooks, curl, req->method ? req->method : "GET", req->url, cc, errbuf);
    if (cc != CURLE_OK) {
        if (progress.cancelled)
            rc = fp_error_set(FUNCP_ECANCELED, "%s: cancelled", req->url);
        else
            rc = fp_error_set(cc == CURLE_OPERATION_TIMEDOUT ? FUNCP_ETIMEOUT : FUNCP_ENETWORK, "%s: %s",
                              req->url, errbuf[0] ? errbuf : curl_easy_strerror(cc));
        free(body.data);
    } else {
        char *type = NULL;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &resp->status);
        curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &type);
        resp->content_type = type ? strdup(type) : NULL;
        if (!body.data)
            body.data = calloc(1, 1);
        resp->body = body.data;
        resp->body_len = body.len;
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return rc;
}

static void http_response_free(fp_http_response *resp)
{
    if (!resp)
        return;
    free(resp->content_type);
    free(resp->body);
    memset(resp, 0, sizeof *resp);
}

const struct fp_http_api *fp_http_api_get(void)
{
    static const fp_http_api api = {
        .struct_size = sizeof(fp_http_api),
        .request = http_request,
        .response_free = http_response_free,
    };
    return &api;
}
