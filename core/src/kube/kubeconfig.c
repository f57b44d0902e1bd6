/* Merge kubeconfig files and resolve one context, following kubectl: the
 * first file to name a cluster, context or user wins, and so does the first
 * current-context; relative paths are relative to the file holding them. */
#include "kube/kubeconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "kube/kubeconfig_yaml.h"
#include "net/json_get.h"
#include "util/error.h"
#include "util/fs.h"

#define SOURCE_KEY "funcp:source" /* which file an entry came from */

void fp_kubeconfig_init(fp_kubeconfig *kc)
{
    memset(kc, 0, sizeof *kc);
    kc->clusters = json_object_new_object();
    kc->contexts = json_object_new_object();
    kc->users = json_object_new_object();
}

void fp_kubeconfig_free(fp_kubeconfig *kc)
{
    json_object_put(kc->clusters);
    json_object_put(kc->contexts);
    json_object_put(kc->users);
    free(kc->current);
    free(kc->files);
    memset(kc, 0, sizeof *kc);
}

static char *xstrdup(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* Make a relative path field absolute against dir. `need_slash`: only
 * paths containing '/' (exec commands are looked up on PATH otherwise). */
static void resolve_field(json_object *obj, const char *key, const char *dir, int need_slash)
{
    const char *v = fp_json_string(obj, key);
    if (!v || !*v || v[0] == '/' || !dir || (need_slash && !strchr(v, '/')))
        return;
    char *abs = fp_path_join(dir, v);
    if (abs)
        json_object_object_add(obj, key, json_object_new_string(abs));
    free(abs);
}

static void resolve_paths(const char *section, json_object *inner, const char *dir)
{
    if (!json_object_is_type(inner, json_type_object))
        return;
    if (strcmp(section, "clusters") == 0) {
        resolve_field(inner, "certificate-authority", dir, 0);
    } else if (strcmp(section, "users") == 0) {
        resolve_field(inner, "client-certificate", dir, 0);
        resolve_field(inner, "client-key", dir, 0);
        resolve_field(inner, "tokenFile", dir, 0);
        json_object *exec;
        if (json_object_object_get_ex(inner, "exec", &exec) && json_object_is_type(exec, json_type_object))
            resolve_field(exec, "command", dir, 1);
    }
}

/* section "clusters", item key "cluster" and so on. */
static void merge_section(json_object *into, json_object *root, const char *section,
                          const char *item_key, const char *file, const char *dir)
{
    json_object *list;
    if (!json_object_object_get_ex(root, section, &list) || !json_object_is_type(list, json_type_array))
        return;
    size_t n = json_object_array_length(list);
    for (size_t i = 0; i < n; i++) {
        json_object *entry = json_object_array_get_idx(list, i);
        const char *name = fp_json_string(entry, "name");
        if (!name || json_object_object_get_ex(into, name, NULL))
            continue; /* first file wins */
        json_object *inner = NULL;
        json_object_object_get_ex(entry, item_key, &inner);
        json_object *copy = NULL;
        if (inner && json_object_is_type(inner, json_type_object))
            json_object_deep_copy(inner, &copy, NULL);
        if (!copy)
            copy = json_object_new_object();
        resolve_paths(section, copy, dir);
        json_object_object_add(copy, SOURCE_KEY, json_object_new_string(file));
        json_object_object_add(into, name, copy);
    }
}

static void add_file_name(fp_kubeconfig *kc, const char *file)
{
    size_t old = kc->files ? strlen(kc->files) : 0;
    char *s = realloc(kc->files, old + strlen(file) + 3);
    if (!s)
        return;
    if (old)
        sprintf(s + old, ", %s", file);
    else
        strcpy(s, file);
    kc->files = s;
}

int fp_kubeconfig_merge_buffer(fp_kubeconfig *kc, const char *data, size_t len,
                               const char *file, const char *dir)
{
    json_object *root = NULL;
    int rc = fp_yaml_to_json(data, len, file, &root);
    if (rc < 0)
        return rc;
    add_file_name(kc, file);
    if (!root)
        return FUNCP_OK;
    merge_section(kc->clusters, root, "clusters", "cluster", file, dir);
    merge_section(kc->contexts, root, "contexts", "context", file, dir);
    merge_section(kc->users, root, "users", "user", file, dir);
    const char *cur = fp_json_string(root, "current-context");
    if (!kc->current && cur && *cur)
        kc->current = strdup(cur);
    json_object_put(root);
    return FUNCP_OK;
}

int fp_kube_read_file(const char *path, const char *what, char **out, size_t *len)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        int e = errno;
        return fp_error_set(e == ENOENT ? FUNCP_ENOTFOUND : FUNCP_EIO, "%s %s: %s", what, path,
                            e == ENOENT ? "not found" : strerror(e));
    }
    int rc = fp_read_stream(f, 64u << 20, out, len);
    fclose(f);
    if (rc == -ENOMEM)
        return fp_error_set(FUNCP_ERROR, "out of memory reading %s", path);
    if (rc == -EFBIG)
        return fp_error_set(FUNCP_EIO, "%s %s: larger than 64 MiB", what, path);
    if (rc < 0)
        return fp_error_set(FUNCP_EIO, "%s %s: read error", what, path);
    return FUNCP_OK;
}

