/* Wait for Ready through watches, not polling: the main thread watches the
 * WasmModule, a second thread its pods (label serving.knative.dev/service),
 * and whichever decides first stops the other through the PING calls the
 * host makes while a watch is idle (~100 ms apart). So that a Ready module
 * does not wait for that PING, the pod thread ends on its own as soon as a
 * pod runs our image with its runner ready: the failures it looks for are
 * past (a real controller marks the module Ready only after that). The pod
 * thread never calls the host's log or error: it only hands its finding to
 * the main thread. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wm.h"

typedef struct shared {
    pthread_mutex_t lock;
    int decided;          /* the main watch is over: stop the pod watch */
    int pod_failed;
    char pod_msg[1024];
} shared;

typedef struct pod_ctx {
    const funcp_host *h;
    funcp_call *call;
    shared *s;
    char path[1024];
    long long timeout_ms;
    const char *image;    /* spec.image: the runner's IMAGE env names it */
} pod_ctx;

enum { WAITING, READY, FAILED, DELETED, POD_FAILED };

typedef struct module_ctx {
    const funcp_host *h;
    funcp_call *call;
    shared *s;
    const char *name;
    long long generation;
    int outcome;
    char *url;
    char reason[256];
    char message[768];
} module_ctx;

static int transient(const char *reason)
{
    return reason && (strcmp(reason, "ServiceUnavailable") == 0 || strcmp(reason, "RevisionMissing") == 0);
}

static int module_event(void *user, const char *type, const char *json)
{
    module_ctx *m = user;
    if (strcmp(type, "PING") == 0) {
        pthread_mutex_lock(&m->s->lock);
        int failed = m->s->pod_failed;
        pthread_mutex_unlock(&m->s->lock);
        if (failed)
            m->outcome = POD_FAILED;
        return failed;
    }
    if (strcmp(type, "ADDED") != 0 && strcmp(type, "MODIFIED") != 0 && strcmp(type, "DELETED") != 0)
        return 0;
    json_object *obj = json_tokener_parse(json);
    const char *name = pcom_jstr(obj, "metadata.name");
    int stop = 0;
    if (!name || strcmp(name, m->name) != 0) {
        /* another object: not ours */
    } else if (strcmp(type, "DELETED") == 0) {
        m->outcome = DELETED;
        stop = 1;
    } else {
        /* A status from before our write says nothing about it. */
        json_object *og = pcom_jget(obj, "status.observedGeneration");
        json_object *cond = pcom_condition(obj, "Ready");
        const char *st = pcom_jstr(cond, "status");
        const char *reason = pcom_jstr(cond, "reason");
        const char *message = pcom_jstr(cond, "message");
        if ((og && json_object_get_int64(og) < m->generation) || !st) {
            /* keep waiting */
        } else if (strcmp(st, "True") == 0) {
            const char *url = pcom_jstr(obj, "status.address.url");
            m->url = strdup(url ? url : "");
            m->outcome = READY;
            stop = 1;
        } else if (strcmp(st, "False") == 0 && !transient(reason)) {
            snprintf(m->reason, sizeof m->reason, "%s", reason ? reason : "");
            snprintf(m->message, sizeof m->message, "%s", message ? message : "");
            m->outcome = FAILED;
            stop = 1;
        } else if (reason && strcmp(reason, m->reason) != 0) {
            snprintf(m->reason, sizeof m->reason, "%s", reason);
            m->h->log(m->call, FUNCP_LOG_DEBUG, "WasmModule \"%s\": %s (%s)", m->name, reason,
                      message ? message : "");
        }
    }
    json_object_put(obj);
    return stop;
}

/* The runner container (user-container) of a pod spec runs `image` when its
 * IMAGE env, set by the controller from spec.image, says so. A pod of an
 * older revision with the same image counts too: an update that changes
 * only args or env then learns of a crash of the new revision from the
 * module's Ready condition, not from its pods. */
