#include "oci/auth_file.h"

#include <errno.h>
#include <json-c/json.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/json_get.h"
#include "util/error.h"
#include "util/fs.h"

void fp_credentials_clear(fp_credentials *creds)
{
    OPENSSL_cleanse(creds, sizeof *creds);
}

/* Keys in auths may be "host", "https://host", "http://host/v1/" ...;
 * Docker Hub is stored as "https://index.docker.io/v1/". */
static int key_matches(const char *key, const char *registry)
{
    const char *k = key;
    if (!strncmp(k, "https://", 8))
        k += 8;
    else if (!strncmp(k, "http://", 7))
        k += 7;
    size_t n = strcspn(k, "/");
    const char *want = registry;
    if (!strcmp(registry, "docker.io") || !strcmp(registry, "registry-1.docker.io")) {
        if ((n == 15 && !strncmp(k, "index.docker.io", 15)) || (n == 9 && !strncmp(k, "docker.io", 9)) ||
            (n == 20 && !strncmp(k, "registry-1.docker.io", 20)))
            return 1;
        return 0;
    }
    return strlen(want) == n && !strncmp(k, want, n);
}

static int copy_field(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (n >= size)
        return 0;
    memcpy(dst, src, n + 1);
    return 1;
}

static int helper_name_valid(const char *name)
{
    if (!*name || strlen(name) >= 64)
        return 0;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
              *p == '_' || *p == '.'))
            return 0;
    return 1;
}

/* base64("user:pass") → username, password. */
static int decode_auth(const char *b64, const char *source, const char *key, fp_credentials *creds)
{
    size_t n = strlen(b64);
    if (n == 0)
        return 0;
    if (n % 4 != 0 || n > 4096)
        return fp_error_set(FUNCP_EPARSE, "%s: auths.\"%s\".auth is not valid base64", source, key);
    unsigned char out[3072 + 1];
    int len = EVP_DecodeBlock(out, (const unsigned char *)b64, (int)n);
    if (len < 0)
        return fp_error_set(FUNCP_EPARSE, "%s: auths.\"%s\".auth is not valid base64", source, key);
    if (n >= 1 && b64[n - 1] == '=')
        len--;
    if (n >= 2 && b64[n - 2] == '=')
        len--;
    out[len] = '\0';
    char *colon = memchr(out, ':', (size_t)len);
    int ok = colon && memchr(out, '\0', (size_t)len) == NULL;
    if (ok) {
        *colon = '\0';
        ok = copy_field(creds->username, sizeof creds->username, (char *)out) &&
             copy_field(creds->password, sizeof creds->password, colon + 1);
    }
    OPENSSL_cleanse(out, sizeof out);
    if (!ok)
        return fp_error_set(FUNCP_EPARSE, "%s: auths.\"%s\".auth does not decode to user:password", source, key);
    return 1;
}

