/* The request engine of the registry client: TLS choice, authentication,
 * bounded retries with backoff, header capture, streaming bodies. */
#include "oci/registry_internal.h"

#include <errno.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "oci/auth_message.h"
#include "oci/token.h"
#include "util/error.h"

enum { UPLOAD_BUFFER = 512 * 1024, RETRY_AFTER_MAX_S = 10 };

typedef struct xfer {
    const fp_req *req;
    fp_resp *resp;
    uint64_t read_pos;
    int write_failed;
    int headers_done;             /* see fp_curl_header_seen */
} xfer;

static size_t read_cb(char *buf, size_t size, size_t nmemb, void *user)
{
    xfer *x = user;
    const fp_req *req = x->req;
    uint64_t left = req->len - x->read_pos;
    size_t want = size * nmemb;
    if (want > left)
        want = (size_t)left;
    if (want == 0)
        return 0;
    if (req->fd >= 0) {
        ssize_t n;
        do
            n = pread(req->fd, buf, want, (off_t)(req->off + x->read_pos));
        while (n < 0 && errno == EINTR);
        if (n <= 0)
            return CURL_READFUNC_ABORT;
        want = (size_t)n;
    } else {
        memcpy(buf, (const char *)req->mem + x->read_pos, want);
    }
    x->read_pos += want;
    return want;
}

/* curl rewinds a body when it resends on a fresh connection. */
static int seek_cb(void *user, curl_off_t offset, int origin)
{
    xfer *x = user;
    if (origin != SEEK_SET || offset < 0 || (uint64_t)offset > x->req->len)
        return CURL_SEEKFUNC_CANTSEEK;
    x->read_pos = (uint64_t)offset;
    return CURL_SEEKFUNC_OK;
}

static size_t write_cb(char *ptr, size_t size, size_t nmemb, void *user)
{
    xfer *x = user;
    size_t n = size * nmemb;
    fp_resp *resp = x->resp;
    /* Only a 2xx body is data; error bodies are kept for messages. */
    if (x->req->out_file && resp->status / 100 == 2) {
        if (fwrite(ptr, 1, n, x->req->out_file) != n) {
            x->write_failed = 1;
            return 0;
        }
        if (x->req->hash_out)
            fp_sha256_update(x->req->hash_out, ptr, n);
        resp->out_written += n;
        return n;
    }
    if (resp->body_len + n > FP_BODY_MAX)
        return 0;
    char *p = realloc(resp->body, resp->body_len + n + 1);
    if (!p)
        return 0;
    memcpy(p + resp->body_len, ptr, n);
    resp->body = p;
    resp->body_len += n;
    resp->body[resp->body_len] = '\0';
    return n;
}

static void capture(const char *line, size_t len, const char *name, char *dst, size_t size)
{
    size_t n = strlen(name);
    if (len <= n || strncasecmp(line, name, n) != 0 || line[n] != ':')
        return;
    const char *v = line + n + 1;
    const char *end = line + len;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
        end--;
    size_t vlen = (size_t)(end - v);
    if (vlen >= size)
        vlen = size - 1;
    memcpy(dst, v, vlen);
    dst[vlen] = '\0';
}

static size_t header_cb(char *line, size_t size, size_t nmemb, void *user)
{
    xfer *x = user;
    fp_resp *r = x->resp;
    size_t len = size * nmemb;
    fp_curl_header_seen(line, len, &x->headers_done);
    if (len >= 5 && !strncmp(line, "HTTP/", 5)) {
        /* A new response (redirect, 100 Continue): forget the last one's. */
        r->location[0] = r->digest[0] = r->content_type[0] = r->retry_after[0] = '\0';
        r->www_authenticate[0] = r->range[0] = '\0';
        const char *sp = memchr(line, ' ', len);
        r->status = sp ? strtol(sp + 1, NULL, 10) : 0;
        return len;
    }
    capture(line, len, "Location", r->location, sizeof r->location);
    capture(line, len, "Docker-Content-Digest", r->digest, sizeof r->digest);
    capture(line, len, "Content-Type", r->content_type, sizeof r->content_type);
    capture(line, len, "Retry-After", r->retry_after, sizeof r->retry_after);
    capture(line, len, "WWW-Authenticate", r->www_authenticate, sizeof r->www_authenticate);
    capture(line, len, "Range", r->range, sizeof r->range);
    return len;
}

