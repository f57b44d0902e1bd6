/* Watch = list, then stream changes from the list's resourceVersion (the
 * reflector's list-and-watch). Dropped streams resume from the last
 * resourceVersion seen; 410 Gone (as HTTP status or as an ERROR event)
 * lists again. One curl multi handle per watch, polled every 100 ms so that
 * Ctrl-C, the deadline and the callback's PING are noticed promptly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "kube/kube_client.h"
#include "net/curl_common.h"
#include "util/buf.h"
#include "util/error.h"

#define POLL_MS 100
#define MAX_RECONNECTS 5    /* consecutive connections without an event */
#define MAX_RELISTS 5       /* consecutive 410s without an event        */
#define LIST_LIMIT 500
#define MAX_LINE (64u << 20)
#define MAX_ERROR_BODY 65536

typedef struct watch_ctx {
    fp_kube_client *c;
    const char *path;
    funcp_watch_fn fn;
    void *user;
    CURL *curl;
    char *rv;
    fp_buf line;        /* what arrived after the last complete event */
    char *err;          /* body of a non-200 answer */
    size_t err_len;
    long status;
    int stop, gone, failed, rc;
    int events;
    long long last_ping;
} watch_ctx;

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void set_rv(watch_ctx *w, json_object *obj)
{
    json_object *md, *rv;
    if (json_object_object_get_ex(obj, "metadata", &md) && json_object_object_get_ex(md, "resourceVersion", &rv) &&
        json_object_is_type(rv, json_type_string) && *json_object_get_string(rv)) {
        free(w->rv);
        w->rv = strdup(json_object_get_string(rv));
    }
}

static void deliver(watch_ctx *w, const char *type, json_object *obj)
{
    if (w->fn(w->user, type, json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)))
        w->stop = 1;
}

/* Let the callback stop an idle watch. */
static void ping(watch_ctx *w)
{
    long long t = now_ms();
    if (t - w->last_ping < POLL_MS)
        return;
    w->last_ping = t;
    if (w->fn(w->user, "PING", "{}"))
        w->stop = 1;
}

static void handle_event(watch_ctx *w, const char *line, size_t len)
{
    json_tokener *tok = json_tokener_new();
    json_object *ev = tok ? json_tokener_parse_ex(tok, line, (int)len) : NULL;
    json_tokener_free(tok);
    json_object *type = NULL, *obj = NULL;
    if (!ev || !json_object_object_get_ex(ev, "type", &type) || !json_object_object_get_ex(ev, "object", &obj) ||
        !json_object_is_type(type, json_type_string)) {
        w->rc = fp_error_set(FUNCP_EPARSE, "watch %s: the server sent a malformed event", w->path);
        w->failed = 1;
        json_object_put(ev);
        return;
    }
    const char *t = json_object_get_string(type);
    if (strcmp(t, "ERROR") == 0) {
        json_object *code;
        long status = json_object_object_get_ex(obj, "code", &code) ? json_object_get_int(code) : 0;
        if (status == 410) {
            w->gone = 1;
        } else {
            char what[512];
            snprintf(what, sizeof what, "watch %s", w->path);
            w->rc = fp_kube_status_error(status, json_object_to_json_string(obj), what);
            w->failed = 1;
        }
    } else {
        set_rv(w, obj);
        w->events++;
        deliver(w, t, obj);
    }
    json_object_put(ev);
}

static size_t watch_write(char *ptr, size_t size, size_t nmemb, void *user)
{
    watch_ctx *w = user;
    size_t n = size * nmemb;
    if (!w->status)
        curl_easy_getinfo(w->curl, CURLINFO_RESPONSE_CODE, &w->status);
    if (w->status != 200) {
        size_t room = MAX_ERROR_BODY - w->err_len;
        size_t take = n < room ? n : room;
        char *e = realloc(w->err, w->err_len + take + 1);
        if (!e)
            return 0;
        memcpy(e + w->err_len, ptr, take);
        w->err_len += take;
        e[w->err_len] = '\0';
        w->err = e;
        return n;
    }
    fp_buf *b = &w->line;
    if (fp_buf_append(b, ptr, n, MAX_LINE - 1) != 0) {
        w->rc = fp_error_set(FUNCP_ENETWORK, "watch %s: an event is larger than %u MiB", w->path, MAX_LINE >> 20);
        w->failed = 1;
        return 0;
    }
    size_t start = 0;
    for (size_t i = 0; i < b->len && !w->stop && !w->gone && !w->failed; i++) {
        if (b->data[i] != '\n')
            continue;
        if (i > start)
            handle_event(w, b->data + start, i - start);
        start = i + 1;
    }
    memmove(b->data, b->data + start, b->len - start + 1); /* with the NUL */
    b->len -= start;
    return w->stop || w->gone || w->failed ? 0 : n;
}

