/* `funcp config envs` and `funcp config labels`. */
#include <stdio.h>
#include <string.h>

#include "call.h"
#include "cli/config_lists.h"
#include "function/env_template.h"
#include "function/funcyaml_k8s_names.h"
#include "util/error.h"

const char *fp_config_str(json_object *item, const char *key)
{
    json_object *v;
    if (!json_object_object_get_ex(item, key, &v) || json_object_is_type(v, json_type_null) ||
        json_object_is_type(v, json_type_object) || json_object_is_type(v, json_type_array))
        return NULL;
    return json_object_get_string(v);
}

static void describe_env(json_object *e, char *buf, size_t size)
{
    const char *name = fp_config_str(e, "name"), *value = fp_config_str(e, "value");
    char kind[64], rest[256];
    buf[0] = '\0';
    if (value && fp_env_template(value, kind, sizeof kind, rest, sizeof rest)) {
        char *colon = strchr(rest, ':');
        const char *what = !strcmp(kind, "secret") ? "Secret" : "ConfigMap";
        if (!name && !colon && (!strcmp(kind, "secret") || !strcmp(kind, "configMap"))) {
            snprintf(buf, size, "All key=value pairs from %s \"%s\"", what, rest);
            return;
        }
        if (name && colon && (!strcmp(kind, "secret") || !strcmp(kind, "configMap"))) {
            *colon = '\0';
            snprintf(buf, size, "Env \"%s\" with value set from key \"%s\" from %s \"%s\"", name,
                     colon + 1, what, rest);
            return;
        }
        if (name && !strcmp(kind, "env")) {
            snprintf(buf, size, "Env \"%s\" with value set from local env variable \"%s\"", name,
                     rest);
            return;
        }
    }
    if (name && value)
        snprintf(buf, size, "Env \"%s\" with value \"%s\"", name, value);
}

static void describe_label(json_object *l, char *buf, size_t size)
{
    const char *key = fp_config_str(l, "key"), *value = fp_config_str(l, "value");
    char kind[64], rest[256];
    buf[0] = '\0';
    if (key && !value)
        snprintf(buf, size, "Label with key \"%s\"", key);
    else if (key && fp_env_template(value, kind, sizeof kind, rest, sizeof rest) && !strcmp(kind, "env"))
        snprintf(buf, size, "Label with key \"%s\" and value set from local env variable \"%s\"",
                 key, rest);
    else if (key)
        snprintf(buf, size, "Label with key \"%s\" and value \"%s\"", key, value);
}

/* func's env value rule: a {{ }} value must be one of the known forms. */
static int check_env_value(const char *name, const char *value)
{
    char kind[64], rest[256];
    if (!value || strncmp(value, "{{", 2))
        return FUNCP_OK;
    int ok = fp_env_template(value, kind, sizeof kind, rest, sizeof rest);
    int keys = ok ? (strchr(rest, ':') != NULL) : 0;
    if (ok && !strcmp(kind, "env"))
        ok = name && !keys && *rest;
    else if (ok && (!strcmp(kind, "secret") || !strcmp(kind, "configMap")))
        ok = *rest && (name ? keys : !keys);
    else
        ok = 0;
    if (ok)
        return FUNCP_OK;
    if (!name)
        return fp_error_set(FUNCP_EUSAGE,
                            "--value \"%s\": without --name, allowed is only "
                            "'{{ secret:secretName }}' or '{{ configMap:configMapName }}'",
                            value);
    return fp_error_set(FUNCP_EUSAGE,
                        "--value \"%s\" for env \"%s\": allowed is only '{{ env:MY_ENV }}', "
                        "'{{ secret:secretName:key }}' or '{{ configMap:configMapName:key }}'",
                        value, name);
}

static int make_env(funcp_call *call, json_object *list, json_object **item)
{
    const char *name = fp_args_flag(&call->args, "name");
    const char *value = fp_args_flag(&call->args, "value");
    if (!name && !value)
        return fp_error_set(FUNCP_EUSAGE, "config envs add: give --name and --value (or --value "
                                          "'{{ secret:name }}' alone); funcp does not prompt");
    char why[1024];
    if (name) {
        if (!fy_k8s_env_var_name(name, why, sizeof why))
            return fp_error_set(FUNCP_EUSAGE, "--name \"%s\": %s", name, why);
        for (size_t i = 0; i < json_object_array_length(list); i++) {
            const char *have = fp_config_str(json_object_array_get_idx(list, i), "name");
            if (have && !strcmp(have, name))
                return fp_error_set(FUNCP_EUSAGE,
                                    "env \"%s\" is already set (entry #%zu); remove it first "
                                    "with 'funcp config envs remove --name %s'",
                                    name, i, name);
        }
    }
    if (!value)
        return fp_error_set(FUNCP_EUSAGE, "config envs add: --value is required with --name");
    int rc = check_env_value(name, value);
    if (rc != FUNCP_OK)
        return rc;
    *item = json_object_new_object();
    if (name)
        json_object_object_add(*item, "name", json_object_new_string(name));
    json_object_object_add(*item, "value", json_object_new_string(value));
    return FUNCP_OK;
}

static int make_label(funcp_call *call, json_object *list, json_object **item)
{
    (void)list;
    const char *key = fp_args_flag(&call->args, "name");
    const char *value = fp_args_flag(&call->args, "value");
    if (!key)
        return fp_error_set(FUNCP_EUSAGE,
                            "config labels add: give --name (the label key) and --value; funcp "
                            "does not prompt");
    char why[1024];
    if (!fy_k8s_label_key(key, why, sizeof why))
        return fp_error_set(FUNCP_EUSAGE, "--name \"%s\": %s", key, why);
    /* func checks a {{ env:VAR }} value when it deploys, not here. */
    if (value && strncmp(value, "{{", 2) && !fy_k8s_label_value(value, why, sizeof why))
        return fp_error_set(FUNCP_EUSAGE, "--value \"%s\": %s", value, why);
    *item = json_object_new_object();
    json_object_object_add(*item, "key", json_object_new_string(key));
    if (value)
        json_object_object_add(*item, "value", json_object_new_string(value));
    return FUNCP_OK;
}

/* The item called --name; -2 when there is none (func then changes
 * nothing and succeeds). */
static int find_named(funcp_call *call, json_object *list, const char *member, const char *what)
{
    const char *name = fp_args_flag(&call->args, "name");
    if (!name || !*name)
        return fp_error_set(FUNCP_EUSAGE, "config %s remove: give --name; funcp does not prompt",
                            what), -1;
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        const char *have = fp_config_str(json_object_array_get_idx(list, i), member);
        if (have && !strcmp(have, name))
            return (int)i;
    }
    return -2;
}

static int find_env(funcp_call *call, json_object *list)
{
    return find_named(call, list, "name", "envs");
}

static int find_label(funcp_call *call, json_object *list)
{
    return find_named(call, list, "key", "labels");
}

const fp_config_list fp_config_envs = {
    .name = "envs",
    .alias = "env",
    .path = "run.envs",
    .empty = "There aren't any configured Environment variables",
    .heading = "Configured Environment variables:",
    .describe = describe_env,
    .make = make_env,
    .find = find_env,
};

const fp_config_list fp_config_labels = {
    .name = "labels",
    .alias = "label",
    .path = "deploy.labels",
    .empty = "No labels defined",
    .heading = "Labels:",
    .describe = describe_label,
    .make = make_label,
    .find = find_label,
};
