/* Status objects and plain-text bodies into clear messages and codes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kube/kube_client.h"
#include "util/error.h"

static void test_not_found_status(void **state)
{
    (void)state;
    const char *body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                       "\"message\":\"configmaps \\\"zz\\\" not found\",\"reason\":\"NotFound\","
                       "\"details\":{\"name\":\"zz\",\"kind\":\"configmaps\"},\"code\":404}";
    assert_int_equal(fp_kube_status_error(404, body, "get configmap"), FUNCP_ENOTFOUND);
    assert_string_equal(fp_error_message(), "get configmap: configmaps \"zz\" not found");
}

static void test_plain_404_is_unserved_type(void **state)
{
    (void)state;
    assert_int_equal(fp_kube_status_error(404, "404 page not found\n", "list wasmmodules"), FUNCP_ENOTFOUND);
    assert_string_equal(fp_error_message(),
                        "list wasmmodules: the API server does not serve this resource type (404 page not found): "
                        "is its CustomResourceDefinition installed?");
}

static void test_invalid_with_causes(void **state)
{
    (void)state;
    /* The message already names spec.image: the cause is not repeated;
     * a cause it lacks is appended. */
    const char *body = "{\"kind\":\"Status\",\"message\":\"WasmModule.wasm.serving.knative.dev \\\"a\\\" is invalid: "
                       "spec.image: Required value\",\"reason\":\"Invalid\",\"code\":422,\"details\":{\"causes\":["
                       "{\"reason\":\"FieldValueRequired\",\"message\":\"Required value\",\"field\":\"spec.image\"},"
                       "{\"reason\":\"FieldValueInvalid\",\"message\":\"must be lowercase\",\"field\":\"metadata.name\"}]}}";
    assert_int_equal(fp_kube_status_error(422, body, NULL), FUNCP_EDEPLOY);
    assert_string_equal(fp_error_message(), "WasmModule.wasm.serving.knative.dev \"a\" is invalid: spec.image: "
                                            "Required value (metadata.name: must be lowercase)");
}

static void test_conflicts_and_codes(void **state)
{
    (void)state;
    const char *exists = "{\"kind\":\"Status\",\"message\":\"configmaps \\\"a\\\" already exists\","
                         "\"reason\":\"AlreadyExists\",\"code\":409}";
    assert_int_equal(fp_kube_status_error(409, exists, "create"), FUNCP_EEXISTS);
    assert_string_equal(fp_error_message(), "create: configmaps \"a\" already exists");
    const char *conflict = "{\"kind\":\"Status\",\"message\":\"Operation cannot be fulfilled\",\"reason\":\"Conflict\",\"code\":409}";
    assert_int_equal(fp_kube_status_error(409, conflict, "update"), FUNCP_EDEPLOY);
    const char *forbidden = "{\"kind\":\"Status\",\"message\":\"pods is forbidden: User \\\"x\\\" cannot list\",\"reason\":\"Forbidden\",\"code\":403}";
    assert_int_equal(fp_kube_status_error(403, forbidden, "list pods"), FUNCP_EAUTH);
    assert_string_equal(fp_error_message(), "list pods: pods is forbidden: User \"x\" cannot list");
    /* An ERROR event's object carries its code itself. */
    const char *gone = "{\"kind\":\"Status\",\"reason\":\"Expired\",\"code\":500}";
    assert_int_equal(fp_kube_status_error(0, gone, "watch"), FUNCP_ENETWORK);
    assert_string_equal(fp_error_message(), "watch: Expired (HTTP 500)");
}

static void test_other_plain_text(void **state)
{
    (void)state;
    assert_int_equal(fp_kube_status_error(502, "Bad Gateway\nmore", "get x"), FUNCP_ENETWORK);
    assert_string_equal(fp_error_message(), "get x: HTTP 502: Bad Gateway");
    assert_int_equal(fp_kube_status_error(415, NULL, NULL), FUNCP_EDEPLOY);
    assert_string_equal(fp_error_message(), "HTTP 415");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_not_found_status),
        cmocka_unit_test(test_plain_404_is_unserved_type),
        cmocka_unit_test(test_invalid_with_causes),
        cmocka_unit_test(test_conflicts_and_codes),
        cmocka_unit_test(test_other_plain_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
