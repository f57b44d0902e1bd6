/* Unknown keys at any depth: each named with file:line:col, its place and
 * the nearest known key; free-key maps and unknown subtrees stay quiet. */
#include "fy_test.h"

static char *unknown(const char *text)
{
    fp_funcyaml *doc = fp_funcyaml_parse(text, strlen(text), "f.yaml");
    assert_non_null(doc);
    char *lines = fp_funcyaml_unknown_keys(doc, "fn/func.yaml");
    fp_funcyaml_free(doc);
    return lines;
}

static void nested_typos_get_a_suggestion(void **state)
{
    (void)state;
    char *lines = unknown("specVersion: 0.36.0\n"
                          "build:\n  builderz: pack\n"
                          "run:\n  envs:\n  - nmae: A\n    value: b\n"
                          "deploy:\n  options:\n    scale:\n      mni: 1\n"
                          "  network:\n    tcp:\n      conect: [a:1]\n");
    assert_string_equal(lines,
                        "fn/func.yaml:3:3: unknown key \"builderz\" in build; did you mean "
                        "\"builder\"?\n"
                        "fn/func.yaml:6:5: unknown key \"nmae\" in run.envs[0]; did you mean "
                        "\"name\"?\n"
                        "fn/func.yaml:11:7: unknown key \"mni\" in deploy.options.scale; the "
                        "nearest known key is \"min\"\n"
                        "fn/func.yaml:14:7: unknown key \"conect\" in deploy.network.tcp; did you "
                        "mean \"connect\"?");
    free(lines);
}

static void far_keys_name_the_nearest(void **state)
{
    (void)state;
    char *lines = unknown("x-tool:\n  anything: [1]\nrun:\n  kafka:\n    topik: t\n");
    assert_string_equal(lines, "fn/func.yaml:1:1: unknown key \"x-tool\"; the nearest known key "
                               "is \"invoke\"\n"
                               "fn/func.yaml:5:5: unknown key \"topik\" in run.kafka; did you "
                               "mean \"topic\"?");
    free(lines);
}

/* func's schema keys, funcp's additions and free-key maps are quiet. */
static void known_keys_are_quiet(void **state)
{
    (void)state;
    assert_null(unknown("specVersion: 0.36.0\ndeployer: knative\n"
                        "build:\n  builderImages:\n    anything: x\n"
                        "run:\n  args: [a]\n  kafka: {brokers: b, topic: t, consumerGroup: g}\n"
                        "deploy:\n  imagePullSecret: s\n  managementDisabled: true\n"
                        "  annotations:\n    any.thing/x: y\n"
                        "  subscriptions:\n  - source: s\n    filters:\n      type: t\n"
                        "  network:\n    udp:\n      outgoing: [a:1]\n"));
    fp_funcyaml *doc = fp_funcyaml_load(fixture("go-function.yaml"));
    assert_non_null(doc);
    assert_null(fp_funcyaml_unknown_keys(doc, "x"));
    fp_funcyaml_free(doc);
}

static void fixture_with_unknown_keys(void **state)
{
    (void)state;
    fp_funcyaml *doc = fp_funcyaml_load(fixture("unknown-keys.yaml"));
    assert_non_null(doc);
    char *lines = fp_funcyaml_unknown_keys(doc, "u.yaml");
    assert_non_null(lines);
    assert_non_null(strstr(lines, "u.yaml:1:1: unknown key \"zeta\"; "));
    assert_non_null(strstr(lines, "u.yaml:10:3: unknown key \"custom\" in build; "));
    assert_non_null(strstr(lines, "u.yaml:16:5: unknown key \"comment\" in run.envs[0]; "));
    assert_non_null(strstr(lines, "u.yaml:19:3: unknown key \"extra\" in deploy; "));
    assert_null(strstr(lines, "\"enabled\"")); /* under x-tool, itself unknown */
    free(lines);
    /* typo hints keep only the near ones */
    char *hints = fp_funcyaml_typo_hints(doc, "u.yaml");
    assert_null(hints);
    fp_funcyaml_free(doc);
    const char *text = "runtme: go\nx-tool: 1\nrun:\n  envz: []\n";
    doc = fp_funcyaml_parse(text, strlen(text), "t");
    hints = fp_funcyaml_typo_hints(doc, "t.yaml");
    assert_string_equal(hints, "t.yaml:1:1: unknown key \"runtme\"; did you mean \"runtime\"?\n"
                               "t.yaml:4:3: unknown key \"envz\" in run; did you mean \"envs\"?");
    free(hints);
    fp_funcyaml_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nested_typos_get_a_suggestion),
        cmocka_unit_test(far_keys_name_the_nearest),
        cmocka_unit_test(known_keys_are_quiet),
        cmocka_unit_test(fixture_with_unknown_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
