/* What every libcurl client of the module shares: one-time global init,
 * verbose tracing that never shows credentials, and progress/cancel hooks. */
#ifndef FUNCP_NET_CURL_COMMON_H
#define FUNCP_NET_CURL_COMMON_H

#include <curl/curl.h>

#include "net/net_module.h"

/* curl_global_init once per process; FUNCP_ERROR set on failure. */
int fp_curl_global(void);

/* Log through hooks->log (no-op when hooks or log is NULL). */
void fp_net_log(const fp_net_hooks *hooks, funcp_log_level level, const char *fmt, ...)
    FUNCP_PRINTF(3, 4);

/* Progress/cancel state handed to curl's xferinfo callback. */
typedef struct fp_curl_progress {
    const fp_net_hooks *hooks;
    const char *label;
    unsigned long long base;   /* bytes done before this request      */
    unsigned long long total;  /* size of the whole transfer, 0: curl's */
    int upload;
    int cancelled;             /* set when hooks->cancelled said so   */
    const _Atomic int *stop;   /* non-zero: abort quietly (NULL: none) */
    int stopped;               /* set when *stop ended the transfer   */
} fp_curl_progress;

/* Attach the header trace (hooks->verbose >= 2: request lines with the
 * query redacted, headers with Authorization/Cookie redacted, no bodies)
 * and progress/cancel callbacks. `progress` may be NULL. */
void fp_curl_attach_hooks(CURL *curl, const fp_net_hooks *hooks, fp_curl_progress *progress);

/* `url` fit for a log: user:password@ and the values of query
 * parameters that may carry secrets (_state, signatures, tokens: any name
 * not known to be harmless) become <redacted>. */
void fp_url_for_log(const char *url, char *out, size_t size);

/* With hooks->verbose: one DEBUG line per request, "METHOD URL -> status
 * (N ms)" or "METHOD URL -> failed: <reason> (N ms)", the URL as
 * fp_url_for_log shows it, the time from curl's handle. */
void fp_net_log_request(const fp_net_hooks *hooks, CURL *curl, const char *method, const char *url, CURLcode cc,
                        const char *reason);

/* libcurl (7.88) takes a response cut inside its header block for a
 * complete one with an empty body (status 200, CURLE_OK). Feed every
 * header line here: *done is 1 once the blank line ending the block came,
 * reset by the status line of a further response (100, redirects). */
void fp_curl_header_seen(const char *line, size_t len, int *done);
/* A CURLOPT_HEADERFUNCTION doing only that (user: int *done). */
size_t fp_curl_header_end_cb(char *line, size_t size, size_t nmemb, void *user);

/* True when a header line names a credential-bearing header. */
int fp_header_is_secret(const char *line, size_t len);

#endif
