/* deployer-wasmmodule internals. Everything goes through funcp_host; the
 * only library is json-c. */
#ifndef WM_H
#define WM_H

#include <json-c/json.h>

#include "funcp/plugin.h"
#include "pcom/json.h"
#include "pcom/kube.h"

#define WM_GROUP "wasm.serving.knative.dev"
#define WM_VERSION "v1alpha1"
#define WM_API_VERSION WM_GROUP "/" WM_VERSION
#define WM_KIND "WasmModule"
#define WM_DEPLOYER "wasm"
#define WM_DEFAULT_TIMEOUT_MS 120000LL /* func's k8s.DefaultWaitingTimeout */
#define WM_NOT_INSTALLED "WasmModule resource not installed in this cluster: " \
    "install knative-serving-wasm v0.2.0 (its CRD and controller)"

/* -- wm_json.c -------------------------------------------------------- */
/* The collection path, namespaced (ns non-NULL) or across namespaces. */
void wm_collection_path(char *buf, size_t size, const char *ns);
void wm_object_path(char *buf, size_t size, const char *ns, const char *name);
/* True when a 404 body is the plain "404 page not found" of an unserved
 * resource type rather than a Status object. */
int wm_not_served(const funcp_kube_response *r);
/* Status.message (or the body's first line) into buf. */
void wm_status_message(const funcp_kube_response *r, char *buf, size_t size);

/* -- wm_duration.c ---------------------------------------------------- */
/* Go's Duration.String for whole milliseconds ("2m0s", "1.5s"). */
void wm_format_duration(long long ms, char *buf, size_t size);

/* -- wm_build.c ------------------------------------------------------- */
/* The WasmModule for the function in `call`, image pinned by digest. */
int wm_build(const funcp_host *h, funcp_call *call, const char *ns, const char *image,
             json_object **out);

/* -- wm_apply.c ------------------------------------------------------- */
/* Create, or replace with a fresh resourceVersion (retrying conflicts).
 * *generation is the written object's metadata.generation; *created says
 * which happened. */
int wm_apply(const funcp_host *h, funcp_call *call, const char *ns, json_object *module,
             long long *generation, int *created);

/* -- wm_wait.c -------------------------------------------------------- */
/* Watch the module until Ready (URL into *url) while a second thread
 * watches its pods for CrashLoopBackOff/ImagePullBackOff/ErrImagePull
 * until a pod runs `image` (the module's spec.image) with its runner ready. */
int wm_wait_ready(const funcp_host *h, funcp_call *call, const char *ns, const char *name, const char *image,
                  long long generation, long long timeout_ms, const char *timeout_text, char **url);
enum { WM_POD_PENDING, WM_POD_FAILED, WM_POD_RUNNING };
/* What one pod says: its runner (user-container) fails to start (message
 * into msg), or is ready running `image` (NULL: never), or neither yet. */
int wm_pod_verdict(json_object *pod, const char *image, char *msg, size_t size);

/* -- wm_move.c -------------------------------------------------------- */
/* After a deploy to `ns`: remove the module from the namespace func.yaml
 * says it was last deployed to (deploy.namespace), as func does. */
int wm_move_cleanup(const funcp_host *h, funcp_call *call, const char *ns, const char *name);

/* -- entry points (plugin.c puts them in the descriptor) ---------------- */
/* Before funcp builds anything: the cluster answers and serves WasmModules
 * (wm_preflight.c). */
int wm_preflight(const funcp_host *h, funcp_call *call);
int wm_deploy(const funcp_host *h, funcp_call *call, const char *image, char **url);
int wm_describe(const funcp_host *h, funcp_call *call, const char *name, funcp_instance_fn fn, void *user);
int wm_list(const funcp_host *h, funcp_call *call, const char *ns, funcp_instance_fn fn, void *user);
int wm_remove(const funcp_host *h, funcp_call *call, const char *name);

#endif
