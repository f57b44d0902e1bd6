/* funcp config: func's non-interactive `config envs|labels|volumes
 * [list|add|remove]`. funcp never prompts: an add or remove without the
 * flags that say what to do is a usage error naming them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call.h"
#include "cli/commands.h"
#include "cli/config_lists.h"
#include "util/error.h"
#include "util/output.h"

static const fp_config_list *const lists[] = {&fp_config_envs, &fp_config_labels,
                                              &fp_config_volumes};

static const fp_config_list *find_list(const char *word)
{
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
        if (!strcmp(word, lists[i]->name) || !strcmp(word, lists[i]->alias))
            return lists[i];
    return NULL;
}

/* The list at its path, as a JSON array (empty when absent). */
static json_object *load_list(funcp_call *call, const fp_config_list *l)
{
    char *text = fp_funcyaml_json(call->fy, l->path);
    json_object *o = text ? json_tokener_parse(text) : NULL;
    free(text);
    if (!json_object_is_type(o, json_type_array)) {
        json_object_put(o);
        o = json_object_new_array();
    }
    return o;
}

static int store_list(funcp_call *call, const fp_config_list *l, json_object *list)
{
    if (json_object_array_length(list) == 0)
        return fp_funcyaml_remove(call->fy, l->path);
    return fp_funcyaml_set_json(call->fy, l->path,
                                json_object_to_json_string_ext(list, JSON_C_TO_STRING_PLAIN));
}

static int list_items(funcp_call *call, const fp_config_list *l, json_object *list)
{
    if (call->format != FP_FORMAT_TEXT)
        return fp_output_data(stdout, call->format, list);
    size_t n = json_object_array_length(list);
    if (n == 0) {
        printf("%s\n", l->empty);
        return FUNCP_OK;
    }
    printf("%s\n", l->heading);
    for (size_t i = 0; i < n; i++) {
        char line[1024];
        l->describe(json_object_array_get_idx(list, i), line, sizeof line);
        printf(" -  %s\n", line);
    }
    return FUNCP_OK;
}

static int run_config(funcp_call *call)
{
    if (call->args.n_pos == 0)
        return fp_error_set(FUNCP_EUSAGE, "say what to configure: funcp config envs|labels|volumes "
                                          "[list|add|remove] (funcp does not prompt)");
    const fp_config_list *l = find_list(call->args.pos[0]);
    if (!l)
        return fp_error_set(FUNCP_EUSAGE, "unknown config section \"%s\" (one of: envs, labels, "
                                          "volumes)", call->args.pos[0]);
    const char *verb = call->args.n_pos > 1 ? call->args.pos[1] : "list";
    if (!strcmp(verb, "rm"))
        verb = "remove";
    if (strcmp(verb, "list") && strcmp(verb, "add") && strcmp(verb, "remove"))
        return fp_error_set(FUNCP_EUSAGE, "unknown action \"%s\" for config %s (one of: list, add, "
                                          "remove)", verb, l->name);
    int rc = fp_call_load_function(call);
    if (rc != FUNCP_OK)
        return rc;
    json_object *list = load_list(call, l);
    if (!strcmp(verb, "list")) {
        rc = list_items(call, l, list);
    } else if (!strcmp(verb, "add")) {
        json_object *item = NULL;
        rc = l->make(call, list, &item);
        if (rc == FUNCP_OK) {
            json_object_array_add(list, item);
            rc = store_list(call, l, list);
        }
        if (rc == FUNCP_OK && l->added) {
            char line[1024];
            l->describe(item, line, sizeof line);
            printf("%s\nAdded: %s\n", l->added, line);
        }
    } else {
        int at = l->find(call, list);
        if (at == -1) {
            rc = fp_error_code();
        } else if (at == -2) {
            fprintf(stderr, "Nothing to remove: func.yaml %s has no such entry\n", l->path);
        } else {
            char line[1024];
            l->describe(json_object_array_get_idx(list, (size_t)at), line, sizeof line);
            json_object_array_del_idx(list, (size_t)at, 1);
            rc = store_list(call, l, list);
            if (rc == FUNCP_OK && l->removed)
                fprintf(stderr, "%s\nRemoved: %s\n", l->removed, line);
        }
    }
    json_object_put(list);
    return rc;
}

static const fp_flag config_flags[] = {
    {"name", 0, FP_FLAG_STRING, NULL, "envs: the variable's name; labels: the label's key",
     NULL, NULL, NULL},
    {"value", 0, FP_FLAG_STRING, NULL,
     "The value: literal, '{{ env:VAR }}', '{{ secret:name:key }}', '{{ configMap:name:key }}' "
     "(envs without --name: '{{ secret:name }}' or '{{ configMap:name }}')", NULL, NULL, NULL},
    {"type", 't', FP_FLAG_STRING, NULL, "volumes: configmap, secret, pvc or emptydir", NULL, NULL,
     NULL},
    {"source", 's', FP_FLAG_STRING, NULL,
     "volumes: name of the ConfigMap, Secret or PVC to mount (not for emptydir)", NULL, NULL,
     NULL},
    {"mount-path", 'm', FP_FLAG_STRING, NULL, "volumes: where the volume is mounted (absolute)",
     NULL, NULL, NULL},
    {"read-only", 'r', FP_FLAG_BOOL, "false", "volumes: mount a pvc read-only", NULL, NULL, NULL},
    {"size", 0, FP_FLAG_STRING, NULL, "volumes: size limit of an emptydir (e.g. 1Gi)", NULL, NULL,
     NULL},
    {"medium", 0, FP_FLAG_STRING, NULL, "volumes: storage medium of an emptydir: Memory or empty",
     NULL, NULL, NULL},
    {0},
};

const fp_command fp_cmd_config = {
    .name = "config",
    .aliases = "cfg",
    .usage = "config envs|labels|volumes [list|add|remove]",
    .summary = "List and change a function's envs, labels and volumes in func.yaml",
    .description =
        "The lists knative func's 'config' edits: run.envs, deploy.labels and run.volumes.\n"
        "'list' is the default; -o json prints the list as func does. 'add' and 'remove'\n"
        "take flags (funcp does not prompt): envs and labels --name/--value, volumes\n"
        "-t/--type, -s/--source, -m/--mount-path, -r/--read-only, --size, --medium.\n"
        "func.yaml is written only when the change is valid.",
    .examples = "  funcp config envs\n"
                "  funcp config envs add --name GREETING --value hi\n"
                "  funcp config envs add --name TOKEN --value '{{ secret:api:token }}'\n"
                "  funcp config labels add --name team --value blue\n"
                "  funcp config volumes add -t secret -s certs -m /etc/certs\n"
                "  funcp config volumes remove -m /etc/certs",
    .flags = config_flags,
    .min_args = 0,
    .max_args = 2,
    .run = run_config,
};
