/* func.yaml -> serving.knative.dev/v1 Service, field for field as knative
 * func's knative deployer builds it (see the README's mapping table). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kn.h"
#include "pcom/deploy_keys.h"
#include "pcom/kube_volumes.h"

typedef struct map_ctx {
    const funcp_host *h;
    funcp_call *c;
    const kn_map_opts *o;
    kn_refs *refs;
    int failed;
} map_ctx;

static int fail(map_ctx *m, int code, const char *msg)
{
    if (!m->failed)
        m->h->error(m->c, code, "%s", msg);
    m->failed = 1;
    return code;
}

static json_object *yaml_json(map_ctx *m, const char *path)
{
    char *text = m->h->fy_json(m->c, path);
    if (!text)
        return NULL;
    json_object *o = json_tokener_parse(text);
    m->h->free(text);
    return o;
}

/* A scalar of func.yaml JSON as text (numbers and bools in their YAML form). */
static const char *scalar(json_object *o, const char *key)
{
    json_object *v;
    if (!o || !json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
        return NULL;
    if (json_object_is_type(v, json_type_object) || json_object_is_type(v, json_type_array))
        return NULL;
    return json_object_get_string(v);
}

static void add_unique(json_object *arr, const char *name)
{
    for (size_t i = 0; i < pcom_jlen(arr); i++)
        if (strcmp(json_object_get_string(pcom_jidx(arr, i)), name) == 0)
            return;
    json_object_array_add(arr, json_object_new_string(name));
}

static const char *local_env(map_ctx *m, const char *name)
{
    return m->o->getenv_fn ? m->o->getenv_fn(name) : getenv(name);
}

/* ---- Kubernetes value checks ---- */

/* [A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?, at most 63 characters. */
static int label_part_ok(const char *s, size_t n)
{
    if (n == 0 || n > 63 || !isalnum((unsigned char)s[0]) || !isalnum((unsigned char)s[n - 1]))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && !strchr("-_.", s[i]))
            return 0;
    return 1;
}

static int label_key_ok(const char *k)
{
    const char *slash = strchr(k, '/');
    if (!slash)
        return label_part_ok(k, strlen(k));
    size_t plen = (size_t)(slash - k);
    if (plen == 0 || plen > 253)
        return 0;
    for (size_t i = 0; i < plen; i++)
        if (!islower((unsigned char)k[i]) && !isdigit((unsigned char)k[i]) && !strchr("-.", k[i]))
            return 0;
    return label_part_ok(slash + 1, strlen(slash + 1));
}

/* ---- labels and annotations ---- */

static json_object *build_labels(map_ctx *m, const char *name, const char *runtime,
                                 json_object *deploy, const char *domain)
{
    json_object *l = json_object_new_object();
    pcom_jset_str(l, KN_LABEL_NAME, name);
    pcom_jset_str(l, KN_LABEL_RUNTIME, runtime);
    json_object *labels = pcom_jget(deploy, "labels");
    size_t n = labels && json_object_is_type(labels, json_type_array) ? pcom_jlen(labels) : 0;
    for (size_t i = 0; i < n && !m->failed; i++) {
        json_object *e = pcom_jidx(labels, i);
        const char *k = scalar(e, "key"), *v = scalar(e, "value");
        char msg[512];
        if (!k || !label_key_ok(k)) {
            snprintf(msg, sizeof msg, "deploy.labels[%zu]: invalid label key \"%s\": a label key is "
                     "an optional DNS prefix and '/', then at most 63 alphanumeric characters, "
                     "'-', '_' or '.', starting and ending with an alphanumeric character", i, k ? k : "");
            fail(m, FUNCP_EUSAGE, msg);
            break;
        }
        char *resolved = NULL;
        if (v && strncmp(v, "{{", 2) == 0) {
            char buf[256];
            snprintf(buf, sizeof buf, "%s", v + 2);
            char *end = strstr(buf, "}}");
            if (end)
                *end = '\0';
            char *p = buf;
            while (*p == ' ')
                p++;
            if (strncmp(p, "env:", 4) == 0) {
                p += 4;
                while (*p == ' ')
                    p++;
                size_t len = strcspn(p, " ");
                p[len] = '\0';
                const char *val = local_env(m, p);
                if (!val) {
                    snprintf(msg, sizeof msg, "required local environment variable \"%s\" is not set", p);
                    fail(m, FUNCP_EUSAGE, msg);
                    break;
                }
                resolved = strdup(val);
                v = resolved;
            }
        }
        if (v && *v && !label_part_ok(v, strlen(v))) {
            snprintf(msg, sizeof msg, "deploy.labels[%zu]: invalid value for label \"%s\": at most 63 "
                     "alphanumeric characters, '-', '_' or '.', starting and ending with an "
                     "alphanumeric character", i, k);
            free(resolved);
            fail(m, FUNCP_EUSAGE, msg);
            break;
        }
        pcom_jset_str(l, k, v ? v : "");
        free(resolved);
    }
    pcom_kube_func_labels(l, name, runtime, domain); /* func's own labels win */
    return l;
}

