/* run.envs resolved for a function running on this machine (funcp run):
 * "NAME=VALUE" strings, with {{ env:VAR }} read from funcp's environment
 * as knative func does when it deploys. Secret and ConfigMap references
 * exist only in a cluster: each one is named in a warning and left out. */
#ifndef FUNCP_FUNCTION_LOCAL_ENV_H
#define FUNCP_FUNCTION_LOCAL_ENV_H

struct fp_funcyaml;

/* *out: malloc'ed NULL-terminated array of malloc'ed strings (free with
 * fp_local_env_free). FUNCP_EUSAGE naming the entry when a {{ env:VAR }}
 * names an unset variable or a {{ ... }} form is not one func knows. */
int fp_local_env(const struct fp_funcyaml *doc, char ***out);
void fp_local_env_free(char **env);

#endif
