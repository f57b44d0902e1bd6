/* The plain-HTTP rule for local registries and the reading of TLS
 * failures (see registry_tls.h). */
#include "oci/registry_tls.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <openssl/x509_vfy.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

/* ":" and 1 to 5 digits, as go-containerregistry's `(?::\d{1,5})?`. */
static int port_ok(const char *p)
{
    if (*p != ':')
        return 0;
    size_t n = strspn(p + 1, "0123456789");
    return n >= 1 && n <= 5 && p[1 + n] == '\0';
}

static int v6_loopback(const char *host)
{
    struct in6_addr a;
    return inet_pton(AF_INET6, host, &a) == 1 && !memcmp(&a, &in6addr_loopback, sizeof a);
}

int fp_registry_http_capable(const char *registry)
{
    char host[256];
    if (!registry || !*registry)
        return 0;
    if (registry[0] == '[') { /* [v6] or [v6]:port */
        const char *close = strchr(registry, ']');
        size_t len = close ? (size_t)(close - registry - 1) : 0;
        if (!close || len >= sizeof host || (close[1] && !port_ok(close + 1)))
            return 0;
        memcpy(host, registry + 1, len);
        host[len] = '\0';
        return v6_loopback(host) ? FP_HTTP_LOOPBACK : 0;
    }
    const char *colon = strchr(registry, ':');
    if (colon && strchr(colon + 1, ':')) /* a bare IPv6 address has no port */
        return v6_loopback(registry) ? FP_HTTP_LOOPBACK : 0;
    size_t len = colon ? (size_t)(colon - registry) : strlen(registry);
    if (len >= sizeof host || (colon && !port_ok(colon)))
        return 0;
    memcpy(host, registry, len);
    host[len] = '\0';
    const char *suffix = ".localhost";
    size_t sl = strlen(suffix);
    if (!strcasecmp(host, "localhost") || (len > sl && !strcasecmp(host + len - sl, suffix)))
        return FP_HTTP_LOOPBACK;
    struct in_addr a;
    if (inet_pton(AF_INET, host, &a) != 1) /* only a dotted quad is an address */
        return 0;
    uint32_t ip = ntohl(a.s_addr);
    if ((ip >> 24) == 127)
        return FP_HTTP_LOOPBACK;
    if ((ip >> 24) == 10 || (ip & 0xfff00000u) == 0xac100000u || (ip & 0xffff0000u) == 0xc0a80000u)
        return FP_HTTP_PRIVATE;
    return 0;
}

static int has(const char *text, const char *what)
{
    return text && strstr(text, what) != NULL;
}

static fp_tls_failure verify_failure(long verify_result, const char *e)
{
    switch (verify_result) {
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
        return FP_TLS_UNKNOWN_AUTHORITY;
    case X509_V_ERR_CERT_HAS_EXPIRED:
        return FP_TLS_EXPIRED;
    case X509_V_ERR_CERT_NOT_YET_VALID:
        return FP_TLS_NOT_YET_VALID;
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
        return FP_TLS_HOSTNAME;
    default:
        break;
    }
    /* curl checks the host name itself and leaves the verify result at 0. */
    if (has(e, "subject name") || has(e, "does not match target host"))
        return FP_TLS_HOSTNAME;
    if (has(e, "self-signed") || has(e, "self signed") || has(e, "local issuer"))
        return FP_TLS_UNKNOWN_AUTHORITY;
    if (has(e, "expired"))
        return FP_TLS_EXPIRED;
    return FP_TLS_BAD_CERTIFICATE;
}

fp_tls_failure fp_tls_classify(int curl_code, long verify_result, const char *errbuf)
{
    switch (curl_code) {
    case CURLE_PEER_FAILED_VERIFICATION:
        return verify_failure(verify_result, errbuf);
    case CURLE_SSL_CONNECT_ERROR:
        /* OpenSSL reading "HTTP/1.1 400 ..." as a TLS record. */
        if (has(errbuf, "wrong version number") || has(errbuf, "packet length too long") ||
            has(errbuf, "unknown protocol"))
            return FP_TLS_PLAIN_HTTP;
        if (has(errbuf, "reset by peer") || has(errbuf, "SSL_ERROR_SYSCALL") || has(errbuf, "unexpected eof"))
            return FP_TLS_RESET;
        return FP_TLS_HANDSHAKE;
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
        return FP_TLS_BAD_CERTIFICATE;
    default:
        return FP_TLS_NONE;
    }
}

int fp_tls_means_plain_http(fp_tls_failure failure)
{
    return failure == FP_TLS_PLAIN_HTTP || failure == FP_TLS_RESET;
}