static json_object *build_annotations(map_ctx *m, const char *name, json_object *deploy)
{
    json_object *a = json_object_new_object();
    if (m->o->dapr) {
        pcom_jset_str(a, "dapr.io/app-id", name);
        pcom_jset_str(a, "dapr.io/enabled", "true");
        pcom_jset_str(a, "dapr.io/metrics-port", "9092");
        pcom_jset_str(a, "dapr.io/app-port", "8080");
        pcom_jset_str(a, "dapr.io/enable-api-logging", "true");
    }
    pcom_jset_str(a, KN_ANN_DEPLOYER, "knative");
    json_object *user = pcom_jget(deploy, "annotations");
    if (user && json_object_is_type(user, json_type_object)) {
        json_object_object_foreach(user, k, v) {
            const char *s = json_object_is_type(v, json_type_null) ? "" : json_object_get_string(v);
            pcom_jset_str(a, k, s);
        }
    }
    return a;
}

static int is_autoscaling(const char *key)
{
    return strncmp(key, "autoscaling.knative.dev/", 24) == 0;
}

/* Serving refuses autoscaling annotations on Service metadata (func sends
 * them anyway); they belong on the template only. */
static json_object *service_annotations(json_object *a)
{
    json_object *out = json_object_new_object();
    json_object_object_foreach(a, k, v) {
        if (!is_autoscaling(k))
            json_object_object_add(out, k, json_object_get(v));
    }
    return out;
}

static int number_of(json_object *o, const char *key, double *out)
{
    json_object *v;
    if (!o || !json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
        return 0;
    if (json_object_is_type(v, json_type_string)) {
        char *end;
        *out = strtod(json_object_get_string(v), &end);
        return end != json_object_get_string(v) && *end == '\0' ? 1 : -1;
    }
    if (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)) {
        *out = json_object_get_double(v);
        return 1;
    }
    return -1;
}

