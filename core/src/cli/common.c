#include "cli/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/build_stamp.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"

/* Which packaged plugin provides what: only the text of a hint, so a user
 * missing a package knows its name. The table is generated at configure time
 * from the plugins' declarations; the core itself knows no runtime. */
static const struct {
    const char *kind, *name, *plugin;
} providers[] = {
#include "funcp_providers.inc"
};

/* How to get the plugins not built with funcp (funcp_plugin_origin). */
static const struct {
    const char *plugin, *origin;
} origins[] = {
#include "funcp_origins.inc"
};

const char *fp_cli_plugin_origin(const char *plugin)
{
    for (size_t i = 0; plugin && origins[i].plugin; i++)
        if (!strcmp(origins[i].plugin, plugin))
            return origins[i].origin;
    return NULL;
}

const char *fp_cli_provider(const char *kind, const char *name)
{
    for (size_t i = 0; i < sizeof providers / sizeof providers[0]; i++)
        if (!strcmp(providers[i].kind, kind) && !strcmp(providers[i].name, name))
            return providers[i].plugin;
    return NULL;
}

/* "a (deployer "x") or b (deployer "y")": every plugin providing a kind. */
static char *providers_of_kind(const char *kind)
{
    size_t size = 1;
    for (size_t i = 0; i < sizeof providers / sizeof providers[0]; i++)
        if (!strcmp(providers[i].kind, kind))
            size += strlen(providers[i].plugin) + strlen(providers[i].name) + strlen(kind) + 16;
    char *text = calloc(1, size);
    if (!text)
        return NULL;
    for (size_t i = 0; i < sizeof providers / sizeof providers[0]; i++) {
        if (strcmp(providers[i].kind, kind))
            continue;
        size_t used = strlen(text);
        snprintf(text + used, size - used, "%s%s (%s \"%s\")", used ? " or " : "",
                 providers[i].plugin, kind, providers[i].name);
    }
    return text;
}

int fp_cli_missing(const char *kind, const char *name, int code)
{
    const char *plugin = fp_cli_provider(kind, name);
    if (plugin)
        fp_error_set(code, "no %s \"%s\" is installed; it is provided by the plugin %s", kind,
                     name, plugin);
    else
        fp_error_set(code, "no %s \"%s\" is installed", kind, name);
    const char *origin = fp_cli_plugin_origin(plugin);
    fp_error_hint("%s%s'funcp plugins' lists the installed plugins and where funcp looks for them",
                  origin ? origin : "", origin ? "; " : "");
    return code;
}

int fp_cli_no_deployer(void)
{
    char *plugins = providers_of_kind("deployer");
    if (plugins && *plugins)
        fp_error_set(FUNCP_ENOPLUGIN, "no deployer plugin is installed; install %s", plugins);
    else
        fp_error_set(FUNCP_ENOPLUGIN, "no deployer plugin is installed");
    free(plugins);
    fp_error_hint("'funcp plugins' lists the installed plugins and where funcp looks for them");
    return FUNCP_ENOPLUGIN;
}

int fp_cli_unsupported(const char *plugin, const char *phase)
{
    return fp_error_set(FUNCP_ENOTSUPPORTED, "plugin \"%s\" does not support %s",
                        plugin ? plugin : "?", phase);
}

int fp_cli_plugin_result(int rc, const char *plugin, const char *phase)
{
    if (rc == FUNCP_OK)
        return FUNCP_OK;
    if (rc > 0)
        rc = FUNCP_ERROR;
    if (fp_error_code() == FUNCP_OK)
        fp_error_set(rc, "plugin \"%s\": %s failed", plugin ? plugin : "?", phase);
    return fp_error_code();
}

