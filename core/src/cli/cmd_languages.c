/* funcp languages / funcp templates: what the installed runtime plugins
 * offer, in knative func's shapes (--json: a list / a map of lists). */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "plugin/stride.h"
#include "util/error.h"
#include "util/output.h"

static fp_format format_of(funcp_call *call)
{
    return fp_args_bool(&call->args, "json") ? FP_FORMAT_JSON : call->format;
}

static int run_languages(funcp_call *call)
{
    int rc = fp_call_load_plugins(call);
    if (rc != FUNCP_OK)
        return rc;
    const char *const *names;
    size_t n = fp_registry_runtime_names(call->plugins.registry, &names);
    fp_format format = format_of(call);
    if (format == FP_FORMAT_TEXT) {
        if (n == 0)
            fprintf(stderr, "No runtime plugin is installed ('funcp plugins' shows the search "
                            "path).\n");
        for (size_t i = 0; i < n; i++)
            printf("%s\n", names[i]);
        return FUNCP_OK;
    }
    json_object *arr = json_object_new_array();
    for (size_t i = 0; i < n; i++)
        json_object_array_add(arr, json_object_new_string(names[i]));
    rc = fp_output_data(stdout, format, arr);
    json_object_put(arr);
    return rc;
}

static int run_templates(funcp_call *call)
{
    int rc = fp_call_load_plugins(call);
    if (rc != FUNCP_OK)
        return rc;
    const char *const *names;
    size_t n = fp_registry_runtime_names(call->plugins.registry, &names);
    const char *only = call->args.n_pos ? call->args.pos[0] : NULL;
    json_object *map = json_object_new_object();
    size_t rows = 0;
    for (size_t i = 0; i < n; i++) {
        if (only && strcmp(only, names[i]))
            continue;
        const funcp_runtime *rt = fp_registry_runtime(call->plugins.registry, names[i]);
        json_object *list = json_object_new_array();
        for (size_t t = 0; rt && t < rt->n_templates; t++) {
            const funcp_template *tp = fp_stride_at(rt->templates, t);
            json_object_array_add(list, json_object_new_string(tp->name));
            rows++;
        }
        json_object_object_add(map, names[i], list);
    }
    if (only && json_object_object_length(map) == 0) {
        json_object_put(map);
        return fp_cli_missing("runtime", only, FUNCP_ENOPLUGIN);
    }
    fp_format format = format_of(call);
    if (format == FP_FORMAT_TEXT && n == 0) {
        json_object_put(map);
        fprintf(stderr, "No runtime plugin is installed ('funcp plugins' shows the search path).\n");
        return FUNCP_OK;
    }
    if (format != FP_FORMAT_TEXT) {
        rc = fp_output_data(stdout, format, map);
        json_object_put(map);
        return rc;
    }
    const char **cells = calloc(rows ? rows * 2 : 1, sizeof *cells);
    if (!cells) {
        json_object_put(map);
        return fp_error_set(FUNCP_ERROR, "out of memory");
    }
    size_t r = 0;
    json_object_object_foreach(map, lang, list)
    {
        for (size_t t = 0; t < json_object_array_length(list); t++) {
            cells[r * 2] = lang;
            cells[r * 2 + 1] = json_object_get_string(json_object_array_get_idx(list, t));
            r++;
        }
    }
    static const char *const header[] = {"LANGUAGE", "TEMPLATE"};
    fp_output_table(stdout, header, 2, cells, rows);
    free(cells);
    json_object_put(map);
    return FUNCP_OK;
}

static const fp_flag json_flags[] = {
    {"json", 0, FP_FLAG_BOOL, "false", "Print as JSON (same as -o json)", NULL, NULL, NULL},
    {0},
};

const fp_command fp_cmd_languages = {
    .name = "languages",
    .usage = "languages",
    .summary = "List available function language runtimes",
    .description = "List the language runtimes that installed plugins provide; each is a\n"
                   "value for 'funcp create --language'.",
    .examples = "  funcp languages\n  funcp languages --json",
    .flags = json_flags,
    .min_args = 0,
    .max_args = 0,
    .run = run_languages,
};

const fp_command fp_cmd_templates = {
    .name = "templates",
    .usage = "templates [language]",
    .summary = "List available function templates",
    .description = "List the templates of every installed runtime (or of one), values for\n"
                   "'funcp create --template'.",
    .examples = "  funcp templates\n  funcp templates --json\n  funcp templates <runtime>",
    .flags = json_flags,
    .min_args = 0,
    .max_args = 1,
    .run = run_templates,
};
