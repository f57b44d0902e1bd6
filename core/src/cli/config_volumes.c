/* `funcp config volumes`: run.volumes as func's non-interactive
 * `config volumes add|remove` writes them. */
#include <stdio.h>
#include <string.h>

#include "call.h"
#include "cli/config_lists.h"
#include "util/error.h"
#include "util/log.h"

static const char *const FEATURE_FLAGS = "https://knative.dev/docs/serving/configuration/feature-flags/";

static void describe_volume(json_object *v, char *buf, size_t size)
{
    json_object *pvc, *empty;
    const char *cm = fp_config_str(v, "configMap"), *secret = fp_config_str(v, "secret");
    size_t n;
    if (cm) {
        n = (size_t)snprintf(buf, size, "ConfigMap \"%s\"", cm);
    } else if (secret) {
        n = (size_t)snprintf(buf, size, "Secret \"%s\"", secret);
    } else if (json_object_object_get_ex(v, "persistentVolumeClaim", &pvc)) {
        const char *claim = fp_config_str(pvc, "claimName");
        n = claim ? (size_t)snprintf(buf, size, "PersistentVolumeClaim \"%s\"", claim)
                  : (size_t)snprintf(buf, size, "PersistentVolumeClaim");
    } else if (json_object_object_get_ex(v, "emptyDir", &empty)) {
        const char *medium = fp_config_str(empty, "medium");
        const char *limit = fp_config_str(empty, "sizeLimit");
        n = (size_t)snprintf(buf, size, "EmptyDir%s", medium && !strcmp(medium, "Memory")
                                                           ? " in memory" : "");
        if (limit && n < size)
            n += (size_t)snprintf(buf + n, size - n, " with size limit \"%s\"", limit);
    } else {
        n = (size_t)snprintf(buf, size, "No volume type");
    }
    const char *path = fp_config_str(v, "path");
    if (path && n < size)
        snprintf(buf + n, size - n, " at path: \"%s\"", path);
}

static int make_volume(funcp_call *call, json_object *list, json_object **item)
{
    (void)list;
    const char *type = fp_args_flag(&call->args, "type");
    const char *source = fp_args_flag(&call->args, "source");
    const char *path = fp_args_flag(&call->args, "mount-path");
    const char *size = fp_args_flag(&call->args, "size");
    const char *medium = fp_args_flag(&call->args, "medium");
    int read_only = fp_args_bool(&call->args, "read-only");
    if (!type)
        return fp_error_set(FUNCP_EUSAGE, "config volumes add: give -t/--type "
                                          "(configmap, secret, pvc or emptydir), -m/--mount-path "
                                          "and -s/--source; funcp does not prompt");
    if (!path || !*path)
        return fp_error_set(FUNCP_EUSAGE, "--mount-path is required");
    if (path[0] != '/')
        return fp_error_set(FUNCP_EUSAGE, "mount path must be an absolute path (start with /)");
    int empty_dir = !strcmp(type, "emptydir");
    if (!empty_dir && (!source || !*source) &&
        (!strcmp(type, "configmap") || !strcmp(type, "secret") || !strcmp(type, "pvc")))
        return fp_error_set(FUNCP_EUSAGE, "--source is required for %s volumes", type);
    json_object *v = json_object_new_object();
    if (!strcmp(type, "configmap")) {
        json_object_object_add(v, "configMap", json_object_new_string(source));
    } else if (!strcmp(type, "secret")) {
        json_object_object_add(v, "secret", json_object_new_string(source));
    } else if (!strcmp(type, "pvc")) {
        json_object *pvc = json_object_new_object();
        json_object_object_add(pvc, "claimName", json_object_new_string(source));
        if (read_only)
            json_object_object_add(pvc, "readOnly", json_object_new_boolean(1));
        json_object_object_add(v, "persistentVolumeClaim", pvc);
        if (read_only)
            fprintf(stderr, "PersistentVolumeClaim will be mounted as read-only\n");
        fprintf(stderr, "Please ensure the PersistentVolumeClaim extension flag is enabled:\n%s\n",
                FEATURE_FLAGS);
    } else if (empty_dir) {
        if (medium && *medium && strcmp(medium, "Memory")) {
            json_object_put(v);
            return fp_error_set(FUNCP_EUSAGE, "invalid medium: must be 'Memory' or empty");
        }
        json_object *e = json_object_new_object();
        if (medium && *medium)
            json_object_object_add(e, "medium", json_object_new_string(medium));
        if (size && *size)
            json_object_object_add(e, "sizeLimit", json_object_new_string(size));
        json_object_object_add(v, "emptyDir", e);
        fprintf(stderr, "Please make sure to enable the EmptyDir extension flag:\n%s\n",
                FEATURE_FLAGS);
    } else {
        json_object_put(v);
        return fp_error_set(FUNCP_EUSAGE, "invalid volume type: %s (must be one of: configmap, "
                                          "secret, pvc, emptydir)", type);
    }
    if (!empty_dir && (size || medium))
        fp_log(FUNCP_LOG_WARN, "--size and --medium apply to emptydir volumes only; ignored");
    if (read_only && strcmp(type, "pvc"))
        fp_log(FUNCP_LOG_WARN, "--read-only applies to pvc volumes only; ignored");
    json_object_object_add(v, "path", json_object_new_string(path));
    *item = v;
    return FUNCP_OK;
}

static int find_volume(funcp_call *call, json_object *list)
{
    const char *path = fp_args_flag(&call->args, "mount-path");
    if (!path || !*path)
        return fp_error_set(FUNCP_EUSAGE, "config volumes remove: give -m/--mount-path; funcp "
                                          "does not prompt"), -1;
    if (path[0] != '/')
        return fp_error_set(FUNCP_EUSAGE, "mount path must be an absolute path (start with /)"),
               -1;
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        const char *have = fp_config_str(json_object_array_get_idx(list, i), "path");
        if (have && !strcmp(have, path))
            return (int)i;
    }
    /* Unlike envs and labels, func refuses a volume path it does not have. */
    fp_error_set(FUNCP_ENOTFOUND, "no volume found with mount path: %s", path);
    return -1;
}

const fp_config_list fp_config_volumes = {
    .name = "volumes",
    .alias = "volume",
    .path = "run.volumes",
    .empty = "There aren't any configured Volume mounts",
    .heading = "Configured Volumes mounts:",
    .describe = describe_volume,
    .make = make_volume,
    .find = find_volume,
    .added = "Volume entry was added to the function configuration",
    .removed = "Volume entry was removed from the function configuration",
};