int fp_auth_config_parse(const char *json, size_t len, const char *source, const char *registry,
                         fp_credentials *creds, char helper[64])
{
    memset(creds, 0, sizeof *creds);
    helper[0] = '\0';
    json_tokener *tok = json_tokener_new();
    if (!tok)
        return fp_error_set(FUNCP_ERROR, "out of memory");
    json_object *root = len > INT32_MAX ? NULL : json_tokener_parse_ex(tok, json, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    json_tokener_free(tok);
    if (!root || jerr != json_tokener_success || !json_object_is_type(root, json_type_object)) {
        json_object_put(root);
        return fp_error_set(FUNCP_EPARSE, "%s: not a JSON object (%s)", source,
                            jerr != json_tokener_success ? json_tokener_error_desc(jerr) : "wrong type");
    }
    int rc = 0;
    json_object *section;
    /* 1. credHelpers */
    if (json_object_object_get_ex(root, "credHelpers", &section) && json_object_is_type(section, json_type_object)) {
        json_object_object_foreach(section, key, val)
        {
            if (key_matches(key, registry) && json_object_is_type(val, json_type_string)) {
                if (!helper_name_valid(json_object_get_string(val))) {
                    rc = fp_error_set(FUNCP_EPARSE, "%s: credHelpers.\"%s\" is not a helper name", source, key);
                    goto out;
                }
                strcpy(helper, json_object_get_string(val));
                rc = 2;
                goto out;
            }
        }
    }
    /* 2. auths */
    if (json_object_object_get_ex(root, "auths", &section) && json_object_is_type(section, json_type_object)) {
        json_object_object_foreach(section, key, entry)
        {
            if (!key_matches(key, registry) || !json_object_is_type(entry, json_type_object))
                continue;
            const char *auth = fp_json_string(entry, "auth");
            const char *user = fp_json_string(entry, "username");
            const char *pass = fp_json_string(entry, "password");
            const char *idt = fp_json_string(entry, "identitytoken");
            if (auth && *auth) {
                rc = decode_auth(auth, source, key, creds);
            } else if (user && pass) {
                rc = copy_field(creds->username, sizeof creds->username, user) &&
                             copy_field(creds->password, sizeof creds->password, pass)
                         ? 1
                         : fp_error_set(FUNCP_EPARSE, "%s: auths.\"%s\": credentials too long", source, key);
            }
            if (rc >= 0 && idt && *idt) {
                if (!copy_field(creds->identity_token, sizeof creds->identity_token, idt))
                    rc = fp_error_set(FUNCP_EPARSE, "%s: auths.\"%s\".identitytoken too long", source, key);
                else
                    rc = 1;
            }
            if (rc != 0)
                goto out;
        }
    }
    /* 3. credsStore */
    const char *store = fp_json_string(root, "credsStore");
    if (store && *store) {
        if (!helper_name_valid(store)) {
            rc = fp_error_set(FUNCP_EPARSE, "%s: credsStore is not a helper name", source);
            goto out;
        }
        strcpy(helper, store);
        rc = 2;
    }
out:
    json_object_put(root);
    if (rc < 0 || rc == 0)
        fp_credentials_clear(creds);
    return rc;
}

static int read_file(const char *path, char **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return errno == ENOENT || errno == ENOTDIR ? 0 : fp_error_set(FUNCP_EIO, "%s: %s", path, strerror(errno));
    int rc = fp_read_stream(f, 16u << 20, data, len);
    fclose(f);
    if (rc == -ENOMEM)
        return fp_error_set(FUNCP_ERROR, "out of memory");
    if (rc == -EFBIG)
        return fp_error_set(FUNCP_EPARSE, "%s: too large for an auth file", path);
    if (rc < 0)
        return fp_error_set(FUNCP_EIO, "%s: read error", path);
    return 1;
}

static int try_file(const char *path, const char *registry, fp_credentials *creds)
{
    char *data = NULL;
    size_t len = 0;
    int rc = read_file(path, &data, &len);
    if (rc <= 0)
        return rc;
    char helper[64];
    rc = fp_auth_config_parse(data, len, path, registry, creds, helper);
    OPENSSL_cleanse(data, len);
    free(data);
    if (rc == 2)
        rc = fp_auth_run_helper(helper, registry, creds);
    return rc;
}

int fp_auth_search_paths(const char *authfile, char paths[][4096], int max)
{
    int n = 0;
    const char *env, *home = getenv("HOME");
#define ADD(...)                                                      \
    do {                                                              \
        if (n < max)                                                  \
            snprintf(paths[n++], sizeof paths[0], __VA_ARGS__);       \
    } while (0)
    if (authfile && *authfile)
        ADD("%s", authfile);
    if ((env = getenv("REGISTRY_AUTH_FILE")) && *env)
        ADD("%s", env);
    if ((env = getenv("XDG_RUNTIME_DIR")) && *env)
        ADD("%s/containers/auth.json", env);
    if ((env = getenv("XDG_CONFIG_HOME")) && *env)
        ADD("%s/containers/auth.json", env);
    else if (home && *home)
        ADD("%s/.config/containers/auth.json", home);
    if ((env = getenv("DOCKER_CONFIG")) && *env)
        ADD("%s/config.json", env);
    else if (home && *home)
        ADD("%s/.docker/config.json", home);
#undef ADD
    return n;
}

int fp_auth_lookup(const char *registry, const char *authfile, fp_credentials *creds)
{
    memset(creds, 0, sizeof *creds);
    char paths[FP_AUTH_PATHS_MAX][4096];
    int n = fp_auth_search_paths(authfile, paths, FP_AUTH_PATHS_MAX);
    /* A file the user named must exist; the default places may not. */
    if (authfile && *authfile && access(authfile, R_OK) != 0)
        return fp_error_set(FUNCP_ENOTFOUND, "registry auth file %s: %s", authfile, strerror(errno));
    for (int i = 0; i < n; i++) {
        int rc = try_file(paths[i], registry, creds);
        if (rc != 0)
            return rc;
    }
    return 0;
}
