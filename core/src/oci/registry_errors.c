/* Errors that name the registry, the repository and the HTTP status, with
 * the registry's {"errors":[{"code","message","detail"}]} decoded. */
#include "oci/registry_internal.h"

#include <json-c/json.h>
#include <string.h>

#include "net/json_get.h"
#include "util/error.h"

static const char *reason(long status)
{
    switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 416: return "Range Not Satisfiable";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "";
    }
}

/* "CODE: message (detail); CODE2: ..." from an errors[] body. */
static void decode_errors(const char *body, size_t len, char *out, size_t size)
{
    out[0] = '\0';
    if (!body || !len || len > INT32_MAX)
        return;
    json_tokener *tok = json_tokener_new();
    json_object *root = tok ? json_tokener_parse_ex(tok, body, (int)len) : NULL;
    json_tokener_free(tok);
    json_object *errors;
    if (root && json_object_is_type(root, json_type_object) && json_object_object_get_ex(root, "errors", &errors) &&
        json_object_is_type(errors, json_type_array)) {
        size_t used = 0;
        for (size_t i = 0; i < json_object_array_length(errors) && i < 4; i++) {
            json_object *e = json_object_array_get_idx(errors, i), *v;
            const char *code = fp_json_string(e, "code"), *msg = fp_json_string(e, "message");
            char detail[256] = "";
            if (!json_object_is_type(e, json_type_object))
                continue;
            if (json_object_object_get_ex(e, "detail", &v) && !json_object_is_type(v, json_type_null))
                snprintf(detail, sizeof detail, " (%s)",
                         json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
            int n = snprintf(out + used, size - used, "%s%s: %s%s", used ? "; " : "", code ? code : "",
                             msg ? msg : "", detail);
            if (n < 0 || (size_t)n >= size - used)
                break;
            used += (size_t)n;
        }
    }
    json_object_put(root);
}

int fp_registry_fail(fp_registry *reg, const char *what, const fp_resp *resp)
{
    char decoded[1024];
    decode_errors(resp->body, resp->body_len, decoded, sizeof decoded);
    int code = FUNCP_ENETWORK;
    if (resp->status == 401 || resp->status == 403)
        code = FUNCP_EAUTH;
    else if (resp->status == 404)
        code = FUNCP_ENOTFOUND;
    const char *why = reason(resp->status);
    char tries[48] = "";
    if (resp->transient && resp->tries > 1)
        snprintf(tries, sizeof tries, " (gave up after %d tries)", resp->tries);
    return fp_error_set(code, "registry %s, repository %s: %s: HTTP %ld%s%s%s%s%s", reg->ref.registry,
                        reg->ref.repository, what, resp->status, *why ? " " : "", why, decoded[0] ? ": " : "",
                        decoded, tries);
}
