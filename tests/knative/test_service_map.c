/* func.yaml -> Knative Service: golden objects derived from knative func's
 * mapping (see the README), compared as JSON values (key order ignored). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fake_host.h"
#include "kn.h"
#include "pcom/timeout.h"

static const char *test_env(const char *name)
{
    if (strcmp(name, "FUNC_REGION") == 0)
        return "eu-west-1";
    if (strcmp(name, "FUNC_TEAM") == 0)
        return "payments";
    return NULL;
}

static void fixed7(char out[8]) { memcpy(out, "bcdfghj", 8); }

static char *path_of(const char *rel)
{
    const char *root = getenv("FUNCP_TEST_SOURCE_DIR");
    char *p = malloc(4096);
    snprintf(p, 4096, "%s/tests/knative/fixtures/%s", root ? root : ".", rel);
    return p;
}

static json_object *load_json(const char *rel)
{
    char *p = path_of(rel);
    json_object *o = json_object_from_file(p);
    if (!o)
        fail_msg("cannot read %s", p);
    free(p);
    return o;
}

static void assert_json_equal(json_object *got, json_object *want)
{
    if (!json_object_equal(got, want)) {
        fprintf(stderr, "got:\n%s\nwant:\n%s\n",
                json_object_to_json_string_ext(got, JSON_C_TO_STRING_PRETTY),
                json_object_to_json_string_ext(want, JSON_C_TO_STRING_PRETTY));
        fail_msg("JSON differs from the golden object");
    }
}

static json_object *build_from(funcp_host *h, funcp_call *c, const char *image, kn_refs *refs)
{
    kn_map_opts o = {image, "20260409T114018", 0, test_env, fixed7};
    return kn_service_build(h, c, &o, refs);
}

static void golden_case(const char *yaml, const char *golden, const char *image, kn_refs *refs_out)
{
    funcp_host h;
    funcp_call c;
    fake_host_init(&h);
    char *p = path_of(yaml);
    assert_int_equal(fake_call_init(&c, p), 0);
    free(p);
    kn_refs refs;
    json_object *svc = build_from(&h, &c, image, &refs);
    if (!svc)
        fail_msg("build failed: %s", c.err);
    json_object *want = load_json(golden);
    assert_json_equal(svc, want);
    if (refs_out) {
        *refs_out = refs;
        refs_out->secrets = json_object_get(refs.secrets);
        refs_out->config_maps = json_object_get(refs.config_maps);
        refs_out->pvcs = json_object_get(refs.pvcs);
        refs_out->service_account = NULL;
        refs_out->image_pull_secret = NULL;
        assert_string_equal(refs.service_account, "fn-runner");
        assert_string_equal(refs.image_pull_secret, "registry-creds");
    }
    kn_refs_free(&refs);
    json_object_put(want);
    json_object_put(svc);
    fake_call_free(&c);
}

static void test_node_create_matches_func(void **state)
{
    (void)state;
    golden_case("node/func.yaml", "golden/node-create.json",
                "registry.example.com/u/hello@sha256:9b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c", NULL);
}

static void test_go_create_matches_func(void **state)
{
    (void)state;
    kn_refs refs;
    golden_case("go/func.yaml", "golden/go-create.json",
                "registry.example.com/alice/hello-go@sha256:5e0a8c8f2e4b5b1c2a9f8d7e6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b", &refs);
    /* Pre-flight gets each referenced object once. */
    assert_string_equal(json_object_to_json_string_ext(refs.secrets, JSON_C_TO_STRING_PLAIN), "[\"api-keys\",\"extra-env\"]");
    assert_string_equal(json_object_to_json_string_ext(refs.config_maps, JSON_C_TO_STRING_PLAIN), "[\"app-config\"]");
    assert_string_equal(json_object_to_json_string_ext(refs.pvcs, JSON_C_TO_STRING_PLAIN), "[\"data\"]");
    kn_refs_free(&refs);
}

static void test_update_merges_and_replaces(void **state)
{
    (void)state;
    funcp_host h;
    funcp_call c;
    fake_host_init(&h);
    char *p = path_of("node/func.yaml");
    assert_int_equal(fake_call_init(&c, p), 0);
    free(p);
    json_object *desired = build_from(&h, &c,
        "registry.example.com/u/hello@sha256:9b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c", NULL);
    assert_non_null(desired);
    json_object_object_del(json_object_array_get_idx(pcom_jget(desired, "spec.template.spec.containers"), 0),
                           "securityContext");
    json_object *cur = load_json("golden/node-existing.json");
    kn_service_update(cur, desired);
    json_object *want = load_json("golden/node-updated.json");
    assert_json_equal(cur, want);
    json_object_put(want);
    json_object_put(cur);
    json_object_put(desired);
    fake_call_free(&c);
}

