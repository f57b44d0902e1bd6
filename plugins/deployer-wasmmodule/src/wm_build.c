/* func.yaml -> WasmModule, following the PR's buildWasmModule: labels and
 * annotations, run.args, run.envs (func's ProcessEnvs rules), run.volumes,
 * resources and the WASI network permissions; what the CRD cannot hold is
 * named in a warning. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pcom/deploy_keys.h"
#include "pcom/kube_volumes.h"
#include "wm.h"

/* func.yaml keys a WasmModule (knative-serving-wasm v0.2.0 CRD: image,
 * args, env, resources, network, volumes, volumeMounts) has no place for. */
static const pcom_unapplied unapplied[] = {
    {"deploy.options.scale", "WasmModule has no scaling settings"},
    {"deploy.options.resources.limits.concurrency", "WasmModule has no concurrency limit"},
    {"deploy.healthEndpoints", "WasmModule has no probes"},
    {"deploy.serviceAccountName", "WasmModule has no service account"},
    {"deploy.imagePullSecret", "WasmModule has no image pull secrets; its runner pulls anonymously"},
    {"deploy.subscriptions", "the wasm deployer creates no Knative Eventing Triggers"},
    {"run.kafka", "the wasm runner has no Kafka transport"},
};

static json_object *fy_tree(const funcp_host *h, funcp_call *call, const char *path)
{
    if (!funcp_host_has(h, fy_json))
        return NULL;
    char *text = h->fy_json(call, path);
    json_object *o = text ? json_tokener_parse(text) : NULL;
    h->free(text);
    return o;
}

/* A scalar of any JSON type as text ("true", "3", "x"); NULL otherwise. */
static const char *scalar(json_object *o)
{
    if (!o || json_object_is_type(o, json_type_object) || json_object_is_type(o, json_type_array) ||
        json_object_is_type(o, json_type_null))
        return NULL;
    return json_object_get_string(o);
}

static int truthy(json_object *o)
{
    const char *s = scalar(o);
    return s && strcmp(s, "true") == 0;
}

/* "{{ kind:a:b }}" split into parts; returns the part count, 0 if the value
 * is not a template. */
static int template_parts(const char *value, char parts[3][256])
{
    size_t n = strlen(value);
    if (n < 4 || strncmp(value, "{{", 2) != 0 || strcmp(value + n - 2, "}}") != 0)
        return 0;
    char inner[768];
    size_t len = n - 4 < sizeof inner - 1 ? n - 4 : sizeof inner - 1;
    memcpy(inner, value + 2, len);
    inner[len] = '\0';
    int count = 0;
    char *save = NULL;
    for (char *t = strtok_r(inner, ":", &save); t && count < 3; t = strtok_r(NULL, ":", &save)) {
        while (*t == ' ')
            t++;
        size_t tl = strlen(t);
        while (tl && t[tl - 1] == ' ')
            t[--tl] = '\0';
        snprintf(parts[count++], 256, "%s", t);
    }
    return count;
}

