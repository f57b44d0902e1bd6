#include "cli/compat_flags.h"

#include <stdio.h>
#include <string.h>

#include "call.h"
#include "util/error.h"
#include "util/log.h"

typedef struct compat_note {
    const char *flag;
    int refuse;        /* going on would not do what was asked          */
    const char *why;
} compat_note;

static const compat_note notes[] = {
    {"confirm", 0, "funcp does not prompt; flags, FUNC_* variables and func.yaml give every value"},
    {"platform", 0, "a WebAssembly component runs on any platform; ignored"},
    {"builder-image", 0, "the wasm builder uses no builder image; ignored"},
    {"base-image", 0, "the wasm builder uses no base image (func's host builder only); ignored"},
    {"build-timestamp", 0, "only buildpacks images carry a build time; ignored"},
    {"management-disabled", 0, "funcp has no operator to hand the function to; ignored"},
    {"pvc-size", 0, "kept in func.yaml build.pvcSize for func's on-cluster builds, which funcp "
                    "does not run"},
    {"remote-storage-class", 0, "kept in func.yaml build.remoteStorageClass for func's "
                                "on-cluster builds, which funcp does not run"},
    {"remote", 1, "on-cluster (remote) builds are not supported by funcp: drop --remote to build "
                  "here and deploy"},
    {"git-url", 1, "git settings (--git-url --git-dir and --git-branch) are only applicable when "
                   "triggering remote deployments (--remote), which funcp does not support"},
    {"git-branch", 1, "git settings (--git-url --git-dir and --git-branch) are only applicable "
                      "when triggering remote deployments (--remote), which funcp does not support"},
    {"git-dir", 1, "git settings (--git-url --git-dir and --git-branch) are only applicable when "
                   "triggering remote deployments (--remote), which funcp does not support"},
};

/* A boolean flag counts only when true: --confirm=false asks for nothing. */
static const char *given(funcp_call *call, const char *flag)
{
    const fp_opt *o = fp_args_find(&call->args, flag);
    if (!o)
        return NULL;
    const char *v = o->value ? o->value : fp_args_env(&call->args, flag);
    if (v && o->flag->kind == FP_FLAG_BOOL && strcmp(v, "true"))
        return NULL;
    return v;
}

int fp_cli_note_unapplied(funcp_call *call)
{
    for (size_t i = 0; i < sizeof notes / sizeof notes[0]; i++) {
        const char *v = given(call, notes[i].flag);
        if (!v)
            continue;
        char where[96];
        if (fp_args_flag(&call->args, notes[i].flag))
            snprintf(where, sizeof where, "--%s", notes[i].flag);
        else
            fp_flag_env_name(notes[i].flag, where, sizeof where);
        if (notes[i].refuse)
            return fp_error_set(FUNCP_EUSAGE, "%s: %s", where, notes[i].why);
        fp_log(FUNCP_LOG_WARN, "%s: %s", where, notes[i].why);
    }
    return FUNCP_OK;
}
