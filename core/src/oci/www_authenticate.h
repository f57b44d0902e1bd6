/* WWW-Authenticate (RFC 7235) challenges from a registry: Bearer with
 * realm/service/scope, or Basic. Robust to quoting, escapes, spacing and
 * several challenges in one header. */
#ifndef FUNCP_OCI_WWW_AUTHENTICATE_H
#define FUNCP_OCI_WWW_AUTHENTICATE_H

typedef enum fp_auth_scheme { FP_AUTH_NONE = 0, FP_AUTH_BASIC, FP_AUTH_BEARER } fp_auth_scheme;

typedef struct fp_auth_challenge {
    fp_auth_scheme scheme;
    char realm[1024];
    char service[256];
    char scope[512];
} fp_auth_challenge;

/* Pick the challenge to answer (Bearer over Basic; unknown schemes are
 * skipped). FUNCP_EPARSE when there is no Bearer/Basic challenge, or a
 * Bearer one without realm. */
int fp_www_authenticate_parse(const char *header, fp_auth_challenge *out);

#endif