int fp_cli_check_namespace(const fp_args *args)
{
    if (!fp_args_find(args, "namespace"))
        return FUNCP_OK; /* FUNC_NAMESPACE is not this command's business */
    const char *ns = fp_args_get(args, "namespace");
    size_t n = ns ? strlen(ns) : 0;
    int ok = n <= 63;
    for (size_t i = 0; ok && i < n; i++) {
        char c = ns[i];
        ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && i && i != n - 1);
    }
    if (ok)
        return FUNCP_OK;
    char where[64] = "-n/--namespace";
    if (!fp_args_flag(args, "namespace"))
        fp_flag_env_name("namespace", where, sizeof where);
    return fp_error_set(FUNCP_EUSAGE,
                        "invalid namespace \"%s\" (%s): a namespace is a DNS-1123 label, at "
                        "most 63 lower case letters, digits and '-', starting and ending with a "
                        "letter or digit (^[a-z0-9]([-a-z0-9]*[a-z0-9])?$)",
                        ns, where);
}

int fp_cli_function(funcp_call *call, fp_registry **reg, const char **runtime)
{
    int rc = fp_call_load_plugins(call);
    if (rc == FUNCP_OK)
        rc = fp_call_load_function(call);
    if (rc == FUNCP_OK) /* func's Validate: bad envs stop a command before any build */
        rc = fp_funcyaml_validate(call->fy, call->funcyaml_path);
    if (rc != FUNCP_OK)
        return rc;
    *reg = call->plugins.registry;
    *runtime = fp_funcyaml_get(call->fy, "runtime");
    if (!*runtime || !**runtime) {
        fp_error_set(FUNCP_EPARSE, "%s: no runtime is set", call->funcyaml_path);
        char *typos = fp_funcyaml_typo_hints(call->fy, call->funcyaml_path);
        if (typos)
            fp_error_hint("%s", typos);
        free(typos);
        return FUNCP_EPARSE;
    }
    if (!fp_registry_runtime(*reg, *runtime) && fp_cli_provider("runtime", *runtime))
        return fp_cli_missing("runtime", *runtime, FUNCP_ENOPLUGIN);
    return FUNCP_OK;
}

static int name_registered(size_t n, const char *const *names, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(names[i], name))
            return 1;
    return 0;
}

int fp_cli_builder(funcp_call *call, fp_registry *reg, const char *runtime,
                   const funcp_builder **builder)
{
    const char *flag = fp_args_flag(&call->args, "builder");
    const char *in_yaml = fp_funcyaml_get(call->fy, "build.builder");
    fp_choice choice = fp_registry_resolve_builder(reg, runtime, flag, in_yaml);
    if (!choice.value) /* FUNC_BUILDER is not explicit: it loses to inference */
        choice.value = fp_args_env(&call->args, "builder");
    if (!choice.value) {
        fp_error_set(FUNCP_ENOPLUGIN, "no installed plugin builds runtime \"%s\"", runtime);
        fp_error_hint("to deploy an image built elsewhere: funcp deploy --image <ref> --build=false");
        return FUNCP_ENOPLUGIN;
    }
    const char *const *names;
    size_t n = fp_registry_builder_names(reg, &names);
    if (!name_registered(n, names, choice.value) && fp_cli_provider("builder", choice.value))
        return fp_cli_missing("builder", choice.value, FUNCP_ENOPLUGIN);
    int rc = fp_registry_check_builder(reg, runtime, choice.value);
    if (rc != FUNCP_OK)
        return rc;
    *builder = fp_registry_builder(reg, choice.value, runtime);
    if (!*builder)
        return fp_cli_missing("builder", choice.value, FUNCP_ENOPLUGIN);
    if (choice.origin == FP_ORIGIN_FLAG && flag)
        return fp_funcyaml_set(call->fy, "build.builder", flag);
    return FUNCP_OK;
}

int fp_cli_function_builder(funcp_call *call, fp_registry **reg, const char **runtime,
                            const funcp_builder **builder)
{
    int rc = fp_cli_function(call, reg, runtime);
    if (rc == FUNCP_OK)
        rc = fp_cli_builder(call, *reg, *runtime, builder);
    return rc;
}