static void scale_annotations(map_ctx *m, json_object *ann, json_object *scale)
{
    static const char *const keys[] = {"min", "max", "metric", "target", "utilization"};
    static const char *const names[] = {
        "autoscaling.knative.dev/min-scale", "autoscaling.knative.dev/max-scale",
        "autoscaling.knative.dev/metric", "autoscaling.knative.dev/target",
        "autoscaling.knative.dev/target-utilization-percentage"};
    double v[5] = {0};
    int have[5] = {0};
    char buf[64], msg[256];
    for (int i = 0; i < 5; i++) {
        json_object_object_del(ann, names[i]);
        if (i == 2)
            continue;
        have[i] = number_of(scale, keys[i], &v[i]);
        if (have[i] < 0) {
            snprintf(msg, sizeof msg, "deploy.options.scale.%s must be a number", keys[i]);
            fail(m, FUNCP_EUSAGE, msg);
            return;
        }
    }
    if ((have[0] && v[0] < 0) || (have[1] && v[1] < 0))
        fail(m, FUNCP_EUSAGE, "deploy.options.scale: min and max must be 0 or more");
    else if (have[0] && have[1] && v[1] < v[0])
        fail(m, FUNCP_EUSAGE, "deploy.options.scale: max must be at least min");
    else if (have[3] && v[3] < 0.01)
        fail(m, FUNCP_EUSAGE, "deploy.options.scale.target must be 0.01 or more");
    else if (have[4] && (v[4] < 1 || v[4] > 100))
        fail(m, FUNCP_EUSAGE, "deploy.options.scale.utilization must be between 1 and 100");
    if (m->failed)
        return;
    for (int i = 0; i < 2; i++)
        if (have[i]) {
            snprintf(buf, sizeof buf, "%lld", (long long)v[i]);
            pcom_jset_str(ann, names[i], buf);
        }
    const char *metric = scalar(scale, "metric");
    if (metric) {
        if (strcmp(metric, "concurrency") != 0 && strcmp(metric, "rps") != 0) {
            snprintf(msg, sizeof msg, "deploy.options.scale.metric must be \"concurrency\" or \"rps\", got \"%s\"", metric);
            fail(m, FUNCP_EUSAGE, msg);
            return;
        }
        pcom_jset_str(ann, names[2], metric);
    }
    for (int i = 3; i < 5; i++)
        if (have[i]) {
            snprintf(buf, sizeof buf, "%f", v[i]);
            pcom_jset_str(ann, names[i], buf);
        }
}

/* ---- env ---- */

/* Split "{{ a:b:c }}" into parts after trimming '{', '}' and spaces. */
static int split_ref(const char *value, char parts[3][256])
{
    const char *b = value, *e = value + strlen(value);
    while (b < e && strchr("{} ", *b))
        b++;
    while (e > b && strchr("{} ", e[-1]))
        e--;
    int n = 0;
    const char *p = b;
    for (;;) {
        const char *colon = memchr(p, ':', (size_t)(e - p));
        const char *end = colon ? colon : e;
        if (n == 3)
            return 4;
        size_t len = (size_t)(end - p);
        if (len > 255)
            len = 255;
        memcpy(parts[n], p, len);
        parts[n][len] = '\0';
        n++;
        if (!colon)
            return n;
        p = colon + 1;
    }
}

static const char *kind_title(const char *kind)
{
    return strcmp(kind, "secret") == 0 ? "Secret" : "ConfigMap";
}

static void note_ref(map_ctx *m, const char *kind, const char *name)
{
    if (m->refs)
        add_unique(strcmp(kind, "secret") == 0 ? m->refs->secrets : m->refs->config_maps, name);
}

static int check_kind(map_ctx *m, const char *kind)
{
    if (strcmp(kind, "secret") == 0 || strcmp(kind, "configMap") == 0)
        return 0;
    char msg[512];
    snprintf(msg, sizeof msg, "unsupported env source type \"%s\"; supported source types are \"configMap\" or \"secret\"", kind);
    return fail(m, FUNCP_EUSAGE, msg);
}

static int check_ref_names(map_ctx *m, const char *kind, const char *name, const char *key)
{
    char msg[512];
    if (!*name) {
        snprintf(msg, sizeof msg, "the name of %s cannot be an empty string", kind_title(kind));
        return fail(m, FUNCP_EUSAGE, msg);
    }
    if (key && !*key) {
        snprintf(msg, sizeof msg, "the key referenced by resource %s \"%s\" cannot be an empty string",
                 kind_title(kind), name);
        return fail(m, FUNCP_EUSAGE, msg);
    }
    return 0;
}

static json_object *env_var(const char *name, const char *value)
{
    json_object *e = json_object_new_object();
    pcom_jset_str(e, "name", name);
    if (value)
        pcom_jset_str(e, "value", value);
    return e;
}

/* func's AppendKafkaEnvs: run.kafka, when complete, tells the function's
 * runtime to consume a Kafka topic. */