/* One run.envs entry; *skip when it has no place in a WasmModule. */
static int env_entry(const funcp_host *h, funcp_call *call, json_object *e, size_t i, json_object **out)
{
    *out = NULL;
    const char *name = scalar(json_object_object_get(e, "name"));
    const char *value = scalar(json_object_object_get(e, "value"));
    char parts[3][256];
    int np = value ? template_parts(value, parts) : 0;
    if (!name || !*name) {
        if (np == 2 && (strcmp(parts[0], "secret") == 0 || strcmp(parts[0], "configMap") == 0)) {
            h->log(call, FUNCP_LOG_WARN,
                   "deployer \"%s\" cannot apply func.yaml run.envs[%zu] (%s: all keys of %s \"%s\" need envFrom, "
                   "which WasmModule has not); ignored", WM_DEPLOYER, i, value, parts[0], parts[1]);
            return FUNCP_OK;
        }
        return h->error(call, FUNCP_EUSAGE, "run.envs[%zu]: name is missing", i);
    }
    /* func's ProcessEnvs refuses what it cannot place; so does funcp. */
    if (!value)
        return h->error(call, FUNCP_EUSAGE, "unsupported env source entry \"%s\" (run.envs[%zu]: no value)", name, i);
    if (strncmp(value, "{{", 2) == 0 && np == 2 && strcmp(parts[0], "env") != 0)
        return h->error(call, FUNCP_EUSAGE, "allowed env value entry is \"{{ env:LOCAL_VALUE }}\"; got: \"%s\"",
                        parts[0]);
    if (strncmp(value, "{{", 2) == 0 && np == 3 && strcmp(parts[0], "secret") != 0 && strcmp(parts[0], "configMap") != 0)
        return h->error(call, FUNCP_EUSAGE,
                        "unsupported env source type \"%s\"; supported source types are \"configMap\" or \"secret\"",
                        parts[0]);
    if (strncmp(value, "{{", 2) == 0 && np != 2 && np != 3)
        return h->error(call, FUNCP_EUSAGE, "unsupported env source entry \"%s\" (run.envs[%zu])", value, i);
    json_object *env = json_object_new_object();
    json_object_object_add(env, "name", json_object_new_string(name));
    if (np == 2 && strcmp(parts[0], "env") == 0) {
        const char *local = getenv(parts[1]);
        if (!local) {
            json_object_put(env);
            return h->error(call, FUNCP_EUSAGE,
                            "run.envs[%zu] (%s): the local environment variable %s is not set", i, name, parts[1]);
        }
        json_object_object_add(env, "value", json_object_new_string(local));
    } else if (np == 3 && (strcmp(parts[0], "secret") == 0 || strcmp(parts[0], "configMap") == 0)) {
        json_object_object_add(env, "valueFrom", pcom_kube_key_ref(parts[0], parts[1], parts[2]));
        h->log(call, FUNCP_LOG_WARN,
               "run.envs[%zu] (%s) reads %s \"%s\": knative-serving-wasm v0.2.0 rejects valueFrom "
               "(\"valueFrom is not yet supported\")", i, name, parts[0], parts[1]);
    } else {
        json_object_object_add(env, "value", json_object_new_string(value ? value : ""));
    }
    *out = env;
    return FUNCP_OK;
}

static int build_env(const funcp_host *h, funcp_call *call, json_object *run, json_object **out)
{
    json_object *env = json_object_new_array();
    char built[32];
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm); /* func: time.Now(), local time */
    strftime(built, sizeof built, "%Y%m%dT%H%M%S", &tm);
    json_object *b = json_object_new_object();
    json_object_object_add(b, "name", json_object_new_string("BUILT"));
    json_object_object_add(b, "value", json_object_new_string(built));
    json_object_array_add(env, b);
    int has_address = 0;
    json_object *envs = json_object_object_get(run, "envs");
    size_t n = json_object_is_type(envs, json_type_array) ? json_object_array_length(envs) : 0;
    for (size_t i = 0; i < n; i++) {
        json_object *e;
        int rc = env_entry(h, call, json_object_array_get_idx(envs, i), i, &e);
        if (rc < 0) {
            json_object_put(env);
            return rc;
        }
        if (!e)
            continue;
        const char *name = pcom_jstr(e, "name");
        if (strcmp(name, "ADDRESS") == 0)
            has_address = 1;
        json_object_array_add(env, e);
    }
    if (!has_address) {
        json_object *a = json_object_new_object();
        json_object_object_add(a, "name", json_object_new_string("ADDRESS"));
        json_object_object_add(a, "value", json_object_new_string("0.0.0.0"));
        json_object_array_add(env, a);
    }
    *out = env;
    return FUNCP_OK;
}

/* The runner's address rule: host:port, host "*"/IP/name, port "*"/number. */
static int valid_address(const char *a)
{
    const char *colon = strchr(a, ':');
    if (!colon || colon == a || !colon[1])
        return 0;
    for (const char *p = a; p < colon; p++)
        if (*p == ' ' || *p == '\t' || *p == '\n')
            return 0;
    if (strcmp(colon + 1, "*") == 0)
        return 1;
    for (const char *p = colon + 1; *p; p++)
        if (*p < '0' || *p > '9')
            return 0;
    return 1;
}

static int address_list(const funcp_host *h, funcp_call *call, json_object *src, const char *field,
                        json_object *dst_obj, const char *dst_key)
{
    json_object *list = pcom_jget(src, field);
    if (!list)
        return FUNCP_OK;
    if (!json_object_is_type(list, json_type_array))
        return h->error(call, FUNCP_EUSAGE, "deploy.network.%s must be a list of host:port", field);
    json_object *out = json_object_new_array();
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        const char *a = scalar(json_object_array_get_idx(list, i));
        if (!a || !valid_address(a)) {
            json_object_put(out);
            return h->error(call, FUNCP_EUSAGE,
                            "deploy.network.%s[%zu] \"%s\": want host:port (host: *, an IP or a name; port: * or a number)",
                            field, i, a ? a : "");
        }
        json_object_array_add(out, json_object_new_string(a));
    }
    json_object_object_add(dst_obj, dst_key, out);
    return FUNCP_OK;
}

