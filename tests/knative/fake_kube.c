/* Test-only kube_request/kube_watch over libcurl against a fake API server
 * (c->api). Like funcp's host: list then watch from the list's
 * resourceVersion, a "PING" callback every 100 ms while idle. */
#include <curl/curl.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fake_host.h"

typedef struct buf {
    char *data;
    size_t len;
} buf;

static size_t collect(char *p, size_t sz, size_t n, void *user)
{
    buf *b = user;
    char *g = realloc(b->data, b->len + sz * n + 1);
    if (!g)
        return 0;
    b->data = g;
    memcpy(b->data + b->len, p, sz * n);
    b->len += sz * n;
    b->data[b->len] = '\0';
    return sz * n;
}

static char *url_of(funcp_call *c, const char *path)
{
    char *u = malloc(strlen(c->api) + strlen(path) + 1);
    strcpy(u, c->api);
    strcat(u, path);
    return u;
}

static int fake_request(funcp_call *c, const char *method, const char *path, const char *body,
                        funcp_kube_response *r)
{
    CURL *h = curl_easy_init();
    buf b = {NULL, 0};
    char *u = url_of(c, path);
    struct curl_slist *hd = curl_slist_append(NULL, "Content-Type: application/json");
    curl_easy_setopt(h, CURLOPT_URL, u);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
    if (body)
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    CURLcode rc = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
    curl_slist_free_all(hd);
    curl_easy_cleanup(h);
    free(u);
    if (rc != CURLE_OK) {
        free(b.data);
        snprintf(c->err, sizeof c->err, "request %s %s: %s", method, path, curl_easy_strerror(rc));
        c->err_code = FUNCP_ENETWORK;
        return FUNCP_ENETWORK;
    }
    r->body = b.data;
    r->body_len = b.len;
    return FUNCP_OK;
}

typedef struct watch {
    funcp_watch_fn fn;
    void *user;
    buf line;
    int stop;
    long long last_ping;
} watch;

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void deliver(watch *w, const char *type, json_object *obj)
{
    if (!w->stop && w->fn(w->user, type, json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN)))
        w->stop = 1;
}

static size_t on_stream(char *p, size_t sz, size_t n, void *user)
{
    watch *w = user;
    if (!collect(p, sz, n, &w->line))
        return 0;
    char *nl;
    while (!w->stop && (nl = memchr(w->line.data, '\n', w->line.len))) {
        *nl = '\0';
        json_object *ev = json_tokener_parse(w->line.data), *t, *o;
        if (ev && json_object_object_get_ex(ev, "type", &t) && json_object_object_get_ex(ev, "object", &o))
            deliver(w, json_object_get_string(t), o);
        json_object_put(ev);
        size_t used = (size_t)(nl - w->line.data) + 1;
        memmove(w->line.data, nl + 1, w->line.len - used + 1);
        w->line.len -= used;
    }
    return w->stop ? 0 : sz * n;
}

static int on_progress(void *user, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
    (void)a, (void)b, (void)c, (void)d;
    watch *w = user;
    long long t = now_ms();
    if (t - w->last_ping >= 100) {
        w->last_ping = t;
        if (!w->stop && w->fn(w->user, "PING", "{}"))
            w->stop = 1;
    }
    return w->stop;
}

static int fake_watch(funcp_call *c, const char *path, int timeout_ms, funcp_watch_fn fn, void *user)
{
    long long deadline = now_ms() + timeout_ms;
    funcp_kube_response r = {sizeof r, 0, NULL, 0};
    int rc = fake_request(c, "GET", path, NULL, &r);
    if (rc != FUNCP_OK)
        return rc;
    watch w = {fn, user, {NULL, 0}, 0, 0};
    json_object *list = r.body ? json_tokener_parse(r.body) : NULL, *items, *rv;
    free(r.body);
    if (!list || r.status != 200) {
        json_object_put(list);
        c->err_code = FUNCP_ERROR;
        snprintf(c->err, sizeof c->err, "watch %s: list answered %ld", path, r.status);
        return FUNCP_ERROR;
    }
    if (json_object_object_get_ex(list, "items", &items))
        for (size_t i = 0; i < json_object_array_length(items); i++)
            deliver(&w, "ADDED", json_object_array_get_idx(items, i));
    char rvbuf[64] = "0";
    json_object *md;
    if (json_object_object_get_ex(list, "metadata", &md) && json_object_object_get_ex(md, "resourceVersion", &rv))
        snprintf(rvbuf, sizeof rvbuf, "%s", json_object_get_string(rv));
    json_object_put(list);
    if (w.stop)
        return FUNCP_OK;
    long long left = deadline - now_ms();
    if (left <= 0)
        return FUNCP_ETIMEOUT;
    char *u0 = url_of(c, path);
    size_t ul = strlen(u0) + 128;
    char *u = malloc(ul);
    snprintf(u, ul, "%s%swatch=true&resourceVersion=%s&timeoutSeconds=%lld", u0,
             strchr(u0, '?') ? "&" : "?", rvbuf, left / 1000 + 1);
    free(u0);
    CURL *h = curl_easy_init();
    curl_easy_setopt(h, CURLOPT_URL, u);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_stream);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &w);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, &w);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)left);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    CURLcode cc = curl_easy_perform(h);
    curl_easy_cleanup(h);
    free(u);
    free(w.line.data);
    if (w.stop)
        return FUNCP_OK;
    if (cc == CURLE_OPERATION_TIMEDOUT || (cc == CURLE_OK && now_ms() >= deadline - 5))
        return FUNCP_ETIMEOUT;
    if (cc == CURLE_OK)
        return FUNCP_ETIMEOUT; /* the server ended the stream: the caller re-opens */
    c->err_code = FUNCP_ENETWORK;
    snprintf(c->err, sizeof c->err, "watch %s: %s", path, curl_easy_strerror(cc));
    return FUNCP_ENETWORK;
}

void fake_host_init_kube(funcp_host *h)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    h->kube_request = fake_request;
    h->kube_watch = fake_watch;
}