static int runs_image(json_object *pod, const char *image)
{
    json_object *containers = pcom_jget(pod, "spec.containers");
    size_t n = json_object_is_type(containers, json_type_array) ? json_object_array_length(containers) : 0;
    for (size_t i = 0; i < n; i++) {
        json_object *c = json_object_array_get_idx(containers, i);
        const char *cname = pcom_jstr(c, "name");
        json_object *env = pcom_jget(c, "env");
        if (!cname || strcmp(cname, "user-container") != 0 || !json_object_is_type(env, json_type_array))
            continue;
        for (size_t j = 0; j < json_object_array_length(env); j++) {
            json_object *e = json_object_array_get_idx(env, j);
            const char *ename = pcom_jstr(e, "name"), *value = pcom_jstr(e, "value");
            if (ename && value && strcmp(ename, "IMAGE") == 0)
                return strcmp(value, image) == 0;
        }
    }
    return 0;
}

int wm_pod_verdict(json_object *pod, const char *image, char *msg, size_t size)
{
    const char *pod_name = pcom_jstr(pod, "metadata.name");
    json_object *statuses = pcom_jget(pod, "status.containerStatuses");
    size_t n = json_object_is_type(statuses, json_type_array) ? json_object_array_length(statuses) : 0;
    for (size_t i = 0; i < n; i++) {
        json_object *cs = json_object_array_get_idx(statuses, i);
        const char *cname = pcom_jstr(cs, "name");
        if (!cname || strcmp(cname, "user-container") != 0)
            continue;
        const char *reason = pcom_jstr(cs, "state.waiting.reason");
        const char *wmsg = pcom_jstr(cs, "state.waiting.message");
        json_object *ready = pcom_jget(cs, "ready");
        if (json_object_is_type(ready, json_type_boolean) && json_object_get_boolean(ready) && image &&
            runs_image(pod, image))
            return WM_POD_RUNNING;
        if (!reason)
            continue;
        if (strcmp(reason, "CrashLoopBackOff") == 0) {
            json_object *rc = pcom_jget(cs, "restartCount");
            json_object *code = pcom_jget(cs, "lastState.terminated.exitCode");
            const char *treason = pcom_jstr(cs, "lastState.terminated.reason");
            char last[256] = "";
            if (code)
                snprintf(last, sizeof last, "; last exit code %d%s%s%s", json_object_get_int(code),
                         treason ? " (" : "", treason ? treason : "", treason ? ")" : "");
            snprintf(msg, size, "pod %s: runner is crash-looping (CrashLoopBackOff) after %d restart(s)%s",
                     pod_name ? pod_name : "?", rc ? json_object_get_int(rc) : 0, last);
            return WM_POD_FAILED;
        }
        if (strcmp(reason, "ImagePullBackOff") == 0 || strcmp(reason, "ErrImagePull") == 0) {
            snprintf(msg, size, "pod %s: runner image cannot be pulled from inside the cluster (%s)%s%s",
                     pod_name ? pod_name : "?", reason, wmsg ? ": " : "", wmsg ? wmsg : "");
            return WM_POD_FAILED;
        }
    }
    return WM_POD_PENDING;
}

static int pod_event(void *user, const char *type, const char *json)
{
    pod_ctx *p = user;
    int stop = 0;
    if (strcmp(type, "ADDED") == 0 || strcmp(type, "MODIFIED") == 0) {
        char msg[1024];
        json_object *pod = json_tokener_parse(json);
        int verdict = pod ? wm_pod_verdict(pod, p->image, msg, sizeof msg) : WM_POD_PENDING;
        if (verdict == WM_POD_FAILED) {
            pthread_mutex_lock(&p->s->lock);
            if (!p->s->pod_failed) {
                p->s->pod_failed = 1;
                snprintf(p->s->pod_msg, sizeof p->s->pod_msg, "%s", msg);
            }
            pthread_mutex_unlock(&p->s->lock);
        }
        stop = verdict != WM_POD_PENDING;
        json_object_put(pod);
    }
    pthread_mutex_lock(&p->s->lock);
    stop |= p->s->decided;
    pthread_mutex_unlock(&p->s->lock);
    return stop;
}

