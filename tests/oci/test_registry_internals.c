/* Registry client pieces that need no server: Location resolution and
 * error messages decoded from the registry's errors[] body. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/curl_common.h"
#include "oci/auth_message.h"
#include "oci/registry_internal.h"
#include "util/error.h"

static void test_resolve(void **state)
{
    (void)state;
    char *url = NULL;
    const char *base = "https://reg.example:5000/v2/fn/blobs/uploads/";
    /* path-only Location, with a query the client must keep */
    assert_int_equal(fp_registry_resolve(base, "/v2/fn/blobs/uploads/u1?_state=abc%3D", "sha256:00ff", &url), 0);
    assert_string_equal(url, "https://reg.example:5000/v2/fn/blobs/uploads/u1?_state=abc%3D&digest=sha256%3a00ff");
    free(url);
    /* relative reference */
    assert_int_equal(fp_registry_resolve(base, "u2", NULL, &url), 0);
    assert_string_equal(url, "https://reg.example:5000/v2/fn/blobs/uploads/u2");
    free(url);
    /* absolute Location on another host (storage backends) */
    assert_int_equal(fp_registry_resolve(base, "http://store.example/up/9?x=1", "sha256:aa", &url), 0);
    assert_string_equal(url, "http://store.example/up/9?x=1&digest=sha256%3aaa");
    free(url);
    /* no query yet */
    assert_int_equal(fp_registry_resolve(base, "/v2/fn/blobs/uploads/u3", "sha256:bb", &url), 0);
    assert_string_equal(url, "https://reg.example:5000/v2/fn/blobs/uploads/u3?digest=sha256%3abb");
    free(url);
}

static void test_fail_message(void **state)
{
    (void)state;
    fp_registry reg;
    memset(&reg, 0, sizeof reg);
    strcpy(reg.ref.registry, "reg.example:5000");
    strcpy(reg.ref.repository, "team/fn");
    char body[] = "{\"errors\":[{\"code\":\"MANIFEST_INVALID\",\"message\":\"manifest invalid\","
                  "\"detail\":{\"reason\":\"bad layer\"}},{\"code\":\"DENIED\",\"message\":\"no\"}]}";
    fp_resp resp = {.status = 400, .body = body, .body_len = strlen(body)};
    assert_int_equal(fp_registry_fail(&reg, "PUT manifest", &resp), FUNCP_ENETWORK);
    const char *m = fp_error_message();
    assert_non_null(strstr(m, "registry reg.example:5000"));
    assert_non_null(strstr(m, "repository team/fn"));
    assert_non_null(strstr(m, "PUT manifest: HTTP 400 Bad Request"));
    assert_non_null(strstr(m, "MANIFEST_INVALID: manifest invalid ({\"reason\":\"bad layer\"})"));
    assert_non_null(strstr(m, "; DENIED: no"));
    /* status families map to codes; a non-JSON body is ignored */
    char html[] = "<html>oops</html>";
    fp_resp r401 = {.status = 401, .body = html, .body_len = strlen(html)};
    assert_int_equal(fp_registry_fail(&reg, "GET /v2/", &r401), FUNCP_EAUTH);
    assert_null(strstr(fp_error_message(), "oops"));
    fp_resp r404 = {.status = 404};
    assert_int_equal(fp_registry_fail(&reg, "GET manifest", &r404), FUNCP_ENOTFOUND);
    fp_resp r503 = {.status = 503, .transient = 1, .tries = 4};
    fp_registry_fail(&reg, "POST blob upload", &r503);
    assert_non_null(strstr(fp_error_message(), "HTTP 503 Service Unavailable (gave up after 4 tries)"));
}

/* An upload's status Range: only an answer that says how many bytes
 * the registry holds lets an upload resume. */
