#include "oci/www_authenticate.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/error.h"

static int is_tchar(char c)
{
    return isalnum((unsigned char)c) || (c && strchr("!#$%&'*+-.^_`|~/", c));
}

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* Copy a token or quoted-string value into out (truncated to size). */
static const char *read_value(const char *p, char *out, size_t size)
{
    size_t n = 0;
    if (*p == '"') {
        p++;
        while (*p && *p != '"') {
            if (*p == '\\' && p[1])
                p++;
            if (n + 1 < size)
                out[n++] = *p;
            p++;
        }
        if (*p == '"')
            p++;
    } else {
        while (*p && (is_tchar(*p) || *p == '=' || *p == ':'))  {
            if (n + 1 < size)
                out[n++] = *p;
            p++;
        }
    }
    if (size)
        out[n] = '\0';
    return p;
}

static void set_field(char *dst, size_t size, const char *val)
{
    size_t n = strlen(val);
    if (n >= size)
        n = size - 1;
    memcpy(dst, val, n);
    dst[n] = '\0';
}

int fp_www_authenticate_parse(const char *header, fp_auth_challenge *out)
{
    fp_auth_challenge best = {0}, cur = {0};
    int have_cur = 0;
    const char *p = header ? header : "";
    for (;;) {
        p = skip_ws(p);
        while (*p == ',' || *p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        const char *tok = p;
        while (is_tchar(*p))
            p++;
        size_t tok_len = (size_t)(p - tok);
        if (tok_len == 0) { /* stray character: skip it */
            p++;
            continue;
        }
        const char *after = skip_ws(p);
        if (*after == '=' && after[1] != '=') {
            /* auth-param of the current challenge */
            char key[32], val[1024];
            snprintf(key, sizeof key, "%.*s", (int)(tok_len < 31 ? tok_len : 31), tok);
            p = read_value(skip_ws(after + 1), val, sizeof val);
            if (!have_cur)
                continue;
            if (!strcasecmp(key, "realm"))
                set_field(cur.realm, sizeof cur.realm, val);
            else if (!strcasecmp(key, "service"))
                set_field(cur.service, sizeof cur.service, val);
            else if (!strcasecmp(key, "scope"))
                set_field(cur.scope, sizeof cur.scope, val);
            continue;
        }
        /* A new challenge starts: keep the better of the finished one. */
        if (have_cur && cur.scheme > best.scheme)
            best = cur;
        memset(&cur, 0, sizeof cur);
        have_cur = 1;
        if (tok_len == 6 && !strncasecmp(tok, "bearer", 6))
            cur.scheme = FP_AUTH_BEARER;
        else if (tok_len == 5 && !strncasecmp(tok, "basic", 5))
            cur.scheme = FP_AUTH_BASIC;
        else
            cur.scheme = FP_AUTH_NONE;
        /* token68 form ("Negotiate abc==") carries no params we use. */
    }
    if (have_cur && cur.scheme > best.scheme)
        best = cur;
    if (best.scheme == FP_AUTH_NONE)
        return fp_error_set(FUNCP_EPARSE, "WWW-Authenticate: no Bearer or Basic challenge in \"%.200s\"",
                            header ? header : "");
    if (best.scheme == FP_AUTH_BEARER && !best.realm[0])
        return fp_error_set(FUNCP_EPARSE, "WWW-Authenticate: Bearer challenge without realm");
    *out = best;
    return FUNCP_OK;
}
