/* YAML (or JSON) text into a json-c object tree. */
#ifndef FUNCP_KUBE_KUBECONFIG_YAML_H
#define FUNCP_KUBE_KUBECONFIG_YAML_H

#include <stddef.h>

#include <json-c/json.h>

/* *out is a json object, or NULL for an empty document. FUNCP_EPARSE with
 * file:line:column when the YAML is malformed or not a mapping. */
int fp_yaml_to_json(const char *data, size_t len, const char *file, json_object **out);

#endif
