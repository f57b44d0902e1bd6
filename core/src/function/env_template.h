/* knative func's "{{ kind:rest }}" value forms in run.envs and labels:
 * {{ env:VAR }}, {{ secret:name[:key] }}, {{ configMap:name[:key] }}. */
#ifndef FUNCP_FUNCTION_ENV_TEMPLATE_H
#define FUNCP_FUNCTION_ENV_TEMPLATE_H

#include <stddef.h>

/* Split value into kind ("env") and rest ("VAR", "name:key"), both
 * trimmed, when it is "{{ ... }}" with a ':' inside; else 0. */
int fp_env_template(const char *value, char *kind, size_t kind_size, char *rest, size_t rest_size);

#endif
