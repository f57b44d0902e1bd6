/* The local-registry rule (which registries may fall back to plain HTTP
 * without --registry-insecure) and the reading of TLS failures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <openssl/x509_vfy.h>

#include "oci/registry_tls.h"

static void test_loopback(void **state)
{
    (void)state;
    static const char *const yes[] = {
        "localhost", "localhost:5000", "LocalHost:80", "registry.localhost", "registry.localhost:5000",
        "127.0.0.1", "127.0.0.1:5000", "127.1.2.3:80", "127.255.255.255", "[::1]:5000", "[::1]", "::1",
        "0:0:0:0:0:0:0:1",
    };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        print_message("loopback: %s\n", yes[i]);
        assert_int_equal(fp_registry_http_capable(yes[i]), FP_HTTP_LOOPBACK);
    }
}

static void test_private(void **state)
{
    (void)state;
    static const char *const yes[] = {"10.0.0.1:5000", "172.16.0.1", "172.31.255.254:443", "192.168.49.2:5000"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        print_message("private: %s\n", yes[i]);
        assert_int_equal(fp_registry_http_capable(yes[i]), FP_HTTP_PRIVATE);
    }
}

static void test_not_local(void **state)
{
    (void)state;
    static const char *const no[] = {
        "localhost.example.com", "localhost.example.com:5000", "127.0.0.1.nip.io", "127.0.0.1.nip.io:5000",
        "mylocalhost", "ghcr.io", "docker.io", "registry.local:5000", "128.0.0.1", "172.32.0.1", "172.15.255.1",
        "192.169.0.1", "11.0.0.1", "8.8.8.8:5000", "127.1", "[::2]:5000", "::2", "[::1]x", "localhost:",
        "localhost:123456", "localhost:50a", "[::1", "", "[fe80::1]:5000",
    };
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        print_message("not local: \"%s\"\n", no[i]);
        assert_int_equal(fp_registry_http_capable(no[i]), 0);
    }
    assert_int_equal(fp_registry_http_capable(NULL), 0);
}

static void test_classify(void **state)
{
    (void)state;
    /* curl + OpenSSL 3 against a plain HTTP port */
    assert_int_equal(fp_tls_classify(CURLE_SSL_CONNECT_ERROR, 0,
                                     "OpenSSL/3.0.19: error:0A00010B:SSL routines::wrong version number"),
                     FP_TLS_PLAIN_HTTP);
    assert_int_equal(fp_tls_classify(CURLE_SSL_CONNECT_ERROR, 0, "error:1408F10B:SSL routines:ssl3_get_record:"
                                                                 "packet length too long"),
                     FP_TLS_PLAIN_HTTP);
    assert_int_equal(fp_tls_classify(CURLE_SSL_CONNECT_ERROR, 0,
                                     "OpenSSL SSL_connect: Connection reset by peer in connection to h:5000"),
                     FP_TLS_RESET);
    assert_int_equal(fp_tls_classify(CURLE_SSL_CONNECT_ERROR, 0, "tlsv1 alert protocol version"), FP_TLS_HANDSHAKE);
    assert_true(fp_tls_means_plain_http(FP_TLS_PLAIN_HTTP));
    assert_true(fp_tls_means_plain_http(FP_TLS_RESET));
    assert_false(fp_tls_means_plain_http(FP_TLS_HANDSHAKE));
    assert_false(fp_tls_means_plain_http(FP_TLS_UNKNOWN_AUTHORITY));
    assert_false(fp_tls_means_plain_http(FP_TLS_NONE));

    /* certificate problems, from OpenSSL's verify result */
    assert_int_equal(fp_tls_classify(CURLE_PEER_FAILED_VERIFICATION, X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, ""),
                     FP_TLS_UNKNOWN_AUTHORITY);
    assert_int_equal(fp_tls_classify(CURLE_PEER_FAILED_VERIFICATION, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, ""),
                     FP_TLS_UNKNOWN_AUTHORITY);
    assert_int_equal(fp_tls_classify(CURLE_PEER_FAILED_VERIFICATION, X509_V_ERR_CERT_HAS_EXPIRED, ""),
                     FP_TLS_EXPIRED);
    assert_int_equal(fp_tls_classify(CURLE_PEER_FAILED_VERIFICATION, X509_V_ERR_CERT_NOT_YET_VALID, ""),
                     FP_TLS_NOT_YET_VALID);
    assert_int_equal(fp_tls_classify(CURLE_PEER_FAILED_VERIFICATION, X509_V_ERR_HOSTNAME_MISMATCH, ""),
                     FP_TLS_HOSTNAME);
    /* curl's own host name check leaves the verify result at 0 */
    assert_int_equal(fp_tls_classify(CURLE_PEER_FAILED_VERIFICATION, 0,
                                     "SSL: no alternative certificate subject name matches target host name 'x'"),
                     FP_TLS_HOSTNAME);
    assert_int_equal(fp_tls_classify(CURLE_PEER_FAILED_VERIFICATION, 0, "SSL certificate problem: certificate "
                                                                        "has expired"),
                     FP_TLS_EXPIRED);
    assert_int_equal(fp_tls_classify(CURLE_PEER_FAILED_VERIFICATION, 0, "something else"), FP_TLS_BAD_CERTIFICATE);

    /* not TLS at all: an HTTP-level or connection failure */
    assert_int_equal(fp_tls_classify(CURLE_COULDNT_CONNECT, 0, "Connection refused"), FP_TLS_NONE);
    assert_int_equal(fp_tls_classify(CURLE_OK, 0, ""), FP_TLS_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loopback),
        cmocka_unit_test(test_private),
        cmocka_unit_test(test_not_local),
        cmocka_unit_test(test_classify),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
