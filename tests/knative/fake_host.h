/* A host services table for testing deployer-knative outside funcp:
 * func.yaml through the core's parser, options from a table, errors and
 * log lines captured for assertions. */
#ifndef KN_FAKE_HOST_H
#define KN_FAKE_HOST_H

#include <pthread.h>

#include "funcp/plugin.h"
#include "function/funcyaml.h"

#define FAKE_MAX_OPTS 16

struct funcp_call {
    fp_funcyaml *doc;
    const char *opt_name[FAKE_MAX_OPTS];
    const char *opt_value[FAKE_MAX_OPTS];
    int n_opts;
    char timeout_ms[32];     /* "timeout-ms", derived as the core does  */
    const char *ns;          /* kube_namespace()                        */
    const char *api;         /* base URL of the API server (kube tests) */
    int echo;                /* also print log lines to stderr          */
    int err_code;
    char err[8192];
    pthread_mutex_t mu;
    char *log;               /* every log line, "\n"-separated          */
    size_t log_len;
};

void fake_host_init(funcp_host *h);
/* Load func.yaml at `path` into the call (0 on success). */
int fake_call_init(funcp_call *c, const char *yaml_path);
int fake_call_init_text(funcp_call *c, const char *yaml);
void fake_call_set(funcp_call *c, const char *name, const char *value);
void fake_call_free(funcp_call *c);

/* fake_kube.c: kube_request/kube_watch with libcurl against c->api. */
void fake_host_init_kube(funcp_host *h);

#endif
