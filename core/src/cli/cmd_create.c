/* funcp create: a new function from a runtime plugin's template. Written
 * into a temporary sibling directory and moved into place at the end, so a
 * failure leaves nothing behind. */
#include <dirent.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "call.h"
#include "cli/commands.h"
#include "cli/compat_flags.h"
#include "cli/common.h"
#include "plugin/stride.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/output.h"

static int unknown_runtime(fp_registry *reg, const char *name)
{
    const char *const *names;
    size_t n = fp_registry_runtime_names(reg, &names);
    const char *plugin = fp_cli_provider("runtime", name);
    if (plugin) {
        fp_error_set(FUNCP_ENOPLUGIN, "runtime \"%s\" is provided by the plugin %s, which is not installed",
                     name, plugin);
        char *list = n ? fp_format_list(names, n) : NULL;
        const char *origin = fp_cli_plugin_origin(plugin);
        /* The plugin built apart from funcp says how to build it. */
        fp_error_hint("%s%s%s%s%s'funcp plugins' shows where funcp looks for plugins",
                      origin ? origin : "", origin ? "\n" : "", list ? "installed runtimes: " : "",
                      list ? list : "", list ? "; " : "");
        free(list);
        return FUNCP_ENOPLUGIN;
    }
    if (n == 0) {
        fp_error_set(FUNCP_ENOPLUGIN, "unknown runtime \"%s\": no runtime plugin is installed",
                     name);
        fp_error_hint("'funcp plugins' shows where funcp looks for plugins");
        return FUNCP_ENOPLUGIN;
    }
    char *list = fp_format_list(names, n);
    fp_error_set(FUNCP_ENOPLUGIN, "unknown runtime \"%s\"; installed runtimes: %s", name,
                 list ? list : "?");
    free(list);
    return FUNCP_ENOPLUGIN;
}

static int check_template(const funcp_runtime *rt, const char *name)
{
    const char *names[32];
    size_t n = 0;
    for (size_t i = 0; i < rt->n_templates; i++) {
        const funcp_template *t = fp_stride_at(rt->templates, i);
        if (!strcmp(t->name, name))
            return FUNCP_OK;
        if (n < 32)
            names[n++] = t->name;
    }
    char *list = fp_format_list(names, n);
    fp_error_set(FUNCP_EUSAGE, "unknown template \"%s\" for runtime \"%s\"; available: %s", name,
                 rt->name, n && list ? list : "none");
    free(list);
    return FUNCP_EUSAGE;
}

/* Move every entry of `from` into the existing empty directory `to`
 * (keeping `to` itself: it may be the user's shell's working directory). */
static int move_entries(const char *from, const char *to)
{
    DIR *d = opendir(from);
    if (!d)
        return fp_error_set(FUNCP_EIO, "read %s: %s", from, strerror(errno));
    struct dirent *e;
    int rc = FUNCP_OK;
    while (rc == FUNCP_OK && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char *src = fp_path_join(from, e->d_name), *dst = fp_path_join(to, e->d_name);
        if (!src || !dst)
            rc = fp_error_set(FUNCP_ERROR, "out of memory");
        else if (rename(src, dst) != 0)
            rc = fp_error_set(FUNCP_EIO, "move %s to %s: %s", src, dst, strerror(errno));
        free(src);
        free(dst);
    }
    closedir(d);
    if (rc != FUNCP_OK) {
        /* Undo: the target held nothing before, so empty it again. */
        DIR *t = opendir(to);
        while (t && (e = readdir(t))) {
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
                char *p = fp_path_join(to, e->d_name);
                if (p)
                    fp_remove_tree(p);
                free(p);
            }
        }
        if (t)
            closedir(t);
        return rc;
    }
    if (rmdir(from) != 0)
        return fp_error_set(FUNCP_EIO, "remove %s: %s", from, strerror(errno));
    return FUNCP_OK;
}