/* Add the user's CA certificates to the default trust store, so that a
 * custom CA works alongside the system ones. */
static CURLcode ssl_ctx_cb(CURL *curl, void *ssl_ctx, void *user)
{
    (void)curl;
    STACK_OF(X509) *certs = user;
    X509_STORE *store = SSL_CTX_get_cert_store((SSL_CTX *)ssl_ctx);
    for (int i = 0; i < sk_X509_num(certs); i++)
        X509_STORE_add_cert(store, sk_X509_value(certs, i));
    return CURLE_OK;
}

static void apply_tls(fp_registry *reg, CURL *curl)
{
    if (reg->ca_certs) {
        curl_easy_setopt(curl, CURLOPT_SSL_CTX_FUNCTION, ssl_ctx_cb);
        curl_easy_setopt(curl, CURLOPT_SSL_CTX_DATA, reg->ca_certs);
    }
    if (reg->insecure) {
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    /* One blob per connection at a time: HTTP/1.1 streams it without
     * HTTP/2 flow-control windows in the way. */
    curl_easy_setopt(curl, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 15000L);
    /* A stalled transfer (no byte for 60 s) is a dropped connection. */
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, 60L);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "funcp/" FUNCP_VERSION);
}

static void token_setup(CURL *curl, void *user)
{
    fp_registry *reg = user;
    apply_tls(reg, curl);
    fp_curl_attach_hooks(curl, reg->hooks, NULL);
}

void fp_token_log(CURL *curl, void *user, const char *method, const char *url, CURLcode cc)
{
    fp_registry *reg = user;
    fp_net_log_request(reg->hooks, curl, method, url, cc, NULL);
}

static const char *wanted_scope(fp_registry *reg, char *buf, size_t size)
{
    snprintf(buf, size, "repository:%s:%s", reg->ref.repository, reg->push ? "push,pull" : "pull");
    return buf;
}

/* Answer a 401: Basic → use the credentials; Bearer → fetch (or reuse) a
 * token for our scope. */
static int authenticate(fp_registry *reg, const fp_resp *resp)
{
    fp_auth_challenge ch;
    if (!resp->www_authenticate[0])
        return fp_error_set(FUNCP_EAUTH, "registry %s, repository %s: HTTP 401 Unauthorized without a "
                            "WWW-Authenticate challenge", reg->ref.registry, reg->ref.repository);
    int rc = fp_www_authenticate_parse(resp->www_authenticate, &ch);
    if (rc)
        return fp_error_wrap("registry %s, repository %s", reg->ref.registry, reg->ref.repository);
    reg->challenge = ch;
    if (ch.scheme == FP_AUTH_BASIC) {
        if (!reg->have_creds || !reg->creds.username[0]) {
            char said[300];
            fp_auth_server_message(resp->body, resp->body_len, resp->www_authenticate, said, sizeof said);
            return fp_registry_auth_failed(reg, said[0] ? said : "HTTP 401 Unauthorized");
        }
        return FUNCP_OK;
    }
    char scope[512];
    wanted_scope(reg, scope, sizeof scope);
    for (size_t i = 0; i < reg->n_tokens; i++) {
        if (!strcmp(reg->tokens[i].scope, scope) && reg->bearer != reg->tokens[i].token) {
            reg->bearer = reg->tokens[i].token;
            return FUNCP_OK;
        }
    }
    char *token = NULL;
    rc = fp_token_fetch(&ch, scope, reg->have_creds ? &reg->creds : NULL, token_setup, reg, &token);
    if (rc == FUNCP_EAUTH) {
        char said[1024];
        snprintf(said, sizeof said, "%s", fp_error_message());
        return fp_registry_auth_failed(reg, said);
    }
    if (rc)
        return fp_error_wrap("registry %s, repository %s", reg->ref.registry, reg->ref.repository);
    if (reg->n_tokens == FP_TOKEN_CACHE) { /* drop the oldest */
        free(reg->tokens[0].scope);
        OPENSSL_cleanse(reg->tokens[0].token, strlen(reg->tokens[0].token));
        free(reg->tokens[0].token);
        memmove(reg->tokens, reg->tokens + 1, (FP_TOKEN_CACHE - 1) * sizeof reg->tokens[0]);
        reg->n_tokens--;
    }
    reg->tokens[reg->n_tokens].scope = strdup(scope);
    reg->tokens[reg->n_tokens].token = token;
    reg->n_tokens++;
    reg->bearer = token;
    return FUNCP_OK;
}