#define HEAD "specVersion: 0.36.0\nname: f\nruntime: go\n"

static int has_key(json_object *o, const char *path, const char *key)
{
    json_object *m = pcom_jget(o, path);
    return m && json_object_object_get_ex(m, key, NULL);
}

/* Issue 17: a redeploy removes the labels and annotations funcp set last
 * time (its funcp.dev/managed-* record) that func.yaml no longer has, from
 * the Service and its template; keys other tools set stay. */
static void test_update_removes_keys_funcyaml_dropped(void **state)
{
    (void)state;
    funcp_host h;
    funcp_call c;
    fake_host_init(&h);
    char *p = path_of("node/func.yaml");
    assert_int_equal(fake_call_init(&c, p), 0);
    free(p);
    json_object *desired = build_from(&h, &c, "r.example/x@sha256:00", NULL);
    assert_non_null(desired);
    json_object *cur = load_json("golden/node-existing.json");
    json_object *meta = pcom_jget(cur, "metadata"), *tmeta = pcom_jget(cur, "spec.template.metadata");
    pcom_jset_str(pcom_jget(meta, "labels"), "team", "payments");
    pcom_jset_str(pcom_jget(tmeta, "labels"), "team", "payments");
    pcom_jset_str(pcom_jget(meta, "annotations"), "prometheus.io/scrape", "true");
    pcom_jset_str(pcom_jget(tmeta, "annotations"), "prometheus.io/scrape", "true");
    pcom_jset_str(pcom_jget(tmeta, "annotations"), "autoscaling.knative.dev/max-scale", "9");
    pcom_jset_str(pcom_jget(meta, "annotations"), "funcp.dev/managed-labels",
                  "boson.dev/function,function.knative.dev/name,function.knative.dev/runtime,team");
    pcom_jset_str(pcom_jget(meta, "annotations"), "funcp.dev/managed-annotations",
                  "autoscaling.knative.dev/max-scale,function.knative.dev/deployer,prometheus.io/scrape");
    kn_service_update(cur, desired);
    assert_false(has_key(cur, "metadata.labels", "team"));
    assert_false(has_key(cur, "spec.template.metadata.labels", "team"));
    assert_false(has_key(cur, "metadata.annotations", "prometheus.io/scrape"));
    assert_false(has_key(cur, "spec.template.metadata.annotations", "prometheus.io/scrape"));
    assert_false(has_key(cur, "spec.template.metadata.annotations", "autoscaling.knative.dev/max-scale"));
    /* Other tools' keys and what func.yaml still sets stay. */
    assert_true(has_key(cur, "metadata.labels", "argocd.argoproj.io/instance"));
    assert_true(has_key(cur, "spec.template.metadata.labels", "argocd.argoproj.io/instance"));
    assert_true(has_key(cur, "metadata.annotations", "example.com/owner"));
    assert_true(has_key(cur, "spec.template.metadata.annotations", "sidecar.istio.io/inject"));
    assert_true(has_key(cur, "metadata.labels", "boson.dev/function"));
    json_object *rec = NULL;
    assert_true(json_object_object_get_ex(pcom_jget(cur, "metadata.annotations"), "funcp.dev/managed-labels", &rec));
    assert_string_equal(json_object_get_string(rec),
                        "boson.dev/function,function.knative.dev/name,function.knative.dev/runtime");
    json_object_put(cur);
    json_object_put(desired);
    fake_call_free(&c);
}

/* A Service knative func deployed (no record): func's own keys count as
 * managed, so a domain, Dapr or scale setting gone from func.yaml goes. */
