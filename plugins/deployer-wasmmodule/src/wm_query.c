/* deploy, describe, list and remove: the deployer's entry points. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pcom/timeout.h"
#include "wm.h"

#define LIST_LIMIT 500
#define MAX_EVENTS 10

static int need_kube(const funcp_host *h, funcp_call *call)
{
    if (!funcp_host_has(h, kube_request) || !funcp_host_has(h, kube_watch) || !funcp_host_has(h, kube_namespace))
        return h->error(call, FUNCP_ENOTSUPPORTED, "this funcp has no Kubernetes client for deployer \"wasm\"");
    return FUNCP_OK;
}

/* The namespace into *ns, or the error: "<what>: namespace required" when
 * it is empty, else the host's reason for having none (no kubeconfig, say),
 * kept with "<what>" in front: the namespace is not the cause then. */
static int namespace_of(const funcp_host *h, funcp_call *call, const char *what, const char **ns)
{
    *ns = h->kube_namespace(call);
    if (*ns && **ns)
        return FUNCP_OK;
    if (*ns)
        return h->error(call, FUNCP_EUSAGE, "%s: namespace required", what);
    return h->error_wrap(call, "%s", what);
}

/* The registry host of a reference, as the runner judges it: the part
 * before the first '/' when it looks like a host, else docker.io. */
static void registry_host(const char *image, char *buf, size_t size)
{
    if (strncmp(image, "oci://", 6) == 0)
        image += 6;
    size_t n = strcspn(image, "/");
    if (image[n] == '/' && (memchr(image, '.', n) || memchr(image, ':', n) || (n == 9 && !strncmp(image, "localhost", 9))))
        snprintf(buf, size, "%.*s", (int)n, image);
    else
        snprintf(buf, size, "docker.io");
}

/* The PR leaves insecure registries to the cluster: the runner pulls over
 * plain HTTP only from hosts in knative-wasm/config-runner's
 * insecure-registries. Say so when the function's registry is insecure and
 * the cluster does not list it. */
static void check_insecure_registry(const funcp_host *h, funcp_call *call, const char *image)
{
    const char *insecure = h->fy_get(call, "registryInsecure");
    if (!insecure || strcmp(insecure, "true") != 0)
        return;
    char host[256];
    registry_host(image, host, sizeof host);
    funcp_kube_response r = {sizeof r, 0, NULL, 0};
    int listed = 0;
    if (h->kube_request(call, "GET", "/api/v1/namespaces/knative-wasm/configmaps/config-runner", NULL, &r) == FUNCP_OK &&
        r.status == 200) {
        json_object *cm = json_tokener_parse(r.body);
        const char *list = pcom_jstr(cm, "data.insecure-registries");
        for (const char *p = list; p && *p; p += strcspn(p, "\n"), p += *p == '\n') {
            const char *s = p + strspn(p, " \t-\"'");
            size_t len = strcspn(s, " \t\"'\r\n");
            if (len == strlen(host) && strncasecmp(s, host, len) == 0)
                listed = 1;
        }
        json_object_put(cm);
    }
    h->free(r.body);
    if (!listed)
        h->log(call, FUNCP_LOG_WARN,
               "registry %s is insecure for this function, but the cluster's runner pulls it over HTTPS unless "
               "ConfigMap knative-wasm/config-runner lists it under insecure-registries", host);
}

int wm_deploy(const funcp_host *h, funcp_call *call, const char *image, char **url)
{
    *url = NULL;
    int rc = need_kube(h, call);
    if (rc < 0)
        return rc;
    const char *ns;
    if ((rc = namespace_of(h, call, "deploy", &ns)) != FUNCP_OK)
        return rc;
    long long timeout_ms;
    char timeout_text[64];
    if ((rc = pcom_timeout_ms(h, call, WM_DEFAULT_TIMEOUT_MS, &timeout_ms)) != FUNCP_OK)
        return rc;
    wm_format_duration(timeout_ms, timeout_text, sizeof timeout_text);

    json_object *module;
    rc = wm_build(h, call, ns, image, &module);
    if (rc < 0)
        return rc;
    const char *name = pcom_jstr(module, "metadata.name");
    long long generation = 0;
    int created = 0;
    rc = wm_apply(h, call, ns, module, &generation, &created);
    if (rc == FUNCP_OK) {
        h->log(call, FUNCP_LOG_INFO, "WasmModule \"%s\" %s in namespace \"%s\"; waiting up to %s for it to become ready",
               name, created ? "created" : "updated", ns, timeout_text);
        /* funcp then says "Function updated", as func does (ABI 1.1). */
        if (!created && funcp_host_has(h, deploy_updated))
            h->deploy_updated(call);
        check_insecure_registry(h, call, image);
        rc = wm_wait_ready(h, call, ns, name, pcom_jstr(module, "spec.image"), generation, timeout_ms, timeout_text,
                           url);
    }
    if (rc == FUNCP_OK && (rc = wm_move_cleanup(h, call, ns, name)) != FUNCP_OK) {
        free(*url);
        *url = NULL;
    }
    json_object_put(module);
    return rc;
}

