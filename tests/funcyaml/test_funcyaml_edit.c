/* Editing func.yaml by path: get/count/key, set (creating the way,
 * quoting), remove, set_json, JSON output, paths and the dirty flag. */
#include "fy_test.h"

static fp_funcyaml *parse(const char *text)
{
    fp_funcyaml *doc = fp_funcyaml_parse(text, strlen(text), "func.yaml");
    assert_non_null(doc);
    return doc;
}

static void assert_dump(const fp_funcyaml *doc, const char *expected)
{
    char *out = fp_funcyaml_dump(doc);
    assert_non_null(out);
    assert_string_equal(out, expected);
    free(out);
}

static void get_count_key(void **state)
{
    (void)state;
    fp_funcyaml *doc = parse("name: f\nrun:\n  envs:\n  - name: A\n    value: b\n"
                             "deploy:\n  annotations:\n    a.b/c: x\n    \"q\\\"k\": y\n");
    assert_string_equal(fp_funcyaml_get(doc, "name"), "f");
    assert_null(fp_funcyaml_get(doc, "run"));        /* not a scalar */
    assert_null(fp_funcyaml_get(doc, "run.envs[1]")); /* past the end */
    assert_null(fp_funcyaml_get(doc, "nothing.here"));
    assert_null(fp_funcyaml_get(doc, "name.x"));
    assert_null(fp_funcyaml_get(doc, "run[0]"));
    assert_int_equal(fp_funcyaml_count(doc, "run.envs"), 1);
    assert_int_equal(fp_funcyaml_count(doc, "run.envs[0]"), 2);
    assert_int_equal(fp_funcyaml_count(doc, "name"), 0);
    assert_int_equal(fp_funcyaml_count(doc, "absent"), 0);
    assert_int_equal(fp_funcyaml_count(doc, ""), 3);
    assert_string_equal(fp_funcyaml_key(doc, "run.envs[0]", 1), "value");
    assert_null(fp_funcyaml_key(doc, "run.envs[0]", 2));
    assert_null(fp_funcyaml_key(doc, "run.envs", 0)); /* a sequence has no keys */
    assert_string_equal(fp_funcyaml_get(doc, "deploy.annotations[\"a.b/c\"]"), "x");
    assert_string_equal(fp_funcyaml_get(doc, "deploy.annotations[\"q\\\"k\"]"), "y");
    assert_string_equal(fp_funcyaml_key(doc, "deploy.annotations", 1), "q\"k");
    fp_funcyaml_free(doc);
}

static void set_creates_the_way(void **state)
{
    (void)state;
    fp_funcyaml *doc = fp_funcyaml_new();
    assert_false(fp_funcyaml_dirty(doc));
    assert_int_equal(fp_funcyaml_set(doc, "specVersion", FP_FUNCYAML_SPEC_VERSION), FUNCP_OK);
    assert_int_equal(fp_funcyaml_set(doc, "name", "my-func"), FUNCP_OK);
    assert_int_equal(fp_funcyaml_set(doc, "deploy.options.resources.limits.cpu", "500m"),
                     FUNCP_OK);
    assert_int_equal(fp_funcyaml_set(doc, "run.envs[0].name", "A"), FUNCP_OK);
    assert_int_equal(fp_funcyaml_set(doc, "run.envs[0].value", "{{ secret:s:key }}"), FUNCP_OK);
    assert_int_equal(fp_funcyaml_set(doc, "run.envs[1].name", "B"), FUNCP_OK);
    assert_int_equal(
        fp_funcyaml_set(doc, "deploy.annotations[\"autoscaling.knative.dev/min\"]", "1"),
        FUNCP_OK);
    assert_int_equal(fp_funcyaml_set(doc, "run.args[0]", "--x"), FUNCP_OK);
    assert_int_equal(fp_funcyaml_set(doc, "created", "2026-01-02T03:04:05.123456789Z"), FUNCP_OK);
    assert_true(fp_funcyaml_dirty(doc));
    assert_dump(doc, "specVersion: 0.36.0\n"
                     "name: my-func\n"
                     "deploy:\n"
                     "  options:\n"
                     "    resources:\n"
                     "      limits:\n"
                     "        cpu: 500m\n"
                     "  annotations:\n"
                     "    autoscaling.knative.dev/min: \"1\"\n"
                     "run:\n"
                     "  envs:\n"
                     "  - name: A\n"
                     "    value: '{{ secret:s:key }}'\n"
                     "  - name: B\n"
                     "  args:\n"
                     "  - --x\n"
                     "created: 2026-01-02T03:04:05.123456789Z\n");
    fp_funcyaml_free(doc);
}

