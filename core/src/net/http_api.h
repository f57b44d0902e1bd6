/* Plain HTTP(S) requests of the funcp-net module (funcp invoke). */
#ifndef FUNCP_NET_HTTP_API_H
#define FUNCP_NET_HTTP_API_H

#include <stddef.h>

#include "net/net_module.h"

typedef struct fp_http_request {
    size_t struct_size;
    const fp_net_hooks *hooks;
    const char *method;        /* GET, POST, ...                    */
    const char *url;
    const char *content_type;  /* NULL: none                        */
    const char *body;          /* NULL: empty                       */
    size_t body_len;
    const char *const *headers; /* extra "Name: value", NULL-terminated */
    int insecure;              /* skip TLS verification             */
    long timeout_ms;           /* 0: 30 s                           */
} fp_http_request;

typedef struct fp_http_response {
    long status;
    char *content_type;   /* malloc'ed or NULL */
    char *body;           /* malloc'ed, NUL-terminated */
    size_t body_len;
} fp_http_response;

typedef struct fp_http_api {
    size_t struct_size;
    /* FUNCP_ENETWORK when nothing answered; any HTTP status is a result. */
    int (*request)(const fp_http_request *req, fp_http_response *resp);
    void (*response_free)(fp_http_response *resp);
} fp_http_api;

#endif
