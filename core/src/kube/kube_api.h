/* Kubernetes client of the funcp-net module: kubeconfig, REST, watch. */
#ifndef FUNCP_KUBE_API_H
#define FUNCP_KUBE_API_H

#include <stddef.h>

#include "funcp/plugin.h"
#include "net/net_module.h"

typedef struct fp_kube_options {
    size_t struct_size;
    const fp_net_hooks *hooks;
    const char *kubeconfig;   /* --kubeconfig; NULL: $KUBECONFIG, ~/.kube/config, in-cluster */
    const char *context;      /* --context                                  */
    const char *namespace_;   /* --namespace; NULL: the context's, else "default" */
} fp_kube_options;

typedef struct fp_kube_client fp_kube_client;

typedef struct fp_kube_api {
    size_t struct_size;
    /* Read the configuration and make a client (no request is sent). */
    int (*client_new)(const fp_kube_options *opts, fp_kube_client **client);
    void (*client_free)(fp_kube_client *client);
    /* The namespace chosen: option, context, or "default". */
    const char *(*namespace_of)(const fp_kube_client *client);
    /* One request; a non-2xx status is returned in response, not an error,
     * except 401: FUNCP_EAUTH naming the context (exec credentials are
     * fetched again once first). Connection and TLS failures are
     * FUNCP_ENETWORK. Safe to call from several threads at once. */
    int (*request)(fp_kube_client *client, const char *method, const char *path,
                   const char *body, funcp_kube_response *response);
    /* Watch a collection (see funcp_host.kube_watch): list it (items come
     * as ADDED), then stream from the list's resourceVersion; fn also gets
     * "PING" ("{}") about every 100 ms so it can stop an idle watch. */
    int (*watch)(fp_kube_client *client, const char *path, int timeout_ms,
                 funcp_watch_fn fn, void *user);
    /* Decode a Status object (or plain text body) into a clear message and
     * set the error; returns the funcp_status for `status`. */
    int (*status_error)(long status, const char *body, const char *what);
} fp_kube_api;

#endif
