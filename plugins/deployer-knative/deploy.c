/* deploy: create or update the Service, then wait until it is Ready. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kn.h"
#include "pcom/deploy_keys.h"
#include "pcom/timeout.h"

#define CONFLICT_TRIES 5

static char *service_path(const char *ns, const char *name)
{
    return name ? pcom_strdup_printf(KN_SERVING "/namespaces/%s/services/%s", ns, name)
                : pcom_strdup_printf(KN_SERVING "/namespaces/%s/services", ns);
}

/* Dapr annotations are added only when the cluster runs Dapr, as func does. */
static int has_dapr(const funcp_host *h, funcp_call *c)
{
    kn_resp r;
    if (kn_request(h, c, "GET", "/api/v1/namespaces/dapr-system", NULL, &r) != FUNCP_OK)
        return 0;
    int yes = r.status == 200;
    kn_resp_free(h, &r);
    return yes;
}

/* Refuse what we must not touch: a Service being deleted, or one that
 * neither funcp nor func created (unless --force). */
static int check_owner(const funcp_host *h, funcp_call *c, json_object *cur, const char *ns, const char *name)
{
    if (pcom_jget(cur, "metadata.deletionTimestamp"))
        return h->error(c, FUNCP_EDEPLOY,
                        "can't update service %s because it has been marked for deletion; "
                        "wait until it is gone, then deploy again", name);
    json_object *ann = pcom_jget(cur, "metadata.annotations"), *dep = NULL;
    if (ann)
        json_object_object_get_ex(ann, KN_ANN_DEPLOYER, &dep);
    const char *force = h->option(c, "force");
    int forced = force && *force && strcmp(force, "false") != 0 && strcmp(force, "0") != 0;
    json_object *owner = pcom_jidx(pcom_jget(cur, "metadata.ownerReferences"), 0);
    if (forced)
        return FUNCP_OK;
    if (owner) /* a controller would undo our changes */
        return h->error(c, FUNCP_EEXISTS,
                        "Knative Service \"%s\" in namespace \"%s\" is managed by %s \"%s\"; refusing to "
                        "take it over. Delete that function first, or use --force to replace it",
                        name, ns, pcom_jstr(owner, "kind") ? pcom_jstr(owner, "kind") : "another object",
                        pcom_jstr(owner, "name") ? pcom_jstr(owner, "name") : "?");
    const char *dep_name = dep ? json_object_get_string(dep) : NULL;
    if (!dep_name)
        return h->error(c, FUNCP_EEXISTS,
                        "Knative Service \"%s\" in namespace \"%s\" was not created by funcp or func "
                        "(no %s annotation); refusing to take it over. Use --force to replace it",
                        name, ns, KN_ANN_DEPLOYER);
    if (strcmp(dep_name, "knative") != 0)
        return h->error(c, FUNCP_EEXISTS,
                        "Knative Service \"%s\" in namespace \"%s\" belongs to deployer \"%s\"; refusing to "
                        "take it over. Use --force to replace it",
                        name, ns, dep_name);
    return FUNCP_OK;
}

