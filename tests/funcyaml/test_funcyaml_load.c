/* Loading func.yaml: fixtures as knative func writes them, round trips,
 * and every load error with its exact file:line:col message. */
#include "fy_test.h"

static void loads_go_function(void **state)
{
    (void)state;
    fp_funcyaml *doc = fp_funcyaml_load(fixture("go-function.yaml"));
    assert_non_null(doc);
    assert_false(fp_funcyaml_dirty(doc));
    assert_string_equal(fp_funcyaml_get(doc, "specVersion"), "0.36.0");
    assert_string_equal(fp_funcyaml_get(doc, "name"), "hello-go");
    assert_string_equal(fp_funcyaml_get(doc, "created"), "2025-03-14T09:26:53.589793238+01:00");
    assert_int_equal(fp_funcyaml_count(doc, "run.envs"), 5);
    assert_string_equal(fp_funcyaml_get(doc, "run.envs[1].value"),
                        "{{ secret:api-credentials:token }}");
    assert_null(fp_funcyaml_get(doc, "run.envs[2].name"));
    assert_string_equal(fp_funcyaml_get(doc, "run.envs[2].value"), "{{ configMap:app-config }}");
    assert_string_equal(fp_funcyaml_get(doc, "run.envs[4].value"), "3");
    assert_string_equal(fp_funcyaml_get(doc, "run.volumes[2].persistentVolumeClaim.claimName"),
                        "data");
    assert_string_equal(fp_funcyaml_get(doc, "run.volumes[3].emptyDir.sizeLimit"), "64Mi");
    assert_string_equal(
        fp_funcyaml_get(doc, "deploy.annotations[\"autoscaling.knative.dev/min\"]"), "1");
    assert_string_equal(fp_funcyaml_get(doc, "deploy.labels[0].key"), "app.kubernetes.io/part-of");
    assert_int_equal(fp_funcyaml_count(doc, "build.builderImages"), 2);
    assert_string_equal(fp_funcyaml_key(doc, "build.builderImages", 1), "s2i");
    assert_string_equal(fp_funcyaml_get(doc, "deploy.options.scale.utilization"), "70.5");
    assert_string_equal(fp_funcyaml_get(doc, "deploy.options.resources.limits.cpu"), "1");
    assert_string_equal(fp_funcyaml_get(doc, "deploy.subscriptions[0].filters.type"),
                        "com.example.order.created");
    fp_funcyaml_free(doc);
}

static void loads_go_wasi_function(void **state)
{
    (void)state;
    fp_funcyaml *doc = fp_funcyaml_load(fixture("go-wasi-function.yaml"));
    assert_non_null(doc);
    assert_string_equal(fp_funcyaml_get(doc, "runtime"), "go-wasi");
    assert_string_equal(fp_funcyaml_get(doc, "registryInsecure"), "true");
    assert_string_equal(fp_funcyaml_get(doc, "build.builderImages.__WASI_WIT_PROVIDER_MODE"),
                        "forgiving");
    assert_string_equal(fp_funcyaml_key(doc, "build.builderImages", 0),
                        "__WASI_WIT_PROVIDER_MODE");
    assert_string_equal(fp_funcyaml_get(doc, "run.args[0]"), "--greeting");
    assert_string_equal(fp_funcyaml_get(doc, "run.envs[0].value"), "on");
    assert_string_equal(fp_funcyaml_get(doc, "deploy.network.allowIpNameLookup"), "true");
    assert_int_equal(fp_funcyaml_count(doc, "deploy.network.tcp.connect"), 2);
    assert_string_equal(fp_funcyaml_get(doc, "deploy.network.tcp.connect[1]"),
                        "*.svc.cluster.local:*");
    fp_funcyaml_free(doc);
}

