#include "net/curl_common.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/error.h"

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc = CURLE_OK;

static void global_init(void)
{
    global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

int fp_curl_global(void)
{
    pthread_once(&global_once, global_init);
    if (global_rc != CURLE_OK)
        return fp_error_set(FUNCP_ERROR, "libcurl initialisation failed: %s",
                            curl_easy_strerror(global_rc));
    return FUNCP_OK;
}

void fp_net_log(const fp_net_hooks *hooks, funcp_log_level level, const char *fmt, ...)
{
    if (!hooks || !hooks->log)
        return;
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    hooks->log(hooks->user, level, buf);
}

void fp_curl_header_seen(const char *line, size_t len, int *done)
{
    if (len >= 5 && !strncmp(line, "HTTP/", 5))
        *done = 0;
    else if ((len == 2 && line[0] == '\r' && line[1] == '\n') || (len == 1 && line[0] == '\n'))
        *done = 1;
}

size_t fp_curl_header_end_cb(char *line, size_t size, size_t nmemb, void *user)
{
    fp_curl_header_seen(line, size * nmemb, user);
    return size * nmemb;
}

int fp_header_is_secret(const char *line, size_t len)
{
    static const char *const names[] = {"authorization:", "proxy-authorization:",
                                        "cookie:", "set-cookie:"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t n = strlen(names[i]);
        if (len >= n && strncasecmp(line, names[i], n) == 0)
            return 1;
    }
    return 0;
}

/* Offset of a credential-bearing word in a line, or -1. curl's own notes
 * can quote headers ("h2h3 [authorization: ...]") or the user name
 * ("Server auth using Basic with user ..."). */
static long secret_at(const char *s, size_t n)
{
    static const char *const words[] = {"authorization", "cookie", "auth using", "token"};
    for (size_t i = 0; i < n; i++)
        for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
            size_t k = strlen(words[w]);
            if (i + k <= n && strncasecmp(s + i, words[w], k) == 0)
                return (long)i;
        }
    return -1;
}

/* Print header blocks line by line, redacting credentials; bodies (which
 * may hold tokens) are never printed. */
static int debug_cb(CURL *curl, curl_infotype type, char *data, size_t size, void *user)
{
    (void)curl;
    const fp_net_hooks *hooks = user;
    const char *prefix;
    switch (type) {
    case CURLINFO_HEADER_OUT: prefix = "> "; break;
    case CURLINFO_HEADER_IN: prefix = "< "; break;
    case CURLINFO_TEXT: prefix = "* "; break;
    default: return 0;
    }
    size_t pos = 0;
    while (pos < size) {
        size_t end = pos;
        while (end < size && data[end] != '\n' && data[end] != '\r')
            end++;
        size_t len = end - pos;
        long at = len > 0 ? secret_at(data + pos, len) : -1;
        if (len > 0 && fp_header_is_secret(data + pos, len)) {
            const char *colon = memchr(data + pos, ':', len);
            int name_len = (int)(colon - (data + pos));
            fp_net_log(hooks, FUNCP_LOG_DEBUG, "%s%.*s: <redacted>", prefix, name_len, data + pos);
        } else if (type == CURLINFO_HEADER_OUT && memchr(data + pos, '?', len) && memchr(data + pos, ' ', len)) {
            /* "PUT /v2/...?_state=... HTTP/1.1": the query may hold secrets */
            size_t q = (size_t)((const char *)memchr(data + pos, '?', len) - (data + pos));
            fp_net_log(hooks, FUNCP_LOG_DEBUG, "%s%.*s?<query redacted>", prefix, (int)q, data + pos);
        } else if (at >= 0) {
            fp_net_log(hooks, FUNCP_LOG_DEBUG, "%s%.*s<redacted>", prefix, (int)at, data + pos);
        } else if (len > 0) {
            fp_net_log(hooks, FUNCP_LOG_DEBUG, "%s%.*s", prefix, (int)(len > 1000 ? 1000 : len), data + pos);
        }
        pos = end;
        while (pos < size && (data[pos] == '\n' || data[pos] == '\r'))
            pos++;
    }
    return 0;
}

/* Query parameters whose values are shown: registry and Kubernetes
 * parameters that carry no secret. */