int fp_kubeconfig_merge_file(fp_kubeconfig *kc, const char *path)
{
    char *data;
    size_t len;
    int rc = fp_kube_read_file(path, "kubeconfig file", &data, &len);
    if (rc < 0)
        return rc;
    char *dir = strdup(path);
    char *slash = dir ? strrchr(dir, '/') : NULL;
    if (slash)
        *(slash == dir ? slash + 1 : slash) = '\0';
    rc = fp_kubeconfig_merge_buffer(kc, data, len, path, slash ? dir : ".");
    free(dir);
    free(data);
    return rc;
}

int fp_kubeconfig_merge_list(fp_kubeconfig *kc, const char *list)
{
    char *copy = strdup(list);
    if (!copy)
        return fp_error_set(FUNCP_ERROR, "out of memory");
    int found = 0, rc = FUNCP_OK;
    char *save = NULL;
    for (char *p = strtok_r(copy, ":", &save); p; p = strtok_r(NULL, ":", &save)) {
        rc = fp_kubeconfig_merge_file(kc, p);
        if (rc == FUNCP_ENOTFOUND) { /* kubectl skips missing list entries */
            fp_error_clear();
            rc = FUNCP_OK;
            continue;
        }
        if (rc < 0)
            break;
        found++;
    }
    free(copy);
    if (rc == FUNCP_OK && !found)
        rc = fp_error_set(FUNCP_ENOTFOUND, "no kubeconfig file found: none of KUBECONFIG=%s exists", list);
    return rc;
}

int fp_kube_base64_decode(const char *in, char **out, size_t *out_len)
{
    *out = NULL;
    size_t n = strlen(in);
    unsigned char *buf = malloc(n / 4 * 3 + 4);
    if (!buf)
        return FUNCP_ERROR;
    EVP_ENCODE_CTX *ctx = EVP_ENCODE_CTX_new();
    int len = 0, fin = 0, ok = ctx != NULL;
    if (ok) {
        EVP_DecodeInit(ctx);
        ok = EVP_DecodeUpdate(ctx, buf, &len, (const unsigned char *)in, (int)n) >= 0 &&
             EVP_DecodeFinal(ctx, buf + len, &fin) == 1;
    }
    EVP_ENCODE_CTX_free(ctx);
    if (!ok || (n > 0 && len + fin == 0)) {
        free(buf);
        return FUNCP_EPARSE;
    }
    buf[len + fin] = '\0';
    *out = (char *)buf;
    *out_len = (size_t)(len + fin);
    return FUNCP_OK;
}

/* Known names of a section, "a, b, c", into buf. */
static void known_names(json_object *section, char *buf, size_t size)
{
    buf[0] = '\0';
    size_t used = 0;
    json_object_object_foreach(section, key, val) {
        (void)val;
        int w = snprintf(buf + used, size - used, "%s%s", used ? ", " : "", key);
        if (w < 0 || (size_t)w >= size - used)
            break;
        used += (size_t)w;
    }
    if (!used)
        snprintf(buf, size, "(none)");
}