/* Files in our emitter's canonical style come back byte for byte. */
static void round_trip_is_byte_equal(void **state)
{
    (void)state;
    const char *names[] = {"go-function.yaml", "go-wasi-function.yaml", "unknown-keys.yaml"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char *orig = read_text(fixture(names[i]));
        assert_non_null(orig);
        fp_funcyaml *doc = fp_funcyaml_parse(orig, strlen(orig), names[i]);
        assert_non_null(doc);
        char *out = fp_funcyaml_dump(doc);
        assert_string_equal(out, orig);
        free(out);
        fp_funcyaml_free(doc);
        free(orig);
    }
}

static void unknown_keys_keep_their_order(void **state)
{
    (void)state;
    fp_funcyaml *doc = fp_funcyaml_load(fixture("unknown-keys.yaml"));
    assert_non_null(doc);
    const char *top[] = {"zeta", "specVersion", "name", "x-tool", "runtime",
                         "build", "run",        "deploy", "alpha"};
    assert_int_equal(fp_funcyaml_count(doc, ""), 9);
    for (size_t i = 0; i < 9; i++)
        assert_string_equal(fp_funcyaml_key(doc, "", i), top[i]);
    assert_string_equal(fp_funcyaml_key(doc, "deploy.extra", 0), "z");
    assert_string_equal(fp_funcyaml_get(doc, "run.envs[0].comment"), "unknown in an item");
    /* A new key goes last; everything else stays where it was. */
    assert_int_equal(fp_funcyaml_set(doc, "registry", "ghcr.io/bob"), FUNCP_OK);
    char *out = fp_funcyaml_dump(doc);
    char *orig = read_text(fixture("unknown-keys.yaml"));
    size_t len = strlen(orig);
    assert_memory_equal(out, orig, len);
    assert_string_equal(out + len, "registry: ghcr.io/bob\n");
    free(orig);
    free(out);
    fp_funcyaml_free(doc);
}

/* Typos get a hint; far-off keys, known keys and x-tool keys do not, and
 * the document keeps every key as written. */
static void typo_hints_name_key_and_place(void **state)
{
    (void)state;
    const char *text = "name: t\nruntme: go-wasi\nx-tool: 1\nrun: {}\n  \nnmae: y\nab: 1\n";
    fp_funcyaml *doc = fp_funcyaml_parse(text, strlen(text), "f.yaml");
    assert_non_null(doc);
    char *hints = fp_funcyaml_typo_hints(doc, "dir/func.yaml");
    assert_non_null(hints);
    assert_string_equal(hints, "dir/func.yaml:2:1: unknown key \"runtme\"; did you mean "
                               "\"runtime\"?\n"
                               "dir/func.yaml:6:1: unknown key \"nmae\"; did you mean \"name\"?");
    free(hints);
    assert_string_equal(fp_funcyaml_get(doc, "runtme"), "go-wasi");
    char *out = fp_funcyaml_dump(doc);
    assert_non_null(strstr(out, "runtme: go-wasi\n"));
    free(out);
    fp_funcyaml_free(doc);

    const char *clean = "name: t\nruntime: go-wasi\nzeta: 1\n";
    doc = fp_funcyaml_parse(clean, strlen(clean), "f.yaml");
    assert_non_null(doc);
    assert_null(fp_funcyaml_typo_hints(doc, "func.yaml"));
    fp_funcyaml_free(doc);
}

static void styles_survive(void **state)
{
    (void)state;
    const char *text = "image:\n"
                       "namespace: ~\n"
                       "x: |\n  multi\n  line\n"
                       "y: >-\n  folded text\n"
                       "z: [a, b]\n"
                       "w: {k: v}\n"
                       "s: 'single'\n"
                       "d: \"double\"\n"
                       "t: !!str 12\n";
    fp_funcyaml *doc = fp_funcyaml_parse(text, strlen(text), "func.yaml");
    assert_non_null(doc);
    assert_null(fp_funcyaml_get(doc, "image"));
    assert_null(fp_funcyaml_get(doc, "namespace"));
    assert_string_equal(fp_funcyaml_get(doc, "x"), "multi\nline\n");
    char *out = fp_funcyaml_dump(doc);
    assert_string_equal(out, text);
    free(out);
    fp_funcyaml_free(doc);
}