static int write_function(funcp_call *call, const funcp_runtime *rt, const char *owner,
                          const char *name, const char *template_name, const char *tmp)
{
    call->fy = fp_funcyaml_new();
    if (!call->fy)
        return fp_error_set(FUNCP_ERROR, "out of memory");
    char created[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);
    int rc = fp_funcyaml_set(call->fy, "specVersion", FP_FUNCYAML_SPEC_VERSION);
    if (rc == FUNCP_OK)
        rc = fp_funcyaml_set(call->fy, "name", name);
    if (rc == FUNCP_OK)
        rc = fp_funcyaml_set(call->fy, "runtime", rt->name);
    if (rc == FUNCP_OK)
        rc = fp_funcyaml_set(call->fy, "created", created);
    if (rc != FUNCP_OK)
        return rc;
    fp_call_enter(call, owner);
    rc = rt->create(fp_host(), call, template_name, tmp);
    fp_call_enter(call, NULL);
    rc = fp_cli_plugin_result(rc, owner, "create");
    if (rc != FUNCP_OK)
        return rc;
    return fp_funcyaml_save(call->fy, call->funcyaml_path);
}

/* The function's name is its directory's. */
static int check_new_name(funcp_call *call)
{
    char *path = call->args.n_pos ? fp_path_absolute(call->args.pos[0]) : strdup(call->root);
    char *name = path ? fp_path_basename(path) : NULL;
    int rc = name ? fp_funcyaml_check_new_name(name) : fp_error_set(FUNCP_ERROR, "out of memory");
    if (rc == FUNCP_EUSAGE)
        fp_error_wrap("function name from directory %s", path);
    free(name);
    free(path);
    return rc;
}

static int run_create(funcp_call *call)
{
    if (fp_cli_note_unapplied(call) != FUNCP_OK)
        return fp_error_code();
    const char *lang = fp_args_flag(&call->args, "language");
    if (!lang)
        lang = fp_args_flag(&call->args, "runtime");
    if (!lang)
        lang = fp_args_env(&call->args, "language");
    if (!lang)
        lang = fp_args_env(&call->args, "runtime");
    const char *template_name = fp_args_get(&call->args, "template");
    /* Both name the directory: two different ones is a mistake, not a choice. */
    const char *flag_path = fp_args_flag(&call->args, "path");
    if (call->args.n_pos && flag_path && *flag_path) {
        char *arg = fp_path_absolute(call->args.pos[0]);
        int same = arg && !strcmp(arg, call->root);
        free(arg);
        if (!same)
            return fp_error_set(FUNCP_EUSAGE,
                                "path argument \"%s\" and --path \"%s\" name different "
                                "directories; give one",
                                call->args.pos[0], flag_path);
    }
    /* The name comes first, as in func: a bad one is a usage error before
     * plugins or flags are looked at, and nothing is written. */
    int rc = check_new_name(call);
    if (rc != FUNCP_OK)
        return rc;
    rc = fp_call_load_plugins(call);
    if (rc != FUNCP_OK)
        return rc;
    fp_registry *reg = call->plugins.registry;
    if (!lang || !*lang) {
        const char *const *names;
        size_t n = fp_registry_runtime_names(reg, &names);
        char *list = n ? fp_format_list(names, n) : NULL;
        fp_error_set(FUNCP_EUSAGE, "required flag -l/--language is not set; %s%s",
                     n ? "available runtimes: " : "no runtime plugin is installed",
                     list ? list : "");
        free(list);
        return FUNCP_EUSAGE;
    }

    char *path = call->args.n_pos ? fp_path_absolute(call->args.pos[0]) : strdup(call->root);
    char *name = path ? fp_path_basename(path) : NULL;
    char *parent = path ? fp_path_dirname(path) : NULL;
    char *tmp = NULL;
    if (!path || !name || !parent) {
        rc = fp_error_set(FUNCP_ERROR, "out of memory");
        goto out;
    }
    int exists;
    if (!fp_dir_is_empty(path, &exists)) {
        rc = fp_error_set(FUNCP_EEXISTS, "%s already exists and is not an empty directory", path);
        fp_error_hint("create the function in a new or empty directory");
        goto out;
    }
    const funcp_runtime *rt = fp_registry_runtime(reg, lang);
    if (!rt) {
        rc = unknown_runtime(reg, lang);
        goto out;
    }
    rc = check_template(rt, template_name);
    if (rc != FUNCP_OK)
        goto out;
    const char *owner = fp_registry_owner(reg, rt);
    if (!rt->create) {
        rc = fp_cli_unsupported(owner, "create");
        goto out;
    }
    rc = fp_mkdir_p(parent);
    if (rc != FUNCP_OK)
        goto out;
    size_t tl = strlen(parent) + strlen(name) + 32;
    tmp = malloc(tl);
    if (!tmp) {
        rc = fp_error_set(FUNCP_ERROR, "out of memory");
        goto out;
    }
    snprintf(tmp, tl, "%s/.%s.funcp-XXXXXX", parent, name);
    if (!mkdtemp(tmp)) {
        rc = fp_error_set(FUNCP_EIO, "create a directory in %s: %s", parent, strerror(errno));
        free(tmp);
        tmp = NULL;
        goto out;
    }
    /* mkdtemp makes it private; a function directory gets the usual mode. */
    mode_t mask = umask(0);
    umask(mask);
    chmod(tmp, 0777 & ~mask);
    /* The plugin works in the temporary directory: it is the root for now. */
    free(call->root);
    free(call->funcyaml_path);
    call->root = strdup(tmp);
    call->funcyaml_path = fp_path_join(tmp, FP_FUNCYAML_FILE);
    if (!call->root || !call->funcyaml_path) {
        rc = fp_error_set(FUNCP_ERROR, "out of memory");
        goto out;
    }
    rc = write_function(call, rt, owner, name, template_name, tmp);
    if (rc == FUNCP_OK) {
        if (exists)
            rc = move_entries(tmp, path);
        else if (rename(tmp, path) != 0)
            rc = fp_error_set(FUNCP_EIO, "move %s to %s: %s", tmp, path, strerror(errno));
    }
    if (rc != FUNCP_OK)
        goto out;
    /* Saved already; nothing is left for the end of the command to write. */
    fp_funcyaml_free(call->fy);
    call->fy = NULL;
    if (call->format == FP_FORMAT_TEXT) {
        printf("Created %s function in %s\n", rt->name, path);
    } else {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "name", json_object_new_string(name));
        json_object_object_add(o, "runtime", json_object_new_string(rt->name));
        json_object_object_add(o, "template", json_object_new_string(template_name));
        json_object_object_add(o, "path", json_object_new_string(path));
        rc = fp_output_data(stdout, call->format, o);
        json_object_put(o);
    }
