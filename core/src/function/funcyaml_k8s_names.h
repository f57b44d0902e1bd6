/* Kubernetes name rules as func applies them to func.yaml values. Each
 * returns 1 when the text passes, else 0 with k8s's reasons in why. */
#ifndef FUNCP_FUNCTION_FUNCYAML_K8S_NAMES_H
#define FUNCP_FUNCTION_FUNCYAML_K8S_NAMES_H

#include <stddef.h>

int fy_k8s_env_var_name(const char *name, char *why, size_t size);
/* IsDNS1123Subdomain (func's rule for --domain). */
int fy_k8s_subdomain(const char *s, char *why, size_t size);
/* An optional DNS subdomain prefix and '/', then a name of at most 63. */
int fy_k8s_label_key(const char *key, char *why, size_t size);
int fy_k8s_label_value(const char *value, char *why, size_t size);

#endif
