/* Readiness: a watch on the Service and, in a second thread, a watch on the
 * new revision's pods. Whichever decides first stops both: the host calls
 * back with "PING" while a watch is idle, and a callback returns non-zero
 * once the other side has decided. A host that sends no PING gets short
 * watch slices instead. Nothing outlives the deploy call. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kn.h"
#include "pcom/timeout.h"

#define SVC_SLICE_MS 500   /* how soon the Service side notices a pod verdict */
#define POD_SLICE_MS 200   /* how soon the pod side notices the end           */
#define FALSE_WINDOW_MS 2000 /* a Ready=False that may still flip (as kn does) */

static _Thread_local char ready_uid[128];

const char *kn_ready_uid(void)
{
    return ready_uid[0] ? ready_uid : NULL;
}

enum { W_WAITING, W_READY, W_SVC_FAILED, W_POD_FAILED, W_DELETED };

typedef struct waitst {
    const funcp_host *h;
    funcp_call *c;
    const char *ns, *name;
    int64_t gen;
    pthread_mutex_t mu;
    int state;
    char *url, *rev;
    char *last_reason;        /* "Reason: Message" of the last Ready condition */
    char *cfg_reason;         /* same for ConfigurationsReady when it is False */
    long long false_since;    /* first Ready=False, 0 when none                */
    int false_checked;        /* the revision was read for this False          */
    char *pod, *pod_cause;
    int svc_pings, pod_pings;  /* the host sends PING: no slicing needed */
    int pods_ok;              /* a pod of the revision is Ready: stop watching pods */
    json_object *pods;        /* name -> last pod object seen (pod thread)            */
} waitst;

static void set_str(char **dst, const char *v)
{
    free(*dst);
    *dst = v ? strdup(v) : NULL;
}

static int decided(waitst *w)
{
    pthread_mutex_lock(&w->mu);
    int s = w->state;
    pthread_mutex_unlock(&w->mu);
    return s != W_WAITING;
}

static int on_service(void *user, const char *type, const char *json)
{
    waitst *w = user;
    if (type && strcmp(type, "PING") == 0) {
        w->svc_pings = 1;
        pthread_mutex_lock(&w->mu);
        int stop = w->state != W_WAITING ||
                   (w->false_since && pcom_now_ms() - w->false_since >= FALSE_WINDOW_MS);
        pthread_mutex_unlock(&w->mu);
        return stop;
    }
    json_object *o = json_tokener_parse(json);
    if (!o)
        return decided(w);
    pthread_mutex_lock(&w->mu);
    int stop = 0;
    int64_t gen = pcom_jint(o, "metadata.generation", 0);
    int64_t seen = pcom_jint(o, "status.observedGeneration", -1);
    if (w->state != W_WAITING) {
        stop = 1;
    } else if (type && strcmp(type, "DELETED") == 0) {
        w->state = W_DELETED;
        stop = 1;
    } else if (gen >= w->gen && seen == gen) { /* status describes our spec */
        const char *rev = pcom_jstr(o, "status.latestCreatedRevisionName");
        if (rev)
            set_str(&w->rev, rev);
        json_object *ready = pcom_condition(o, "Ready");
        const char *st = ready ? pcom_jstr(ready, "status") : NULL;
        if (ready) {
            char *r = pcom_strdup_printf("%s: %s", pcom_jstr(ready, "reason") ? pcom_jstr(ready, "reason") : "",
                             pcom_jstr(ready, "message") ? pcom_jstr(ready, "message") : "");
            free(w->last_reason);
            w->last_reason = r;
        }
        json_object *cfg = pcom_condition(o, "ConfigurationsReady");
        const char *cst = cfg ? pcom_jstr(cfg, "status") : NULL;
        free(w->cfg_reason);
        w->cfg_reason = cst && strcmp(cst, "False") == 0
                            ? pcom_strdup_printf("%s: %s", pcom_jstr(cfg, "reason") ? pcom_jstr(cfg, "reason") : "",
                                     pcom_jstr(cfg, "message") ? pcom_jstr(cfg, "message") : "")
                            : NULL;
        if (st && strcmp(st, "True") == 0) {
            w->state = W_READY;
            set_str(&w->url, pcom_jstr(o, "status.url"));
            const char *uid = pcom_jstr(o, "metadata.uid");
            snprintf(ready_uid, sizeof ready_uid, "%s", uid && strlen(uid) < sizeof ready_uid ? uid : "");
            stop = 1;
        } else if (st && strcmp(st, "False") == 0) {
            if (!w->false_since) {
                w->false_since = pcom_now_ms();
                w->false_checked = 0;
                stop = 1; /* let the main loop read the revision now */
            }
        } else {
            w->false_since = 0;
        }
    }
    pthread_mutex_unlock(&w->mu);
    json_object_put(o);
    return stop;
}

/* A waiting reason that will not fix itself without the user. */
static int fatal_reason(const char *r)
{
    static const char *const bad[] = {"ImagePullBackOff", "ErrImagePull", "CrashLoopBackOff",
                                      "InvalidImageName", "CreateContainerConfigError"};
    for (size_t i = 0; r && i < sizeof bad / sizeof bad[0]; i++)
        if (strcmp(r, bad[i]) == 0)
            return 1;
    return 0;
}