static int decode_field(json_object *obj, const char *key, const char *section, const char *name,
                        char **out, size_t *len)
{
    const char *v = fp_json_string(obj, key);
    if (!v || !*v)
        return FUNCP_OK;
    if (fp_kube_base64_decode(v, out, len) < 0)
        return fp_error_set(FUNCP_EPARSE, "kubeconfig %s: %s[\"%s\"].%s is not valid base64",
                            fp_json_string(obj, SOURCE_KEY), section, name, key);
    return FUNCP_OK;
}

static int parse_exec(json_object *exec, const char *user, const char *file, fp_kube_exec **out)
{
    const char *command = fp_json_string(exec, "command");
    if (!command || !*command)
        return fp_error_set(FUNCP_EPARSE, "kubeconfig %s: users[\"%s\"].exec.command is missing",
                            file ? file : "", user);
    fp_kube_exec *e = calloc(1, sizeof *e);
    if (!e)
        return fp_error_set(FUNCP_ERROR, "out of memory");
    const char *api = fp_json_string(exec, "apiVersion");
    e->api_version = strdup(api ? api : "client.authentication.k8s.io/v1");
    e->command = strdup(command);
    const char *pci = fp_json_string(exec, "provideClusterInfo");
    e->provide_cluster_info = pci && strcmp(pci, "true") == 0;
    json_object *args = NULL, *env = NULL;
    json_object_object_get_ex(exec, "args", &args);
    json_object_object_get_ex(exec, "env", &env);
    size_t na = json_object_is_type(args, json_type_array) ? json_object_array_length(args) : 0;
    size_t ne = json_object_is_type(env, json_type_array) ? json_object_array_length(env) : 0;
    e->args = calloc(na + 1, sizeof *e->args);
    e->env = calloc(ne + 1, sizeof *e->env);
    if (!e->args || !e->env || !e->api_version || !e->command) {
        fp_kube_exec_free(e);
        return fp_error_set(FUNCP_ERROR, "out of memory");
    }
    size_t k = 0;
    for (size_t i = 0; i < na; i++) {
        json_object *a = json_object_array_get_idx(args, i);
        if (json_object_is_type(a, json_type_string))
            e->args[k++] = strdup(json_object_get_string(a));
    }
    k = 0;
    for (size_t i = 0; i < ne; i++) {
        json_object *item = json_object_array_get_idx(env, i);
        const char *name = fp_json_string(item, "name"), *value = fp_json_string(item, "value");
        if (!name || !*name)
            continue;
        size_t n = strlen(name) + (value ? strlen(value) : 0) + 2;
        if ((e->env[k] = malloc(n)))
            snprintf(e->env[k++], n, "%s=%s", name, value ? value : "");
    }
    *out = e;
    return FUNCP_OK;
}

