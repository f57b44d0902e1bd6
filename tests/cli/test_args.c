/* Flag parsing: long/short forms, booleans, choices, env fallbacks,
 * argument counts, and Go durations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "util/error.h"

static const fp_flag flags[] = {
    {"namespace", 'n', FP_FLAG_STRING, NULL, "ns", NULL, NULL, NULL},
    {"push", 'u', FP_FLAG_BOOL, "true", "push", NULL, NULL, NULL},
    {"build", 0, FP_FLAG_STRING, "auto", "build", "auto|true|false", "true", NULL},
    {"timeout", 0, FP_FLAG_DURATION, "2m", "timeout", NULL, NULL, NULL},
    {"deployer", 0, FP_FLAG_STRING, NULL, "deployer", NULL, NULL, "FUNC_DEPLOY_TYPE"},
    {"env", 'e', FP_FLAG_ARRAY, NULL, "env", NULL, NULL, NULL},
    {0},
};

static int dummy_run(struct funcp_call *call)
{
    (void)call;
    return 0;
}

static const fp_command cmd = {"deploy", NULL, "deploy [name]", "s", "d", "e", flags, 0, 1,
                               dummy_run, 0};

static char *kept;

static int parse(fp_args *args, const char *line)
{
    char *copy = strdup(line), *argv[32];
    int argc = 0;
    for (char *t = strtok(copy, " "); t && argc < 32; t = strtok(NULL, " "))
        argv[argc++] = t;
    int rc = fp_args_parse(args, &cmd, argc, argv);
    /* Positional arguments point into argv: keep it until the next parse. */
    free(kept);
    kept = copy;
    return rc;
}

static void test_forms(void **state)
{
    (void)state;
    fp_args a;
    assert_int_equal(parse(&a, "-n prod --push=false --build --timeout=30s hello"), FUNCP_OK);
    assert_string_equal(fp_args_flag(&a, "namespace"), "prod");
    assert_false(fp_args_bool(&a, "push"));
    assert_string_equal(fp_args_get(&a, "build"), "true");
    assert_string_equal(fp_args_get(&a, "timeout"), "30s");
    assert_int_equal(a.n_pos, 1);
    assert_string_equal(a.pos[0], "hello");
    fp_args_free(&a);

    assert_int_equal(parse(&a, "-nprod -u --build=false -v -o json"), FUNCP_OK);
    assert_string_equal(fp_args_flag(&a, "namespace"), "prod");
    assert_true(fp_args_bool(&a, "push"));
    assert_string_equal(fp_args_get(&a, "build"), "false");
    assert_true(fp_args_bool(&a, "verbose"));
    assert_string_equal(fp_args_get(&a, "output"), "json");
    fp_args_free(&a);

    /* Defaults when unset; "--" ends flags. */
    assert_int_equal(parse(&a, "-- -n"), FUNCP_OK);
    assert_null(fp_args_flag(&a, "namespace"));
    assert_string_equal(fp_args_get(&a, "timeout"), "2m");
    assert_true(fp_args_bool(&a, "push"));
    assert_string_equal(a.pos[0], "-n");
    fp_args_free(&a);
}

static void test_usage_errors(void **state)
{
    (void)state;
    fp_args a;
    assert_int_equal(parse(&a, "--nope"), FUNCP_EUSAGE);
    assert_string_equal(fp_error_message(), "unknown flag: --nope");
    fp_args_free(&a);
    assert_int_equal(parse(&a, "-x"), FUNCP_EUSAGE);
    fp_args_free(&a);
    assert_int_equal(parse(&a, "-n"), FUNCP_EUSAGE);
    assert_string_equal(fp_error_message(), "flag needs an argument: -n");
    fp_args_free(&a);
    assert_int_equal(parse(&a, "--build=maybe"), FUNCP_EUSAGE);
    assert_non_null(strstr(fp_error_message(), "auto,true,false"));
    fp_args_free(&a);
    assert_int_equal(parse(&a, "--push=perhaps"), FUNCP_EUSAGE);
    fp_args_free(&a);
    assert_int_equal(parse(&a, "--timeout=soon"), FUNCP_EUSAGE);
    assert_non_null(strstr(fp_error_message(), "--timeout"));
    fp_args_free(&a);
    assert_int_equal(parse(&a, "one two"), FUNCP_EUSAGE);
    assert_non_null(strstr(fp_error_message(), "\"two\""));
    fp_args_free(&a);
}