/* One page-by-page list; items go to the callback as ADDED. */
static int list_all(watch_ctx *w)
{
    char *cont = NULL;
    int rc = FUNCP_OK;
    for (;;) {
        char *esc = cont ? curl_easy_escape(NULL, cont, 0) : NULL;
        size_t n = strlen(w->path) + (esc ? strlen(esc) : 0) + 64;
        char *p = malloc(n);
        if (!p) {
            curl_free(esc);
            rc = fp_error_set(FUNCP_ERROR, "out of memory");
            break;
        }
        snprintf(p, n, "%s%climit=%d%s%s", w->path, strchr(w->path, '?') ? '&' : '?', LIST_LIMIT,
                 esc ? "&continue=" : "", esc ? esc : "");
        curl_free(esc);
        funcp_kube_response resp;
        rc = fp_kube_request(w->c, "GET", p, NULL, &resp);
        free(p);
        if (rc < 0)
            break;
        if (resp.status == 410 && cont) { /* continue token expired: start over */
            free(resp.body);
            free(cont);
            cont = NULL;
            continue;
        }
        if (resp.status != 200) {
            char what[512];
            snprintf(what, sizeof what, "list %s", w->path);
            rc = fp_kube_status_error(resp.status, resp.body, what);
            free(resp.body);
            break;
        }
        json_object *list = json_tokener_parse(resp.body);
        free(resp.body);
        json_object *items = NULL, *md = NULL, *c = NULL;
        if (!list || !json_object_object_get_ex(list, "items", &items)) {
            json_object_put(list);
            rc = fp_error_set(FUNCP_EPARSE, "list %s: the answer is not a list", w->path);
            break;
        }
        set_rv(w, list);
        size_t ni = json_object_is_type(items, json_type_array) ? json_object_array_length(items) : 0;
        for (size_t i = 0; i < ni && !w->stop; i++)
            deliver(w, "ADDED", json_object_array_get_idx(items, i));
        free(cont);
        cont = NULL;
        if (json_object_object_get_ex(list, "metadata", &md) && json_object_object_get_ex(md, "continue", &c) &&
            json_object_is_type(c, json_type_string) && *json_object_get_string(c))
            cont = strdup(json_object_get_string(c));
        json_object_put(list);
        if (!cont || w->stop)
            break;
    }
    free(cont);
    if (rc == FUNCP_OK && !w->rv)
        rc = fp_error_set(FUNCP_EPARSE, "list %s: the answer has no resourceVersion", w->path);
    return rc;
}

/* Stream one watch connection until it ends, the callback stops, the
 * deadline passes (*timed_out) or an error. Connection failures are not
 * errors here: the caller counts them and reconnects. */
static int watch_once(watch_ctx *w, long long deadline, int *timed_out, CURLcode *result)
{
    *timed_out = 0;
    *result = CURLE_OK;
    w->status = 0;
    w->line.len = 0;
    if (w->line.data)
        w->line.data[0] = '\0';
    w->events = 0;
    free(w->err);
    w->err = NULL;
    w->err_len = 0;
    long secs = 300;
    if (deadline) {
        long long left = deadline - now_ms();
        secs = (long)((left + 999) / 1000);
        if (secs > 300)
            secs = 300;
        if (secs < 1)
            secs = 1;
    }
    char *esc = curl_easy_escape(NULL, w->rv, 0);
    char query[512];
    snprintf(query, sizeof query, "watch=1&allowWatchBookmarks=true&resourceVersion=%s&timeoutSeconds=%ld",
             esc ? esc : "", secs);
    curl_free(esc);
    char *url = fp_kube_url(w->c, w->path, query);
    fp_kube_auth auth;
    int rc = url ? fp_kube_auth_get(w->c, &auth) : fp_error_set(FUNCP_ERROR, "out of memory");
    if (rc < 0) {
        free(url);
        return rc;
    }
    CURL *curl = curl_easy_init();
    CURLM *multi = curl_multi_init();
    struct curl_slist *headers = NULL;
    char errbuf[CURL_ERROR_SIZE] = "";
    fp_curl_progress progress = {.hooks = w->c->hooks};
    if (!curl || !multi) {
        rc = fp_error_set(FUNCP_ERROR, "cannot create a curl handle");
        goto out;
    }
    w->curl = curl;
    rc = fp_kube_prepare(w->c, curl, "GET", url, NULL, &auth, &headers);
    if (rc < 0)
        goto out;
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, watch_write);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, w);
    fp_curl_attach_hooks(curl, w->c->hooks, &progress);
    curl_multi_add_handle(multi, curl);
    int running = 1;
    const fp_net_hooks *hooks = w->c->hooks;
    while (running) {
        if (curl_multi_perform(multi, &running) != CURLM_OK)
            break;
        if (!running || w->stop || w->gone || w->failed)
            break;
        if (hooks && hooks->cancelled && hooks->cancelled(hooks->user)) {
            progress.cancelled = 1;
            break;
        }
        if (deadline && now_ms() >= deadline) {
            *timed_out = 1;
            break;
        }
        ping(w);
        if (w->stop)
            break;
        curl_multi_poll(multi, NULL, 0, POLL_MS, NULL);
    }
    int msgs;
    CURLMsg *msg;
    while ((msg = curl_multi_info_read(multi, &msgs)))
        if (msg->msg == CURLMSG_DONE)
            *result = msg->data.result;
    if (!w->status)
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &w->status);
    /* A watch funcp ends itself (done, or 410 Gone: its write callback
     * refuses more) is no failure. */
    fp_net_log_request(hooks, curl, "GET", url, w->stop || w->gone ? CURLE_OK : *result, errbuf);
    if (progress.cancelled)
        rc = fp_kube_transfer_error(w->c, CURLE_ABORTED_BY_CALLBACK, NULL, 1);
    else if (*result != CURLE_OK && !w->stop && !w->gone && !w->failed)
        fp_net_log(hooks, FUNCP_LOG_DEBUG, "kube: watch %s interrupted: %s", w->path,
                   *errbuf ? errbuf : curl_easy_strerror(*result));
    curl_multi_remove_handle(multi, curl);