static int transient_curl(CURLcode cc)
{
    switch (cc) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_READ_ERROR:
    case CURLE_SEND_FAIL_REWIND:
        return 1;
    default:
        return 0;
    }
}

static int transient_status(long status)
{
    return status == 408 || status == 429 || status == 499 || status == 500 || status == 502 || status == 503 ||
           status == 504 || status == 522;
}

void fp_registry_backoff(fp_registry *reg, int attempt, const char *retry_after)
{
    /* 0.25 s, 0.75 s, 2.25 s; Retry-After (seconds) wins, capped. */
    long ms = 250;
    for (int i = 1; i < attempt; i++)
        ms *= 3;
    if (retry_after && *retry_after) {
        char *end;
        long s = strtol(retry_after, &end, 10);
        if (end != retry_after && s > 0)
            ms = (s > RETRY_AFTER_MAX_S ? RETRY_AFTER_MAX_S : s) * 1000L;
    }
    fp_net_log(reg->hooks, FUNCP_LOG_DEBUG, "retrying in %ld ms", ms);
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
        if (reg->hooks && reg->hooks->cancelled && reg->hooks->cancelled(reg->hooks->user))
            break;
    }
}

void fp_resp_free(fp_resp *resp)
{
    free(resp->body);
    resp->body = NULL;
    resp->body_len = 0;
}

/* The words for a certificate problem, and what fixes it. */
static void tls_cert_error(fp_registry *reg, fp_tls_failure failure, const char *detail)
{
    const char *why = failure == FP_TLS_UNKNOWN_AUTHORITY ? "it is signed by an unknown authority (self-signed, or "
                                                            "by a CA funcp does not trust)"
                      : failure == FP_TLS_HOSTNAME        ? "it is not issued for this host name"
                      : failure == FP_TLS_EXPIRED         ? "it has expired"
                      : failure == FP_TLS_NOT_YET_VALID   ? "it is not valid yet (check the clock)"
                                                          : "it failed verification";
    fp_error_set(FUNCP_ENETWORK, "registry %s, repository %s: TLS certificate of %s is not trusted: %s: %s",
                 reg->ref.registry, reg->ref.repository, reg->ref.api_host, why, detail);
    if (failure == FP_TLS_UNKNOWN_AUTHORITY || failure == FP_TLS_BAD_CERTIFICATE)
        fp_error_hint("trust the CA that signed it with --ca-file <ca.pem> (or FUNC_CA_FILE), or skip "
                      "verification for %s with --registry-insecure", reg->ref.registry);
    else if (failure == FP_TLS_HOSTNAME)
        fp_error_hint("use a registry name the certificate lists, or skip verification for %s with "
                      "--registry-insecure", reg->ref.registry);
    else
        fp_error_hint("renew the registry's certificate, or skip verification for %s with --registry-insecure",
                      reg->ref.registry);
}

