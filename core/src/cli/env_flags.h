/* -e/--env NAME=VALUE (repeatable, NAME- removes) merged into func.yaml
 * run.envs the way knative func's applyEnvs does: an existing name gets
 * the new value in place, new names are appended in the order given, a
 * removal of a name that is not there is an error. */
#ifndef FUNCP_CLI_ENV_FLAGS_H
#define FUNCP_CLI_ENV_FLAGS_H

#include <stddef.h>

struct funcp_call;
struct fp_funcyaml;

/* Apply `args` (n entries of "NAME=VALUE" / "NAME-") to doc's run.envs.
 * FUNCP_EUSAGE, doc unchanged, on an entry without "=" that does not end
 * with "-", a bad name, or removing an absent name; then, as func, the
 * merged list must pass func's validation (FUNCP_EPARSE naming `file`). */
int fp_env_args_apply(struct fp_funcyaml *doc, char *const *args, size_t n, const char *file);

/* fp_env_args_apply with the call's -e flags (nothing when none given). */
int fp_cli_apply_env_flags(struct funcp_call *call);

#endif
