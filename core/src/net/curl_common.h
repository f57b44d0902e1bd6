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

/* Attach verbose tracing (hooks->verbose; request lines and headers with
 * Authorization/Cookie redacted, no bodies) and progress/cancel callbacks.
 * `progress` may be NULL. */
void fp_curl_attach_hooks(CURL *curl, const fp_net_hooks *hooks, fp_curl_progress *progress);

/* True when a header line names a credential-bearing header. */
int fp_header_is_secret(const char *line, size_t len);

#endif
