/* deployer-knative: internal declarations shared by the plugin's files.
 * Everything reaches the cluster and func.yaml through the host table. */
#ifndef KN_H
#define KN_H

#include <json-c/json.h>
#include <stddef.h>

#include "funcp/plugin.h"
#include "pcom/fs.h"   /* pcom_strdup_printf */
#include "pcom/json.h"
#include "pcom/kube.h"

#define KN_SERVING "/apis/serving.knative.dev/v1"
#define KN_DEFAULT_TIMEOUT_MS 120000
#define KN_NOT_INSTALLED "Knative Serving is not installed in this cluster"
#define KN_ANN_DEPLOYER PCOM_ANN_DEPLOYER
#define KN_LABEL_NAME PCOM_LABEL_NAME
#define KN_LABEL_RUNTIME PCOM_LABEL_RUNTIME

/* ---- Kubernetes requests (kapi.c) ---- */
typedef struct kn_resp {
    long status;
    json_object *obj;    /* parsed body, or NULL when not JSON */
    char *text;          /* raw body (host memory, kept for messages) */
} kn_resp;

/* The namespace into *ns, or the error: `what` when the namespace is empty,
 * else the host's reason for having none (no kubeconfig, say), kept. */
int kn_namespace(const funcp_host *h, funcp_call *c, const char *what, const char **ns);
/* Send one request; FUNCP_OK when it reached the server (check r->status). */
int kn_request(const funcp_host *h, funcp_call *c, const char *method,
               const char *path, const char *body, kn_resp *r);
void kn_resp_free(const funcp_host *h, kn_resp *r);
/* A 404 whose body is not a Status object: the resource is not served. */
int kn_not_served(const kn_resp *r);
/* The Status message of an error response (or its text); never NULL. */
const char *kn_status_message(const kn_resp *r);
/* Set the call's error for a failed response: "<what>: <message>". */
int kn_fail(const funcp_host *h, funcp_call *c, const kn_resp *r, const char *what);

/* ---- func.yaml -> Service (service_map.c) ---- */
typedef struct kn_map_opts {
    const char *image;      /* pinned reference to deploy                 */
    const char *built;      /* BUILT value; NULL: local time now          */
    int dapr;               /* the cluster runs Dapr                       */
    /* Local environment lookup for {{ env:X }}; NULL: getenv. */
    const char *(*getenv_fn)(const char *name);
    /* Seven random characters for emptyDir volume names; NULL: random. */
    void (*random7)(char out[8]);
} kn_map_opts;

/* Names referenced by func.yaml that must exist in the namespace. */
typedef struct kn_refs {
    json_object *secrets, *config_maps, *pvcs; /* arrays of unique names */
    const char *service_account;  /* NULL when none/default; points into
                                     the Service built with these refs   */
    const char *image_pull_secret; /* deploy.imagePullSecret or NULL; the
                                      same lifetime                      */
} kn_refs;

/* Build the Service func would create. On error sets the call's error and
 * returns NULL. refs (optional) receives the referenced objects. */
json_object *kn_service_build(const funcp_host *h, funcp_call *c,
                              const kn_map_opts *o, kn_refs *refs);
void kn_refs_free(kn_refs *refs);
/* Apply `desired` (from kn_service_build) to the fetched Service `cur` in
 * place: func's update rules, keeping others' labels and annotations. */
void kn_service_update(json_object *cur, json_object *desired);

/* ---- pre-flight (preflight.c) ---- */
int kn_preflight(const funcp_host *h, funcp_call *c, const char *ns,
                 const kn_refs *refs);
/* funcp_deployer.preflight: before anything is built, the cluster answers
 * and serves Knative Services (and Triggers when func.yaml subscribes). */
int kn_cluster_preflight(const funcp_host *h, funcp_call *c);

/* ---- readiness (wait_ready.c) ---- */
/* Wait until generation `gen` of Service `name` is Ready. *url receives
 * status.url (malloc'ed). */
int kn_wait_ready(const funcp_host *h, funcp_call *c, const char *ns,
                  const char *name, int64_t gen, long long timeout_ms, char **url);
/* The uid of the Service seen Ready by the last kn_wait_ready (for owner
 * references), or NULL; valid until the next call in this thread. */
const char *kn_ready_uid(void);
/* Failure reporting (failure.c). */
int kn_revision_cause(const funcp_host *h, funcp_call *c, const char *ns,
                      const char *rev, char **cause);
void kn_print_logs(const funcp_host *h, funcp_call *c, const char *ns,
                   const char *rev, const char *pod);

/* ---- deploy.subscriptions (triggers.c) ---- */
/* Create/update the function's Triggers and delete those no longer listed
 * (none can be stale on a Service just created). uid: the Service's, or
 * NULL to fetch it. */
int kn_apply_triggers(const funcp_host *h, funcp_call *c, const char *ns, const char *name,
                      const char *uid, int created);
/* With subscriptions, Knative Eventing must be installed: checked first. */
int kn_triggers_preflight(const funcp_host *h, funcp_call *c, const char *ns);

/* ---- callbacks ---- */
int kn_deploy(const funcp_host *h, funcp_call *c, const char *image, char **url);
int kn_list(const funcp_host *h, funcp_call *c, const char *ns,
            funcp_instance_fn fn, void *user);
int kn_describe(const funcp_host *h, funcp_call *c, const char *name,
                funcp_instance_fn fn, void *user);
int kn_remove(const funcp_host *h, funcp_call *c, const char *name);
/* Foreground DELETE of the Service, waiting until it is gone (remove.c). */
int kn_delete_service(const funcp_host *h, funcp_call *c, const char *ns, const char *name, long long timeout);
/* After a deploy to `ns`: remove the function from the namespace func.yaml
 * says it was deployed to before, as func does on a namespace change
 * (move.c). */
int kn_move_cleanup(const funcp_host *h, funcp_call *c, const char *ns, const char *name, long long timeout);

/* A Service that is a function deployed by this deployer (or func's). */
int kn_is_function(json_object *svc);
/* Fill an instance from a Service object (list.c). */
void kn_instance_from(json_object *svc, funcp_instance *inst);

#endif
