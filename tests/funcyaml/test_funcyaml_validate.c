/* fp_funcyaml_validate: func's checks of envs, build envs, volumes and
 * labels, each problem with file:line:col, the path and func's text. */
#include "fy_test.h"

/* Validate text; returns the message ("" when valid), static. */
static const char *problems(const char *text)
{
    static char msg[8192];
    fp_funcyaml *doc = fp_funcyaml_parse(text, strlen(text), "fn/func.yaml");
    assert_non_null(doc);
    fp_error_clear();
    int rc = fp_funcyaml_validate(doc, "fn/func.yaml");
    snprintf(msg, sizeof msg, "%s", rc == FUNCP_OK ? "" : fp_error_message());
    if (rc != FUNCP_OK)
        assert_int_equal(rc, FUNCP_EPARSE);
    fp_funcyaml_free(doc);
    return msg;
}

static void valid_files_pass(void **state)
{
    (void)state;
    fp_funcyaml *doc = fp_funcyaml_load(fixture("go-function.yaml"));
    assert_non_null(doc);
    assert_int_equal(fp_funcyaml_validate(doc, "x"), FUNCP_OK);
    fp_funcyaml_free(doc);
    assert_string_equal(problems("run:\n  envs:\n  - value: '{{ secret:creds }}'\n"
                                 "  - name: A\n    value: '{{ configMap:cfg:key }}'\n"
                                 "  - name: B\n    value: ''\n"),
                        "");
}

static void env_without_value_or_name(void **state)
{
    (void)state;
    assert_string_equal(problems("name: f\nrun:\n  envs:\n  - name: GREETING\n"),
                        "fn/func.yaml:4:5: run.envs: env entry #0 is missing value field, only "
                        "name 'GREETING' is set");
    assert_string_equal(problems("build:\n  buildEnvs:\n  - name: A\n    value: b\n  - value: x\n"),
                        "fn/func.yaml:5:5: build.buildEnvs: env entry #1 is missing name field, "
                        "only value 'x' is set");
    assert_string_equal(problems("run:\n  envs:\n  - value: plain\n"),
                        "fn/func.yaml:3:12: run.envs: env entry #0 has invalid value field set, "
                        "it has 'plain', but allowed is only '{{ secret:secretName }}' or "
                        "'{{ configMap:configMapName }}'");
    assert_string_equal(problems("run:\n  envs:\n  - name: ~\n    value: null\n  -\n"),
                        "fn/func.yaml:3:5: run.envs: env entry #0 is not properly set\n"
                        "fn/func.yaml:5:4: run.envs: env entry #1 is not properly set");
}

static void env_names_and_forms(void **state)
{
    (void)state;
    assert_string_equal(
        problems("run:\n  envs:\n  - name: 1A\n    value: x\n"),
        "fn/func.yaml:3:11: run.envs: env entry #0 has invalid name set: \"1A\"; a valid "
        "environment variable name must consist of alphabetic characters, digits, '_', '-', or "
        "'.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or "
        "'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')");
    assert_string_equal(problems("run:\n  envs:\n  - {name: A, value: a}\n  - {name: A, value: b}\n"),
                        "fn/func.yaml:4:12: run.envs: env entry #1 has duplicate name \"A\" "
                        "(first defined at entry #0)");
    assert_string_equal(problems("run:\n  envs:\n  - {name: A, value: '{{ nope }}'}\n"),
                        "fn/func.yaml:3:22: run.envs: env entry #0 with name 'A' has invalid "
                        "value field set, it has '{{ nope }}', but allowed is only "
                        "'{{ env:MY_ENV }}', '{{ secret:secretName:key }}' or "
                        "'{{ configMap:configMapName:key }}'");
    /* build envs take only the local environment form */
    assert_string_equal(problems("build:\n  buildEnvs:\n  - {name: A, value: '{{ secret:s:k }}'}\n"),
                        "fn/func.yaml:3:22: build.buildEnvs: env entry #0 with name 'A' has "
                        "invalid value field set, it has '{{ secret:s:k }}', but allowed is only "
                        "'{{ env:MY_ENV }}'");
    assert_string_equal(problems("build:\n  buildEnvs:\n  - {name: A, value: '{{ env:HOME }}'}\n"),
                        "");
    assert_non_null(strstr(problems("run:\n  envs:\n  - {name: ..x, value: a}\n"),
                           "has invalid name set: \"..x\"; must not start with '..'"));
}

