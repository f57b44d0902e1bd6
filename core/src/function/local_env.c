#include "function/local_env.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "function/funcyaml.h"
#include "util/error.h"
#include "util/log.h"

/* The inside of "{{ kind:rest }}" (func's patterns allow blanks around
 * it): kind and rest point into `value`, with their lengths. */
static int split_template(const char *value, const char **kind, size_t *kind_len,
                          const char **rest, size_t *rest_len)
{
    size_t n = strlen(value);
    if (n < 4 || strncmp(value, "{{", 2) || strcmp(value + n - 2, "}}"))
        return 0;
    const char *p = value + 2, *end = value + n - 2;
    while (p < end && isspace((unsigned char)*p))
        p++;
    while (end > p && isspace((unsigned char)end[-1]))
        end--;
    const char *colon = memchr(p, ':', (size_t)(end - p));
    if (!colon)
        return 0;
    *kind = p;
    *kind_len = (size_t)(colon - p);
    *rest = colon + 1;
    *rest_len = (size_t)(end - colon - 1);
    return 1;
}

static int is_word(const char *s, size_t n)
{
    if (!n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '_')
            return 0;
    return 1;
}

static int kind_is(const char *kind, size_t len, const char *want)
{
    return len == strlen(want) && !strncmp(kind, want, len);
}

/* One entry: *line = "NAME=VALUE", or NULL when it has no local value. */
static int resolve(size_t i, const char *name, const char *value, char **line)
{
    const char *kind, *rest;
    size_t kind_len, rest_len;
    *line = NULL;
    if (value && strncmp(value, "{{", 2) == 0) {
        if (!split_template(value, &kind, &kind_len, &rest, &rest_len))
            return fp_error_set(FUNCP_EUSAGE, "func.yaml run.envs[%zu]: invalid value \"%s\"; "
                                "allowed are '{{ env:MY_ENV }}', '{{ secret:secretName:key }}' "
                                "or '{{ configMap:configMapName:key }}'", i, value);
        if (kind_is(kind, kind_len, "secret") || kind_is(kind, kind_len, "configMap")) {
            fp_log(FUNCP_LOG_WARN,
                   "func.yaml run.envs[%zu]%s%s%s: %s exists only in the cluster; not set for "
                   "a local run", i, name ? " (" : "", name ? name : "", name ? ")" : "", value);
            return FUNCP_OK;
        }
        if (!kind_is(kind, kind_len, "env") || !is_word(rest, rest_len) || !name)
            return fp_error_set(FUNCP_EUSAGE, "func.yaml run.envs[%zu]: invalid value \"%s\"; "
                                "allowed are '{{ env:MY_ENV }}', '{{ secret:secretName:key }}' "
                                "or '{{ configMap:configMapName:key }}'", i, value);
        char var[256];
        snprintf(var, sizeof var, "%.*s", (int)rest_len, rest);
        value = getenv(var);
        if (!value)
            return fp_error_set(FUNCP_EUSAGE, "func.yaml run.envs[%zu] (%s): required local "
                                "environment variable \"%s\" is not set", i, name, var);
    }
    if (!name)
        return fp_error_set(FUNCP_EUSAGE, "func.yaml run.envs[%zu]: the name is missing", i);
    size_t len = strlen(name) + strlen(value ? value : "") + 2;
    *line = malloc(len);
    if (!*line)
        return fp_error_set(FUNCP_ERROR, "out of memory");
    snprintf(*line, len, "%s=%s", name, value ? value : "");
    return FUNCP_OK;
}

int fp_local_env(const fp_funcyaml *doc, char ***out)
{
    size_t n = fp_funcyaml_count(doc, "run.envs"), used = 0;
    char **env = calloc(n + 1, sizeof *env);
    if (!env)
        return fp_error_set(FUNCP_ERROR, "out of memory");
    for (size_t i = 0; i < n; i++) {
        char path[64];
        snprintf(path, sizeof path, "run.envs[%zu].name", i);
        const char *name = fp_funcyaml_get(doc, path);
        snprintf(path, sizeof path, "run.envs[%zu].value", i);
        const char *value = fp_funcyaml_get(doc, path);
        int rc = resolve(i, name, value, &env[used]);
        if (rc != FUNCP_OK) {
            fp_local_env_free(env);
            return rc;
        }
        if (env[used])
            used++;
    }
    *out = env;
    return FUNCP_OK;
}

void fp_local_env_free(char **env)
{
    for (char **p = env; p && *p; p++)
        free(*p);
    free(env);
}