static void *pod_thread(void *arg)
{
    pod_ctx *p = arg;
    /* Its failures (say, no right to list pods) only end pod watching;
     * the module watch still decides, as in the PR. */
    p->h->kube_watch(p->call, p->path, (int)p->timeout_ms, pod_event, p);
    return NULL;
}

int wm_wait_ready(const funcp_host *h, funcp_call *call, const char *ns, const char *name, const char *image,
                  long long generation, long long timeout_ms, const char *timeout_text, char **url)
{
    *url = NULL;
    shared s;
    memset(&s, 0, sizeof s);
    pthread_mutex_init(&s.lock, NULL);
    char sel[512], path[1536];

    pod_ctx pod = {h, call, &s, "", timeout_ms, image};
    char label[300];
    snprintf(label, sizeof label, "serving.knative.dev/service=%s", name);
    pcom_urlenc_into(sel, sizeof sel, label);
    snprintf(pod.path, sizeof pod.path, "/api/v1/namespaces/%s/pods?labelSelector=%s", ns, sel);
    pthread_t tid;
    int have_thread = pthread_create(&tid, NULL, pod_thread, &pod) == 0;
    if (!have_thread)
        h->log(call, FUNCP_LOG_DEBUG, "cannot start the pod watcher; waiting on the WasmModule alone");

    module_ctx m = {h, call, &s, name, generation, WAITING, NULL, "", ""};
    char field[300];
    snprintf(field, sizeof field, "metadata.name=%s", name);
    pcom_urlenc_into(sel, sizeof sel, field);
    char coll[512];
    wm_collection_path(coll, sizeof coll, ns);
    snprintf(path, sizeof path, "%s?fieldSelector=%s", coll, sel);
    int rc = h->kube_watch(call, path, (int)timeout_ms, module_event, &m);

    pthread_mutex_lock(&s.lock);
    s.decided = 1;
    pthread_mutex_unlock(&s.lock);
    if (have_thread)
        pthread_join(tid, NULL);
    if (m.outcome == WAITING && s.pod_failed)
        m.outcome = POD_FAILED;

    switch (m.outcome) {
    case READY:
        *url = m.url;
        rc = FUNCP_OK;
        break;
    case POD_FAILED:
        rc = h->error(call, FUNCP_EDEPLOY, "WasmModule \"%s\" failed to become ready: deploy error: %s", name,
                      s.pod_msg);
        break;
    case FAILED:
        rc = h->error(call, FUNCP_EDEPLOY, "WasmModule \"%s\" failed to become ready: reason=%s: %s", name,
                      m.reason, m.message);
        break;
    case DELETED:
        rc = h->error(call, FUNCP_EDEPLOY, "WasmModule \"%s\" failed to become ready: it was deleted meanwhile",
                      name);
        break;
    default:
        if (rc == FUNCP_ETIMEOUT) {
            rc = h->error(call, FUNCP_ETIMEOUT,
                          "WasmModule \"%s\" failed to become ready: timed out waiting for WasmModule \"%s\" to "
                          "become ready after %s%s%s%s; run: funcp describe %s --namespace %s",
                          name, name, timeout_text, *m.reason ? " (last reason: " : "", m.reason,
                          *m.reason ? ")" : "", name, ns);
        } else if (rc < 0) {
            rc = h->error_wrap(call, "wait for WasmModule \"%s\"", name);
        } else {
            rc = h->error(call, FUNCP_EDEPLOY, "wait for WasmModule \"%s\": the watch ended without an answer", name);
        }
    }
    if (m.outcome != READY)
        free(m.url);
    pthread_mutex_destroy(&s.lock);
    return rc;
}