static void test_upload_range(void **state)
{
    (void)state;
    uint64_t next = 7;
    assert_int_equal(fp_upload_range_next("0-1048575", &next), 1);
    assert_int_equal(next, 1048576);
    assert_int_equal(fp_upload_range_next("bytes=0-9", &next), 1);
    assert_int_equal(next, 10);
    assert_int_equal(fp_upload_range_next("0-1", &next), 1);
    assert_int_equal(next, 2);
    /* docker-registry 2.8 says "0-0" for an empty upload and a 1-byte one */
    assert_int_equal(fp_upload_range_next("0-0", &next), 0);
    assert_int_equal(next, 0);
    const char *unclear[] = {"", "0", "0-", "-5", "5-9", "0-x", "0-9 ", "0--1", "x", "0-18446744073709551615"};
    for (size_t i = 0; i < sizeof unclear / sizeof unclear[0]; i++) {
        next = 7;
        assert_int_equal(fp_upload_range_next(unclear[i], &next), 0);
        assert_int_equal(next, 0);
    }
    assert_int_equal(fp_upload_range_next(NULL, &next), 0);
}

/* The server's own words in an authentication failure, whatever shape
 * the refusal came in. */
static void test_auth_server_message(void **state)
{
    (void)state;
    char out[64];
    const char *reg = "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}";
    fp_auth_server_message(reg, strlen(reg), NULL, out, sizeof out);
    assert_string_equal(out, "authentication required");
    const char *hub = "{\"details\":\"incorrect username or password\"}\n";
    fp_auth_server_message(hub, strlen(hub), NULL, out, sizeof out);
    assert_string_equal(out, "incorrect username or password");
    const char *oauth = "{\"error\":\"invalid_grant\",\"error_description\":\"refresh token expired\"}";
    fp_auth_server_message(oauth, strlen(oauth), NULL, out, sizeof out);
    assert_string_equal(out, "refresh token expired");
    fp_auth_server_message("bad creds\x1b[31m\nsecond line", 27, NULL, out, sizeof out);
    assert_string_equal(out, "bad creds[31m");
    fp_auth_server_message("<html>401</html>", 16, "Bearer realm=\"x\",error=\"insufficient_scope\"", out, sizeof out);
    assert_string_equal(out, "insufficient_scope");
    fp_auth_server_message(NULL, 0, NULL, out, sizeof out);
    assert_string_equal(out, "");
    char longer[200];
    memset(longer, 'a', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    fp_auth_server_message(longer, strlen(longer), NULL, out, sizeof out);
    assert_int_equal(strlen(out), sizeof out - 1);
}

/* -v request lines: secrets in the URL never shown, the rest as sent. */
static void test_url_for_log(void **state)
{
    (void)state;
    char out[256];
    fp_url_for_log("http://r:5000/v2/fn/blobs/uploads/u1?_state=c2VjcmV0&digest=sha256%3aab", out, sizeof out);
    assert_string_equal(out, "http://r:5000/v2/fn/blobs/uploads/u1?_state=<redacted>&digest=sha256%3aab");
    fp_url_for_log("https://user:pa55@auth.example/token?service=reg&scope=repository%3Afn%3Apull&access_token=abc",
                   out, sizeof out);
    assert_string_equal(out, "https://<redacted>@auth.example/token?service=reg&scope=repository%3Afn%3Apull"
                             "&access_token=<redacted>");
    fp_url_for_log("https://s3/b?X-Amz-Signature=f00&X-Amz-Credential=AKIA#frag", out, sizeof out);
    assert_string_equal(out, "https://s3/b?X-Amz-Signature=<redacted>&X-Amz-Credential=<redacted>");
    fp_url_for_log("https://k/apis/x?watch=1&resourceVersion=42&flag", out, sizeof out);
    assert_string_equal(out, "https://k/apis/x?watch=1&resourceVersion=42&flag");
    char tiny[12];
    fp_url_for_log("https://example.com/long/path", tiny, sizeof tiny);
    assert_string_equal(tiny, "https://exa");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resolve),
        cmocka_unit_test(test_fail_message),
        cmocka_unit_test(test_upload_range),
        cmocka_unit_test(test_auth_server_message),
        cmocka_unit_test(test_url_for_log),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
