#include "cli/env_flags.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "call.h"
#include "function/funcyaml.h"
#include "function/funcyaml_k8s_names.h"
#include "util/error.h"

static const char *entry_name(json_object *e)
{
    json_object *n;
    return json_object_object_get_ex(e, "name", &n) && json_object_is_type(n, json_type_string)
               ? json_object_get_string(n)
               : NULL;
}

/* Index of the entry called `name` in envs, or -1. */
static int find_env(json_object *envs, const char *name)
{
    size_t n = json_object_array_length(envs);
    for (size_t i = 0; i < n; i++) {
        const char *have = entry_name(json_object_array_get_idx(envs, i));
        if (have && !strcmp(have, name))
            return (int)i;
    }
    return -1;
}

static int set_env(json_object *envs, const char *name, size_t name_len, const char *value)
{
    char *key = strndup(name, name_len);
    if (!key)
        return fp_error_set(FUNCP_ERROR, "out of memory");
    char why[1024];
    if (!fy_k8s_env_var_name(key, why, sizeof why)) {
        int rc = fp_error_set(FUNCP_EUSAGE, "-e/--env: invalid name \"%s\": %s", key, why);
        free(key);
        return rc;
    }
    int at = find_env(envs, key);
    if (at >= 0) {
        json_object_object_add(json_object_array_get_idx(envs, (size_t)at), "value",
                               json_object_new_string(value));
    } else {
        json_object *e = json_object_new_object();
        json_object_object_add(e, "name", json_object_new_string(key));
        json_object_object_add(e, "value", json_object_new_string(value));
        json_object_array_add(envs, e);
    }
    free(key);
    return FUNCP_OK;
}

int fp_env_args_apply(fp_funcyaml *doc, char *const *args, size_t n, const char *file)
{
    if (n == 0)
        return FUNCP_OK;
    char *text = fp_funcyaml_json(doc, "run.envs");
    json_object *envs = text ? json_tokener_parse(text) : NULL;
    free(text);
    if (!envs || !json_object_is_type(envs, json_type_array)) {
        json_object_put(envs);
        envs = json_object_new_array();
    }
    /* func first collects the additions (a later -e A=2 replaces -e A=1 in
     * place), merges them, then applies the removals. */
    int rc = FUNCP_OK;
    for (size_t i = 0; i < n && rc == FUNCP_OK; i++) {
        const char *eq = strchr(args[i], '=');
        size_t len = strlen(args[i]);
        if (!eq && (len == 0 || args[i][len - 1] != '-'))
            rc = fp_error_set(FUNCP_EUSAGE,
                              "-e/--env: argument requires a value that contains the \"=\" "
                              "character; got \"%s\" (use NAME=VALUE to set, NAME- to unset)",
                              args[i]);
        else if (eq)
            rc = set_env(envs, args[i], (size_t)(eq - args[i]), eq + 1);
    }
    for (size_t i = 0; i < n && rc == FUNCP_OK; i++) {
        if (strchr(args[i], '='))
            continue;
        char *name = strndup(args[i], strlen(args[i]) - 1);
        if (!name) {
            rc = fp_error_set(FUNCP_ERROR, "out of memory");
            break;
        }
        int at = find_env(envs, name);
        if (at < 0)
            rc = fp_error_set(FUNCP_EUSAGE, "environment variable \"%s\" does not exist", name);
        else
            json_object_array_del_idx(envs, (size_t)at, 1);
        free(name);
    }
    if (rc == FUNCP_OK && json_object_array_length(envs) == 0)
        rc = fp_funcyaml_remove(doc, "run.envs");
    else if (rc == FUNCP_OK)
        rc = fp_funcyaml_set_json(doc, "run.envs",
                                  json_object_to_json_string_ext(envs, JSON_C_TO_STRING_PLAIN));
    json_object_put(envs);
    if (rc == FUNCP_OK)
        rc = fp_funcyaml_validate(doc, file);
    return rc;
}

int fp_cli_apply_env_flags(funcp_call *call)
{
    size_t n;
    char *const *args = fp_args_list(&call->args, "env", &n);
    return fp_env_args_apply(call->fy, args, n, call->funcyaml_path);
}
