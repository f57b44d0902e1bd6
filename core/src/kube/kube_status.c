/* Kubernetes Status objects (and the plain-text bodies some paths answer)
 * into one clear message with a funcp_status. */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "kube/kube_client.h"
#include "net/json_get.h"
#include "util/error.h"

static int code_for(long status, const char *reason)
{
    if (status == 401 || status == 403)
        return FUNCP_EAUTH;
    if (status == 404)
        return FUNCP_ENOTFOUND;
    if (status == 409 && reason && strcmp(reason, "AlreadyExists") == 0)
        return FUNCP_EEXISTS;
    if (status == 400 || status == 409 || status == 415 || status == 422)
        return FUNCP_EDEPLOY;
    if (status == 429 || status >= 500)
        return FUNCP_ENETWORK;
    return FUNCP_ERROR;
}

/* Causes the message does not already spell out, "field: message; ...". */
static void append_causes(json_object *status, const char *message, char *buf, size_t size)
{
    json_object *details, *causes;
    buf[0] = '\0';
    if (!json_object_object_get_ex(status, "details", &details) ||
        !json_object_object_get_ex(details, "causes", &causes) ||
        !json_object_is_type(causes, json_type_array))
        return;
    size_t used = 0, n = json_object_array_length(causes);
    for (size_t i = 0; i < n; i++) {
        json_object *c = json_object_array_get_idx(causes, i);
        const char *m = fp_json_string(c, "message"), *f = fp_json_string(c, "field");
        if (!m || (message && strstr(message, m)))
            continue;
        int w = snprintf(buf + used, size - used, "%s%s%s%s", used ? "; " : " (",
                         f ? f : "", f ? ": " : "", m);
        if (w < 0 || (size_t)w >= size - used)
            break;
        used += (size_t)w;
    }
    if (used && used + 1 < size)
        strcat(buf, ")");
}

int fp_kube_status_error(long status, const char *body, const char *what)
{
    const char *pre = what && *what ? what : "";
    const char *sep = what && *what ? ": " : "";
    json_object *root = body ? json_tokener_parse(body) : NULL;
    const char *kind = fp_json_string(root, "kind");
    int rc;
    if (root && kind && strcmp(kind, "Status") == 0) {
        const char *message = fp_json_string(root, "message");
        const char *reason = fp_json_string(root, "reason");
        json_object *code_obj;
        if (status <= 0 && json_object_object_get_ex(root, "code", &code_obj))
            status = json_object_get_int(code_obj);
        char causes[1024];
        append_causes(root, message, causes, sizeof causes);
        if (message && *message)
            rc = fp_error_set(code_for(status, reason), "%s%s%s%s", pre, sep, message, causes);
        else
            rc = fp_error_set(code_for(status, reason), "%s%s%s (HTTP %ld)%s", pre, sep,
                              reason && *reason ? reason : "request failed", status, causes);
    } else if (status == 404) {
        /* A path nobody serves: the group/resource is not installed. */
        rc = fp_error_set(FUNCP_ENOTFOUND,
                          "%s%sthe API server does not serve this resource type (404 page not found): "
                          "is its CustomResourceDefinition installed?", pre, sep);
    } else {
        char first[201] = "";
        if (body) {
            size_t n = strcspn(body, "\r\n");
            if (n > 200)
                n = 200;
            memcpy(first, body, n);
            first[n] = '\0';
        }
        rc = fp_error_set(code_for(status, NULL), "%s%sHTTP %ld%s%s", pre, sep, status,
                          *first ? ": " : "", first);
    }
    json_object_put(root);
    return rc;
}