static void empty_file_is_an_empty_function(void **state)
{
    (void)state;
    fp_funcyaml *doc = fp_funcyaml_parse("", 0, "func.yaml");
    assert_non_null(doc);
    assert_int_equal(fp_funcyaml_count(doc, ""), 0);
    assert_null(fp_funcyaml_get(doc, "name"));
    fp_funcyaml_free(doc);
}

static void aliases_are_expanded(void **state)
{
    (void)state;
    const char *text = "base: &env {name: A, value: b}\nrun:\n  envs:\n  - *env\n";
    fp_funcyaml *doc = fp_funcyaml_parse(text, strlen(text), "func.yaml");
    assert_non_null(doc);
    assert_string_equal(fp_funcyaml_get(doc, "run.envs[0].value"), "b");
    /* The copy is independent of its anchor. */
    assert_int_equal(fp_funcyaml_set(doc, "run.envs[0].value", "c"), FUNCP_OK);
    assert_string_equal(fp_funcyaml_get(doc, "base.value"), "b");
    fp_funcyaml_free(doc);
}

struct bad_case {
    const char *text;
    int code;
    const char *message;
};

static const struct bad_case bad_cases[] = {
    {"name: a\nrun: [\n", FUNCP_EPARSE, "func.yaml:3:1: did not find expected node content"},
    {"name: a\n  bad: x\n", FUNCP_EPARSE,
     "func.yaml:2:6: mapping values are not allowed in this context"},
    {"name: \xff\n", FUNCP_EPARSE, "func.yaml:1:7: invalid leading UTF-8 octet"},
    {"- a\n- b\n", FUNCP_EPARSE, "func.yaml:1:1: top level must be a mapping, found a sequence"},
    {"just text\n", FUNCP_EPARSE, "func.yaml:1:1: top level must be a mapping, found a scalar"},
    {"specVersion: 0.36.0\nname: Hello_World\n", FUNCP_EPARSE,
     "func.yaml:2:7: invalid function name \"Hello_World\": use lower case letters, digits and "
     "'-', starting and ending with a letter or digit (^[a-z0-9]([-a-z0-9]*[a-z0-9])?$)"},
    {"name: \"-x\"\n", FUNCP_EPARSE,
     "func.yaml:1:7: invalid function name \"-x\": use lower case letters, digits and "
     "'-', starting and ending with a letter or digit (^[a-z0-9]([-a-z0-9]*[a-z0-9])?$)"},
    {"name: [a]\n", FUNCP_EPARSE, "func.yaml:1:7: name must be a string, found a sequence"},
    {"run:\n  envs:\n    FOO: bar\n", FUNCP_EPARSE,
     "func.yaml:3:5: run.envs must be a sequence, found a mapping"},
    {"build:\n  buildEnvs: x\n", FUNCP_EPARSE,
     "func.yaml:2:14: build.buildEnvs must be a sequence, found a scalar"},
    {"deploy:\n  labels: {a: b}\n", FUNCP_EPARSE,
     "func.yaml:2:11: deploy.labels must be a sequence, found a mapping"},
    {"run:\n  volumes: /data\n", FUNCP_EPARSE,
     "func.yaml:2:12: run.volumes must be a sequence, found a scalar"},
    {"run:\n  args: --x\n", FUNCP_EPARSE,
     "func.yaml:2:9: run.args must be a sequence, found a scalar"},
    {"build:\n  buildpacks: {a: b}\n", FUNCP_EPARSE,
     "func.yaml:2:15: build.buildpacks must be a sequence, found a mapping"},
    {"build:\n  builderImages:\n  - a\n", FUNCP_EPARSE,
     "func.yaml:3:3: build.builderImages must be a mapping, found a sequence"},
    {"deploy:\n  annotations: x\n", FUNCP_EPARSE,
     "func.yaml:2:16: deploy.annotations must be a mapping, found a scalar"},
    {"registryInsecure: \"true\"\n", FUNCP_EPARSE,
     "func.yaml:1:19: registryInsecure must be a bool (true or false), found the quoted "
     "string \"true\""},
    {"registryInsecure: maybe\n", FUNCP_EPARSE,
     "func.yaml:1:19: registryInsecure must be a bool (true or false), found \"maybe\""},
    {"name: a\nruntime: go\nname: b\n", FUNCP_EPARSE,
     "func.yaml:3:1: duplicate key \"name\" (first at line 1)"},
    {"build:\n  builderImages:\n    pack: a\n    \"pack\": b\n", FUNCP_EPARSE,
     "func.yaml:4:5: duplicate key \"pack\" (first at line 3)"},
    {"? [a]\n: 1\n", FUNCP_EPARSE, "func.yaml:1:3: mapping keys must be scalars"},
    {"a: 1\n---\nb: 2\n", FUNCP_EPARSE, "func.yaml:2:1: more than one YAML document"},
    {"a: *nope\n", FUNCP_EPARSE, "func.yaml:1:4: unknown anchor \"nope\""},
};

