/* `funcp config envs` and `funcp config labels`. */
#include <stdio.h>
#include <string.h>

#include "call.h"
#include "cli/config_lists.h"
#include "util/error.h"

const char *fp_config_str(json_object *item, const char *key)
{
    json_object *v;
    if (!json_object_object_get_ex(item, key, &v) || json_object_is_type(v, json_type_null) ||
        json_object_is_type(v, json_type_object) || json_object_is_type(v, json_type_array))
        return NULL;
    return json_object_get_string(v);
}

/* "{{ kind:a[:b] }}" → kind and the rest, trimmed, or 0. */
static int template_of(const char *value, char *kind, size_t ksize, char *rest, size_t rsize)
{
    size_t n = value ? strlen(value) : 0;
    if (n < 4 || strncmp(value, "{{", 2) || strcmp(value + n - 2, "}}"))
        return 0;
    const char *p = value + 2, *end = value + n - 2;
    while (p < end && *p == ' ')
        p++;
    while (end > p && end[-1] == ' ')
        end--;
    const char *colon = memchr(p, ':', (size_t)(end - p));
    if (!colon)
        return 0;
    snprintf(kind, ksize, "%.*s", (int)(colon - p), p);
    snprintf(rest, rsize, "%.*s", (int)(end - colon - 1), colon + 1);
    return 1;
}

static void describe_env(json_object *e, char *buf, size_t size)
{
    const char *name = fp_config_str(e, "name"), *value = fp_config_str(e, "value");
    char kind[64], rest[256];
    buf[0] = '\0';
    if (value && template_of(value, kind, sizeof kind, rest, sizeof rest)) {
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
    else if (key && template_of(value, kind, sizeof kind, rest, sizeof rest) && !strcmp(kind, "env"))
        snprintf(buf, size, "Label with key \"%s\" and value set from local env variable \"%s\"",
                 key, rest);
    else if (key)
        snprintf(buf, size, "Label with key \"%s\" and value \"%s\"", key, value);
}

static int name_char(char c, int first)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-' || c == '.' ||
           (!first && c >= '0' && c <= '9');
}

/* func's env value rule: a {{ }} value must be one of the known forms. */
static int check_env_value(const char *name, const char *value)
{
    char kind[64], rest[256];
    if (!value || strncmp(value, "{{", 2))
        return FUNCP_OK;
    int ok = template_of(value, kind, sizeof kind, rest, sizeof rest);
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
    if (name) {
        int ok = *name != '\0';
        for (const char *p = name; ok && *p; p++)
            ok = name_char(*p, p == name);
        if (!ok)
            return fp_error_set(FUNCP_EUSAGE,
                                "--name \"%s\": a valid environment variable name consists of "
                                "letters, digits, '_', '-' or '.', and must not start with a digit",
                                name);
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

/* Kubernetes' qualified name (label key): [prefix/]name, name at most 63
 * alphanumerics, '-', '_', '.', starting and ending alphanumeric. */
static int label_name_ok(const char *s, size_t n)
{
    if (n == 0 || n > 63)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && ((i == 0 || i == n - 1) || !(c == '-' || c == '_' || c == '.')))
            return 0;
    }
    return 1;
}

static int label_key_ok(const char *key)
{
    const char *slash = strchr(key, '/');
    if (!slash)
        return label_name_ok(key, strlen(key));
    size_t plen = (size_t)(slash - key);
    if (plen == 0 || plen > 253)
        return 0;
    for (size_t i = 0; i < plen; i++) {
        char c = key[i];
        int alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        int edge = i == 0 || i == plen - 1 || key[i - 1] == '.' || key[i + 1] == '.';
        if (!alnum && (edge || !(c == '-' || c == '.')))
            return 0;
    }
    return label_name_ok(slash + 1, strlen(slash + 1));
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
    if (!label_key_ok(key))
        return fp_error_set(FUNCP_EUSAGE,
                            "--name \"%s\": a label key is an optional DNS subdomain prefix and "
                            "'/', then at most 63 letters, digits, '-', '_' or '.', starting and "
                            "ending with a letter or digit",
                            key);
    if (value && strncmp(value, "{{", 2) && *value && !label_name_ok(value, strlen(value)))
        return fp_error_set(FUNCP_EUSAGE,
                            "--value \"%s\": a label value is at most 63 letters, digits, '-', "
                            "'_' or '.', starting and ending with a letter or digit, or "
                            "'{{ env:MY_ENV }}'",
                            value);
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