/* Strings that would read as bool, null or number are quoted, except in
 * fields the schema types as bool or number. */
static void set_quotes_ambiguous_strings(void **state)
{
    (void)state;
    fp_funcyaml *doc = fp_funcyaml_new();
    const char *quoted[] = {"true", "False", "yes", "off", "y", "null", "~", "", "123",
                            "0x1f", "1.5", "1e3", ".inf", "-7", "1:20"};
    char path[64];
    for (size_t i = 0; i < sizeof quoted / sizeof *quoted; i++) {
        snprintf(path, sizeof path, "x.k%zu", i);
        assert_int_equal(fp_funcyaml_set(doc, path, quoted[i]), FUNCP_OK);
        assert_string_equal(fp_funcyaml_get(doc, path), quoted[i]);
    }
    assert_int_equal(fp_funcyaml_set(doc, "specVersion", "0.36.0"), FUNCP_OK);
    assert_int_equal(fp_funcyaml_set(doc, "registryInsecure", "true"), FUNCP_OK);
    assert_int_equal(fp_funcyaml_set(doc, "deploy.options.scale.min", "2"), FUNCP_OK);
    assert_int_equal(fp_funcyaml_set(doc, "deploy.options.scale.target", "1.5"), FUNCP_OK);
    assert_int_equal(fp_funcyaml_set(doc, "deploy.options.resources.limits.cpu", "1"),
                     FUNCP_OK);
    assert_int_equal(fp_funcyaml_set(doc, "deploy.network.inherit", "false"), FUNCP_OK);
    assert_dump(doc, "x:\n"
                     "  k0: \"true\"\n  k1: \"False\"\n  k2: \"yes\"\n  k3: \"off\"\n"
                     "  k4: \"y\"\n  k5: \"null\"\n  k6: \"~\"\n  k7: \"\"\n  k8: \"123\"\n"
                     "  k9: \"0x1f\"\n  k10: \"1.5\"\n  k11: \"1e3\"\n  k12: \".inf\"\n"
                     "  k13: \"-7\"\n  k14: \"1:20\"\n"
                     "specVersion: 0.36.0\n"
                     "registryInsecure: true\n"
                     "deploy:\n"
                     "  options:\n"
                     "    scale:\n"
                     "      min: 2\n"
                     "      target: 1.5\n"
                     "    resources:\n"
                     "      limits:\n"
                     "        cpu: \"1\"\n"
                     "  network:\n"
                     "    inherit: false\n");
    /* What we wrote loads again with the same values. */
    char *out = fp_funcyaml_dump(doc);
    fp_funcyaml *again = parse(out);
    assert_string_equal(fp_funcyaml_get(again, "x.k0"), "true");
    assert_string_equal(fp_funcyaml_get(again, "x.k7"), "");
    char *json = fp_funcyaml_json(again, "x");
    assert_string_equal(json, "{\"k0\":\"true\",\"k1\":\"False\",\"k2\":\"yes\",\"k3\":\"off\","
                              "\"k4\":\"y\",\"k5\":\"null\",\"k6\":\"~\",\"k7\":\"\","
                              "\"k8\":\"123\",\"k9\":\"0x1f\",\"k10\":\"1.5\",\"k11\":\"1e3\","
                              "\"k12\":\".inf\",\"k13\":\"-7\",\"k14\":\"1:20\"}");
    free(json);
    free(out);
    fp_funcyaml_free(again);
    fp_funcyaml_free(doc);
}

static void set_keeps_styles(void **state)
{
    (void)state;
    fp_funcyaml *doc = parse("a: 'single'\nb: 30\nc: plain\nd: true\n");
    assert_int_equal(fp_funcyaml_set(doc, "a", "other"), FUNCP_OK);
    assert_int_equal(fp_funcyaml_set(doc, "b", "60"), FUNCP_OK);   /* number stays a number */
    assert_int_equal(fp_funcyaml_set(doc, "c", "12"), FUNCP_OK);   /* string stays a string */
    assert_int_equal(fp_funcyaml_set(doc, "d", "false"), FUNCP_OK); /* bool stays a bool */
    assert_dump(doc, "a: 'other'\nb: 60\nc: \"12\"\nd: false\n");
    fp_funcyaml_free(doc);
}