static void append_kafka(json_object *env, json_object *kafka)
{
    const char *brokers = scalar(kafka, "brokers"), *topic = scalar(kafka, "topic");
    const char *group = scalar(kafka, "consumerGroup");
    if (!brokers || !*brokers || !topic || !*topic || !group || !*group)
        return;
    json_object_array_add(env, env_var("FUNC_TRANSPORT", "kafka"));
    json_object_array_add(env, env_var("KAFKA_BROKERS", brokers));
    json_object_array_add(env, env_var("KAFKA_TOPIC", topic));
    json_object_array_add(env, env_var("KAFKA_CONSUMER_GROUP", group));
}

static void build_env(map_ctx *m, json_object *envs, json_object *kafka, json_object *container)
{
    json_object *env = json_object_new_array(), *env_from = json_object_new_array();
    char built[32], parts[3][256], msg[768];
    if (m->o->built) {
        snprintf(built, sizeof built, "%s", m->o->built);
    } else {
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        strftime(built, sizeof built, "%Y%m%dT%H%M%S", &tm);
    }
    json_object_array_add(env, env_var("BUILT", built));
    int has_address = 0;
    size_t n = envs && json_object_is_type(envs, json_type_array) ? pcom_jlen(envs) : 0;
    for (size_t i = 0; i < n && !m->failed; i++) {
        json_object *e = pcom_jidx(envs, i);
        const char *name = scalar(e, "name"), *value = scalar(e, "value");
        if (name && strcmp(name, "ADDRESS") == 0)
            has_address = 1;
        /* As func's ProcessEnvs: an entry it cannot place is an error,
         * never silently left out. */
        if (!value || (!name && strncmp(value, "{{", 2) != 0)) {
            snprintf(msg, sizeof msg, "unsupported env source entry \"%s\" (run.envs[%zu]: %s)",
                     value ? value : name ? name : "", i,
                     value ? "a value without a name must be {{ secret:NAME }} or {{ configMap:NAME }}"
                           : "no value");
            fail(m, FUNCP_EUSAGE, msg);
            break;
        }
        if (strncmp(value, "{{", 2) != 0) {
            json_object_array_add(env, env_var(name, value));
            continue;
        }
        int np = split_ref(value, parts);
        if (!name && np == 2) {
            if (check_kind(m, parts[0]) || check_ref_names(m, parts[0], parts[1], NULL))
                break;
            json_object *src = json_object_new_object(), *ref = json_object_new_object();
            pcom_jset_str(ref, "name", parts[1]);
            json_object_object_add(src, strcmp(parts[0], "secret") == 0 ? "secretRef" : "configMapRef", ref);
            json_object_array_add(env_from, src);
            note_ref(m, parts[0], parts[1]);
        } else if (name && np == 3) {
            if (check_kind(m, parts[0]) || check_ref_names(m, parts[0], parts[1], parts[2]))
                break;
            json_object *ev = env_var(name, NULL);
            json_object_object_add(ev, "valueFrom", pcom_kube_key_ref(parts[0], parts[1], parts[2]));
            json_object_array_add(env, ev);
            note_ref(m, parts[0], parts[1]);
        } else if (name && np == 2) {
            if (strcmp(parts[0], "env") != 0) {
                snprintf(msg, sizeof msg, "allowed env value entry is \"{{ env:LOCAL_VALUE }}\"; got: \"%s\"", parts[0]);
                fail(m, FUNCP_EUSAGE, msg);
                break;
            }
            const char *local = local_env(m, parts[1]);
            if (!local) {
                snprintf(msg, sizeof msg, "required local environment variable \"%s\" is not set", parts[1]);
                fail(m, FUNCP_EUSAGE, msg);
                break;
            }
            json_object_array_add(env, env_var(name, local));
        } else {
            snprintf(msg, sizeof msg, "unsupported env source entry \"%s\"", value);
            fail(m, FUNCP_EUSAGE, msg);
        }
    }
    if (!has_address)
        json_object_array_add(env, env_var("ADDRESS", "0.0.0.0"));
    append_kafka(env, kafka);
    json_object_object_add(container, "env", env);
    if (pcom_jlen(env_from) > 0)
        json_object_object_add(container, "envFrom", env_from);
    else
        json_object_put(env_from);
}

