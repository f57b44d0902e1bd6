/* How the registry client picks HTTPS or plain HTTP, and how it explains a
 * failed TLS handshake. Pure functions: no DNS lookup, no request. */
#ifndef FUNCP_OCI_REGISTRY_TLS_H
#define FUNCP_OCI_REGISTRY_TLS_H

enum { FP_HTTP_LOOPBACK = 1, FP_HTTP_PRIVATE = 2 };

/* Non-zero when `registry` ("host", "host:port", "[v6]:port") may fall back
 * to plain HTTP without being listed as insecure, when its port turns out
 * to speak plain HTTP. go-containerregistry's name.Registry.Scheme() rule,
 * which knative func pushes with: localhost, *.localhost, 127.0.0.1, ::1
 * and the RFC 1918 private ranges (10/8, 172.16/12, 192.168/16); widened to
 * docker's 127.0.0.0/8. A host name is judged as written, never resolved:
 * "localhost.example.com" and "127.0.0.1.nip.io" are not local.
 * FP_HTTP_LOOPBACK for this machine, FP_HTTP_PRIVATE for RFC 1918. */
int fp_registry_http_capable(const char *registry);

/* What a failed HTTPS request says about the server. */
typedef enum fp_tls_failure {
    FP_TLS_NONE = 0,          /* not a TLS failure                           */
    FP_TLS_PLAIN_HTTP,        /* the port answered plain HTTP                */
    FP_TLS_RESET,             /* connection dropped during the handshake     */
    FP_TLS_UNKNOWN_AUTHORITY, /* self-signed, or signed by a CA not trusted  */
    FP_TLS_HOSTNAME,          /* certificate issued for another name         */
    FP_TLS_EXPIRED,
    FP_TLS_NOT_YET_VALID,
    FP_TLS_BAD_CERTIFICATE,   /* another verification failure                */
    FP_TLS_HANDSHAKE          /* handshake failed for another reason         */
} fp_tls_failure;

/* Classify a failed transfer from its CURLcode, OpenSSL's verify result
 * (CURLINFO_SSL_VERIFYRESULT) and curl's error text. */
fp_tls_failure fp_tls_classify(int curl_code, long verify_result, const char *errbuf);

/* True for failures that mean "this port speaks plain HTTP", the only
 * ones after which a registry that allows it is retried over HTTP: never a
 * certificate problem or an HTTP answer (a 401 stays a 401). */
int fp_tls_means_plain_http(fp_tls_failure failure);

#endif