out:
    fp_kube_auth_free(&auth);
    curl_slist_free_all(headers);
    if (curl)
        curl_easy_cleanup(curl);
    if (multi)
        curl_multi_cleanup(multi);
    w->curl = NULL;
    free(url);
    return rc;
}

static void pause_ms(watch_ctx *w, long ms, long long deadline)
{
    long long until = now_ms() + ms;
    while (!w->stop && now_ms() < until && (!deadline || now_ms() < deadline)) {
        struct timespec ts = {0, 20 * 1000000L};
        nanosleep(&ts, NULL);
        ping(w);
    }
}

int fp_kube_watch(fp_kube_client *c, const char *path, int timeout_ms, funcp_watch_fn fn, void *user)
{
    watch_ctx w = {.c = c, .path = path, .fn = fn, .user = user};
    w.last_ping = now_ms();
    long long deadline = timeout_ms > 0 ? now_ms() + timeout_ms : 0;
    int rc = FUNCP_OK, relists = 0, failures = 0, auth_retry = 0;
    CURLcode last = CURLE_OK;
    for (;;) {
        if (++relists > MAX_RELISTS) {
            rc = fp_error_set(FUNCP_ENETWORK, "watch %s: the server kept answering 410 Gone", path);
            break;
        }
        rc = list_all(&w);
        if (rc < 0 || w.stop)
            break;
        int again = 0;
        while (!again) {
            if (deadline && now_ms() >= deadline) {
                rc = fp_error_set(FUNCP_ETIMEOUT, "watch %s: timed out after %d ms", path, timeout_ms);
                break;
            }
            int timed_out;
            rc = watch_once(&w, deadline, &timed_out, &last);
            if (rc < 0 || w.stop)
                break;
            if (w.failed) {
                rc = w.rc;
                break;
            }
            if (w.events)
                relists = failures = 0;
            if (timed_out) {
                rc = fp_error_set(FUNCP_ETIMEOUT, "watch %s: timed out after %d ms", path, timeout_ms);
                break;
            }
            if (w.gone || w.status == 410) {
                fp_net_log(c->hooks, FUNCP_LOG_DEBUG, "kube: watch %s: resourceVersion %s is gone, listing again",
                           path, w.rv);
                w.gone = 0;
                again = 1;
                break;
            }
            if (w.status == 401) {
                if (!auth_retry++ && fp_kube_auth_invalidate(c))
                    continue;
                rc = fp_kube_unauthorized(c);
                break;
            }
            if (w.status && w.status != 200) {
                char what[512];
                snprintf(what, sizeof what, "watch %s", path);
                rc = fp_kube_status_error(w.status, w.err, what);
                break;
            }
            /* The stream ended: normal after timeoutSeconds, or dropped. */
            if (!w.events && ++failures > MAX_RECONNECTS) {
                rc = fp_error_set(FUNCP_ENETWORK, "watch %s: connection lost %d times in a row (%s)", path,
                                  failures, curl_easy_strerror(last));
                break;
            }
            fp_net_log(c->hooks, FUNCP_LOG_DEBUG, "kube: watch %s: resuming from resourceVersion %s", path, w.rv);
            if (failures)
                pause_ms(&w, 50L << (failures < 5 ? failures : 5), deadline);
        }
        if (!again)
            break;
    }
    if (w.stop)
        rc = FUNCP_OK;
    free(w.rv);
    free(w.line.data);
    free(w.err);
    return rc;
}