/* ---- volumes ---- */

/* func's ProcessVolumes (shared with the wasm deployer). */
static void build_volumes(map_ctx *m, json_object *list, json_object *container, json_object *podspec)
{
    json_object *vols = NULL, *mounts = NULL;
    char msg[512];
    pcom_volume_refs refs = {m->refs ? m->refs->secrets : NULL, m->refs ? m->refs->config_maps : NULL,
                             m->refs ? m->refs->pvcs : NULL};
    if (pcom_kube_volumes(list, m->o->random7, &refs, &vols, &mounts, msg, sizeof msg) != 0) {
        fail(m, FUNCP_EUSAGE, msg);
        return;
    }
    if (mounts) {
        json_object_object_add(container, "volumeMounts", mounts);
        json_object_object_add(podspec, "volumes", vols);
    }
}

/* ---- probes, resources, concurrency ---- */

static json_object *probe(const char *path)
{
    json_object *p = json_object_new_object(), *g = json_object_new_object();
    pcom_jset_str(g, "path", path);
    json_object_object_add(g, "port", json_object_new_int(8080));
    json_object_object_add(p, "httpGet", g);
    return p;
}

static void build_resources(map_ctx *m, json_object *res, json_object *container, json_object *podspec)
{
    static const char *const groups[] = {"requests", "limits"};
    static const char *const keys[] = {"cpu", "memory"};
    json_object *out = json_object_new_object();
    char msg[512];
    for (int g = 0; g < 2; g++) {
        json_object *src = pcom_jget(res, groups[g]), *dst = NULL;
        for (int k = 0; k < 2 && src; k++) {
            const char *q = scalar(src, keys[k]);
            if (!q)
                continue;
            if (!pcom_kube_quantity_ok(q)) {
                snprintf(msg, sizeof msg, "deploy.options.resources.%s.%s: invalid quantity \"%s\"",
                         groups[g], keys[k], q);
                fail(m, FUNCP_EUSAGE, msg);
            }
            if (!dst)
                dst = pcom_jobj(out, groups[g]);
            pcom_jset_str(dst, keys[k], q);
        }
    }
    if (json_object_object_length(out) > 0)
        json_object_object_add(container, "resources", out);
    else
        json_object_put(out);
    double conc;
    int have = number_of(pcom_jget(res, "limits"), "concurrency", &conc);
    if (have < 0 || (have && conc < 0))
        fail(m, FUNCP_EUSAGE, "deploy.options.resources.limits.concurrency must be a number of 0 or more");
    else if (have)
        json_object_object_add(podspec, "containerConcurrency", json_object_new_int64((int64_t)conc));
}

static json_object *security_context(void)
{
    json_object *s = json_object_new_object(), *caps = json_object_new_object();
    json_object *drop = json_object_new_array(), *sec = json_object_new_object();
    json_object_object_add(s, "runAsNonRoot", json_object_new_boolean(1));
    json_object_object_add(s, "allowPrivilegeEscalation", json_object_new_boolean(0));
    json_object_array_add(drop, json_object_new_string("ALL"));
    json_object_object_add(caps, "drop", drop);
    json_object_object_add(s, "capabilities", caps);
    pcom_jset_str(sec, "type", "RuntimeDefault");
    json_object_object_add(s, "seccompProfile", sec);
    return s;
}

