/* funcp run: build when needed, then serve the artifact locally with the
 * best available runner plugin until Ctrl-C. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call.h"
#include "cli/address.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/compat_flags.h"
#include "cli/env_flags.h"
#include "function/local_env.h"
#include "util/cancel.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"

static const char *kind_name(unsigned kind)
{
    return kind & FUNCP_ARTIFACT_WASM ? "wasm" : "image";
}

/* A run is a local experiment: -e/--env reaches the function but, as in
 * func, is never written to func.yaml. The environment is resolved now so
 * an unset {{ env:VAR }} stops the run before anything is built. */
static int resolve_run_env(funcp_call *call)
{
    size_t n;
    char *const *args = fp_args_list(&call->args, "env", &n);
    fp_funcyaml *doc = call->fy;
    char *text = NULL;
    if (n) {
        text = fp_funcyaml_dump(call->fy);
        doc = text ? fp_funcyaml_parse(text, strlen(text), call->funcyaml_path) : NULL;
        free(text);
        if (!doc)
            return fp_error_code() ? fp_error_code() : fp_error_set(FUNCP_ERROR, "out of memory");
    }
    int rc = fp_env_args_apply(doc, args, n, call->funcyaml_path);
    if (rc == FUNCP_OK)
        rc = fp_local_env(doc, &call->run_env);
    if (doc != call->fy)
        fp_funcyaml_free(doc);
    return rc;
}

static int run_run(funcp_call *call)
{
    fp_registry *reg;
    const char *runtime;
    const funcp_builder *builder;
    int rc = fp_cli_check_address("address", fp_args_get(&call->args, "address"));
    if (rc == FUNCP_OK)
        rc = fp_cli_address_free("address", fp_args_get(&call->args, "address"));
    if (rc != FUNCP_OK)
        return rc;
    rc = fp_cli_function_builder(call, &reg, &runtime, &builder);
    if (rc == FUNCP_OK)
        rc = fp_cli_note_unapplied(call);
    if (rc == FUNCP_OK)
        rc = resolve_run_env(call);
    if (rc != FUNCP_OK)
        return rc;
    unsigned kind = fp_registry_artifact_of(reg, runtime);
    /* Choose the runner first: no point building what nothing can run. */
    const funcp_runner *const *runners;
    size_t n = fp_registry_runners(reg, &runners);
    const funcp_runner *runner = NULL;
    size_t n_kind = 0;
    for (size_t i = 0; i < n && !runner; i++) {
        if (!(runners[i]->artifacts & kind))
            continue;
        n_kind++;
        fp_call_enter(call, fp_registry_owner(reg, runners[i]));
        if (!runners[i]->available || runners[i]->available(fp_host(), call))
            runner = runners[i];
        fp_call_enter(call, NULL);
        fp_error_clear();
    }
    if (!runner) {
        if (n_kind == 0) {
            fp_error_set(FUNCP_ENOPLUGIN,
                         "no runner for %s artifacts is installed; a runner plugin provides it",
                         kind_name(kind));
            const char *plugin = fp_cli_provider("runner", kind_name(kind));
            const char *origin = fp_cli_plugin_origin(plugin);
            if (plugin)
                fp_error_hint("the plugin %s provides one%s%s ('funcp plugins' lists what is "
                              "installed)", plugin, origin ? "; " : "", origin ? origin : "");
            return FUNCP_ENOPLUGIN;
        }
        return fp_error_set(FUNCP_ETOOLCHAIN,
                            "%zu runner(s) for %s artifacts are installed but none can work on "
                            "this machine (their tools are missing; see 'funcp plugins')",
                            n_kind, kind_name(kind));
    }
    const char *build = fp_args_get(&call->args, "build");
    if (strcmp(build, "false")) {
        int skipped;
        int force = !strcmp(build, "true") || fp_args_bool(&call->args, "force");
        rc = fp_cli_build(call, reg, runtime, builder, force, &skipped);
        if (rc != FUNCP_OK)
            return rc;
    }
    char *artifact = fp_cli_artifact(call, builder);
    if (!artifact)
        return fp_error_set(FUNCP_ERROR, "out of memory");
    if (!fp_exists(artifact)) {
        rc = fp_error_set(FUNCP_ENOTFOUND, "%s not found; build the function first", artifact);
        free(artifact);
        return rc;
    }
    const char *owner = fp_registry_owner(reg, runner);
    if (!runner->run) {
        free(artifact);
        return fp_cli_unsupported(owner, "run");
    }
    const char *address = fp_args_get(&call->args, "address");
    fp_log(FUNCP_LOG_INFO, "Running %s with runner \"%s\" on %s", artifact, runner->name, address);
    fp_call_enter(call, owner);
    rc = runner->run(fp_host(), call, artifact, address);
    fp_call_enter(call, NULL);
    rc = fp_cli_plugin_result(rc, owner, "run");
    /* Ctrl-C is how a run ends: a clean stop, not a failure. */
    if (rc == FUNCP_ECANCELED || (rc == FUNCP_OK && fp_cancelled())) {
        fp_error_clear();
        fp_cancel_reset();
        rc = FUNCP_OK;
    }
    free(artifact);
    return rc;
}

static const fp_flag run_flags[] = {
    FP_BUILD_FLAGS,
    {"build", 0, FP_FLAG_STRING, "auto",
     "Build first: auto (when sources changed), true or false", "auto|true|false", "true", NULL},
    {"address", 0, FP_FLAG_STRING, "127.0.0.1:8080", "Address to serve the function on (host:port)",
     NULL, NULL, NULL},
    FP_ENV_FLAG("for this run only (func.yaml is not changed)"),
    FP_COMPAT_CONFIRM,
    FP_COMPAT_BUILD_FLAGS,
    {0},
};

const fp_command fp_cmd_run = {
    .name = "run",
    .usage = "run",
    .summary = "Run the function locally",
    .description = "Build the function when its sources changed, then serve it on --address\n"
                   "with the best available runner plugin until Ctrl-C.",
    .examples = "  funcp run\n  funcp run --address 127.0.0.1:9090 --build=false",
    .flags = run_flags,
    .min_args = 0,
    .max_args = 0,
    .run = run_run,
};
