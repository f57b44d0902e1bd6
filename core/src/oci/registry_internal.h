/* Internals shared by the registry client files: the session and the one
 * request engine (auth, retries, TLS) every operation goes through. */
#ifndef FUNCP_OCI_REGISTRY_INTERNAL_H
#define FUNCP_OCI_REGISTRY_INTERNAL_H

#include <curl/curl.h>
#include <stdio.h>

#include "net/curl_common.h"
#include "oci/auth_file.h"
#include "oci/digest.h"
#include "oci/registry.h"
#include "oci/registry_tls.h"
#include "oci/www_authenticate.h"

enum { FP_REGISTRY_TRIES = 4, FP_TOKEN_CACHE = 8, FP_BODY_MAX = 4 << 20 };

struct fp_registry {
    const fp_net_hooks *hooks;
    fp_oci_ref ref;
    int push;
    int insecure;           /* listed by the user: http and skip-verify allowed */
    int http_capable;       /* fp_registry_http_capable(): http on plain-HTTP ports */
    const char *scheme;     /* "https" or "http", fixed by the ping            */
    int pinged;
    fp_credentials creds;
    int have_creds;
    fp_auth_challenge challenge;
    char *bearer;           /* token for the current scope                     */
    struct {
        char *scope, *token;
    } tokens[FP_TOKEN_CACHE];
    size_t n_tokens;
    void *ca_certs;         /* STACK_OF(X509) from opts->ca_file               */
    char ca_file[1024];
    char authfile[1024];    /* --registry-authfile, for messages           */
    CURL *curl;             /* reused: keeps the connection alive              */
};

/* One request. Body: none, memory, or a file range read with pread
 * (replayable, memory flat). Response body: discarded, kept in memory
 * (up to FP_BODY_MAX), or written to out_file with hash_out updated. */
typedef struct fp_req {
    const char *method;
    const char *url;
    const char *const *headers;   /* extra "Name: value", NULL-terminated */
    const void *mem;
    size_t mem_len;
    int fd;                       /* >= 0: file body                      */
    uint64_t off, len;
    int keep_body;
    FILE *out_file;
    fp_sha256 *hash_out;
    int retry;                    /* request-level retries allowed        */
    int follow;                   /* follow redirects (blob downloads)    */
    const char *label;            /* progress label, NULL: none           */
    uint64_t progress_base, progress_total;
    const _Atomic int *stop;      /* set by another thread: abort quietly */
} fp_req;

typedef struct fp_resp {
    long status;
    char location[4096];
    char digest[80];
    char content_type[256];
    char retry_after[64];
    char www_authenticate[2048];
    char range[64];
    char *body;
    size_t body_len;
    int transient;                /* failed in a way worth retrying       */
    int tls_failure;              /* fp_tls_failure of a failed transfer  */
    int tries;                    /* attempts made (retries included)     */
    uint64_t out_written;
} fp_resp;

/* Run a request: answers 401 by authenticating once, retries transient
 * failures (when req->retry) up to FP_REGISTRY_TRIES with backoff. Returns
 * FUNCP_OK with any HTTP status in resp, or an error (network, TLS,
 * cancel) naming the registry and repository. */
int fp_registry_perform(fp_registry *reg, const fp_req *req, fp_resp *resp);
void fp_resp_free(fp_resp *resp);

/* "https://host/v2/<repository>/<suffix>" */
int fp_registry_url(fp_registry *reg, const char *suffix, char **url);

/* Set the error for an unexpected status: "<registry>/<repo>: <what>:
 * HTTP <status> <reason>[: CODE: message]". Returns the status code. */
int fp_registry_fail(fp_registry *reg, const char *what, const fp_resp *resp);

/* FUNCP_EAUTH "authentication failed for <registry> (user u): <said>";
 * with no credentials, also where they were looked for, and a hint. */
int fp_registry_auth_failed(fp_registry *reg, const char *said);

/* Sleep before try `attempt` (1-based), honouring Retry-After. */
void fp_registry_backoff(fp_registry *reg, int attempt, const char *retry_after);

/* "Authorization: ..." for the current auth state ("" when anonymous),
 * so that another thread can send requests without touching `reg`. */
void fp_registry_auth_header(fp_registry *reg, char *buf, size_t size);
/* HEAD `url` on a private curl handle with a fixed Authorization header:
 * safe to call from another thread while `reg` is in use. */
int fp_registry_head_detached(fp_registry *reg, const char *url, const char *auth_header, long *status);

/* The bytes an upload holds from its status answer's Range ("0-N",
 * optionally "bytes=0-N"): 1 with *next = N + 1, or 0 when the answer does
 * not tell: absent, malformed, not from 0, or "0-0", which docker-registry
 * 2.8 sends for an empty upload and for a one-byte one alike. */
int fp_upload_range_next(const char *range, uint64_t *next);

/* Why a failed upload session may be worth starting again. */
enum { UPLOAD_TRANSIENT = 1, UPLOAD_DIGEST_REFUSED = 2 };

/* Resolve a Location against `base`; append "digest=<d>" when d != NULL. */
int fp_registry_resolve(const char *base, const char *location, const char *digest, char **url);

#endif
