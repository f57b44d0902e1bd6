/* Migrations: one fixture per old func.yaml layout knative func migrates
 * (tests/funcyaml/fixtures/migrations), loaded through the public API and
 * checked where func's migrations put each value. */
#include "fy_test.h"

static fp_funcyaml *load_migration(const char *name)
{
    char rel[256];
    snprintf(rel, sizeof rel, "migrations/%s", name);
    fp_funcyaml *doc = fp_funcyaml_load(fixture(rel));
    if (!doc)
        fail_msg("%s: %s", name, fp_error_message());
    return doc;
}

static void assert_keys(const fp_funcyaml *doc, const char *path, const char *const *keys,
                        size_t n)
{
    assert_int_equal(fp_funcyaml_count(doc, path), n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(fp_funcyaml_key(doc, path, i), keys[i]);
}

/* Before versioning: created stamp, the default builder image dropped,
 * everything moved under build/run/deploy. */
static void unversioned(void **state)
{
    (void)state;
    fp_funcyaml *doc = load_migration("unversioned.yaml");
    assert_string_equal(fp_funcyaml_migrated_from(doc), "");
    assert_false(fp_funcyaml_dirty(doc));
    assert_string_equal(fp_funcyaml_get(doc, "specVersion"), FP_FUNCYAML_SPEC_VERSION);
    assert_non_null(fp_funcyaml_get(doc, "created"));
    assert_string_equal(fp_funcyaml_get(doc, "build.buildpacks[0]"), "paketo-buildpacks/go-dist");
    assert_null(fp_funcyaml_get(doc, "build.builder"));
    assert_int_equal(fp_funcyaml_count(doc, "build.builderImages"), 0);
    assert_string_equal(fp_funcyaml_get(doc, "run.envs[0].name"), "GREETING");
    assert_string_equal(fp_funcyaml_get(doc, "run.envs[0].value"), "hello");
    assert_string_equal(fp_funcyaml_get(doc, "deploy.healthEndpoints.readiness"),
                        "/health/readiness");
    assert_null(fp_funcyaml_get(doc, "deploy.namespace")); /* "" is func's omitted value */
    const char *top[] = {"specVersion", "name", "namespace", "runtime", "image",
                         "created",     "build", "run",      "deploy"};
    assert_keys(doc, "", top, sizeof top / sizeof *top);
    fp_funcyaml_free(doc);
}

/* version 0.0.0: a custom builder image becomes builderImages.pack; the
 * build type, the empty git and the default invocation go. */
static void custom_builder_image(void **state)
{
    (void)state;
    fp_funcyaml *doc = load_migration("version-0.0.0.yaml");
    assert_string_equal(fp_funcyaml_migrated_from(doc), "");
    assert_string_equal(fp_funcyaml_get(doc, "build.builderImages.pack"),
                        "example.com/team/node-builder:v2");
    assert_null(fp_funcyaml_get(doc, "build.builder"));
    assert_null(fp_funcyaml_get(doc, "builder"));
    assert_null(fp_funcyaml_get(doc, "invoke"));
    assert_string_equal(fp_funcyaml_get(doc, "created"), "2022-05-25T22:44:47.36886+09:00");
    assert_string_equal(fp_funcyaml_get(doc, "deploy.healthEndpoints.liveness"),
                        "/health/liveness");
    const char *top[] = {"specVersion", "name", "namespace", "runtime", "registry",
                         "image",       "created", "build",  "deploy"};
    assert_keys(doc, "", top, sizeof top / sizeof *top);
    fp_funcyaml_free(doc);
}

/* version 0.0.0 with func's defaults: nothing to carry over. */
static void default_builder(void **state)
{
    (void)state;
    fp_funcyaml *doc = load_migration("version-0.0.0-default.yaml");
    assert_string_equal(fp_funcyaml_migrated_from(doc), "");
    assert_null(fp_funcyaml_get(doc, "build.builder"));
    assert_int_equal(fp_funcyaml_count(doc, "build.builderImages"), 0);
    assert_string_equal(fp_funcyaml_get(doc, "build.buildpacks[0]"), "paketo-buildpacks/go-dist");
    const char *top[] = {"specVersion", "name",    "namespace", "runtime",
                         "registry",    "image",   "created",   "build"};
    assert_keys(doc, "", top, sizeof top / sizeof *top);
    fp_funcyaml_free(doc);
}

/* version 0.23.0: a builder name moves to build.builder; every old
 * top-level section lands under build, run or deploy. */
static void version_field_layout(void **state)
{
    (void)state;
    fp_funcyaml *doc = load_migration("version-0.23.0.yaml");
    assert_string_equal(fp_funcyaml_get(doc, "build.builder"), "s2i");
    assert_int_equal(fp_funcyaml_count(doc, "build.builderImages"), 0);
    assert_string_equal(fp_funcyaml_get(doc, "build.git.url"),
                        "https://git.example.com/team/versioned.git");
    assert_string_equal(fp_funcyaml_get(doc, "build.git.revision"), "main");
    assert_string_equal(fp_funcyaml_get(doc, "build.buildEnvs[0].name"), "PIP_INDEX_URL");
    assert_string_equal(fp_funcyaml_get(doc, "run.volumes[0].secret"), "api-keys");
    assert_string_equal(fp_funcyaml_get(doc, "run.envs[0].name"), "MODE");
    assert_string_equal(fp_funcyaml_get(doc, "deploy.annotations.team"), "a");
    assert_string_equal(fp_funcyaml_get(doc, "deploy.options.scale.max"), "3");
    assert_string_equal(fp_funcyaml_get(doc, "deploy.labels[0].key"), "tier");
    assert_string_equal(fp_funcyaml_get(doc, "deploy.healthEndpoints.readiness"), "/ready");
    assert_string_equal(fp_funcyaml_get(doc, "deploy.namespace"), "team-a");
    assert_string_equal(fp_funcyaml_get(doc, "namespace"), "team-a"); /* func keeps it too */
    assert_null(fp_funcyaml_get(doc, "invoke")); /* invocation http is the default */
    const char *top[] = {"specVersion", "name",    "namespace", "runtime", "registry",
                         "image",       "created", "build",     "run",     "deploy"};
    assert_keys(doc, "", top, sizeof top / sizeof *top);
    fp_funcyaml_free(doc);
}

/* specVersion 0.25.0: the specs structure and the invoke migrations;
 * comments move with their keys, an unknown key stays put. */
static void spec_0_25_0(void **state)
{
    (void)state;
    fp_funcyaml *doc = load_migration("spec-0.25.0.yaml");
    assert_string_equal(fp_funcyaml_migrated_from(doc), "0.25.0");
    assert_string_equal(fp_funcyaml_get(doc, "build.builderImages.pack"),
                        "example.com/pack-builder");
    assert_string_equal(fp_funcyaml_get(doc, "build.builder"), "pack");
    assert_string_equal(fp_funcyaml_get(doc, "build.git.contextDir"), "fn");
    assert_string_equal(fp_funcyaml_get(doc, "build.buildEnvs[0].value"), "-mod=vendor");
    assert_string_equal(fp_funcyaml_get(doc, "run.envs[0].value"), "{{ secret:tokens:api }}");
    assert_string_equal(fp_funcyaml_get(doc, "deploy.options.resources.limits.memory"), "256Mi");
    assert_string_equal(fp_funcyaml_get(doc, "deploy.healthEndpoints.liveness"), "/live");
    assert_int_equal(fp_funcyaml_count(doc, "deploy.healthEndpoints"), 1);
    assert_string_equal(fp_funcyaml_get(doc, "deploy.namespace"), "staging");
    assert_string_equal(fp_funcyaml_get(doc, "invoke"), "cloudevent");
    const char *top[] = {"specVersion", "name",    "namespace", "runtime", "registry", "image",
                         "created",     "invoke",  "x-owner",   "build",   "run",      "deploy"};
    assert_keys(doc, "", top, sizeof top / sizeof *top);
    fp_funcyaml_free(doc);
}

/* specVersion 0.34.0: only invocation -> invoke, in its place. */
static void spec_0_34_0(void **state)
{
    (void)state;
    fp_funcyaml *doc = load_migration("spec-0.34.0.yaml");
    assert_string_equal(fp_funcyaml_migrated_from(doc), "0.34.0");
    char *text = fp_funcyaml_dump(doc);
    assert_string_equal(text, "specVersion: 0.36.0\n"
                              "name: events\n"
                              "runtime: rust\n"
                              "created: 2023-01-10T10:00:00Z\n"
                              "invoke: cloudevent\n"
                              "build:\n"
                              "  builder: pack\n"
                              "run:\n"
                              "  envs:\n"
                              "  - name: LEVEL\n"
                              "    value: debug\n"
                              "deploy:\n"
                              "  namespace: events\n");
    free(text);
    fp_funcyaml_free(doc);
}

/* specVersion 0.34.0 with the default http invocation: no invoke. */
static void spec_0_34_0_http(void **state)
{
    (void)state;
    fp_funcyaml *doc = load_migration("spec-0.34.0-http.yaml");
    char *text = fp_funcyaml_dump(doc);
    assert_string_equal(text, "specVersion: 0.36.0\n"
                              "name: plain-http\n"
                              "runtime: go\n"
                              "created: 2023-01-10T10:00:00Z\n");
    free(text);
    fp_funcyaml_free(doc);
}

/* specVersion 0.35.0: the presistentVolumeClaim typo is fixed; a quoted
 * specVersion stays quoted. */
static void spec_0_35_0(void **state)
{
    (void)state;
    fp_funcyaml *doc = load_migration("spec-0.35.0.yaml");
    assert_string_equal(fp_funcyaml_migrated_from(doc), "0.35.0");
    assert_string_equal(fp_funcyaml_get(doc, "run.volumes[0].persistentVolumeClaim.claimName"),
                        "data");
    assert_string_equal(fp_funcyaml_key(doc, "run.volumes[0]", 0), "persistentVolumeClaim");
    assert_string_equal(fp_funcyaml_get(doc, "run.volumes[1].configMap"), "settings");
    char *text = fp_funcyaml_dump(doc);
    assert_non_null(strstr(text, "specVersion: \"0.36.0\"\n"));
    free(text);
    fp_funcyaml_free(doc);
}

/* Current and newer files load as they are; parse() never migrates. */
static void current_and_future_are_untouched(void **state)
{
    (void)state;
    fp_funcyaml *doc = fp_funcyaml_load(fixture("go-function.yaml"));
    assert_non_null(doc);
    assert_null(fp_funcyaml_migrated_from(doc));
    fp_funcyaml_free(doc);
    const char *future = "specVersion: 1.2.0\nname: f\nenvs:\n- name: A\n";
    doc = fp_funcyaml_parse_function(future, strlen(future), "func.yaml");
    assert_non_null(doc);
    assert_null(fp_funcyaml_migrated_from(doc));
    assert_string_equal(fp_funcyaml_get(doc, "envs[0].name"), "A");
    fp_funcyaml_free(doc);
    const char *old = "name: f\nruntime: go\nenvs:\n- name: A\n";
    doc = fp_funcyaml_parse(old, strlen(old), "func.yaml");
    assert_non_null(doc);
    assert_null(fp_funcyaml_migrated_from(doc));
    assert_null(fp_funcyaml_get(doc, "specVersion"));
    fp_funcyaml_free(doc);
}

/* A file func's migrations cannot read: the error names file:line:col. */
static void error_fixture(void **state)
{
    (void)state;
    const char *path = fixture("migrations/error-builder-list.yaml");
    char want[8192];
    snprintf(want, sizeof want,
             "%s:4:1: migration 'migrateToBuilderImages' error: builder must be a string (a "
             "builder image), found a sequence",
             path);
    fp_error_clear();
    assert_null(fp_funcyaml_load(path));
    assert_int_equal(fp_error_code(), FUNCP_EPARSE);
    assert_string_equal(fp_error_message(), want);
}

static void assert_refused(const char *text, const char *message)
{
    fp_error_clear();
    assert_null(fp_funcyaml_parse_function(text, strlen(text), "f/func.yaml"));
    assert_int_equal(fp_error_code(), FUNCP_EPARSE);
    assert_string_equal(fp_error_message(), message);
}

/* What func's migrations cannot read is an error naming the place. */
static void migration_errors(void **state)
{
    (void)state;
    assert_refused("name: f\nbuilder:\n- type: grog\n",
                   "f/func.yaml:3:1: migration 'migrateToBuilderImages' error: builder must be a "
                   "string (a builder image), found a sequence");
    assert_refused("specVersion: 0.25.0\nenvs:\n  A: b\n",
                   "f/func.yaml:3:3: migration 'migrateToSpecsStructure' error: envs (moved to "
                   "run.envs) must be a sequence");
    assert_refused("specVersion: 0.25.0\nrun: 3\nenvs:\n- name: A\n  value: b\n",
                   "f/func.yaml:2:6: migration 'migrateToSpecsStructure' error: run must be a "
                   "mapping to take envs");
    assert_refused("specVersion: latest\n",
                   "f/func.yaml:1:14: specVersion must be a version like \"0.36.0\", found "
                   "\"latest\"");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unversioned),
        cmocka_unit_test(custom_builder_image),
        cmocka_unit_test(default_builder),
        cmocka_unit_test(version_field_layout),
        cmocka_unit_test(spec_0_25_0),
        cmocka_unit_test(spec_0_34_0),
        cmocka_unit_test(spec_0_34_0_http),
        cmocka_unit_test(spec_0_35_0),
        cmocka_unit_test(error_fixture),
        cmocka_unit_test(current_and_future_are_untouched),
        cmocka_unit_test(migration_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