static int build_network(const funcp_host *h, funcp_call *call, json_object *net, json_object **out)
{
    *out = NULL;
    if (!net)
        return FUNCP_OK;
    if (!json_object_is_type(net, json_type_object))
        return h->error(call, FUNCP_EUSAGE, "deploy.network must be a mapping");
    json_object *spec = json_object_new_object();
    if (json_object_object_get(net, "inherit"))
        json_object_object_add(spec, "inherit", json_object_new_boolean(truthy(json_object_object_get(net, "inherit"))));
    if (json_object_object_get(net, "allowIpNameLookup"))
        json_object_object_add(spec, "allowIpNameLookup",
                               json_object_new_boolean(truthy(json_object_object_get(net, "allowIpNameLookup"))));
    json_object *tcp = json_object_new_object(), *udp = json_object_new_object();
    int rc = address_list(h, call, net, "tcp.bind", tcp, "bind");
    if (rc == FUNCP_OK)
        rc = address_list(h, call, net, "tcp.connect", tcp, "connect");
    if (rc == FUNCP_OK)
        rc = address_list(h, call, net, "udp.bind", udp, "bind");
    if (rc == FUNCP_OK)
        rc = address_list(h, call, net, "udp.connect", udp, "connect");
    if (rc == FUNCP_OK)
        rc = address_list(h, call, net, "udp.outgoing", udp, "outgoing");
    if (rc < 0) {
        json_object_put(tcp);
        json_object_put(udp);
        json_object_put(spec);
        return rc;
    }
    if (json_object_object_length(tcp))
        json_object_object_add(spec, "tcp", tcp);
    else
        json_object_put(tcp);
    if (json_object_object_length(udp))
        json_object_object_add(spec, "udp", udp);
    else
        json_object_put(udp);
    *out = spec;
    return FUNCP_OK;
}

/* deploy.options.resources requests/limits cpu and memory; a value that is
 * no Kubernetes quantity is refused here rather than by the API server. */
static int build_resources(const funcp_host *h, funcp_call *call, json_object *deploy, json_object **res_out)
{
    *res_out = NULL;
    json_object *res = pcom_jget(deploy, "options.resources");
    if (!res)
        return FUNCP_OK;
    json_object *out = json_object_new_object();
    static const char *const groups[] = {"requests", "limits"};
    static const char *const keys[] = {"cpu", "memory"};
    for (size_t g = 0; g < 2; g++) {
        json_object *dst = json_object_new_object();
        for (size_t k = 0; k < 2; k++) {
            const char *v = scalar(pcom_jget(json_object_object_get(res, groups[g]), keys[k]));
            if (v && *v && !pcom_kube_quantity_ok(v)) {
                json_object_put(dst);
                json_object_put(out);
                return h->error(call, FUNCP_EUSAGE, "deploy.options.resources.%s.%s: invalid quantity \"%s\"",
                                groups[g], keys[k], v);
            }
            if (v && *v)
                json_object_object_add(dst, keys[k], json_object_new_string(v));
        }
        if (json_object_object_length(dst))
            json_object_object_add(out, groups[g], dst);
        else
            json_object_put(dst);
    }
    if (!json_object_object_length(out)) {
        json_object_put(out);
        return FUNCP_OK;
    }
    *res_out = out;
    return FUNCP_OK;
}

/* run.volumes as func's ProcessVolumes builds them: the runner preopens
 * each mount as a WASI directory. */
static int build_volumes(const funcp_host *h, funcp_call *call, json_object *list, json_object *spec)
{
    json_object *vols, *mounts;
    char err[512];
    if (pcom_kube_volumes(list, NULL, NULL, &vols, &mounts, err, sizeof err) != 0)
        return h->error(call, FUNCP_EUSAGE, "%s", err);
    if (mounts) {
        json_object_object_add(spec, "volumes", vols);
        json_object_object_add(spec, "volumeMounts", mounts);
    }
    return FUNCP_OK;
}