int fp_kubeconfig_resolve(const fp_kubeconfig *kc, const char *context, const char *namespace_,
                          fp_kube_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    const char *files = kc->files ? kc->files : "(none)";
    char known[1024];
    known_names(kc->contexts, known, sizeof known);
    const char *name = context && *context ? context : kc->current;
    if (!name)
        return fp_error_set(FUNCP_EUSAGE,
                            "kubeconfig %s sets no current-context: pass --context (known contexts: %s)",
                            files, known);
    json_object *ctx;
    if (!json_object_object_get_ex(kc->contexts, name, &ctx))
        return fp_error_set(FUNCP_ENOTFOUND, "context \"%s\" not found in kubeconfig %s (known contexts: %s)",
                            name, files, known);
    const char *cluster_name = fp_json_string(ctx, "cluster");
    const char *user_name = fp_json_string(ctx, "user");
    json_object *cluster = NULL, *user = NULL;
    if (!cluster_name || !json_object_object_get_ex(kc->clusters, cluster_name, &cluster))
        return fp_error_set(FUNCP_ENOTFOUND, "context \"%s\" in kubeconfig %s names cluster \"%s\", which is not defined",
                            name, fp_json_string(ctx, SOURCE_KEY), cluster_name ? cluster_name : "");
    if (user_name && *user_name && !json_object_object_get_ex(kc->users, user_name, &user))
        return fp_error_set(FUNCP_ENOTFOUND, "context \"%s\" in kubeconfig %s names user \"%s\", which is not defined",
                            name, fp_json_string(ctx, SOURCE_KEY), user_name);

    const char *server = fp_json_string(cluster, "server");
    if (!server || !*server)
        return fp_error_set(FUNCP_EPARSE, "kubeconfig %s: clusters[\"%s\"].server is missing",
                            fp_json_string(cluster, SOURCE_KEY), cluster_name);
    cfg->context = strdup(name);
    cfg->source = strdup(files);
    cfg->server = strdup(server);
    size_t sl = strlen(cfg->server);
    while (sl > 0 && cfg->server[sl - 1] == '/')
        cfg->server[--sl] = '\0';
    const char *ns = namespace_ && *namespace_ ? namespace_ : fp_json_string(ctx, "namespace");
    cfg->namespace_ = strdup(ns && *ns ? ns : "default");
    const char *insecure = fp_json_string(cluster, "insecure-skip-tls-verify");
    cfg->insecure = insecure && strcmp(insecure, "true") == 0;
    cfg->ca_file = xstrdup(fp_json_string(cluster, "certificate-authority"));
    int rc = decode_field(cluster, "certificate-authority-data", "clusters", cluster_name,
                          &cfg->ca_data, &cfg->ca_len);
    if (rc == FUNCP_OK && user) {
        rc = decode_field(user, "client-certificate-data", "users", user_name, &cfg->cert_data, &cfg->cert_len);
        if (rc == FUNCP_OK)
            rc = decode_field(user, "client-key-data", "users", user_name, &cfg->key_data, &cfg->key_len);
        cfg->cert_file = xstrdup(fp_json_string(user, "client-certificate"));
        cfg->key_file = xstrdup(fp_json_string(user, "client-key"));
        const char *token = fp_json_string(user, "token");
        cfg->token = token && *token ? strdup(token) : NULL;
        const char *tf = fp_json_string(user, "tokenFile");
        cfg->token_file = tf && *tf ? strdup(tf) : NULL;
        cfg->username = xstrdup(fp_json_string(user, "username"));
        cfg->password = xstrdup(fp_json_string(user, "password"));
        json_object *exec;
        if (rc == FUNCP_OK && json_object_object_get_ex(user, "exec", &exec) &&
            json_object_is_type(exec, json_type_object)) {
            rc = parse_exec(exec, user_name, fp_json_string(user, SOURCE_KEY), &cfg->exec);
        }
    }
    if (rc < 0)
        fp_kube_config_free(cfg);
    else if (!cfg->context || !cfg->server || !cfg->namespace_)
        rc = fp_error_set(FUNCP_ERROR, "out of memory");
    return rc;
}

void fp_kube_exec_free(fp_kube_exec *e)
{
    if (!e)
        return;
    for (char **p = e->args; p && *p; p++)
        free(*p);
    for (char **p = e->env; p && *p; p++)
        free(*p);
    free(e->args);
    free(e->env);
    free(e->api_version);
    free(e->command);
    free(e);
}

static void free_secret(char *s, size_t len)
{
    if (s) {
        OPENSSL_cleanse(s, len ? len : strlen(s));
        free(s);
    }
}

void fp_kube_config_free(fp_kube_config *cfg)
{
    free(cfg->context);
    free(cfg->source);
    free(cfg->server);
    free(cfg->namespace_);
    free(cfg->ca_file);
    free(cfg->ca_data);
    free(cfg->cert_file);
    free(cfg->cert_data);
    free(cfg->key_file);
    free_secret(cfg->key_data, cfg->key_len);
    free_secret(cfg->token, 0);
    free(cfg->token_file);
    free(cfg->username);
    free_secret(cfg->password, 0);
    fp_kube_exec_free(cfg->exec);
    memset(cfg, 0, sizeof *cfg);
}