static int net_error(fp_registry *reg, const fp_req *req, CURLcode cc, const char *errbuf, fp_tls_failure failure)
{
    const char *detail = errbuf[0] ? errbuf : curl_easy_strerror(cc);
    switch (failure) {
    case FP_TLS_NONE:
        break;
    case FP_TLS_PLAIN_HTTP:
        fp_error_set(FUNCP_ENETWORK, "registry %s, repository %s: %s speaks plain HTTP, not HTTPS (%s)",
                     reg->ref.registry, reg->ref.repository, reg->ref.api_host, detail);
        fp_error_hint("to use plain HTTP with %s, pass --registry-insecure (or FUNC_REGISTRY_INSECURE=true, or "
                      "registryInsecure: true in func.yaml)", reg->ref.registry);
        return FUNCP_ENETWORK;
    case FP_TLS_RESET:
    case FP_TLS_HANDSHAKE:
        fp_error_set(FUNCP_ENETWORK, "registry %s, repository %s: TLS handshake with %s failed: %s",
                     reg->ref.registry, reg->ref.repository, reg->ref.api_host, detail);
        if (failure == FP_TLS_RESET)
            fp_error_hint("if %s speaks plain HTTP, pass --registry-insecure", reg->ref.registry);
        return FUNCP_ENETWORK;
    default:
        tls_cert_error(reg, failure, detail);
        return FUNCP_ENETWORK;
    }
    return fp_error_set(cc == CURLE_OPERATION_TIMEDOUT ? FUNCP_ETIMEOUT : FUNCP_ENETWORK,
                        "registry %s, repository %s: %s %s: %s", reg->ref.registry, reg->ref.repository,
                        req->method, req->url, detail);
}

static CURLcode perform_once(fp_registry *reg, const fp_req *req, fp_resp *resp, char *errbuf, int *cancelled,
                             int *stopped, long *verify_result)
{
    CURL *curl = reg->curl;
    curl_easy_reset(curl);
    xfer x = {.req = req, .resp = resp};
    struct curl_slist *headers = NULL;
    char auth[4200];
    for (const char *const *h = req->headers; h && *h; h++)
        headers = curl_slist_append(headers, *h);
    headers = curl_slist_append(headers, "Expect:");
    if (reg->challenge.scheme == FP_AUTH_BEARER && reg->bearer) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", reg->bearer);
        headers = curl_slist_append(headers, auth);
        OPENSSL_cleanse(auth, sizeof auth);
    } else if (reg->challenge.scheme == FP_AUTH_BASIC && reg->have_creds) {
        curl_easy_setopt(curl, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        curl_easy_setopt(curl, CURLOPT_USERNAME, reg->creds.username);
        curl_easy_setopt(curl, CURLOPT_PASSWORD, reg->creds.password);
    }
    curl_easy_setopt(curl, CURLOPT_URL, req->url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, header_cb);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &x);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, write_cb);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &x);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    if (req->follow) {
        curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
    }
    int has_body = req->fd >= 0 || req->mem;
    if (!strcmp(req->method, "HEAD")) {
        curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    } else if (!strcmp(req->method, "GET")) {
        curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    } else if (has_body) {
        curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_cb);
        curl_easy_setopt(curl, CURLOPT_READDATA, &x);
        curl_easy_setopt(curl, CURLOPT_SEEKFUNCTION, seek_cb);
        curl_easy_setopt(curl, CURLOPT_SEEKDATA, &x);
        curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)req->len);
        curl_easy_setopt(curl, CURLOPT_UPLOAD_BUFFERSIZE, (long)UPLOAD_BUFFER);
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, req->method);
    } else {
        /* POST/PUT/PATCH/DELETE with an empty body. */
        if (!req->headers)
            headers = curl_slist_append(headers, "Content-Type:");
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "");
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, 0L);
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, req->method);
    }
    apply_tls(reg, curl);
    fp_curl_progress progress = {.hooks = reg->hooks, .label = req->label, .base = req->progress_base,
                                 .total = req->progress_total, .upload = has_body, .stop = req->stop};
    fp_curl_attach_hooks(curl, reg->hooks, &progress);
    CURLcode cc = curl_easy_perform(curl);
    if (cc == CURLE_OK && !x.headers_done) {
        cc = CURLE_PARTIAL_FILE; /* transient: retried */
        snprintf(errbuf, CURL_ERROR_SIZE, "connection closed in the middle of the response headers");
    }
    fp_net_log_request(reg->hooks, curl, req->method, req->url, cc, errbuf);
    if (cc == CURLE_OK)
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &resp->status);
    else
        curl_easy_getinfo(curl, CURLINFO_SSL_VERIFYRESULT, verify_result);
    *cancelled = progress.cancelled;
    *stopped = progress.stopped;
    if (x.write_failed)
        cc = CURLE_WRITE_ERROR;
    curl_slist_free_all(headers);
    return cc;
}