json_object *kn_service_build(const funcp_host *h, funcp_call *c, const kn_map_opts *o, kn_refs *refs)
{
    map_ctx m = {h, c, o, refs, 0};
    const char *name = h->fy_get(c, "name"), *runtime = h->fy_get(c, "runtime");
    if (refs) {
        refs->secrets = json_object_new_array();
        refs->config_maps = json_object_new_array();
        refs->pvcs = json_object_new_array();
        refs->service_account = NULL;
        refs->image_pull_secret = NULL;
    }
    if (!name || !*name) {
        h->error(c, FUNCP_EUSAGE, "func.yaml: name is required to deploy");
        return NULL;
    }
    json_object *deploy = yaml_json(&m, "deploy"), *run = yaml_json(&m, "run");
    json_object *svc = json_object_new_object();
    pcom_jset_str(svc, "apiVersion", "serving.knative.dev/v1");
    pcom_jset_str(svc, "kind", "Service");
    json_object *meta = pcom_jobj(svc, "metadata");
    pcom_jset_str(meta, "name", name);

    json_object *labels = build_labels(&m, name, runtime ? runtime : "", deploy, h->fy_get(c, "domain"));
    json_object *ann = build_annotations(&m, name, deploy);
    json_object_object_add(meta, "labels", json_object_get(labels));

    json_object *tmpl = pcom_jobj(pcom_jobj(svc, "spec"), "template");
    json_object *tmeta = pcom_jobj(tmpl, "metadata");
    json_object_object_add(tmeta, "labels", labels);
    json_object *scale = pcom_jget(deploy, "options.scale");
    if (scale && json_object_is_type(scale, json_type_object))
        scale_annotations(&m, ann, scale);
    json_object_object_add(tmeta, "annotations", ann);
    /* What this deploy sets, so the next one can remove what func.yaml drops. */
    json_object *sann = service_annotations(ann);
    pcom_managed_record(sann, labels, ann);
    json_object_object_add(meta, "annotations", sann);

    json_object *podspec = pcom_jobj(tmpl, "spec");
    json_object *containers = json_object_new_array(), *ctr = json_object_new_object();
    json_object_array_add(containers, ctr);
    json_object_object_add(podspec, "containers", containers);
    pcom_jset_str(ctr, "image", o->image);
    build_env(&m, pcom_jget(run, "envs"), pcom_jget(run, "kafka"), ctr);
    build_volumes(&m, pcom_jget(run, "volumes"), ctr, podspec);
    const char *live = pcom_jstr(deploy, "healthEndpoints.liveness");
    const char *ready = pcom_jstr(deploy, "healthEndpoints.readiness");
    json_object_object_add(ctr, "livenessProbe", probe(live && *live ? live : "/health/liveness"));
    json_object_object_add(ctr, "readinessProbe", probe(ready && *ready ? ready : "/health/readiness"));
    build_resources(&m, pcom_jget(deploy, "options.resources"), ctr, podspec);
    json_object_object_add(ctr, "securityContext", security_context());
    const char *sa = pcom_jstr(deploy, "serviceAccountName");
    if (sa && *sa) {
        pcom_jset_str(podspec, "serviceAccountName", sa);
        if (refs && strcmp(sa, "default") != 0)
            refs->service_account = json_object_get_string(json_object_object_get(podspec, "serviceAccountName"));
    }
    const char *pull = pcom_jstr(deploy, "imagePullSecret");
    if (pull && *pull) { /* func's k8s.ImagePullSecrets: one reference */
        json_object *list = json_object_new_array(), *ref = json_object_new_object();
        pcom_jset_str(ref, "name", pull);
        json_object_array_add(list, ref);
        json_object_object_add(podspec, "imagePullSecrets", list);
        if (refs)
            refs->image_pull_secret = pcom_jstr(ref, "name");
    }
    if (deploy)
        json_object_put(deploy);
    if (run)
        json_object_put(run);
    if (m.failed) {
        json_object_put(svc);
        if (refs)
            kn_refs_free(refs);
        return NULL;
    }
    return svc;
}

void kn_refs_free(kn_refs *refs)
{
    if (refs->secrets)
        json_object_put(refs->secrets);
    if (refs->config_maps)
        json_object_put(refs->config_maps);
    if (refs->pvcs)
        json_object_put(refs->pvcs);
    memset(refs, 0, sizeof *refs);
}