static void backoff(int attempt)
{
    /* 20 ms, growing by 1.5x, as func's retry does. */
    long ms = 20;
    for (int i = 0; i < attempt; i++)
        ms = ms * 3 / 2;
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static int create(const funcp_host *h, funcp_call *c, const char *ns, json_object *svc, int64_t *gen)
{
    char *path = service_path(ns, NULL);
    kn_resp r;
    int rc = kn_request(h, c, "POST", path, json_object_to_json_string_ext(svc, JSON_C_TO_STRING_PLAIN), &r);
    free(path);
    if (rc != FUNCP_OK)
        return h->error_wrap(c, "knative deployer failed to deploy the Knative Service");
    if (r.status == 409) {
        kn_resp_free(h, &r);
        return FUNCP_EEXISTS; /* created meanwhile: the caller updates it */
    }
    if (r.status < 200 || r.status > 299) {
        rc = kn_fail(h, c, &r, "knative deployer failed to deploy the Knative Service");
        kn_resp_free(h, &r);
        return rc;
    }
    *gen = pcom_jint(r.obj, "metadata.generation", 1);
    kn_resp_free(h, &r);
    return FUNCP_OK;
}

/* GET, merge, PUT with the fetched resourceVersion; again on 409 Conflict. */
static int update(const funcp_host *h, funcp_call *c, const char *ns, const char *name,
                  json_object *desired, int64_t *gen)
{
    char *path = service_path(ns, name);
    int rc = FUNCP_ERROR;
    for (int attempt = 0; attempt < CONFLICT_TRIES; attempt++) {
        kn_resp g, p;
        if ((rc = kn_request(h, c, "GET", path, NULL, &g)) != FUNCP_OK) {
            rc = h->error_wrap(c, "knative deployer failed to get the Knative Service");
            break;
        }
        if (g.status != 200 || !g.obj) {
            rc = kn_fail(h, c, &g, "knative deployer failed to get the Knative Service");
            kn_resp_free(h, &g);
            break;
        }
        if ((rc = check_owner(h, c, g.obj, ns, name)) != FUNCP_OK) {
            kn_resp_free(h, &g);
            break;
        }
        json_object_object_del(g.obj, "status");
        kn_service_update(g.obj, desired);
        rc = kn_request(h, c, "PUT", path, json_object_to_json_string_ext(g.obj, JSON_C_TO_STRING_PLAIN), &p);
        kn_resp_free(h, &g);
        if (rc != FUNCP_OK) {
            rc = h->error_wrap(c, "knative deployer failed to update the Knative Service");
            break;
        }
        if (p.status == 409 && attempt + 1 < CONFLICT_TRIES) {
            h->log(c, FUNCP_LOG_DEBUG, "Knative Service %s changed meanwhile (409 Conflict), retrying", name);
            kn_resp_free(h, &p);
            backoff(attempt);
            continue;
        }
        if (p.status < 200 || p.status > 299)
            rc = kn_fail(h, c, &p, "knative deployer failed to update the Knative Service");
        else
            *gen = pcom_jint(p.obj, "metadata.generation", 1);
        kn_resp_free(h, &p);
        break;
    }
    free(path);
    return rc;
}

/* func.yaml keys of funcp's wasm deployer: a Knative Service has no place
 * for them, and the user hears so rather than finding them dropped. */
static const pcom_unapplied unapplied[] = {
    {"run.args", "a Knative Service runs the image's own command; run.args is for the wasm deployer"},
    {"deploy.network", "WASI network permissions are for the wasm deployer; a container's network is not limited"},
};

int kn_deploy(const funcp_host *h, funcp_call *c, const char *image, char **url)
{
    const char *ns;
    const char *name = h->fy_get(c, "name");
    long long timeout;
    int rc;
    *url = NULL;
    if ((rc = kn_namespace(h, c, "deployer requires either a target namespace or that the function be "
                           "already deployed", &ns)) != FUNCP_OK)
        return rc;
    if (!image || !*image)
        return h->error(c, FUNCP_EUSAGE, "no image to deploy: build the function or pass --image");
    if ((rc = pcom_timeout_ms(h, c, KN_DEFAULT_TIMEOUT_MS, &timeout)) != FUNCP_OK)
        return rc;
    pcom_warn_unapplied(h, c, "knative", unapplied, sizeof unapplied / sizeof unapplied[0]);
    kn_map_opts opts = {image, NULL, 0, NULL, NULL};
    opts.dapr = has_dapr(h, c);
    kn_refs refs;
    json_object *svc = kn_service_build(h, c, &opts, &refs);
    if (!svc)
        return h->error_wrap(c, "knative deployer failed to generate the Knative Service");

    char *path = service_path(ns, name);
    kn_resp g;
    int64_t gen = 0;
    int created = 0;
    if ((rc = kn_request(h, c, "GET", path, NULL, &g)) != FUNCP_OK) {
        rc = h->error_wrap(c, "knative deployer failed to get the Knative Service");
        goto out;
    }
    if (kn_not_served(&g)) {
        rc = h->error(c, FUNCP_ENOTFOUND, KN_NOT_INSTALLED);
    } else if (g.status == 200) {
        rc = check_owner(h, c, g.obj, ns, name);
    } else if (g.status == 404) {
        created = 1;
    } else {
        rc = kn_fail(h, c, &g, "knative deployer failed to get the Knative Service");
    }
    kn_resp_free(h, &g);
    if (rc != FUNCP_OK)
        goto out;
    if ((rc = kn_preflight(h, c, ns, &refs)) != FUNCP_OK ||
        (rc = kn_triggers_preflight(h, c, ns)) != FUNCP_OK)
        goto out;
    if (created) {
        rc = create(h, c, ns, svc, &gen);
        if (rc == FUNCP_EEXISTS)
            created = 0;
        else if (rc != FUNCP_OK)
            goto out;
    }
    if (!created) {
        /* Security context is set on create only, as func does. */
        json_object *ctr = pcom_jidx(pcom_jget(svc, "spec.template.spec.containers"), 0);
        json_object_object_del(ctr, "securityContext");
        if ((rc = update(h, c, ns, name, svc, &gen)) != FUNCP_OK)
            goto out;
        /* funcp then says "Function updated", as func does (ABI 1.1). */
        if (funcp_host_has(h, deploy_updated))
            h->deploy_updated(c);
    }
    h->log(c, FUNCP_LOG_DEBUG, "Knative Service %s %s in namespace %s (generation %lld), waiting for it to be ready",
           name, created ? "created" : "updated", ns, (long long)gen);
    rc = kn_wait_ready(h, c, ns, name, gen, timeout, url);
    if (rc == FUNCP_OK && (rc = kn_apply_triggers(h, c, ns, name, kn_ready_uid(), created)) == FUNCP_OK)
        rc = kn_move_cleanup(h, c, ns, name, timeout);
    if (rc != FUNCP_OK) {
        free(*url);
        *url = NULL;
    }
out:
    free(path);
    kn_refs_free(&refs);
    json_object_put(svc);
    return rc;
}
