/* Docker reference grammar and normalisation, table driven. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "oci/reference.h"
#include "util/error.h"

#define D64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static const struct {
    const char *in, *registry, *api_host, *repository, *tag, *digest;
} good[] = {
    {"alpine", "docker.io", "registry-1.docker.io", "library/alpine", "latest", ""},
    {"alpine:3.20", "docker.io", "registry-1.docker.io", "library/alpine", "3.20", ""},
    {"user/app", "docker.io", "registry-1.docker.io", "user/app", "latest", ""},
    {"docker.io/alpine", "docker.io", "registry-1.docker.io", "library/alpine", "latest", ""},
    {"index.docker.io/user/x:v1", "docker.io", "registry-1.docker.io", "user/x", "v1", ""},
    {"localhost/fn", "localhost", "localhost", "fn", "latest", ""},
    {"localhost:5000/fn:v2", "localhost:5000", "localhost:5000", "fn", "v2", ""},
    {"127.0.0.1:35000/a/b/c", "127.0.0.1:35000", "127.0.0.1:35000", "a/b/c", "latest", ""},
    {"ghcr.io/webassembly/wasi/http:0.2.3", "ghcr.io", "ghcr.io", "webassembly/wasi/http", "0.2.3", ""},
    {"quay.io/a/b@sha256:" D64, "quay.io", "quay.io", "a/b", "", "sha256:" D64},
    {"quay.io/a/b:t@sha256:" D64, "quay.io", "quay.io", "a/b", "t", "sha256:" D64},
    {"reg.example.com/my_app/fn-x__y.z:_tag-1.0", "reg.example.com", "reg.example.com", "my_app/fn-x__y.z",
     "_tag-1.0", ""},
    {"[::1]:5000/fn", "[::1]:5000", "[::1]:5000", "fn", "latest", ""},
    {"Registry.Local/fn", "Registry.Local", "Registry.Local", "fn", "latest", ""},
};

static const struct {
    const char *in, *why;
} bad[] = {
    {"", "empty"},
    {"user/Upper", "repository component"},
    {"alpine:", "tag must"},
    {"alpine:-x", "tag must"},
    {"a@sha256:abc", "digest"},
    {"a@md5:" D64, "digest"},
    {"reg.io/", "missing repository"},
    {"reg.io//x", "repository component"},
    {"reg.io/a..b", "repository component"},
    {"reg.io/-a", "repository component"},
    {"reg.io/a___b", "repository component"},
    {"-bad.io/a", "registry host"},
    {"bad-.io/a", "registry host"},
    {"host:99999999/a", "registry host"},
    {"host:/a", "registry host"},
    {"a b", "space"},
    {"reg.io/a:" "t0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
     "01234567890123456789012345678", "tag must"},
};

static void test_good(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        fp_oci_ref r;
        int rc = fp_oci_ref_parse(good[i].in, &r);
        if (rc)
            fail_msg("%s: %s", good[i].in, fp_error_message());
        assert_string_equal(r.registry, good[i].registry);
        assert_string_equal(r.api_host, good[i].api_host);
        assert_string_equal(r.repository, good[i].repository);
        assert_string_equal(r.tag, good[i].tag);
        assert_string_equal(r.digest, good[i].digest);
    }
}

static void test_bad(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fp_oci_ref r;
        fp_error_clear();
        int rc = fp_oci_ref_parse(bad[i].in, &r);
        if (rc != FUNCP_EUSAGE)
            fail_msg("\"%s\" accepted (rc %d)", bad[i].in, rc);
        if (!strstr(fp_error_message(), bad[i].why))
            fail_msg("\"%s\": message \"%s\" lacks \"%s\"", bad[i].in, fp_error_message(), bad[i].why);
        if (*bad[i].in && !strstr(fp_error_message(), bad[i].in))
            fail_msg("message \"%s\" does not name the reference", fp_error_message());
    }
}

static void test_format(void **state)
{
    (void)state;
    fp_oci_ref r;
    char buf[512];
    assert_int_equal(fp_oci_ref_parse("localhost:5000/fn", &r), 0);
    assert_int_equal(fp_oci_ref_format(&r, buf, sizeof buf), 0);
    assert_string_equal(buf, "localhost:5000/fn:latest");
    assert_int_equal(fp_oci_ref_pinned(&r, "sha256:" D64, buf, sizeof buf), 0);
    assert_string_equal(buf, "localhost:5000/fn@sha256:" D64);
    assert_string_equal(fp_oci_ref_target(&r), "latest");
    assert_int_equal(fp_oci_ref_parse("x.io/a@sha256:" D64, &r), 0);
    assert_string_equal(fp_oci_ref_target(&r), "sha256:" D64);
    assert_int_equal(fp_oci_ref_format(&r, buf, 10), FUNCP_EUSAGE);
}

static void test_long_name(void **state)
{
    (void)state;
    char name[400];
    memset(name, 'a', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    fp_oci_ref r;
    assert_int_equal(fp_oci_ref_parse(name, &r), FUNCP_EUSAGE);
    assert_non_null(strstr(fp_error_message(), "255"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good),
        cmocka_unit_test(test_bad),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_long_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