static void load_errors_name_file_line_col(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
        fp_error_clear();
        fp_funcyaml *doc =
            fp_funcyaml_parse(bad_cases[i].text, strlen(bad_cases[i].text), "func.yaml");
        assert_null(doc);
        assert_int_equal(fp_error_code(), bad_cases[i].code);
        assert_string_equal(fp_error_message(), bad_cases[i].message);
    }
}

static void billion_laughs_is_refused(void **state)
{
    (void)state;
    char text[4096];
    size_t n = (size_t)snprintf(text, sizeof text, "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 10; i++)
        n += (size_t)snprintf(text + n, sizeof text - n,
                              "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, "
                              "*a%d]\n",
                              i, i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1,
                              i - 1);
    assert_null(fp_funcyaml_parse(text, n, "func.yaml"));
    assert_int_equal(fp_error_code(), FUNCP_EPARSE);
    /* The copy budget runs out within the fifth level (10^5 nodes). */
    assert_string_equal(fp_error_message(), "func.yaml:5:45: aliases expand to too many nodes");
}

static void load_names_the_path(void **state)
{
    (void)state;
    char *dir = make_temp_dir();
    char path[4096];
    snprintf(path, sizeof path, "%s/func.yaml", dir);
    const char *bad = "specVersion: 0.36.0\nname: x\nrun:\n  envs: {}\n";
    write_text(path, bad);
    assert_null(fp_funcyaml_load(path));
    char expected[4200];
    snprintf(expected, sizeof expected, "%s:4:9: run.envs must be a sequence, found a mapping",
             path);
    assert_string_equal(fp_error_message(), expected);
    /* Loading never touches the file. */
    char *after = read_text(path);
    assert_string_equal(after, bad);
    free(after);
    rm_tree(dir);
}

static void missing_file_is_not_found(void **state)
{
    (void)state;
    char *dir = make_temp_dir();
    char path[4096];
    snprintf(path, sizeof path, "%s/func.yaml", dir);
    assert_null(fp_funcyaml_load(path));
    assert_int_equal(fp_error_code(), FUNCP_ENOTFOUND);
    char expected[4200];
    snprintf(expected, sizeof expected,
             "%s: no such file (not a function directory? run \"funcp create\")", path);
    assert_string_equal(fp_error_message(), expected);
    /* A directory in its place is an I/O error, not "not found". */
    assert_null(fp_funcyaml_load(dir));
    assert_int_equal(fp_error_code(), FUNCP_EIO);
    rm_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(loads_go_function),
        cmocka_unit_test(loads_go_wasi_function),
        cmocka_unit_test(round_trip_is_byte_equal),
        cmocka_unit_test(unknown_keys_keep_their_order),
        cmocka_unit_test(typo_hints_name_key_and_place),
        cmocka_unit_test(styles_survive),
        cmocka_unit_test(empty_file_is_an_empty_function),
        cmocka_unit_test(aliases_are_expanded),
        cmocka_unit_test(load_errors_name_file_line_col),
        cmocka_unit_test(billion_laughs_is_refused),
        cmocka_unit_test(load_names_the_path),
        cmocka_unit_test(missing_file_is_not_found),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
