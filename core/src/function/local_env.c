#include "function/local_env.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "function/env_template.h"
#include "function/funcyaml.h"
#include "util/error.h"
#include "util/log.h"

static int is_word(const char *s, size_t n)
{
    if (!n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '_')
            return 0;
    return 1;
}

/* One entry: *line = "NAME=VALUE", or NULL when it has no local value. */
static int resolve(size_t i, const char *name, const char *value, char **line)
{
    char kind[64], rest[256];
    *line = NULL;
    if (value && strncmp(value, "{{", 2) == 0) {
        if (!fp_env_template(value, kind, sizeof kind, rest, sizeof rest))
            return fp_error_set(FUNCP_EUSAGE, "func.yaml run.envs[%zu]: invalid value \"%s\"; "
                                "allowed are '{{ env:MY_ENV }}', '{{ secret:secretName:key }}' "
                                "or '{{ configMap:configMapName:key }}'", i, value);
        if (!strcmp(kind, "secret") || !strcmp(kind, "configMap")) {
            fp_log(FUNCP_LOG_WARN,
                   "func.yaml run.envs[%zu]%s%s%s: %s exists only in the cluster; not set for "
                   "a local run", i, name ? " (" : "", name ? name : "", name ? ")" : "", value);
            return FUNCP_OK;
        }
        if (strcmp(kind, "env") || !is_word(rest, strlen(rest)) || !name)
            return fp_error_set(FUNCP_EUSAGE, "func.yaml run.envs[%zu]: invalid value \"%s\"; "
                                "allowed are '{{ env:MY_ENV }}', '{{ secret:secretName:key }}' "
                                "or '{{ configMap:configMapName:key }}'", i, value);
        value = getenv(rest);
        if (!value)
            return fp_error_set(FUNCP_EUSAGE, "func.yaml run.envs[%zu] (%s): required local "
                                "environment variable \"%s\" is not set", i, name, rest);
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