static int harmless_param(const char *name, size_t len)
{
    static const char *const names[] = {"digest", "scope", "service", "n", "last", "mount", "from",
                                        "watch", "resourceVersion", "timeoutSeconds", "allowWatchBookmarks",
                                        "labelSelector", "fieldSelector", "limit", "propagationPolicy",
                                        "dryRun", "fieldManager", "ns", "tag"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i]) == len && !strncmp(names[i], name, len))
            return 1;
    return 0;
}

void fp_url_for_log(const char *url, char *out, size_t size)
{
    size_t n = 0;
#define PUT(p, len)                                     \
    do {                                                \
        size_t l_ = (len);                              \
        if (l_ > size - 1 - n)                          \
            l_ = size - 1 - n;                          \
        memcpy(out + n, (p), l_);                       \
        n += l_;                                        \
    } while (0)
    if (!size)
        return;
    const char *p = url;
    const char *scheme = strstr(p, "://");
    if (scheme) {
        PUT(p, (size_t)(scheme + 3 - p));
        p = scheme + 3;
        size_t auth_len = strcspn(p, "/?#");
        const char *at = memchr(p, '@', auth_len);
        if (at) {
            PUT("<redacted>", 10);
            p = at;
        }
    }
    size_t path_len = strcspn(p, "?#");
    PUT(p, path_len);
    p += path_len;
    if (*p == '?') {
        p++;
        for (int first = 1; *p && *p != '#'; first = 0) {
            size_t len = strcspn(p, "&#");
            size_t name_len = strcspn(p, "=&#");
            PUT(first ? "?" : "&", 1);
            if (name_len < len && !harmless_param(p, name_len)) {
                PUT(p, name_len);
                PUT("=<redacted>", 11);
            } else {
                PUT(p, len);
            }
            p += len;
            if (*p == '&')
                p++;
        }
    }
#undef PUT
    out[n] = '\0';
}

void fp_net_log_request(const fp_net_hooks *hooks, CURL *curl, const char *method, const char *url, CURLcode cc,
                        const char *reason)
{
    if (!hooks || !hooks->verbose || !hooks->log)
        return;
    char shown[1024];
    fp_url_for_log(url, shown, sizeof shown);
    curl_off_t us = 0;
    curl_easy_getinfo(curl, CURLINFO_TOTAL_TIME_T, &us);
    long status = 0;
    if (cc == CURLE_OK)
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    if (cc == CURLE_OK)
        fp_net_log(hooks, FUNCP_LOG_DEBUG, "%s %s -> %ld (%lld ms)", method, shown, status, (long long)(us / 1000));
    else
        fp_net_log(hooks, FUNCP_LOG_DEBUG, "%s %s -> failed: %s (%lld ms)", method, shown,
                   reason && *reason ? reason : curl_easy_strerror(cc), (long long)(us / 1000));
}

static int xferinfo_cb(void *user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    fp_curl_progress *p = user;
    const fp_net_hooks *hooks = p->hooks;
    if (p->stop && atomic_load(p->stop)) {
        p->stopped = 1;
        return 1;
    }
    if (hooks && hooks->cancelled && hooks->cancelled(hooks->user)) {
        p->cancelled = 1;
        return 1; /* curl aborts with CURLE_ABORTED_BY_CALLBACK */
    }
    if (hooks && hooks->progress && p->label) {
        curl_off_t now = p->upload ? ulnow : dlnow;
        curl_off_t tot = p->upload ? ultotal : dltotal;
        unsigned long long total = p->total ? p->total : (unsigned long long)tot;
        if (now > 0 || total > 0)
            hooks->progress(hooks->user, p->label, p->base + (unsigned long long)now, total);
    }
    return 0;
}

void fp_curl_attach_hooks(CURL *curl, const fp_net_hooks *hooks, fp_curl_progress *progress)
{
    if (hooks && hooks->verbose >= 2 && hooks->log) {
        curl_easy_setopt(curl, CURLOPT_DEBUGFUNCTION, debug_cb);
        curl_easy_setopt(curl, CURLOPT_DEBUGDATA, (void *)hooks);
        curl_easy_setopt(curl, CURLOPT_VERBOSE, 1L);
    }
    if (progress) {
        curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, xferinfo_cb);
        curl_easy_setopt(curl, CURLOPT_XFERINFODATA, progress);
        curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    }
}