int fp_registry_perform(fp_registry *reg, const fp_req *req, fp_resp *resp)
{
    int authed = 0;
    for (int attempt = 1;; attempt++) {
        fp_resp_free(resp);
        memset(resp, 0, sizeof *resp);
        if (req->out_file) {
            /* A retried download starts over. */
            rewind(req->out_file);
            if (ftruncate(fileno(req->out_file), 0) != 0)
                return fp_error_set(FUNCP_EIO, "cannot truncate the download file: %s", strerror(errno));
        }
        char errbuf[CURL_ERROR_SIZE] = "";
        int cancelled = 0, stopped = 0;
        long verify_result = 0;
        CURLcode cc = perform_once(reg, req, resp, errbuf, &cancelled, &stopped, &verify_result);
        if (stopped)
            return fp_error_set(FUNCP_EEXISTS, "registry %s, repository %s: transfer stopped", reg->ref.registry,
                                reg->ref.repository);
        if (cancelled || cc == CURLE_ABORTED_BY_CALLBACK)
            return fp_error_set(FUNCP_ECANCELED, "registry %s, repository %s: cancelled", reg->ref.registry,
                                reg->ref.repository);
        if (cc == CURLE_WRITE_ERROR && req->out_file)
            return fp_error_set(FUNCP_EIO, "registry %s, repository %s: writing the download failed: %s",
                                reg->ref.registry, reg->ref.repository, strerror(errno));
        if (cc != CURLE_OK) {
            resp->transient = transient_curl(cc);
            resp->tls_failure = (int)fp_tls_classify(cc, verify_result, errbuf);
            net_error(reg, req, cc, errbuf, (fp_tls_failure)resp->tls_failure);
            if (!resp->transient || !req->retry || attempt >= FP_REGISTRY_TRIES) {
                if (resp->transient && req->retry)
                    fp_error_wrap("gave up after %d tries", attempt);
                return fp_error_code();
            }
            fp_net_log(reg->hooks, FUNCP_LOG_WARN, "%s %s: %s (try %d of %d)", req->method, reg->ref.registry,
                       errbuf[0] ? errbuf : curl_easy_strerror(cc), attempt, FP_REGISTRY_TRIES);
            fp_registry_backoff(reg, attempt, NULL);
            continue;
        }
        if (resp->status == 401 && !authed) {
            authed = 1;
            attempt--; /* authenticating is not a retry */
            if (authenticate(reg, resp))
                return fp_error_code();
            continue;
        }
        if (resp->status == 401) { /* refused what authenticate() gave */
            char said[300];
            fp_auth_server_message(resp->body, resp->body_len, resp->www_authenticate, said, sizeof said);
            return fp_registry_auth_failed(reg, said[0] ? said : "HTTP 401 Unauthorized");
        }
        resp->tries = attempt;
        if (transient_status(resp->status)) {
            resp->transient = 1;
            if (req->retry && attempt < FP_REGISTRY_TRIES) {
                fp_net_log(reg->hooks, FUNCP_LOG_WARN, "%s %s: HTTP %ld (try %d of %d)", req->method,
                           reg->ref.registry, resp->status, attempt, FP_REGISTRY_TRIES);
                fp_registry_backoff(reg, attempt, resp->retry_after);
                continue;
            }
        }
        return FUNCP_OK;
    }
}