static void set_same_value_is_not_a_change(void **state)
{
    (void)state;
    fp_funcyaml *doc = parse("name: f\nrun:\n  envs:\n  - name: A\n");
    assert_int_equal(fp_funcyaml_set(doc, "name", "f"), FUNCP_OK);
    assert_int_equal(fp_funcyaml_remove(doc, "absent.key"), FUNCP_OK);
    assert_int_equal(fp_funcyaml_remove(doc, "run.envs[3]"), FUNCP_OK);
    assert_int_equal(fp_funcyaml_set(doc, "nope", NULL), FUNCP_OK);
    assert_false(fp_funcyaml_dirty(doc));
    assert_int_equal(fp_funcyaml_set(doc, "name", "g"), FUNCP_OK);
    assert_true(fp_funcyaml_dirty(doc));
    fp_funcyaml_free(doc);
}

static void remove_keys_and_items(void **state)
{
    (void)state;
    fp_funcyaml *doc = parse("name: f\nimage: x\nrun:\n  args:\n  - a\n  - b\n  - c\n");
    assert_int_equal(fp_funcyaml_set(doc, "image", NULL), FUNCP_OK);
    assert_true(fp_funcyaml_dirty(doc));
    assert_int_equal(fp_funcyaml_remove(doc, "run.args[1]"), FUNCP_OK);
    assert_dump(doc, "name: f\nrun:\n  args:\n  - a\n  - c\n");
    assert_int_equal(fp_funcyaml_remove(doc, "run"), FUNCP_OK);
    assert_dump(doc, "name: f\n");
    assert_int_equal(fp_funcyaml_remove(doc, ""), FUNCP_EUSAGE);
    fp_funcyaml_free(doc);
}

static void set_errors_change_nothing(void **state)
{
    (void)state;
    fp_funcyaml *doc = parse("name: f\nrun:\n  envs:\n  - name: A\n");
    struct {
        const char *path, *value, *message;
    } cases[] = {
        {"name.x", "y", "func.yaml path \"name.x\": name must be a string, not a mapping"},
        {"run.envs.x", "y", "func.yaml path \"run.envs.x\": run.envs must be a sequence, not a mapping"},
        {"run.envs[5].name", "y",
         "func.yaml path \"run.envs[5].name\": run.envs has 1 items; index 5 is past its end"},
        {"a.b[3].c", "y", "func.yaml path \"a.b[3].c\": a.b has 0 items; index 3 is past its end"},
        {"run[0]", "y", "func.yaml path \"run[0]\": run must be a mapping, not a sequence"},
        {"x[0]", "y", "func.yaml path \"x[0]\": x is a scalar, not a sequence"},
        {"registryInsecure", "yes",
         "func.yaml path \"registryInsecure\": registryInsecure must be a bool (true or false), "
         "found \"yes\""},
        {"name", "Bad",
         "func.yaml path \"name\": invalid function name \"Bad\": use lower case letters, "
         "digits and '-', starting and ending with a letter or digit "
         "(^[a-z0-9]([-a-z0-9]*[a-z0-9])?$)"},
        {"deploy.options.scale.min", "many",
         "func.yaml path \"deploy.options.scale.min\": deploy.options.scale.min must be an "
         "integer, found \"many\""},
        {"x", "\xc3\x28", "func.yaml path \"x\": value is not valid UTF-8"},
    };
    assert_int_equal(fp_funcyaml_set(doc, "x", "scalar"), FUNCP_OK);
    char *before = fp_funcyaml_dump(doc);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        assert_int_equal(fp_funcyaml_set(doc, cases[i].path, cases[i].value), FUNCP_EUSAGE);
        assert_string_equal(fp_error_message(), cases[i].message);
    }
    assert_dump(doc, before);
    free(before);
    fp_funcyaml_free(doc);
}