/* Judge one pod; the caller holds w->mu and knows the revision. */
static void judge_pod(waitst *w, json_object *o)
{
    json_object *labels = pcom_jget(o, "metadata.labels"), *rv = NULL;
    if (labels)
        json_object_object_get_ex(labels, "serving.knative.dev/revision", &rv);
    const char *rev = rv ? json_object_get_string(rv) : NULL;
    json_object *cs = pcom_jget(o, "status.containerStatuses");
    if (w->state != W_WAITING || !rev || strcmp(rev, w->rev) != 0 || !cs ||
        !json_object_is_type(cs, json_type_array))
        return;
    for (size_t i = 0; i < pcom_jlen(cs); i++) {
        json_object *s = pcom_jidx(cs, i);
        const char *reason = pcom_jstr(s, "state.waiting.reason");
        if (!fatal_reason(reason))
            continue;
        const char *msg = pcom_jstr(s, "state.waiting.message");
        json_object *term = pcom_jget(s, "lastState.terminated");
        char *extra = NULL;
        if (term)
            extra = pcom_strdup_printf("; last exit code %lld%s%s", (long long)pcom_jint(term, "exitCode", 0),
                           pcom_jstr(term, "message") ? ": " : "",
                           pcom_jstr(term, "message") ? pcom_jstr(term, "message") : "");
        free(w->pod_cause);
        w->pod_cause = pcom_strdup_printf("container %s is waiting: %s: %s%s",
                              pcom_jstr(s, "name") ? pcom_jstr(s, "name") : "?", reason,
                              msg && *msg ? msg : "(no message from the kubelet)", extra ? extra : "");
        free(extra);
        set_str(&w->pod, pcom_jstr(o, "metadata.name"));
        w->state = W_POD_FAILED;
        return;
    }
    /* Once a pod of the revision is Ready (all its containers, so also
     * queue-proxy, which runs the function's readiness probe) the start-up
     * failures we look for are past; later crashes show in the Revision's
     * conditions. Ending here lets a Ready Service return at once. (The
     * user-container alone is "ready" as soon as it runs: Knative moves its
     * probe to queue-proxy.) */
    json_object *ready = pcom_condition(o, "Ready");
    const char *st = ready ? pcom_jstr(ready, "status") : NULL;
    if (st && strcmp(st, "True") == 0)
        w->pods_ok = 1;
}

/* Pods seen so far are kept (w->pods, pod thread only) and judged again
 * on every PING: a pod may show up before the Service names its revision. */
static int on_pod(void *user, const char *type, const char *json)
{
    waitst *w = user;
    if (type && strcmp(type, "PING") == 0) {
        w->pod_pings = 1;
    } else {
        json_object *o = json_tokener_parse(json);
        const char *name = o ? pcom_jstr(o, "metadata.name") : NULL;
        if (name && type && strcmp(type, "DELETED") == 0)
            json_object_object_del(w->pods, name);
        else if (name)
            json_object_object_add(w->pods, name, json_object_get(o));
        json_object_put(o);
    }
    pthread_mutex_lock(&w->mu);
    if (w->state == W_WAITING && w->rev) {
        json_object_object_foreach(w->pods, key, pod) {
            (void)key;
            judge_pod(w, pod);
        }
    }
    int stop = w->state != W_WAITING || w->pods_ok;
    pthread_mutex_unlock(&w->mu);
    return stop;
}

typedef struct pod_thread {
    waitst *w;
    char *path;
    long long deadline;
} pod_thread;

static void *pod_main(void *arg)
{
    pod_thread *t = arg;
    int failures = 0;
    while (!decided(t->w)) {
        pthread_mutex_lock(&t->w->mu);
        int ok = t->w->pods_ok;
        pthread_mutex_unlock(&t->w->mu);
        if (ok)
            break;
        long long left = t->deadline - pcom_now_ms();
        if (left <= 0)
            break;
        int rc = t->w->h->kube_watch(t->w->c, t->path, (int)(left < POD_SLICE_MS || t->w->pod_pings ? left : POD_SLICE_MS),
                                     on_pod, t->w);
        if (rc != FUNCP_OK && rc != FUNCP_ETIMEOUT) {
            /* Pods are a bonus (the account may not read them): give up
             * on them after a few failures, the Service wait goes on. */
            if (++failures >= 3)
                break;
            struct timespec ts = {0, POD_SLICE_MS * 1000000L};
            nanosleep(&ts, NULL);
        } else {
            failures = 0;
        }
    }
    return NULL;
}

static int finish(waitst *w, int rc, const char *cause, const char *pod, long long timeout_ms)
{
    const funcp_host *h = w->h;
    if (rc == FUNCP_ETIMEOUT)
        h->error(w->c, FUNCP_ETIMEOUT, "timeout: Knative Service \"%s\" not ready after %g seconds%s%s%s",
                 w->name, (double)timeout_ms / 1000, w->last_reason ? " (last status " : "",
                 w->last_reason ? w->last_reason : "", w->last_reason ? ")" : "");
    else
        h->error(w->c, rc, "knative deployer failed to wait for the Knative Service to become ready: %s", cause);
    kn_print_logs(h, w->c, w->ns, w->rev, pod);
    return rc;
}