static void test_update_of_func_service_removes_func_keys(void **state)
{
    (void)state;
    funcp_host h;
    funcp_call c;
    fake_host_init(&h);
    assert_int_equal(fake_call_init_text(&c, HEAD), 0);
    json_object *desired = build_from(&h, &c, "r.example/x@sha256:00", NULL);
    json_object *cur = load_json("golden/node-existing.json");
    json_object *meta = pcom_jget(cur, "metadata"), *tmeta = pcom_jget(cur, "spec.template.metadata");
    pcom_jset_str(pcom_jget(meta, "labels"), "func.domain", "example.com");
    pcom_jset_str(pcom_jget(tmeta, "labels"), "func.domain", "example.com");
    pcom_jset_str(pcom_jget(meta, "annotations"), "dapr.io/enabled", "true");
    pcom_jset_str(pcom_jget(tmeta, "annotations"), "dapr.io/app-id", "hello");
    kn_service_update(cur, desired);
    assert_false(has_key(cur, "metadata.labels", "func.domain"));
    assert_false(has_key(cur, "spec.template.metadata.labels", "func.domain"));
    assert_false(has_key(cur, "metadata.annotations", "dapr.io/enabled"));
    assert_false(has_key(cur, "spec.template.metadata.annotations", "dapr.io/app-id"));
    assert_false(has_key(cur, "spec.template.metadata.annotations", "autoscaling.knative.dev/min-scale"));
    assert_true(has_key(cur, "metadata.labels", "argocd.argoproj.io/instance"));
    assert_true(has_key(cur, "metadata.annotations", "serving.knative.dev/creator"));
    assert_true(has_key(cur, "spec.template.metadata.annotations", "sidecar.istio.io/inject"));
    json_object_put(cur);
    json_object_put(desired);
    fake_call_free(&c);
}

/* func's AppendKafkaEnvs: a complete run.kafka adds four variables after
 * ADDRESS; an incomplete one adds none. */
static void test_run_kafka_envs(void **state)
{
    (void)state;
    funcp_host h;
    funcp_call c;
    fake_host_init(&h);
    assert_int_equal(fake_call_init_text(&c, HEAD "invoke: cloudevent\nrun:\n  kafka:\n    brokers: k:9092\n"
                                                  "    topic: orders\n    consumerGroup: fn\n"), 0);
    json_object *svc = build_from(&h, &c, "r.example/x@sha256:00", NULL);
    json_object *env = pcom_jget(pcom_jidx(pcom_jget(svc, "spec.template.spec.containers"), 0), "env");
    assert_string_equal(json_object_to_json_string_ext(env, JSON_C_TO_STRING_PLAIN),
                        "[{\"name\":\"BUILT\",\"value\":\"20260409T114018\"},{\"name\":\"ADDRESS\",\"value\":\"0.0.0.0\"},"
                        "{\"name\":\"FUNC_TRANSPORT\",\"value\":\"kafka\"},{\"name\":\"KAFKA_BROKERS\",\"value\":\"k:9092\"},"
                        "{\"name\":\"KAFKA_TOPIC\",\"value\":\"orders\"},{\"name\":\"KAFKA_CONSUMER_GROUP\",\"value\":\"fn\"}]");
    json_object_put(svc);
    fake_call_free(&c);
    assert_int_equal(fake_call_init_text(&c, HEAD "run:\n  kafka:\n    brokers: k:9092\n"), 0);
    svc = build_from(&h, &c, "r.example/x@sha256:00", NULL);
    env = pcom_jget(pcom_jidx(pcom_jget(svc, "spec.template.spec.containers"), 0), "env");
    assert_int_equal(pcom_jlen(env), 2);
    json_object_put(svc);
    fake_call_free(&c);
}

/* Issue 16: deploy.imagePullSecret becomes the pod's imagePullSecrets, on
 * update too (replacing an old one), and none when func.yaml drops it. */
static void test_image_pull_secret_update(void **state)
{
    (void)state;
    funcp_host h;
    funcp_call c;
    fake_host_init(&h);
    assert_int_equal(fake_call_init_text(&c, HEAD "deploy:\n  imagePullSecret: creds-b\n"), 0);
    json_object *desired = build_from(&h, &c, "r.example/x@sha256:00", NULL);
    json_object *cur = load_json("golden/node-existing.json");
    json_object *old = json_tokener_parse("[{\"name\":\"creds-a\"}]");
    json_object_object_add(pcom_jget(cur, "spec.template.spec"), "imagePullSecrets", old);
    kn_service_update(cur, desired);
    assert_string_equal(json_object_to_json_string_ext(pcom_jget(cur, "spec.template.spec.imagePullSecrets"),
                                                       JSON_C_TO_STRING_PLAIN), "[{\"name\":\"creds-b\"}]");
    json_object_put(desired);
    fake_call_free(&c);
    assert_int_equal(fake_call_init_text(&c, HEAD), 0);
    desired = build_from(&h, &c, "r.example/x@sha256:00", NULL);
    kn_service_update(cur, desired);
    assert_null(pcom_jget(cur, "spec.template.spec.imagePullSecrets"));
    json_object_put(cur);
    json_object_put(desired);
    fake_call_free(&c);
}

