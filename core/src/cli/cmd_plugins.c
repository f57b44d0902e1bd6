/* funcp plugins: what is installed, what each plugin provides, and why a
 * file was refused. The JSON shape is stable for scripts. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call.h"
#include "cli/commands.h"
#include "plugin/stride.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/output.h"
#include "util/term.h"

static json_object *str_or_null(const char *s)
{
    return s ? json_object_new_string(s) : NULL;
}

static json_object *artifact_kinds(unsigned kinds)
{
    json_object *a = json_object_new_array();
    if (kinds & FUNCP_ARTIFACT_WASM)
        json_object_array_add(a, json_object_new_string("wasm"));
    if (kinds & FUNCP_ARTIFACT_IMAGE)
        json_object_array_add(a, json_object_new_string("image"));
    return a;
}

static json_object *plugin_json(const fp_loaded_plugin *lp)
{
    const funcp_plugin *p = lp->plugin;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "name", json_object_new_string(p->name));
    json_object_object_add(o, "version", str_or_null(p->version));
    json_object_object_add(o, "description", str_or_null(p->description));
    json_object_object_add(o, "license", str_or_null(p->license));
    json_object_object_add(o, "path", json_object_new_string(lp->path));

    json_object *runtimes = json_object_new_array();
    for (size_t i = 0; i < p->n_runtimes; i++) {
        const funcp_runtime *rt = fp_stride_at(p->runtimes, i);
        json_object *r = json_object_new_object();
        json_object_object_add(r, "name", json_object_new_string(rt->name));
        json_object_object_add(r, "description", str_or_null(rt->description));
        json_object_object_add(r, "suffix", str_or_null(rt->suffix));
        json_object_object_add(r, "builder", str_or_null(rt->default_builder));
        json_object_object_add(r, "deployer", str_or_null(rt->default_deployer));
        json_object_object_add(r, "artifacts", artifact_kinds(rt->artifact));
        json_object *templates = json_object_new_array();
        for (size_t t = 0; t < rt->n_templates; t++) {
            const funcp_template *tp = fp_stride_at(rt->templates, t);
            json_object_array_add(templates, json_object_new_string(tp->name));
        }
        json_object_object_add(r, "templates", templates);
        json_object_array_add(runtimes, r);
    }
    json_object_object_add(o, "runtimes", runtimes);

    json_object *builders = json_object_new_array();
    for (size_t i = 0; i < p->n_builders; i++) {
        const funcp_builder *b = fp_stride_at(p->builders, i);
        json_object *r = json_object_new_object();
        json_object_object_add(r, "name", json_object_new_string(b->name));
        json_object *rts = json_object_new_array();
        for (size_t k = 0; b->runtimes && b->runtimes[k]; k++)
            json_object_array_add(rts, json_object_new_string(b->runtimes[k]));
        json_object_object_add(r, "runtimes", rts);
        json_object_object_add(r, "artifact", str_or_null(b->artifact_path));
        json_object_array_add(builders, r);
    }
    json_object_object_add(o, "builders", builders);

    json_object *deployers = json_object_new_array();
    for (size_t i = 0; i < p->n_deployers; i++) {
        const funcp_deployer *d = fp_stride_at(p->deployers, i);
        json_object *r = json_object_new_object();
        json_object_object_add(r, "name", json_object_new_string(d->name));
        json_object_object_add(r, "artifacts", artifact_kinds(d->artifacts));
        json_object_object_add(r, "default", json_object_new_boolean(d->is_default != 0));
        json_object_array_add(deployers, r);
    }
    json_object_object_add(o, "deployers", deployers);

    json_object *runners = json_object_new_array();
    for (size_t i = 0; i < p->n_runners; i++) {
        const funcp_runner *rn = fp_stride_at(p->runners, i);
        json_object *r = json_object_new_object();
        json_object_object_add(r, "name", json_object_new_string(rn->name));
        json_object_object_add(r, "artifacts", artifact_kinds(rn->artifacts));
        json_object_object_add(r, "priority", json_object_new_int(rn->priority));
        json_object_array_add(runners, r);
    }
    json_object_object_add(o, "runners", runners);
    return o;
}

static json_object *plugins_json(const fp_plugin_set *set)
{
    json_object *root = json_object_new_object();
    json_object *plugins = json_object_new_array();
    for (size_t i = 0; i < set->n_loaded; i++)
        json_object_array_add(plugins, plugin_json(&set->loaded[i]));
    json_object_object_add(root, "plugins", plugins);
    json_object *refused = json_object_new_array();
    for (size_t i = 0; i < set->n_refused; i++) {
        const fp_refused_plugin *r = &set->refused[i];
        json_object *o = json_object_new_object();
        json_object_object_add(o, "path", json_object_new_string(r->path));
        json_object_object_add(o, "reason", json_object_new_string(fp_refusal_name(r->reason)));
        json_object_object_add(o, "message", str_or_null(r->message));
        json_object_array_add(refused, o);
    }
    json_object_object_add(root, "refused", refused);
    /* Loaded plugins some of whose names were skipped because an earlier
     * plugin already provides them (first in search order wins). */
    json_object *warnings = json_object_new_array();
    for (size_t i = 0; i < set->n_warnings; i++)
        json_object_array_add(warnings, json_object_new_string(set->warnings[i]));
    json_object_object_add(root, "warnings", warnings);
    json_object *search = json_object_new_array();
    for (size_t i = 0; i < set->n_search_path; i++)
        json_object_array_add(search, json_object_new_string(set->search_path[i]));
    json_object_object_add(root, "searchPath", search);
    return root;
}