int kn_wait_ready(const funcp_host *h, funcp_call *c, const char *ns, const char *name,
                  int64_t gen, long long timeout_ms, char **url)
{
    waitst w;
    memset(&w, 0, sizeof w);
    w.h = h, w.c = c, w.ns = ns, w.name = name, w.gen = gen;
    pthread_mutex_init(&w.mu, NULL);
    w.pods = json_object_new_object();
    ready_uid[0] = '\0';
    char *enc = pcom_urlenc(name);
    char *svc_path = pcom_strdup_printf(KN_SERVING "/namespaces/%s/services?fieldSelector=metadata.name%%3D%s", ns, enc);
    pod_thread pt = {&w, pcom_strdup_printf("/api/v1/namespaces/%s/pods?labelSelector=serving.knative.dev%%2Fservice%%3D%s", ns, enc),
                     pcom_now_ms() + timeout_ms};
    free(enc);
    pthread_t tid;
    int have_thread = svc_path && pt.path && pthread_create(&tid, NULL, pod_main, &pt) == 0;
    int rc = FUNCP_OK;
    char *cause = NULL;
    long long deadline = pt.deadline;
    while (svc_path && !decided(&w)) {
        long long left = deadline - pcom_now_ms();
        if (left <= 0) {
            rc = FUNCP_ETIMEOUT;
            break;
        }
        int wrc = h->kube_watch(c, svc_path, (int)(left < SVC_SLICE_MS || w.svc_pings ? left : SVC_SLICE_MS), on_service, &w);
        if (wrc != FUNCP_OK && wrc != FUNCP_ETIMEOUT) {
            rc = h->error_wrap(c, "watching Knative Service \"%s\"", name);
            break;
        }
        pthread_mutex_lock(&w.mu);
        int check = w.state == W_WAITING && w.false_since && !w.false_checked;
        int expired = w.state == W_WAITING && w.false_since && pcom_now_ms() - w.false_since >= FALSE_WINDOW_MS;
        char *rev = w.rev ? strdup(w.rev) : NULL;
        w.false_checked = w.false_since != 0;
        pthread_mutex_unlock(&w.mu);
        if (check || expired) {
            /* The Service's reason can be a masking RevisionMissing: the
             * revision's own conditions say what really went wrong. */
            char *rcause = NULL;
            if (rev && kn_revision_cause(h, c, ns, rev, &rcause) > 0) {
                cause = rcause;
            } else if (expired) {
                free(rcause);
                pthread_mutex_lock(&w.mu);
                /* Ready may carry the Route's RevisionMissing; the
                 * Configuration's reason names the failed revision. */
                cause = strdup(w.cfg_reason ? w.cfg_reason : w.last_reason ? w.last_reason : "Ready is False");
                pthread_mutex_unlock(&w.mu);
            } else {
                free(rcause);
            }
            if (cause) {
                pthread_mutex_lock(&w.mu);
                if (w.state == W_WAITING)
                    w.state = W_SVC_FAILED;
                pthread_mutex_unlock(&w.mu);
            }
        }
        free(rev);
    }
    if (rc != FUNCP_OK) { /* make the pod thread stop too */
        pthread_mutex_lock(&w.mu);
        if (w.state == W_WAITING)
            w.state = W_SVC_FAILED;
        pthread_mutex_unlock(&w.mu);
    }
    if (have_thread)
        pthread_join(tid, NULL);
    if (!svc_path || !pt.path)
        rc = h->error(c, FUNCP_ERROR, "out of memory");
    else if (rc == FUNCP_ETIMEOUT && w.state != W_POD_FAILED)
        rc = finish(&w, FUNCP_ETIMEOUT, NULL, NULL, timeout_ms);
    else if (rc == FUNCP_OK || w.state == W_POD_FAILED) {
        switch (w.state) {
        case W_READY:
            *url = w.url ? strdup(w.url) : strdup("");
            rc = FUNCP_OK;
            break;
        case W_POD_FAILED: {
            char *msg = pcom_strdup_printf("pod \"%s\" of revision \"%s\": %s", w.pod, w.rev ? w.rev : "?", w.pod_cause);
            rc = finish(&w, FUNCP_EDEPLOY, msg, w.pod, timeout_ms);
            free(msg);
            break;
        }
        case W_DELETED:
            rc = h->error(c, FUNCP_EDEPLOY, "Knative Service \"%s\" was deleted while waiting for it to become ready", name);
            break;
        default:
            rc = finish(&w, FUNCP_EDEPLOY, cause ? cause : "Ready is False", NULL, timeout_ms);
            break;
        }
    }
    free(cause);
    free(svc_path);
    free(pt.path);
    free(w.url);
    free(w.rev);
    free(w.last_reason);
    free(w.cfg_reason);
    free(w.pod);
    free(w.pod_cause);
    json_object_put(w.pods);
    pthread_mutex_destroy(&w.mu);
    return rc;
}