/* A func.yaml that must be refused, with the message func gives. */
static void refused(const char *yaml, const char *expect)
{
    funcp_host h;
    funcp_call c;
    fake_host_init(&h);
    if (fake_call_init_text(&c, yaml) != 0)
        fail_msg("fixture does not parse: %s", yaml);
    json_object *svc = build_from(&h, &c, "r.example/x@sha256:00", NULL);
    if (svc)
        fail_msg("accepted: %s", yaml);
    assert_int_equal(c.err_code, FUNCP_EUSAGE);
    if (!strstr(c.err, expect))
        fail_msg("error \"%s\" does not contain \"%s\"", c.err, expect);
    fake_call_free(&c);
}

static void test_bad_env_entries(void **state)
{
    (void)state;
    refused(HEAD "run:\n  envs:\n  - name: A\n    value: '{{ env:NOT_SET_ANYWHERE }}'\n",
            "required local environment variable \"NOT_SET_ANYWHERE\" is not set");
    refused(HEAD "run:\n  envs:\n  - name: A\n    value: '{{ foo:B }}'\n",
            "allowed env value entry is \"{{ env:LOCAL_VALUE }}\"; got: \"foo\"");
    refused(HEAD "run:\n  envs:\n  - name: A\n    value: '{{ vault:s:k }}'\n",
            "unsupported env source type \"vault\"; supported source types are \"configMap\" or \"secret\"");
    refused(HEAD "run:\n  envs:\n  - name: A\n    value: '{{ secret::k }}'\n",
            "the name of Secret cannot be an empty string");
    refused(HEAD "run:\n  envs:\n  - name: A\n    value: '{{ secret:s: }}'\n",
            "the key referenced by resource Secret \"s\" cannot be an empty string");
    refused(HEAD "run:\n  envs:\n  - value: '{{ nope }}'\n", "unsupported env source entry \"{{ nope }}\"");
    /* func errors on these too; they are never silently left out. */
    refused(HEAD "run:\n  envs:\n  - name: ONLY_NAME\n", "unsupported env source entry \"ONLY_NAME\" (run.envs[0]: no value)");
    refused(HEAD "run:\n  envs:\n  - value: literal\n", "unsupported env source entry \"literal\" (run.envs[0]: a value without a name");
}

static void test_bad_volumes_resources_labels(void **state)
{
    (void)state;
    refused(HEAD "run:\n  volumes:\n  - secret: a\n    path: /x\n  - configMap: b\n    path: /x\n",
            "mount path /x is defined multiple times");
    refused(HEAD "run:\n  volumes:\n  - emptyDir:\n      sizeLimit: lots\n    path: /x\n",
            "invalid quantity for sizeLimit: \"lots\"");
    refused(HEAD "deploy:\n  options:\n    resources:\n      limits:\n        memory: 12Qb\n",
            "deploy.options.resources.limits.memory: invalid quantity \"12Qb\"");
    refused(HEAD "deploy:\n  labels:\n  - key: -bad\n    value: x\n", "deploy.labels[0]: invalid label key \"-bad\"");
    refused(HEAD "deploy:\n  options:\n    scale:\n      min: 5\n      max: 2\n", "max must be at least min");
    refused(HEAD "deploy:\n  options:\n    scale:\n      metric: cpu\n", "must be \"concurrency\" or \"rps\"");
}

static void test_scale_block_without_keys(void **state)
{
    (void)state;
    funcp_host h;
    funcp_call c;
    fake_host_init(&h);
    assert_int_equal(fake_call_init_text(&c, HEAD "deploy:\n  options:\n    scale:\n      max: 3\n"), 0);
    json_object *svc = build_from(&h, &c, "r.example/x@sha256:00", NULL);
    assert_non_null(svc);
    json_object *ann = pcom_jget(svc, "spec.template.metadata.annotations");
    json_object *v = NULL;
    assert_true(json_object_object_get_ex(ann, "autoscaling.knative.dev/max-scale", &v));
    assert_string_equal(json_object_get_string(v), "3");
    assert_false(json_object_object_get_ex(ann, "autoscaling.knative.dev/min-scale", NULL));
    /* Never on Service metadata: Serving refuses autoscaling keys there. */
    assert_false(json_object_object_get_ex(pcom_jget(svc, "metadata.annotations"),
                                           "autoscaling.knative.dev/max-scale", NULL));
    json_object_put(svc);
    fake_call_free(&c);
}

