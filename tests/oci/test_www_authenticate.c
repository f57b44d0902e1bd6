/* WWW-Authenticate challenges as registries send them, and odd ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "oci/www_authenticate.h"
#include "util/error.h"

static void test_bearer(void **state)
{
    (void)state;
    fp_auth_challenge c;
    assert_int_equal(fp_www_authenticate_parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                                               "scope=\"repository:library/alpine:pull,push\"", &c), 0);
    assert_int_equal(c.scheme, FP_AUTH_BEARER);
    assert_string_equal(c.realm, "https://auth.docker.io/token");
    assert_string_equal(c.service, "registry.docker.io");
    assert_string_equal(c.scope, "repository:library/alpine:pull,push");
}

static void test_spacing_and_escapes(void **state)
{
    (void)state;
    fp_auth_challenge c;
    assert_int_equal(fp_www_authenticate_parse("  bearer   scope = \"a,b\" ,  REALM=\"https://x/t?a=1\" , "
                                               "service=plain.token, error=\"insufficient_scope\"", &c), 0);
    assert_int_equal(c.scheme, FP_AUTH_BEARER);
    assert_string_equal(c.realm, "https://x/t?a=1");
    assert_string_equal(c.service, "plain.token");
    assert_string_equal(c.scope, "a,b");
    assert_int_equal(fp_www_authenticate_parse("Bearer realm=\"q\\\"uo\\\\te\"", &c), 0);
    assert_string_equal(c.realm, "q\"uo\\te");
}

static void test_basic_and_several(void **state)
{
    (void)state;
    fp_auth_challenge c;
    assert_int_equal(fp_www_authenticate_parse("Basic realm=\"Registry Realm\"", &c), 0);
    assert_int_equal(c.scheme, FP_AUTH_BASIC);
    assert_string_equal(c.realm, "Registry Realm");
    /* Bearer preferred whatever the order; unknown schemes skipped. */
    assert_int_equal(fp_www_authenticate_parse("Negotiate abc==, Basic realm=\"r\", Bearer realm=\"https://t\", "
                                               "Digest nonce=\"n\"", &c), 0);
    assert_int_equal(c.scheme, FP_AUTH_BEARER);
    assert_string_equal(c.realm, "https://t");
    assert_int_equal(fp_www_authenticate_parse("Negotiate abc==, Basic realm=r", &c), 0);
    assert_int_equal(c.scheme, FP_AUTH_BASIC);
    assert_string_equal(c.realm, "r");
}

static void test_bad(void **state)
{
    (void)state;
    fp_auth_challenge c;
    assert_int_equal(fp_www_authenticate_parse("", &c), FUNCP_EPARSE);
    assert_int_equal(fp_www_authenticate_parse("Negotiate", &c), FUNCP_EPARSE);
    assert_non_null(strstr(fp_error_message(), "no Bearer or Basic"));
    assert_int_equal(fp_www_authenticate_parse("Bearer service=\"x\"", &c), FUNCP_EPARSE);
    assert_non_null(strstr(fp_error_message(), "without realm"));
    assert_int_equal(fp_www_authenticate_parse("Bearer realm=\"unterminated", &c), 0);
    assert_string_equal(c.realm, "unterminated");
    assert_int_equal(fp_www_authenticate_parse(",,,=,\"", &c), FUNCP_EPARSE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bearer),
        cmocka_unit_test(test_spacing_and_escapes),
        cmocka_unit_test(test_basic_and_several),
        cmocka_unit_test(test_bad),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