static void fill_instance(json_object *item, funcp_instance *in)
{
    memset(in, 0, sizeof *in);
    in->struct_size = sizeof *in;
    in->name = pcom_jstr(item, "metadata.name");
    in->namespace_ = pcom_jstr(item, "metadata.namespace");
    in->runtime = pcom_kube_label(item, PCOM_LABEL_RUNTIME);
    in->url = pcom_jstr(item, "status.address.url");
    const char *ready = pcom_jstr(pcom_condition(item, "Ready"), "status");
    in->ready = ready ? ready : "Unknown";
    in->image = pcom_jstr(item, "spec.image");
}

static int ours(json_object *item)
{
    const char *d = pcom_kube_annotation(item, PCOM_ANN_DEPLOYER);
    return !d || strcmp(d, WM_DEPLOYER) == 0;
}

int wm_list(const funcp_host *h, funcp_call *call, const char *ns, funcp_instance_fn fn, void *user)
{
    int rc = need_kube(h, call);
    if (rc < 0)
        return rc;
    char coll[512], path[4096], cont[2048] = "";
    wm_collection_path(coll, sizeof coll, ns);
    for (;;) {
        snprintf(path, sizeof path, "%s?limit=%d%s%s", coll, LIST_LIMIT, *cont ? "&continue=" : "", cont);
        funcp_kube_response r = {sizeof r, 0, NULL, 0};
        if (h->kube_request(call, "GET", path, NULL, &r) < 0)
            return h->error_wrap(call, "list WasmModules");
        if (wm_not_served(&r)) { /* no CRD: no WasmModules, as in the PR */
            h->free(r.body);
            return FUNCP_OK;
        }
        if (r.status != 200) {
            char msg[1024];
            wm_status_message(&r, msg, sizeof msg);
            h->free(r.body);
            return h->error(call, r.status == 403 ? FUNCP_EAUTH : FUNCP_ERROR, "list WasmModules: %s", msg);
        }
        json_object *list = json_tokener_parse(r.body);
        h->free(r.body);
        json_object *items = pcom_jget(list, "items");
        if (!list || !json_object_is_type(items, json_type_array)) {
            json_object_put(list);
            return h->error(call, FUNCP_EPARSE, "list WasmModules: the API server did not answer a list");
        }
        for (size_t i = 0; i < json_object_array_length(items); i++) {
            json_object *item = json_object_array_get_idx(items, i);
            if (!ours(item))
                continue;
            funcp_instance in;
            fill_instance(item, &in);
            fn(user, &in);
        }
        const char *next = pcom_jstr(list, "metadata.continue");
        if (next && *next)
            pcom_urlenc_into(cont, sizeof cont, next);
        else
            cont[0] = '\0';
        json_object_put(list);
        if (!*cont)
            return FUNCP_OK;
    }
}

static int not_found(const funcp_host *h, funcp_call *call, const char *name, const char *ns, int not_served)
{
    return h->error(call, FUNCP_ENOTFOUND, "function \"%s\" not found in namespace \"%s\"%s", name, ns,
                    not_served ? " (WasmModule resource not installed in this cluster)" : "");
}

static int by_time(const void *a, const void *b)
{
    json_object *ea = *(json_object *const *)a, *eb = *(json_object *const *)b;
    const char *ta = pcom_jstr(ea, "lastTimestamp"), *tb = pcom_jstr(eb, "lastTimestamp");
    if (!ta)
        ta = pcom_jstr(ea, "metadata.creationTimestamp");
    if (!tb)
        tb = pcom_jstr(eb, "metadata.creationTimestamp");
    return strcmp(ta ? ta : "", tb ? tb : "");
}