static void test_env_fallback(void **state)
{
    (void)state;
    fp_args a;
    setenv("FUNC_NAMESPACE", "from-env", 1);
    setenv("FUNC_DEPLOY_TYPE", "wasm", 1);
    assert_int_equal(parse(&a, ""), FUNCP_OK);
    assert_null(fp_args_flag(&a, "namespace")); /* not explicit */
    assert_string_equal(fp_args_env(&a, "namespace"), "from-env");
    assert_string_equal(fp_args_get(&a, "namespace"), "from-env");
    assert_string_equal(fp_args_get(&a, "deployer"), "wasm");
    fp_args_free(&a);
    assert_int_equal(parse(&a, "-n flag"), FUNCP_OK);
    assert_string_equal(fp_args_get(&a, "namespace"), "flag");
    fp_args_free(&a);
    unsetenv("FUNC_NAMESPACE");
    unsetenv("FUNC_DEPLOY_TYPE");

    setenv("FUNC_TIMEOUT", "forever", 1);
    assert_int_equal(parse(&a, ""), FUNCP_EUSAGE);
    assert_non_null(strstr(fp_error_message(), "FUNC_TIMEOUT"));
    fp_args_free(&a);
    unsetenv("FUNC_TIMEOUT");
}

static void test_durations(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        long long ms;
    } good[] = {{"0", 0},           {"30s", 30000},  {"2m", 120000},    {"1h", 3600000},
                {"1h30m", 5400000}, {"500ms", 500},  {"1.5s", 1500},    {"2m3s", 123000},
                {"1000us", 1},      {"90s", 90000}};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        long long ms = -1;
        assert_int_equal(fp_parse_duration(good[i].text, &ms), FUNCP_OK);
        assert_int_equal(ms, good[i].ms);
    }
    static const char *const bad[] = {"", "5", "-1s", "1d", "s", "1m x", "1.2.3s", "m5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        long long ms;
        assert_int_equal(fp_parse_duration(bad[i], &ms), FUNCP_EUSAGE);
    }
}

/* -e repeats and keeps order; FUNC_ENV is not a source (func reads -e
 * from the command line only). */
static void test_array_flag(void **state)
{
    (void)state;
    fp_args a;
    size_t n;
    setenv("FUNC_ENV", "FROM_ENV=1", 1);
    assert_int_equal(parse(&a, "-e A=1 --env B=2 -eC- --env=D={{ hello"), FUNCP_OK);
    char *const *v = fp_args_list(&a, "env", &n);
    assert_int_equal(n, 4);
    assert_string_equal(v[0], "A=1");
    assert_string_equal(v[1], "B=2");
    assert_string_equal(v[2], "C-");
    assert_string_equal(v[3], "D={{");
    assert_string_equal(a.pos[0], "hello");
    fp_args_free(&a);
    assert_int_equal(parse(&a, "hello"), FUNCP_OK);
    assert_null(fp_args_list(&a, "env", &n));
    assert_int_equal(n, 0);
    assert_null(fp_args_get(&a, "env"));
    fp_args_free(&a);
    unsetenv("FUNC_ENV");
}

static void test_bools_and_env_names(void **state)
{
    (void)state;
    assert_int_equal(fp_parse_bool("true"), 1);
    assert_int_equal(fp_parse_bool("T"), 1);
    assert_int_equal(fp_parse_bool("0"), 0);
    assert_int_equal(fp_parse_bool("False"), 0);
    assert_int_equal(fp_parse_bool("yes"), -1);
    char buf[64];
    fp_flag_env_name("registry-insecure", buf, sizeof buf);
    assert_string_equal(buf, "FUNC_REGISTRY_INSECURE");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forms),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_env_fallback),
        cmocka_unit_test(test_durations),
        cmocka_unit_test(test_bools_and_env_names),
        cmocka_unit_test(test_array_flag),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    free(kept);
    return rc;
}
