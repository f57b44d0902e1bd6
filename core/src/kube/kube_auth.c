/* Credentials for one request: exec plugin (cached until it expires), token
 * file (re-read each time: service account tokens rotate), token, basic. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "kube/kube_client.h"
#include "util/error.h"

static char *dup_blob(const char *s, size_t len)
{
    char *d = malloc(len + 1);
    if (d) {
        memcpy(d, s, len);
        d[len] = '\0';
    }
    return d;
}

/* Whitespace around a token is never part of it; a control character
 * inside would let a header be injected. */
static int clean_token(char *t)
{
    size_t n = strlen(t);
    while (n > 0 && (t[n - 1] == '\n' || t[n - 1] == '\r' || t[n - 1] == ' ' || t[n - 1] == '\t'))
        t[--n] = '\0';
    size_t skip = strspn(t, " \t\r\n");
    memmove(t, t + skip, n - skip + 1);
    for (const char *p = t; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return -1;
    return 0;
}

int fp_kube_auth_get(fp_kube_client *c, fp_kube_auth *auth)
{
    memset(auth, 0, sizeof *auth);
    const fp_kube_config *cfg = &c->cfg;
    if (cfg->exec) {
        int rc = FUNCP_OK;
        pthread_mutex_lock(&c->lock);
        if (c->cred_valid && c->cred.expiry && time(NULL) >= c->cred.expiry) {
            fp_kube_exec_cred_free(&c->cred);
            c->cred_valid = 0;
        }
        if (!c->cred_valid) {
            rc = fp_kube_exec_run(cfg->exec, cfg, &c->cred);
            c->cred_valid = rc == FUNCP_OK;
        }
        if (rc == FUNCP_OK) {
            if (c->cred.token)
                auth->token = strdup(c->cred.token);
            if (c->cred.cert) {
                auth->cert = dup_blob(c->cred.cert, c->cred.cert_len);
                auth->cert_len = c->cred.cert_len;
                auth->key = dup_blob(c->cred.key, c->cred.key_len);
                auth->key_len = c->cred.key_len;
            }
        }
        pthread_mutex_unlock(&c->lock);
        if (rc < 0)
            return fp_error_wrap("context \"%s\"", cfg->context);
        if (auth->token && clean_token(auth->token) < 0) {
            fp_kube_auth_free(auth);
            return fp_error_set(FUNCP_EAUTH, "exec credential plugin %s returned a token with control characters",
                                cfg->exec->command);
        }
        return FUNCP_OK;
    }
    if (cfg->token_file) {
        char *t;
        int rc = fp_kube_read_file(cfg->token_file, "token file", &t, NULL);
        if (rc < 0)
            return fp_error_wrap("context \"%s\"", cfg->context);
        if (clean_token(t) < 0) {
            OPENSSL_cleanse(t, strlen(t));
            free(t);
            return fp_error_set(FUNCP_EAUTH, "token file %s holds control characters", cfg->token_file);
        }
        auth->token = t;
        return FUNCP_OK;
    }
    if (cfg->token) {
        auth->token = strdup(cfg->token);
        if (auth->token && clean_token(auth->token) < 0) {
            fp_kube_auth_free(auth);
            return fp_error_set(FUNCP_EAUTH, "kubeconfig %s: the token of context \"%s\" holds control characters",
                                cfg->source, cfg->context);
        }
    }
    return FUNCP_OK;
}

void fp_kube_auth_free(fp_kube_auth *auth)
{
    if (auth->token) {
        OPENSSL_cleanse(auth->token, strlen(auth->token));
        free(auth->token);
    }
    if (auth->key) {
        OPENSSL_cleanse(auth->key, auth->key_len);
        free(auth->key);
    }
    free(auth->cert);
    memset(auth, 0, sizeof *auth);
}

int fp_kube_auth_invalidate(fp_kube_client *c)
{
    if (!c->cfg.exec)
        return 0;
    pthread_mutex_lock(&c->lock);
    fp_kube_exec_cred_free(&c->cred);
    c->cred_valid = 0;
    pthread_mutex_unlock(&c->lock);
    return 1;
}

int fp_kube_unauthorized(const fp_kube_client *c)
{
    return fp_error_set(FUNCP_EAUTH, "Unauthorized: the cluster refused the credentials of context \"%s\"",
                        c->cfg.context);
}