/* Objects from a server are not trusted to have the expected shapes. */
static void test_malformed_server_objects(void **state)
{
    (void)state;
    static const char odd_types[] =
        "{\"metadata\":{\"labels\":{\"function.knative.dev/name\":null},\"annotations\":{\"function.knative.dev/deployer\":null},"
        "\"ownerReferences\":{}},\"status\":{\"conditions\":[1,{\"type\":\"Ready\"}]}}";
    static const char *const bad[] = {
        "{}",
        "{\"metadata\":null,\"spec\":{\"template\":{\"spec\":{\"containers\":\"x\"}}},\"status\":{\"conditions\":{}}}",
        odd_types,
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_object *o = json_tokener_parse(bad[i]);
        assert_non_null(o);
        funcp_instance inst;
        kn_instance_from(o, &inst);
        assert_string_equal(inst.ready, "Unknown");
        assert_null(inst.image);
        assert_int_equal(kn_is_function(o), 0);
        json_object_put(o);
    }
    /* An update onto a Service with no usable containers gives a container. */
    funcp_host h;
    funcp_call c;
    fake_host_init(&h);
    assert_int_equal(fake_call_init_text(&c, HEAD), 0);
    json_object *desired = build_from(&h, &c, "r.example/x@sha256:00", NULL);
    json_object *cur = json_tokener_parse(bad[1]);
    kn_service_update(cur, desired);
    assert_string_equal(pcom_jstr(pcom_jidx(pcom_jget(cur, "spec.template.spec.containers"), 0), "image"),
                        "r.example/x@sha256:00");
    json_object *dep = NULL;
    assert_true(json_object_object_get_ex(pcom_jget(cur, "metadata.annotations"), KN_ANN_DEPLOYER, &dep));
    assert_string_equal(json_object_get_string(dep), "knative");
    json_object_put(cur);
    json_object_put(desired);
    fake_call_free(&c);
}

/* The deployer waits as long as the core's "timeout-ms" says (--timeout,
 * parsed by the core), 2 minutes when the command has none, and refuses 0. */
static void test_timeout_option(void **state)
{
    (void)state;
    static const struct { const char *given; long long ms; } good[] = {
        {"120s", 120000}, {"1m30s", 90000}, {"500ms", 500}, {"2h", 7200000}, {"1.5m", 90000},
    };
    funcp_host h;
    fake_host_init(&h);
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        funcp_call c;
        assert_int_equal(fake_call_init_text(&c, HEAD), 0);
        fake_call_set(&c, "timeout", good[i].given);
        long long ms = -1;
        assert_int_equal(pcom_timeout_ms(&h, &c, KN_DEFAULT_TIMEOUT_MS, &ms), FUNCP_OK);
        assert_int_equal(ms, good[i].ms);
        fake_call_free(&c);
    }
    funcp_call c;
    assert_int_equal(fake_call_init_text(&c, HEAD), 0);
    long long ms = -1;
    assert_int_equal(pcom_timeout_ms(&h, &c, KN_DEFAULT_TIMEOUT_MS, &ms), FUNCP_OK);
    assert_int_equal(ms, 120000);
    fake_call_set(&c, "timeout", "0");
    assert_int_equal(pcom_timeout_ms(&h, &c, KN_DEFAULT_TIMEOUT_MS, &ms), FUNCP_EUSAGE);
    assert_string_equal(c.err, "invalid --timeout \"0\": use a duration longer than zero, such as 90s or 2m");
    fake_call_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_node_create_matches_func),
        cmocka_unit_test(test_go_create_matches_func),
        cmocka_unit_test(test_update_merges_and_replaces),
        cmocka_unit_test(test_update_removes_keys_funcyaml_dropped),
        cmocka_unit_test(test_update_of_func_service_removes_func_keys),
        cmocka_unit_test(test_image_pull_secret_update),
        cmocka_unit_test(test_run_kafka_envs),
        cmocka_unit_test(test_bad_env_entries),
        cmocka_unit_test(test_bad_volumes_resources_labels),
        cmocka_unit_test(test_scale_block_without_keys),
        cmocka_unit_test(test_malformed_server_objects),
        cmocka_unit_test(test_timeout_option),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
