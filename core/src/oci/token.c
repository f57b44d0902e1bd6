#include "oci/token.h"

#include <json-c/json.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/json_get.h"
#include "oci/auth_message.h"
#include "util/buf.h"
#include "util/error.h"

enum { TOKEN_BODY_MAX = 1 << 20 };

static size_t body_cb(char *ptr, size_t size, size_t nmemb, void *user)
{
    size_t n = size * nmemb;
    return fp_buf_append(user, ptr, n, TOKEN_BODY_MAX) == 0 ? n : 0;
}

int fp_token_parse(const char *body, size_t len, char **token)
{
    json_tokener *tok = json_tokener_new();
    json_object *root = tok && len < INT32_MAX ? json_tokener_parse_ex(tok, body, (int)len) : NULL;
    json_tokener_free(tok);
    const char *value = fp_json_string(root, "token");
    if (!value || !*value)
        value = fp_json_string(root, "access_token");
    if (value && !*value)
        value = NULL;
    *token = value ? strdup(value) : NULL;
    json_object_put(root);
    if (!*token)
        return fp_error_set(FUNCP_EAUTH, "token response has neither \"token\" nor \"access_token\"");
    return FUNCP_OK;
}

static void realm_host(const char *realm, char *out, size_t size)
{
    const char *p = strstr(realm, "://");
    p = p ? p + 3 : realm;
    size_t n = strcspn(p, "/?");
    snprintf(out, size, "%.*s", (int)n, p);
}

int fp_token_fetch(const fp_auth_challenge *challenge, const char *scope, const fp_credentials *creds,
                   fp_token_setup_fn setup, void *user, char **token)
{
    *token = NULL;
    char host[256];
    realm_host(challenge->realm, host, sizeof host);
    if (strncmp(challenge->realm, "https://", 8) != 0 && strncmp(challenge->realm, "http://", 7) != 0)
        return fp_error_set(FUNCP_EAUTH, "token realm \"%.200s\" is not an http(s) URL", challenge->realm);
    CURL *curl = curl_easy_init();
    if (!curl)
        return fp_error_set(FUNCP_ERROR, "out of memory");
    const char *sc = scope && *scope ? scope : challenge->scope;
    char *esc_service = curl_easy_escape(curl, challenge->service, 0);
    char *esc_scope = curl_easy_escape(curl, sc, 0);
    size_t url_len = strlen(challenge->realm) + strlen(esc_service) + strlen(esc_scope) + 32;
    char *url = malloc(url_len);
    char *form = NULL;
    fp_buf body = {0};
    int rc = FUNCP_OK;
    if (!url || !esc_service || !esc_scope) {
        rc = fp_error_set(FUNCP_ERROR, "out of memory");
        goto out;
    }
    if (creds && creds->identity_token[0]) {
        /* OAuth2 refresh-token grant, as docker does with an identity token. */
        snprintf(url, url_len, "%s", challenge->realm);
        char *esc_rt = curl_easy_escape(curl, creds->identity_token, 0);
        size_t form_len = strlen(esc_rt) + strlen(esc_service) + strlen(esc_scope) + 96;
        form = malloc(form_len);
        if (form)
            snprintf(form, form_len, "grant_type=refresh_token&client_id=funcp&service=%s&scope=%s&refresh_token=%s",
                     esc_service, esc_scope, esc_rt);
        OPENSSL_cleanse(esc_rt, strlen(esc_rt));
        curl_free(esc_rt);
        if (!form) {
            rc = fp_error_set(FUNCP_ERROR, "out of memory");
            goto out;
        }
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, form);
    } else {
        const char *sep = strchr(challenge->realm, '?') ? "&" : "?";
        if (*sc)
            snprintf(url, url_len, "%s%sservice=%s&scope=%s", challenge->realm, sep, esc_service, esc_scope);
        else
            snprintf(url, url_len, "%s%sservice=%s", challenge->realm, sep, esc_service);
        if (creds && creds->username[0]) {
            curl_easy_setopt(curl, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
            curl_easy_setopt(curl, CURLOPT_USERNAME, creds->username);
            curl_easy_setopt(curl, CURLOPT_PASSWORD, creds->password);
        }
    }
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, body_cb);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    if (setup)
        setup(curl, user);
    CURLcode cc = curl_easy_perform(curl);
    if (setup)
        fp_token_log(curl, user, form ? "POST" : "GET", url, cc);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    if (cc != CURLE_OK) {
        rc = fp_error_set(FUNCP_ENETWORK, "token server %s: %s", host, curl_easy_strerror(cc));
    } else if (status != 200) {
        char said[300];
        fp_auth_server_message(body.data, body.len, NULL, said, sizeof said);
        int refused = status == 401 || status == 403;
        rc = fp_error_set(refused || status == 400 ? FUNCP_EAUTH : FUNCP_ENETWORK,
                          "token server %s %s (HTTP %ld)%s%s", host,
                          !refused ? "failed"
                          : creds && (creds->username[0] || creds->identity_token[0]) ? "refused the credentials"
                                                                                       : "refused an anonymous request",
                          status, said[0] ? ": " : "", said);
    } else {
        rc = fp_token_parse(body.data ? body.data : "", body.len, token);
        if (rc)
            fp_error_wrap("token server %s", host);
    }
out:
    if (body.data) {
        OPENSSL_cleanse(body.data, body.len);
        free(body.data);
    }
    if (form) {
        OPENSSL_cleanse(form, strlen(form));
        free(form);
    }
    free(url);
    curl_free(esc_service);
    curl_free(esc_scope);
    curl_easy_cleanup(curl);
    return rc;
}