int fp_cli_deployer(funcp_call *call, fp_registry *reg, const char *runtime,
                    const funcp_deployer **deployer)
{
    const char *flag = fp_args_flag(&call->args, "deployer");
    const char *in_yaml = fp_funcyaml_get(call->fy, "deploy.deployer");
    fp_choice choice = fp_registry_resolve_deployer(reg, runtime, flag, in_yaml);
    /* FUNC_DEPLOYER/FUNC_DEPLOY_TYPE are not explicit, as in func: inference
     * (wasm for *-wasi) wins over them, they win over the static default. */
    const char *env = fp_args_env(&call->args, "deployer");
    if (env && (!choice.value || choice.origin == FP_ORIGIN_DEFAULT))
        choice.value = env;
    if (!choice.value) {
        fp_error_set(FUNCP_ENOPLUGIN, "no installed plugin deploys runtime \"%s\"", runtime);
        fp_error_hint("'funcp plugins' lists the installed deployers");
        return FUNCP_ENOPLUGIN;
    }
    if (!fp_registry_deployer(reg, choice.value) && fp_cli_provider("deployer", choice.value))
        return fp_cli_missing("deployer", choice.value, FUNCP_ENOPLUGIN);
    int rc = fp_registry_check_deployer(reg, runtime, choice.value);
    if (rc != FUNCP_OK)
        return rc;
    *deployer = fp_registry_deployer(reg, choice.value);
    if (!*deployer)
        return fp_cli_missing("deployer", choice.value, FUNCP_ENOPLUGIN);
    if (choice.origin == FP_ORIGIN_FLAG && flag)
        return fp_funcyaml_set(call->fy, "deploy.deployer", flag);
    return FUNCP_OK;
}

int fp_cli_describe_named(funcp_call *call, const char **name, fp_instances *set)
{
    set->items = NULL;
    set->deployer = NULL;
    int rc = fp_call_load_plugins(call);
    if (rc == FUNCP_OK)
        rc = fp_instances_name(call, name);
    if (rc != FUNCP_OK)
        return rc;
    set->items = json_object_new_array();
    const funcp_deployer *deployer;
    return fp_instances_find(call, *name, &deployer, set);
}

char *fp_cli_artifact(funcp_call *call, const funcp_builder *builder)
{
    const char *rel = builder && builder->artifact_path ? builder->artifact_path : "module.wasm";
    return fp_path_join(call->root, rel);
}

int fp_cli_no_image(funcp_call *call)
{
    fp_error_set(FUNCP_EUSAGE, "function \"%s\": no image reference configured",
                 fp_funcyaml_get(call->fy, "name"));
    fp_error_hint("give --registry (e.g. -r localhost:5000/me) or --image");
    return FUNCP_EUSAGE;
}

char *fp_cli_image(funcp_call *call)
{
    const char *flag_image = fp_args_flag(&call->args, "image");
    const char *flag_registry = fp_args_flag(&call->args, "registry");
    const char *flag_insecure = fp_args_flag(&call->args, "registry-insecure");
    if ((flag_image && fp_funcyaml_set(call->fy, "image", flag_image) != FUNCP_OK) ||
        (flag_registry && fp_funcyaml_set(call->fy, "registry", flag_registry) != FUNCP_OK) ||
        (flag_insecure && fp_funcyaml_set(call->fy, "registryInsecure", flag_insecure) != FUNCP_OK))
        return NULL;
    fp_error_clear();
    const char *image = fp_args_get(&call->args, "image");
    if (!image || !*image)
        image = fp_funcyaml_get(call->fy, "image");
    if (image && *image)
        return strdup(image);
    const char *registry = fp_args_get(&call->args, "registry");
    if (!registry || !*registry)
        registry = fp_funcyaml_get(call->fy, "registry");
    const char *name = fp_funcyaml_get(call->fy, "name");
    if (!registry || !*registry || !name || !*name)
        return NULL;
    size_t rl = strlen(registry);
    while (rl > 0 && registry[rl - 1] == '/')
        rl--;
    size_t size = rl + strlen(name) + 16;
    char *out = malloc(size);
    if (out)
        snprintf(out, size, "%.*s/%s:latest", (int)rl, registry, name);
    return out;
}

/* ---- build stamp -------------------------------------------------------- */