static void malformed_paths(void **state)
{
    (void)state;
    fp_funcyaml *doc = fp_funcyaml_new();
    struct {
        const char *path, *message;
    } cases[] = {
        {"a..b", "invalid func.yaml path \"a..b\": empty key at offset 2"},
        {".a", "invalid func.yaml path \".a\": empty key at offset 0"},
        {"a.", "invalid func.yaml path \"a.\": empty key at offset 2"},
        {"a[x]", "invalid func.yaml path \"a[x]\": expected an index or a quoted key in "
                 "brackets at offset 2"},
        {"a[1", "invalid func.yaml path \"a[1\": expected an index or a quoted key in brackets "
                "at offset 2"},
        {"a[-1]", "invalid func.yaml path \"a[-1]\": expected an index or a quoted key in "
                  "brackets at offset 2"},
        {"a[\"b]", "invalid func.yaml path \"a[\"b]\": unterminated quoted key at offset 5"},
        {"a[\"b\\n\"]", "invalid func.yaml path \"a[\"b\\n\"]\": unknown escape in quoted key "
                        "at offset 4"},
        {"a[0]b", "invalid func.yaml path \"a[0]b\": expected '.' or '[' at offset 4"},
        {"a]b", "invalid func.yaml path \"a]b\": unexpected character at offset 1"},
        {"a[99999999999999999999999]", "invalid func.yaml path \"a[99999999999999999999999]\": "
                                       "index too large at offset 2"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        assert_int_equal(fp_funcyaml_set(doc, cases[i].path, "v"), FUNCP_EUSAGE);
        assert_string_equal(fp_error_message(), cases[i].message);
        assert_int_equal(fp_funcyaml_remove(doc, cases[i].path), FUNCP_EUSAGE);
        assert_int_equal(fp_funcyaml_set_json(doc, cases[i].path, "1"), FUNCP_EUSAGE);
        assert_null(fp_funcyaml_get(doc, cases[i].path));
        assert_int_equal(fp_error_code(), FUNCP_EUSAGE);
    }
    assert_false(fp_funcyaml_dirty(doc));
    fp_funcyaml_free(doc);
}

static void set_fills_a_null(void **state)
{
    (void)state;
    fp_funcyaml *doc = parse("name: f\nbuild:\n");
    assert_int_equal(fp_funcyaml_set(doc, "build.builderImages.pack", "img"), FUNCP_OK);
    assert_dump(doc, "name: f\nbuild:\n  builderImages:\n    pack: img\n");
    fp_funcyaml_free(doc);
}

static void json_of_subtrees(void **state)
{
    (void)state;
    fp_funcyaml *doc = parse("a: 3\nb: \"3\"\nc: true\nd: 'false'\ne: ~\nf: 0.36.0\ng: -1.5e3\n"
                             "h: 007\ni: yes\nj: [1, x]\nk: {l: m}\n"
                             "n: 99999999999999999999\no: a/b\n");
    char *json = fp_funcyaml_json(doc, "");
    assert_string_equal(json, "{\"a\":3,\"b\":\"3\",\"c\":true,\"d\":\"false\",\"e\":null,"
                              "\"f\":\"0.36.0\",\"g\":-1.5e3,\"h\":\"007\",\"i\":\"yes\","
                              "\"j\":[1,\"x\"],\"k\":{\"l\":\"m\"},"
                              "\"n\":\"99999999999999999999\",\"o\":\"a/b\"}");
    free(json);
    json = fp_funcyaml_json(doc, "k");
    assert_string_equal(json, "{\"l\":\"m\"}");
    free(json);
    json = fp_funcyaml_json(doc, "j[1]");
    assert_string_equal(json, "\"x\"");
    free(json);
    assert_null(fp_funcyaml_json(doc, "absent"));
    fp_funcyaml_free(doc);
}

static void set_json_replaces_subtrees(void **state)
{
    (void)state;
    fp_funcyaml *doc = parse("name: f\nbuild:\n  builderImages:\n    pack: old\n  builder: x\n");
    assert_int_equal(fp_funcyaml_set_json(doc, "build.builderImages",
                                          "{\"__WASI_WIT_PROVIDER_MODE\":\"forgiving\","
                                          "\"http\":\"ghcr.io/webassembly/wasi/http:0.2.3\"}"),
                     FUNCP_OK);
    assert_int_equal(fp_funcyaml_set_json(doc, "run.args", "[\"--a\", \"true\", 2]"), FUNCP_OK);
    assert_int_equal(fp_funcyaml_set_json(doc, "x", "{\"n\":null,\"b\":false,\"d\":1.5}"),
                     FUNCP_OK);
    assert_dump(doc, "name: f\n"
                     "build:\n"
                     "  builderImages:\n"
                     "    __WASI_WIT_PROVIDER_MODE: forgiving\n"
                     "    http: ghcr.io/webassembly/wasi/http:0.2.3\n"
                     "  builder: x\n"
                     "run:\n"
                     "  args:\n"
                     "  - --a\n"
                     "  - \"true\"\n"
                     "  - 2\n"
                     "x:\n"
                     "  \"n\": null\n"
                     "  b: false\n"
                     "  d: 1.5\n");
    char *json = fp_funcyaml_json(doc, "x");
    assert_string_equal(json, "{\"n\":null,\"b\":false,\"d\":1.5}");
    free(json);
    fp_funcyaml_free(doc);
}

static void set_json_errors(void **state)
{
    (void)state;
    fp_funcyaml *doc = parse("name: f\n");
    assert_int_equal(fp_funcyaml_set_json(doc, "a", "{\"x\":"), FUNCP_EPARSE);
    assert_string_equal(fp_error_message(),
                        "func.yaml path \"a\": invalid JSON: unexpected end of data");
    assert_int_equal(fp_funcyaml_set_json(doc, "build.builderImages", "[\"x\"]"), FUNCP_EUSAGE);
    assert_string_equal(fp_error_message(), "func.yaml path \"build.builderImages\": "
                                            "build.builderImages must be a mapping, found a "
                                            "sequence");
    assert_int_equal(fp_funcyaml_set_json(doc, "run.envs", "[{\"name\":[1]}]"), FUNCP_EUSAGE);
    assert_string_equal(fp_error_message(), "func.yaml path \"run.envs\": run.envs[0].name must "
                                            "be a string, found a sequence");
    assert_int_equal(fp_funcyaml_set_json(doc, "", "[1]"), FUNCP_EUSAGE);
    assert_false(fp_funcyaml_dirty(doc));
    assert_dump(doc, "name: f\n");
    /* The whole document may be replaced by a mapping. */
    assert_int_equal(fp_funcyaml_set_json(doc, "", "{\"name\":\"g\"}"), FUNCP_OK);
    assert_dump(doc, "name: g\n");
    fp_funcyaml_free(doc);
}

static void check_name(void **state)
{
    (void)state;
    const char *good[] = {"a", "0", "my-func", "a1-b2", "x--y"};
    const char *bad[] = {"", "-a", "a-", "My", "a_b", "a.b", "\xc3\xa9"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        assert_int_equal(fp_funcyaml_check_name(good[i]), FUNCP_OK);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(fp_funcyaml_check_name(bad[i]), FUNCP_EUSAGE);
    assert_int_equal(fp_funcyaml_check_name(NULL), FUNCP_EUSAGE);
}

/* create's rule is func's DNS-1035 label, with func's message. */
static void check_new_name(void **state)
{
    (void)state;
    const char *good[] = {"a", "my-func", "a1-b2", "x--y"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        assert_int_equal(fp_funcyaml_check_new_name(good[i]), FUNCP_OK);
    char long_name[71];
    memset(long_name, 'a', 70);
    long_name[70] = '\0';
    char at_limit[64];
    memset(at_limit, 'a', 63);
    at_limit[63] = '\0';
    assert_int_equal(fp_funcyaml_check_new_name(at_limit), FUNCP_OK);
    const char *bad[] = {"1abc", "0", "", "-a", "a-", "My", "a.b", long_name};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(fp_funcyaml_check_new_name(bad[i]), FUNCP_EUSAGE);
    fp_funcyaml_check_new_name("1abc");
    assert_string_equal(fp_error_message(),
                        "Function name '1abc' must consist of lower case alphanumeric characters "
                        "or '-', start with an alphabetic character, and end with an alphanumeric "
                        "character (e.g. 'my-name',  or 'abc-123', regex used for validation is "
                        "'[a-z]([-a-z0-9]*[a-z0-9])?')");
    fp_funcyaml_check_new_name(long_name);
    assert_non_null(strstr(fp_error_message(), "' must be no more than 63 characters"));
    assert_null(strstr(fp_error_message(), "alphabetic"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(get_count_key),
        cmocka_unit_test(set_creates_the_way),
        cmocka_unit_test(set_quotes_ambiguous_strings),
        cmocka_unit_test(set_keeps_styles),
        cmocka_unit_test(set_same_value_is_not_a_change),
        cmocka_unit_test(remove_keys_and_items),
        cmocka_unit_test(set_errors_change_nothing),
        cmocka_unit_test(malformed_paths),
        cmocka_unit_test(set_fills_a_null),
        cmocka_unit_test(json_of_subtrees),
        cmocka_unit_test(set_json_replaces_subtrees),
        cmocka_unit_test(set_json_errors),
        cmocka_unit_test(check_name),
        cmocka_unit_test(check_new_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
