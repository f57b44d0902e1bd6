/* strptime is X/Open. */
#define _XOPEN_SOURCE 700

#include "kube/kube_exec.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>
#include <openssl/crypto.h>

#include "util/error.h"
#include "util/process.h"

#define EXEC_TIMEOUT_MS 60000
#define EXEC_MAX_OUTPUT (1u << 20)

void fp_kube_exec_cred_free(fp_kube_exec_cred *c)
{
    if (c->token) {
        OPENSSL_cleanse(c->token, strlen(c->token));
        free(c->token);
    }
    if (c->key) {
        OPENSSL_cleanse(c->key, c->key_len);
        free(c->key);
    }
    free(c->cert);
    memset(c, 0, sizeof *c);
}

time_t fp_kube_parse_time(const char *s)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    const char *p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
    if (!p)
        return -1;
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++)
            ;
    long offset = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':') {
        int h = atoi(p + 1), m = atoi(p + 4);
        offset = (h * 3600L + m * 60L) * (*p == '-' ? -1 : 1);
        p += 6;
    } else {
        return -1;
    }
    if (*p)
        return -1;
    return timegm(&tm) - offset;
}

static const char *jstr_path(json_object *o, const char *a, const char *b)
{
    json_object *v;
    if (!json_object_object_get_ex(o, a, &v) || (b && !json_object_object_get_ex(v, b, &v)))
        return NULL;
    return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

int fp_kube_exec_parse(const char *json, const char *api_version, const char *command,
                       fp_kube_exec_cred *out)
{
    memset(out, 0, sizeof *out);
    json_object *root = json_tokener_parse(json);
    if (!root || !json_object_is_type(root, json_type_object)) {
        json_object_put(root);
        return fp_error_set(FUNCP_EAUTH, "exec credential plugin %s did not print an ExecCredential JSON object",
                            command);
    }
    int rc = FUNCP_OK;
    const char *kind = jstr_path(root, "kind", NULL);
    const char *api = jstr_path(root, "apiVersion", NULL);
    const char *token = jstr_path(root, "status", "token");
    const char *cert = jstr_path(root, "status", "clientCertificateData");
    const char *key = jstr_path(root, "status", "clientKeyData");
    const char *exp = jstr_path(root, "status", "expirationTimestamp");
    if (!kind || strcmp(kind, "ExecCredential") != 0) {
        rc = fp_error_set(FUNCP_EAUTH, "exec credential plugin %s printed kind \"%s\", expected ExecCredential",
                          command, kind ? kind : "");
    } else if (!api || strcmp(api, api_version) != 0) {
        rc = fp_error_set(FUNCP_EAUTH, "exec credential plugin %s answered apiVersion \"%s\", but kubeconfig asks for %s",
                          command, api ? api : "", api_version);
    } else if (!(token && *token) && !(cert && *cert && key && *key)) {
        rc = fp_error_set(FUNCP_EAUTH,
                          "exec credential plugin %s returned neither status.token nor "
                          "status.clientCertificateData and status.clientKeyData", command);
    } else if ((cert && *cert) != (key && *key)) {
        rc = fp_error_set(FUNCP_EAUTH, "exec credential plugin %s returned only one of "
                          "status.clientCertificateData and status.clientKeyData", command);
    } else if (exp && fp_kube_parse_time(exp) < 0) {
        rc = fp_error_set(FUNCP_EAUTH, "exec credential plugin %s: status.expirationTimestamp \"%s\" is not RFC 3339",
                          command, exp);
    } else {
        out->token = token && *token ? strdup(token) : NULL;
        if (cert && *cert) {
            out->cert = strdup(cert);
            out->cert_len = strlen(cert);
            out->key = strdup(key);
            out->key_len = strlen(key);
        }
        out->expiry = exp ? fp_kube_parse_time(exp) : 0;
    }
    json_object_put(root);
    return rc;
}

/* KUBERNETES_EXEC_INFO: what the plugin may know about the call. */
static char *exec_info(const fp_kube_exec *e, const fp_kube_config *cfg)
{
    json_object *o = json_object_new_object(), *spec = json_object_new_object();
    json_object_object_add(o, "apiVersion", json_object_new_string(e->api_version));
    json_object_object_add(o, "kind", json_object_new_string("ExecCredential"));
    json_object_object_add(spec, "interactive", json_object_new_boolean(0));
    if (e->provide_cluster_info && cfg) {
        json_object *cl = json_object_new_object();
        json_object_object_add(cl, "server", json_object_new_string(cfg->server));
        if (cfg->insecure)
            json_object_object_add(cl, "insecure-skip-tls-verify", json_object_new_boolean(1));
        json_object_object_add(spec, "cluster", cl);
    }
    json_object_object_add(o, "spec", spec);
    char *s = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(o);
    return s;
}

/* Our environment, overridden by the kubeconfig's env entries and by
 * KUBERNETES_EXEC_INFO (`info`). */
static char **build_env(const fp_kube_exec *e, const char *info)
{
    size_t n = 0;
    while (e->env && e->env[n])
        n++;
    const char **extra = calloc(n + 2, sizeof *extra);
    if (!extra)
        return NULL;
    for (size_t i = 0; i < n; i++)
        extra[i] = e->env[i];
    extra[n] = info;
    char **env = fp_env_merge(extra);
    free(extra);
    return env;
}

int fp_kube_exec_run(const fp_kube_exec *e, const fp_kube_config *cfg, fp_kube_exec_cred *out)
{
    memset(out, 0, sizeof *out);
    size_t na = 0;
    while (e->args && e->args[na])
        na++;
    char **argv = calloc(na + 2, sizeof *argv);
    char *info_json = exec_info(e, cfg);
    size_t il = info_json ? strlen(info_json) + 32 : 0;
    char *info = info_json ? malloc(il) : NULL;
    char **env = NULL;
    int rc = FUNCP_OK, pipefd[2] = {-1, -1};
    char *buf = NULL;
    size_t cap = 4096, len = 0;
    if (!argv || !info) {
        rc = fp_error_set(FUNCP_ERROR, "out of memory");
        goto out;
    }
    snprintf(info, il, "KUBERNETES_EXEC_INFO=%s", info_json);
    argv[0] = e->command;
    for (size_t i = 0; i < na; i++)
        argv[i + 1] = e->args[i];
    env = build_env(e, info);
    if (!env || pipe(pipefd) < 0) {
        rc = fp_error_set(FUNCP_ERROR, "cannot start exec credential plugin %s: %s", e->command,
                          env ? strerror(errno) : "out of memory");
        goto out;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
    posix_spawn_file_actions_addclose(&fa, pipefd[0]);
    posix_spawn_file_actions_addclose(&fa, pipefd[1]);
    pid_t pid;
    int err = posix_spawnp(&pid, e->command, &fa, NULL, argv, env);
    posix_spawn_file_actions_destroy(&fa);
    close(pipefd[1]);
    pipefd[1] = -1;
    if (err) {
        rc = fp_error_set(err == ENOENT ? FUNCP_ENOTFOUND : FUNCP_ERROR,
                          "exec credential plugin %s: %s", e->command,
                          err == ENOENT ? "command not found" : strerror(err));
        goto out;
    }
    buf = malloc(cap);
    int waited = 0, too_big = 0;
    while (buf) {
        struct pollfd pfd = {pipefd[0], POLLIN, 0};
        int pr = poll(&pfd, 1, 100);
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr == 0) {
            if ((waited += 100) >= EXEC_TIMEOUT_MS)
                break;
            continue;
        }
        if (len + 1 >= cap) {
            char *nb = cap >= EXEC_MAX_OUTPUT ? NULL : realloc(buf, cap * 2);
            if (!nb) {
                too_big = 1;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        ssize_t r = read(pipefd[0], buf + len, cap - len - 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        len += (size_t)r;
    }
    int timed_out = waited >= EXEC_TIMEOUT_MS;
    if (timed_out || too_big || !buf)
        kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (!buf) {
        rc = fp_error_set(FUNCP_ERROR, "out of memory");
    } else if (timed_out) {
        rc = fp_error_set(FUNCP_ETIMEOUT, "exec credential plugin %s did not finish within %d s",
                          e->command, EXEC_TIMEOUT_MS / 1000);
    } else if (too_big) {
        rc = fp_error_set(FUNCP_EAUTH, "exec credential plugin %s printed more than 1 MiB", e->command);
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && len == 0) {
        /* Where spawn cannot report ENOENT itself (emulated vfork), the
         * child's exec failure shows as 127, as in a shell. */
        rc = fp_error_set(FUNCP_ENOTFOUND, "exec credential plugin %s: command not found", e->command);
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        rc = fp_error_set(FUNCP_EAUTH, "exec credential plugin %s failed with %s %d", e->command,
                          WIFEXITED(status) ? "exit code" : "signal",
                          WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
    } else {
        buf[len] = '\0';
        rc = fp_kube_exec_parse(buf, e->api_version, e->command, out);
    }
out:
    if (buf) {
        OPENSSL_cleanse(buf, cap);
        free(buf);
    }
    if (pipefd[0] >= 0)
        close(pipefd[0]);
    if (pipefd[1] >= 0)
        close(pipefd[1]);
    free(env);
    free(argv);
    free(info);
    free(info_json);
    return rc;
}