static char *stamp_extra(funcp_call *call, const char *runtime, const funcp_builder *builder)
{
    /* func.yaml itself changes on every deploy (deploy.image); only what
     * shapes a build takes part: the runtime, the builder and build.*. */
    char *build = fp_funcyaml_json(call->fy, "build");
    size_t size = strlen(runtime) + strlen(builder->name) + (build ? strlen(build) : 0) + 8;
    char *extra = malloc(size);
    if (extra)
        snprintf(extra, size, "%s\n%s\n%s", runtime, builder->name, build ? build : "");
    free(build);
    return extra;
}

static char *stamp_path(funcp_call *call)
{
    return fp_path_join(call->root, ".funcp/built");
}

int fp_cli_up_to_date(funcp_call *call, const char *runtime, const funcp_builder *builder)
{
    char *artifact = fp_cli_artifact(call, builder);
    char *path = stamp_path(call);
    char *extra = stamp_extra(call, runtime, builder);
    char *stored = NULL;
    char hex[17];
    int fresh = artifact && path && extra && fp_exists(artifact) &&
                fp_read_file(path, &stored, NULL) == FUNCP_OK &&
                fp_build_stamp_builder_hash(call->root, extra, builder, hex) == FUNCP_OK &&
                !strncmp(stored, hex, 16) && (stored[16] == '\n' || stored[16] == '\0');
    fp_error_clear();
    free(artifact);
    free(path);
    free(extra);
    free(stored);
    return fresh;
}

int fp_cli_build(funcp_call *call, fp_registry *reg, const char *runtime,
                 const funcp_builder *builder, int force, int *skipped)
{
    *skipped = 0;
    if (!force && fp_cli_up_to_date(call, runtime, builder)) {
        /* Said even when piped: otherwise a log shows no build and no reason. */
        fp_log(FUNCP_LOG_NOTICE, "Function is up to date (use --force to rebuild)");
        *skipped = 1;
        return FUNCP_OK;
    }
    const char *owner = fp_registry_owner(reg, builder);
    if (!builder->build)
        return fp_cli_unsupported(owner, "build");
    fp_log(FUNCP_LOG_INFO, "Building function with builder \"%s\"", builder->name);
    fp_call_enter(call, owner);
    int rc = builder->build(fp_host(), call);
    fp_call_enter(call, NULL);
    rc = fp_cli_plugin_result(rc, owner, "build");
    if (rc != FUNCP_OK)
        return rc;
    char *artifact = fp_cli_artifact(call, builder);
    if (!artifact)
        return fp_error_set(FUNCP_ERROR, "out of memory");
    if (!fp_exists(artifact)) {
        rc = fp_error_set(FUNCP_EBUILD, "builder \"%s\" reported success but produced no %s",
                          builder->name, artifact);
        free(artifact);
        return rc;
    }
    free(artifact);
    /* Hash after the build: tools may touch sources (go mod tidy). */
    char *extra = stamp_extra(call, runtime, builder);
    char *dir = fp_path_join(call->root, ".funcp");
    char *path = stamp_path(call);
    char hex[17], line[32];
    rc = !extra || !dir || !path ? fp_error_set(FUNCP_ERROR, "out of memory")
                                 : fp_build_stamp_builder_hash(call->root, extra, builder, hex);
    if (rc == FUNCP_OK)
        rc = fp_mkdir_p(dir);
    if (rc == FUNCP_OK) {
        int n = snprintf(line, sizeof line, "%s\n", hex);
        rc = fp_write_file_atomic(path, line, (size_t)n);
    }
    free(extra);
    free(dir);
    free(path);
    return rc;
}

int fp_cli_push(funcp_call *call, const char *artifact, const char *image,
                funcp_oci_result *result)
{
    memset(result, 0, sizeof *result);
    result->struct_size = sizeof *result;
    if (!fp_exists(artifact))
        return fp_error_set(FUNCP_ENOTFOUND, "%s not found; run 'funcp build' first", artifact);
    fp_log(FUNCP_LOG_INFO, "Pushing %s", image);
    int rc = fp_host()->oci_push_wasm(call, artifact, image, result);
    if (rc != FUNCP_OK)
        return fp_error_code() ? fp_error_code() : rc;
    return fp_funcyaml_set(call->fy, "deploy.image", result->image);
}