int fp_registry_url(fp_registry *reg, const char *suffix, char **url)
{
    size_t n = strlen(reg->scheme) + strlen(reg->ref.api_host) + strlen(reg->ref.repository) + strlen(suffix) + 16;
    *url = malloc(n);
    if (!*url)
        return fp_error_set(FUNCP_ERROR, "out of memory");
    snprintf(*url, n, "%s://%s/v2/%s/%s", reg->scheme, reg->ref.api_host, reg->ref.repository, suffix);
    return FUNCP_OK;
}

int fp_registry_resolve(const char *base, const char *location, const char *digest, char **url)
{
    CURLU *u = curl_url();
    char *out = NULL;
    int rc = FUNCP_OK;
    if (!u)
        return fp_error_set(FUNCP_ERROR, "out of memory");
    if (curl_url_set(u, CURLUPART_URL, base, 0) != CURLUE_OK ||
        curl_url_set(u, CURLUPART_URL, location, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) {
        rc = fp_error_set(FUNCP_ENETWORK, "registry sent an invalid Location \"%.200s\"", location);
        goto out;
    }
    if (digest) {
        char q[96];
        snprintf(q, sizeof q, "digest=%s", digest);
        if (curl_url_set(u, CURLUPART_QUERY, q, CURLU_APPENDQUERY | CURLU_URLENCODE) != CURLUE_OK) {
            rc = fp_error_set(FUNCP_ERROR, "cannot add the digest to the upload URL");
            goto out;
        }
    }
    if (curl_url_get(u, CURLUPART_URL, &out, 0) != CURLUE_OK) {
        rc = fp_error_set(FUNCP_ENETWORK, "registry sent an invalid Location \"%.200s\"", location);
        goto out;
    }
    *url = strdup(out);
    if (!*url)
        rc = fp_error_set(FUNCP_ERROR, "out of memory");
out:
    curl_free(out);
    curl_url_cleanup(u);
    return rc;
}

void fp_registry_auth_header(fp_registry *reg, char *buf, size_t size)
{
    buf[0] = '\0';
    if (reg->challenge.scheme == FP_AUTH_BEARER && reg->bearer) {
        snprintf(buf, size, "Authorization: Bearer %s", reg->bearer);
    } else if (reg->challenge.scheme == FP_AUTH_BASIC && reg->have_creds) {
        char plain[sizeof reg->creds.username + sizeof reg->creds.password + 1];
        int n = snprintf(plain, sizeof plain, "%s:%s", reg->creds.username, reg->creds.password);
        size_t need = 4 * (((size_t)n + 2) / 3) + 1;
        if (n > 0 && need + 22 < size) {
            memcpy(buf, "Authorization: Basic ", 21);
            EVP_EncodeBlock((unsigned char *)buf + 21, (const unsigned char *)plain, n);
        }
        OPENSSL_cleanse(plain, sizeof plain);
    }
}

int fp_registry_head_detached(fp_registry *reg, const char *url, const char *auth_header, long *status)
{
    *status = 0;
    CURL *curl = curl_easy_init();
    if (!curl)
        return FUNCP_ERROR;
    struct curl_slist *headers = auth_header && *auth_header ? curl_slist_append(NULL, auth_header) : NULL;
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    int headers_done = 0; /* a 200 cut short must not read as "exists" */
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, fp_curl_header_end_cb);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &headers_done);
    apply_tls(reg, curl);
    CURLcode cc = curl_easy_perform(curl);
    if (cc == CURLE_OK && !headers_done)
        cc = CURLE_PARTIAL_FILE;
    if (cc == CURLE_OK)
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return cc == CURLE_OK ? FUNCP_OK : FUNCP_ENETWORK;
}