static void volumes(void **state)
{
    (void)state;
    assert_string_equal(problems("run:\n  volumes:\n  - path: /a\n"),
                        "fn/func.yaml:3:5: run.volumes: volume entry #0 (No volume type at path: "
                        "\"/a\") is missing a volume type");
    assert_string_equal(problems("run:\n  volumes:\n  - secret: s\n    configMap: c\n"),
                        "fn/func.yaml:3:5: run.volumes: volume entry #0 (ConfigMap \"c\") may not "
                        "specify more than one volume type\n"
                        "fn/func.yaml:3:5: run.volumes: volume entry #0 (ConfigMap \"c\") is "
                        "missing path field");
    assert_string_equal(problems("run:\n  volumes:\n  - {secret: s, path: /data/}\n"
                                 "  - {configMap: c, path: /x/../data//}\n"),
                        "fn/func.yaml:4:26: run.volumes: volume entry #1 has duplicate path "
                        "\"/x/../data//\" (first defined at entry #0)");
    assert_string_equal(problems("run:\n  volumes:\n  - persistentVolumeClaim: {readOnly: true}\n"
                                 "    path: /p\n"),
                        "fn/func.yaml:3:28: run.volumes: volume entry #0 (PersistentVolumeClaim "
                        "at path: \"/p\") is missing claim name");
    assert_string_equal(problems("run:\n  volumes:\n  - emptyDir: {medium: Disk, sizeLimit: 1Gi}\n"
                                 "    path: /t\n"),
                        "fn/func.yaml:3:24: run.volumes: volume entry #0 (EmptyDir with size "
                        "limit \"1Gi\" at path: \"/t\") has invalid storage medium (Disk)");
    assert_string_equal(problems("run:\n  volumes:\n  - {emptyDir: {medium: Memory}, path: /m}\n"),
                        "");
}

static void labels(void **state)
{
    (void)state;
    assert_string_equal(problems("deploy:\n  labels:\n  - value: v\n"),
                        "fn/func.yaml:3:5: deploy.labels: label entry #0 is missing key field, "
                        "only value 'v' is set");
    assert_string_equal(
        problems("deploy:\n  labels:\n  - key: -bad\n"),
        "fn/func.yaml:3:10: deploy.labels: label entry #0 has invalid key set: \"-bad\"; name "
        "part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
        "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex "
        "used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
    assert_non_null(strstr(problems("deploy:\n  labels:\n  - key: Bad_Prefix/x\n"),
                           "has invalid key set: \"Bad_Prefix/x\"; prefix part a lowercase RFC "
                           "1123 subdomain must consist of"));
    assert_non_null(strstr(problems("deploy:\n  labels:\n  - {key: a, value: 'x y'}\n"),
                           "label entry #0 has invalid value set: \"x y\"; a valid label must be "
                           "an empty string or consist of"));
    assert_string_equal(problems("deploy:\n  labels:\n  - {key: example.com/tier, value: web}\n"
                                 "  - {key: plain}\n"),
                        "");
    setenv("FY_TEST_LABEL", "not valid!", 1);
    assert_non_null(strstr(problems("deploy:\n  labels:\n  - {key: a, value: '{{ env:FY_TEST_LABEL }}'}\n"),
                           "label entry #0 with key 'a' has invalid value when the environment "
                           "is evaluated: 'not valid!': a valid label must"));
    setenv("FY_TEST_LABEL", "fine", 1);
    assert_string_equal(problems("deploy:\n  labels:\n  - {key: a, value: '{{ env:FY_TEST_LABEL }}'}\n"),
                        "");
    assert_non_null(strstr(problems("deploy:\n  labels:\n  - {key: a, value: '{{ secret:s:k }}'}\n"),
                           "but allowed is only '{{ env:MY_ENV }}'"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_files_pass),
        cmocka_unit_test(env_without_value_or_name),
        cmocka_unit_test(env_names_and_forms),
        cmocka_unit_test(volumes),
        cmocka_unit_test(labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