out:
    if (tmp && fp_exists(tmp)) {
        int saved = fp_error_code();
        char msg[1024];
        snprintf(msg, sizeof msg, "%s", fp_error_message());
        fp_remove_tree(tmp);
        if (saved)
            fp_error_set(saved, "%s", msg);
    }
    free(tmp);
    free(path);
    free(name);
    free(parent);
    return rc;
}

static const fp_flag create_flags[] = {
    {"language", 'l', FP_FLAG_STRING, NULL, "Language runtime (see 'funcp languages')", NULL,
     NULL, NULL},
    {"runtime", 0, FP_FLAG_STRING, NULL, "Same as --language", NULL, NULL, NULL},
    {"template", 't', FP_FLAG_STRING, "http", "Function template (see 'funcp templates')", NULL,
     NULL, NULL},
    FP_COMPAT_CONFIRM,
    {0},
};

const fp_command fp_cmd_create = {
    .name = "create",
    .aliases = "init",
    .usage = "create [path]",
    .summary = "Create a function",
    .description =
        "Create a new function project in the given directory (default: the current\n"
        "directory, which must then be empty). The function is named after the\n"
        "directory. The runtime comes from an installed plugin ('funcp languages').\n"
        "func.yaml records the runtime; the builder and deployer are inferred later.",
    .examples = "  # The runtimes and templates the installed plugins offer\n"
                "  funcp languages\n  funcp templates\n\n"
                "  # A function of runtime <runtime>, in ./hello\n"
                "  funcp create -l <runtime> hello\n\n"
                "  # From the http template, in the current (empty) directory\n"
                "  funcp create --language <runtime> --template http",
    .flags = create_flags,
    .min_args = 0,
    .max_args = 1,
    .run = run_create,
};