/* The newest events about the module, oldest first. */
static json_object *recent_events(const funcp_host *h, funcp_call *call, const char *ns, const char *name)
{
    char sel[512], field[300], path[1024];
    snprintf(field, sizeof field, "involvedObject.name=%s", name);
    pcom_urlenc_into(sel, sizeof sel, field);
    snprintf(path, sizeof path, "/api/v1/namespaces/%s/events?fieldSelector=%s", ns, sel);
    funcp_kube_response r = {sizeof r, 0, NULL, 0};
    json_object *out = json_object_new_array();
    if (h->kube_request(call, "GET", path, NULL, &r) < 0 || r.status != 200) {
        h->log(call, FUNCP_LOG_DEBUG, "events of WasmModule \"%s\" are not readable (HTTP %ld)", name, r.status);
        h->free(r.body);
        return out;
    }
    json_object *list = json_tokener_parse(r.body);
    h->free(r.body);
    json_object *items = pcom_jget(list, "items");
    size_t n = json_object_is_type(items, json_type_array) ? json_object_array_length(items) : 0;
    json_object **sorted = n ? calloc(n, sizeof *sorted) : NULL;
    for (size_t i = 0; sorted && i < n; i++)
        sorted[i] = json_object_array_get_idx(items, i);
    if (sorted)
        qsort(sorted, n, sizeof *sorted, by_time);
    for (size_t i = n > MAX_EVENTS ? n - MAX_EVENTS : 0; sorted && i < n; i++) {
        json_object *e = json_object_new_object();
        static const char *const keys[] = {"type", "reason", "message", "lastTimestamp"};
        for (size_t k = 0; k < 4; k++) {
            const char *v = pcom_jstr(sorted[i], keys[k]);
            if (v)
                json_object_object_add(e, keys[k], json_object_new_string(v));
        }
        json_object *count = pcom_jget(sorted[i], "count");
        if (count)
            json_object_object_add(e, "count", json_object_get(count));
        json_object_array_add(out, e);
    }
    free(sorted);
    json_object_put(list);
    return out;
}

/* Send `method` to the WasmModule `name` in the call's namespace; `phase`
 * ("describe", "delete") names the step in errors. */
static int request_module(const funcp_host *h, funcp_call *call, const char *phase,
                          const char *method, const char *name, const char **ns,
                          funcp_kube_response *r)
{
    int rc = need_kube(h, call);
    if (rc < 0)
        return rc;
    if ((rc = namespace_of(h, call, phase, ns)) != FUNCP_OK)
        return rc;
    char path[768];
    wm_object_path(path, sizeof path, *ns, name);
    if (h->kube_request(call, method, path, NULL, r) < 0)
        return h->error_wrap(call, "%s WasmModule \"%s\"", phase, name);
    return FUNCP_OK;
}

int wm_describe(const funcp_host *h, funcp_call *call, const char *name, funcp_instance_fn fn, void *user)
{
    const char *ns;
    funcp_kube_response r = {sizeof r, 0, NULL, 0};
    int rc = request_module(h, call, "describe", "GET", name, &ns, &r);
    if (rc != FUNCP_OK)
        return rc;
    if (r.status == 404) {
        int ns_ = wm_not_served(&r);
        h->free(r.body);
        return not_found(h, call, name, ns, ns_);
    }
    if (r.status != 200) {
        char msg[1024];
        wm_status_message(&r, msg, sizeof msg);
        h->free(r.body);
        return h->error(call, r.status == 403 ? FUNCP_EAUTH : FUNCP_ERROR, "describe WasmModule \"%s\": %s", name, msg);
    }
    json_object *item = json_tokener_parse(r.body);
    h->free(r.body);
    if (!item)
        return h->error(call, FUNCP_EPARSE, "describe WasmModule \"%s\": the API server answered something else", name);
    if (!ours(item)) {
        json_object_put(item);
        return not_found(h, call, name, ns, 0);
    }
    json_object *detail = json_object_new_object();
    json_object *conds = pcom_jget(item, "status.conditions");
    json_object_object_add(detail, "conditions", conds ? json_object_get(conds) : json_object_new_array());
    json_object_object_add(detail, "events", recent_events(h, call, ns, name));
    json_object *labels = pcom_jget(item, "metadata.labels");
    json_object_object_add(detail, "labels", labels ? json_object_get(labels) : json_object_new_object());
    json_object *gen = pcom_jget(item, "metadata.generation"), *og = pcom_jget(item, "status.observedGeneration");
    if (gen)
        json_object_object_add(detail, "generation", json_object_get(gen));
    if (og)
        json_object_object_add(detail, "observedGeneration", json_object_get(og));
    funcp_instance in;
    fill_instance(item, &in);
    in.detail_json = json_object_to_json_string_ext(detail, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
    fn(user, &in);
    json_object_put(detail);
    json_object_put(item);
    return FUNCP_OK;
}

int wm_remove(const funcp_host *h, funcp_call *call, const char *name)
{
    const char *ns;
    funcp_kube_response r = {sizeof r, 0, NULL, 0};
    int rc = request_module(h, call, "delete", "DELETE", name, &ns, &r);
    if (rc != FUNCP_OK)
        return rc;
    if (r.status == 200 || r.status == 202) {
        h->free(r.body);
        h->log(call, FUNCP_LOG_DEBUG, "deleted WasmModule \"%s\" in namespace \"%s\"", name, ns);
        return FUNCP_OK;
    }
    if (r.status == 404) {
        int unserved = wm_not_served(&r);
        h->free(r.body);
        return not_found(h, call, name, ns, unserved);
    }
    char msg[1024];
    wm_status_message(&r, msg, sizeof msg);
    h->free(r.body);
    return h->error(call, r.status == 403 ? FUNCP_EAUTH : FUNCP_ERROR, "delete WasmModule \"%s\": %s", name, msg);
}