/* "a, b" from the names of an array member of `o`. */
static void join_names(json_object *o, const char *key, char *buf, size_t size)
{
    json_object *arr = json_object_object_get(o, key);
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < json_object_array_length(arr) && n < size; i++) {
        json_object *e = json_object_array_get_idx(arr, i);
        json_object *name = json_object_object_get(e, "name");
        n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? ", " : "",
                              json_object_get_string(name));
    }
    if (!buf[0])
        snprintf(buf, size, "-");
}

static void print_text(json_object *root)
{
    json_object *plugins = json_object_object_get(root, "plugins");
    size_t n = json_object_array_length(plugins);
    if (n == 0) {
        printf("No plugins installed.\n");
    } else {
        enum { COLS = 7 };
        static const char *const header[COLS] = {"NAME", "VERSION", "RUNTIMES", "BUILDERS",
                                                 "DEPLOYERS", "RUNNERS", "PATH"};
        const char **cells = calloc(n * COLS, sizeof *cells);
        char(*bufs)[4][256] = calloc(n, sizeof *bufs);
        if (!cells || !bufs) {
            free(cells);
            free(bufs);
            return;
        }
        for (size_t i = 0; i < n; i++) {
            json_object *p = json_object_array_get_idx(plugins, i);
            join_names(p, "runtimes", bufs[i][0], 256);
            join_names(p, "builders", bufs[i][1], 256);
            join_names(p, "deployers", bufs[i][2], 256);
            join_names(p, "runners", bufs[i][3], 256);
            cells[i * COLS + 0] = json_object_get_string(json_object_object_get(p, "name"));
            cells[i * COLS + 1] = json_object_get_string(json_object_object_get(p, "version"));
            for (int k = 0; k < 4; k++)
                cells[i * COLS + 2 + (size_t)k] = bufs[i][k];
            cells[i * COLS + 6] = json_object_get_string(json_object_object_get(p, "path"));
        }
        fp_output_table(stdout, header, COLS, cells, n);
        free(cells);
        free(bufs);
    }
    json_object *refused = json_object_object_get(root, "refused");
    if (json_object_array_length(refused) > 0) {
        printf("\nRefused:\n");
        for (size_t i = 0; i < json_object_array_length(refused); i++) {
            json_object *r = json_object_array_get_idx(refused, i);
            const char *path = json_object_get_string(json_object_object_get(r, "path"));
            const char *message = json_object_get_string(json_object_object_get(r, "message"));
            /* The message starts with the path the line already names. */
            size_t len = strlen(path);
            if (message && strncmp(message, path, len) == 0 && strncmp(message + len, ": ", 2) == 0)
                message += len + 2;
            printf("  %s: %s: %s\n", path,
                   json_object_get_string(json_object_object_get(r, "reason")),
                   message ? message : "");
        }
    }
    json_object *warnings = json_object_object_get(root, "warnings");
    if (json_object_array_length(warnings) > 0) {
        printf("\nWarnings:\n");
        for (size_t i = 0; i < json_object_array_length(warnings); i++)
            printf("  %s\n", json_object_get_string(json_object_array_get_idx(warnings, i)));
    }
    json_object *search = json_object_object_get(root, "searchPath");
    printf("\nSearch path:\n");
    for (size_t i = 0; i < json_object_array_length(search); i++) {
        /* A mistyped $FUNCP_PLUGIN_PATH entry would otherwise go unnoticed. */
        const char *dir = json_object_get_string(json_object_array_get_idx(search, i));
        printf("  %s%s\n", dir, fp_is_dir(dir) ? "" : " (does not exist)");
    }
}

static int run_plugins(funcp_call *call)
{
    int rc = fp_call_load_plugins(call);
    if (rc != FUNCP_OK)
        return rc;
    json_object *root = plugins_json(&call->plugins);
    if (call->format == FP_FORMAT_TEXT)
        print_text(root);
    else
        rc = fp_output_data(stdout, call->format, root);
    json_object_put(root);
    return rc;
}

static const fp_flag plugins_flags[] = {{0}};

const fp_command fp_cmd_plugins = {
    .name = "plugins",
    .usage = "plugins",
    .summary = "List installed plugins and refused plugin files",
    .description =
        "List the plugins funcp found: name, version, path and the runtimes, builders,\n"
        "deployers and runners each provides, then every file that was refused and why,\n"
        "and every name a plugin provides that was skipped because an earlier plugin\n"
        "already provides it.\n\n"
        "Plugins are searched in $FUNCP_PLUGIN_PATH (colon separated, first wins), then\n"
        "in funcp's plugin directory.",
    .examples = "  funcp plugins\n  funcp plugins -o json",
    .flags = plugins_flags,
    .min_args = 0,
    .max_args = 0,
    .run = run_plugins,
};