/* deploy.labels is func's list of {key, value}; values may be {{ env:X }}. */
static int add_labels(const funcp_host *h, funcp_call *call, json_object *deploy, json_object *labels)
{
    json_object *list = json_object_object_get(deploy, "labels");
    size_t n = json_object_is_type(list, json_type_array) ? json_object_array_length(list) : 0;
    for (size_t i = 0; i < n; i++) {
        json_object *l = json_object_array_get_idx(list, i);
        const char *key = scalar(json_object_object_get(l, "key"));
        const char *value = scalar(json_object_object_get(l, "value"));
        if (!key || !*key)
            return h->error(call, FUNCP_EUSAGE, "deploy.labels[%zu]: key is missing", i);
        char parts[3][256];
        if (value && template_parts(value, parts) == 2 && strcmp(parts[0], "env") == 0) {
            value = getenv(parts[1]);
            if (!value)
                return h->error(call, FUNCP_EUSAGE, "deploy.labels[%zu] (%s): the local environment variable %s is not set",
                                i, key, parts[1]);
        }
        json_object_object_add(labels, key, json_object_new_string(value ? value : ""));
    }
    return FUNCP_OK;
}

int wm_build(const funcp_host *h, funcp_call *call, const char *ns, const char *image, json_object **out)
{
    *out = NULL;
    const char *name = h->fy_get(call, "name");
    const char *runtime = h->fy_get(call, "runtime");
    const char *domain = h->fy_get(call, "domain");
    if (!name || !*name)
        return h->error(call, FUNCP_EUSAGE, "func.yaml has no name");
    if (!image || !*image)
        return h->error(call, FUNCP_EUSAGE, "no image reference configured: function has no image set");
    pcom_warn_unapplied(h, call, WM_DEPLOYER, unapplied, sizeof unapplied / sizeof unapplied[0]);
    json_object *run = fy_tree(h, call, "run");
    json_object *deploy = fy_tree(h, call, "deploy");

    json_object *labels = json_object_new_object();
    pcom_kube_func_labels(labels, name, runtime, domain);
    json_object *annotations = json_object_new_object();
    json_object_object_add(annotations, PCOM_ANN_DEPLOYER, json_object_new_string(WM_DEPLOYER));
    json_object *ann = json_object_object_get(deploy, "annotations");
    if (json_object_is_type(ann, json_type_object)) {
        json_object_object_foreach(ann, k, v) {
            if (scalar(v))
                json_object_object_add(annotations, k, json_object_new_string(scalar(v)));
        }
    }

    json_object *module = json_object_new_object();
    json_object *md = json_object_new_object();
    json_object *spec = json_object_new_object();
    json_object_object_add(module, "apiVersion", json_object_new_string(WM_API_VERSION));
    json_object_object_add(module, "kind", json_object_new_string(WM_KIND));
    json_object_object_add(md, "name", json_object_new_string(name));
    json_object_object_add(md, "namespace", json_object_new_string(ns));
    json_object_object_add(md, "labels", labels);
    json_object_object_add(md, "annotations", annotations);
    json_object_object_add(module, "metadata", md);
    json_object_object_add(module, "spec", spec);
    json_object_object_add(spec, "image", json_object_new_string(image));

    int rc = add_labels(h, call, deploy, labels);
    pcom_kube_func_labels(labels, name, runtime, domain); /* func's own labels win, as in func */
    json_object *args = json_object_object_get(run, "args");
    if (rc == FUNCP_OK && json_object_is_type(args, json_type_array) && json_object_array_length(args)) {
        json_object *a = json_object_new_array();
        for (size_t i = 0; i < json_object_array_length(args); i++) {
            const char *s = scalar(json_object_array_get_idx(args, i));
            json_object_array_add(a, json_object_new_string(s ? s : ""));
        }
        json_object_object_add(spec, "args", a);
    }
    json_object *env = NULL, *net = NULL, *res = NULL;
    if (rc == FUNCP_OK)
        rc = build_env(h, call, run, &env);
    if (rc == FUNCP_OK)
        json_object_object_add(spec, "env", env);
    if (rc == FUNCP_OK)
        rc = build_resources(h, call, deploy, &res);
    if (rc == FUNCP_OK && res)
        json_object_object_add(spec, "resources", res);
    if (rc == FUNCP_OK)
        rc = build_volumes(h, call, json_object_object_get(run, "volumes"), spec);
    if (rc == FUNCP_OK)
        rc = build_network(h, call, json_object_object_get(deploy, "network"), &net);
    if (rc == FUNCP_OK && net)
        json_object_object_add(spec, "network", net);
    /* What this deploy sets, so the next one can remove what func.yaml drops. */
    if (rc == FUNCP_OK)
        pcom_managed_record(annotations, labels, annotations);
    json_object_put(run);
    json_object_put(deploy);
    if (rc < 0) {
        json_object_put(module);
        return rc;
    }
    *out = module;
    return FUNCP_OK;
}
