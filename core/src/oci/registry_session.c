/* Opening a registry session: credentials, insecure listing, the local
 * registry rule, custom CAs. */
#include "oci/registry_internal.h"

#include <errno.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"

static int load_ca_file(fp_registry *reg, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return fp_error_set(FUNCP_EIO, "CA file %s (--ca-file): cannot open it: %s", path, strerror(errno));
    STACK_OF(X509) *certs = sk_X509_new_null();
    X509 *cert;
    while (certs && (cert = PEM_read_X509(f, NULL, NULL, NULL)) != NULL)
        sk_X509_push(certs, cert);
    fclose(f);
    if (!certs || sk_X509_num(certs) == 0) {
        sk_X509_free(certs);
        return fp_error_set(FUNCP_EPARSE, "CA file %s (--ca-file): no PEM certificate in it", path);
    }
    reg->ca_certs = certs;
    snprintf(reg->ca_file, sizeof reg->ca_file, "%s", path);
    return FUNCP_OK;
}

int fp_registry_open(const fp_oci_options *opts, const fp_oci_ref *ref, int push, fp_registry **out)
{
    *out = NULL;
    int rc = fp_curl_global();
    if (rc)
        return rc;
    fp_registry *reg = calloc(1, sizeof *reg);
    if (!reg)
        return fp_error_set(FUNCP_ERROR, "out of memory");
    reg->ref = *ref;
    reg->push = push;
    reg->scheme = "https";
    reg->hooks = opts ? opts->hooks : NULL;
    reg->http_capable = fp_registry_http_capable(ref->registry);
    if (opts) {
        for (size_t i = 0; i < opts->n_insecure_registries; i++) {
            const char *r = opts->insecure_registries[i];
            if (r && (!strcmp(r, ref->registry) || !strcmp(r, ref->api_host)))
                reg->insecure = 1;
        }
        if (opts->ca_file && *opts->ca_file && (rc = load_ca_file(reg, opts->ca_file)))
            goto fail;
        if (opts->password && *opts->password) {
            if (!opts->username || !*opts->username) {
                rc = fp_error_set(FUNCP_EUSAGE, "a password was given without a username");
                goto fail;
            }
            if (strlen(opts->username) >= sizeof reg->creds.username ||
                strlen(opts->password) >= sizeof reg->creds.password) {
                rc = fp_error_set(FUNCP_EUSAGE, "username or password too long");
                goto fail;
            }
            strcpy(reg->creds.username, opts->username);
            strcpy(reg->creds.password, opts->password);
            reg->have_creds = 1;
        } else if (opts->token && *opts->token) {
            if (strlen(opts->token) >= sizeof reg->creds.identity_token) {
                rc = fp_error_set(FUNCP_EUSAGE, "token too long");
                goto fail;
            }
            strcpy(reg->creds.identity_token, opts->token);
            reg->have_creds = 1;
        }
    }
    if (opts && opts->authfile)
        snprintf(reg->authfile, sizeof reg->authfile, "%s", opts->authfile);
    if (!reg->have_creds) {
        rc = fp_auth_lookup(ref->registry, opts ? opts->authfile : NULL, &reg->creds);
        if (rc < 0)
            goto fail;
        reg->have_creds = rc == 1;
    }
    reg->curl = curl_easy_init();
    if (!reg->curl) {
        rc = fp_error_set(FUNCP_ERROR, "out of memory");
        goto fail;
    }
    *out = reg;
    return FUNCP_OK;
fail:
    fp_registry_close(reg);
    return rc;
}

void fp_registry_close(fp_registry *reg)
{
    if (!reg)
        return;
    if (reg->curl)
        curl_easy_cleanup(reg->curl);
    if (reg->ca_certs)
        sk_X509_pop_free((STACK_OF(X509) *)reg->ca_certs, X509_free);
    for (size_t i = 0; i < reg->n_tokens; i++) {
        free(reg->tokens[i].scope);
        OPENSSL_cleanse(reg->tokens[i].token, strlen(reg->tokens[i].token));
        free(reg->tokens[i].token);
    }
    fp_credentials_clear(&reg->creds);
    free(reg);
}
