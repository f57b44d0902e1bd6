/* Exec credential plugins (client.authentication.k8s.io v1 and v1beta1):
 * run the configured command and read an ExecCredential from its stdout. */
#ifndef FUNCP_KUBE_EXEC_H
#define FUNCP_KUBE_EXEC_H

#include <stddef.h>
#include <time.h>

#include "kube/kubeconfig.h"

typedef struct fp_kube_exec_cred {
    char *token;
    char *cert; size_t cert_len;  /* PEM */
    char *key; size_t key_len;    /* PEM */
    time_t expiry;                /* 0: does not expire */
} fp_kube_exec_cred;

/* Run the plugin (non-interactive; its stderr goes to ours, like kubectl).
 * Errors name the command, never its output (it holds secrets). */
int fp_kube_exec_run(const fp_kube_exec *exec, const fp_kube_config *cfg, fp_kube_exec_cred *out);
void fp_kube_exec_cred_free(fp_kube_exec_cred *cred);

/* Parse an ExecCredential document; `api_version` is the one asked for. */
int fp_kube_exec_parse(const char *json, const char *api_version, const char *command,
                       fp_kube_exec_cred *out);

/* RFC 3339 ("2026-01-02T03:04:05Z", fractions and offsets allowed) to
 * time_t; -1 when malformed. */
time_t fp_kube_parse_time(const char *s);

#endif
