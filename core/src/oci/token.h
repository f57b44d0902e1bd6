/* The registry token flow (distribution token auth): GET
 * <realm>?service=<s>&scope=<scope> with Basic credentials when known, or
 * POST a refresh token (identity token) as a form; the answer's "token" or
 * "access_token" is used as a Bearer token. */
#ifndef FUNCP_OCI_TOKEN_H
#define FUNCP_OCI_TOKEN_H

#include <curl/curl.h>

#include "oci/auth_file.h"
#include "oci/www_authenticate.h"

/* Fetch a token for `scope` (NULL: the challenge's). The caller's curl
 * handle setup (TLS, hooks) is applied by `setup`. *token is malloc'ed.
 * FUNCP_EAUTH names the realm host and the HTTP status on refusal. */
typedef void (*fp_token_setup_fn)(CURL *curl, void *user);
/* Log the token request (registry_http.c: through the session's hooks). */
void fp_token_log(CURL *curl, void *user, const char *method, const char *url, CURLcode cc);
int fp_token_fetch(const fp_auth_challenge *challenge, const char *scope, const fp_credentials *creds,
                   fp_token_setup_fn setup, void *user, char **token);

/* Parse a token response body: "token" or "access_token". */
int fp_token_parse(const char *body, size_t len, char **token);

#endif
