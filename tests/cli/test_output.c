/* Data output: pretty JSON in insertion order, YAML that reads back as the
 * same types (strings that look like numbers or booleans are quoted), and
 * aligned tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/output.h"

static char *capture(int (*fn)(FILE *, json_object *), json_object *obj)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(fn(f, obj), FUNCP_OK);
    fclose(f);
    return buf;
}

static json_object *sample(void)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "zeta", json_object_new_string("first key"));
    json_object_object_add(o, "alpha", json_object_new_int(3));
    json_object_object_add(o, "ready", json_object_new_string("True"));
    json_object_object_add(o, "version", json_object_new_string("1.0"));
    json_object_object_add(o, "flag", json_object_new_boolean(1));
    json_object_object_add(o, "none", NULL);
    json_object *arr = json_object_new_array();
    json_object_array_add(arr, json_object_new_string("wasm"));
    json_object_array_add(arr, json_object_new_string("a: b"));
    json_object_object_add(o, "list", arr);
    return o;
}

static void test_json_pretty_in_order(void **state)
{
    (void)state;
    json_object *o = sample();
    char *text = capture(fp_output_json, o);
    assert_string_equal(text, "{\n"
                              "  \"zeta\": \"first key\",\n"
                              "  \"alpha\": 3,\n"
                              "  \"ready\": \"True\",\n"
                              "  \"version\": \"1.0\",\n"
                              "  \"flag\": true,\n"
                              "  \"none\": null,\n"
                              "  \"list\": [\n"
                              "    \"wasm\",\n"
                              "    \"a: b\"\n"
                              "  ]\n"
                              "}\n");
    free(text);
    json_object_put(o);
}

static void test_yaml_types_survive(void **state)
{
    (void)state;
    json_object *o = sample();
    char *text = capture(fp_output_yaml, o);
    assert_string_equal(text, "zeta: first key\n"
                              "alpha: 3\n"
                              "ready: \"True\"\n"
                              "version: \"1.0\"\n"
                              "flag: true\n"
                              "none: null\n"
                              "list:\n"
                              "- wasm\n"
                              "- 'a: b'\n");
    free(text);
    json_object_put(o);
}

static void test_formats(void **state)
{
    (void)state;
    fp_format f;
    assert_int_equal(fp_format_parse("json", &f), FUNCP_OK);
    assert_int_equal(f, FP_FORMAT_JSON);
    assert_int_equal(fp_format_parse("yaml", &f), FUNCP_OK);
    assert_int_equal(f, FP_FORMAT_YAML);
    assert_int_equal(fp_format_parse("human", &f), FUNCP_OK);
    assert_int_equal(f, FP_FORMAT_TEXT);
    assert_int_equal(fp_format_parse("xml", &f), FUNCP_EUSAGE);
    assert_non_null(strstr(fp_error_message(), "\"xml\""));
}

static void test_table_aligned(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    static const char *const header[] = {"NAME", "URL"};
    static const char *const cells[] = {"hello", "http://a", "x", NULL};
    fp_output_table(f, header, 2, cells, 2);
    fclose(f);
    /* A memstream is no terminal: no colour codes. */
    /* func's tabwriter layout: widest cell + 2 spaces. */
    assert_string_equal(buf, "NAME   URL\n"
                             "hello  http://a\n"
                             "x      \n");
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_pretty_in_order),
        cmocka_unit_test(test_yaml_types_survive),
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_table_aligned),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
