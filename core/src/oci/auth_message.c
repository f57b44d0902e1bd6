#include "oci/auth_message.h"

#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "net/json_get.h"

/* Copy printable text; servers' bodies end up on the user's terminal. */
static void copy_clean(const char *src, size_t len, char *out, size_t size)
{
    size_t n = 0;
    for (size_t i = 0; i < len && src[i] && src[i] != '\n' && n + 1 < size; i++)
        if ((unsigned char)src[i] >= 0x20 && src[i] != 0x7f)
            out[n++] = src[i];
    while (n > 0 && out[n - 1] == ' ')
        n--;
    out[n] = '\0';
}

static int from_json(const char *body, size_t len, char *out, size_t size)
{
    if (len > INT32_MAX)
        return 0;
    json_tokener *tok = json_tokener_new();
    json_object *root = tok ? json_tokener_parse_ex(tok, body, (int)len) : NULL;
    json_tokener_free(tok);
    const char *msg = NULL;
    json_object *errors;
    if (root && json_object_object_get_ex(root, "errors", &errors) && json_object_is_type(errors, json_type_array) &&
        json_object_array_length(errors) > 0)
        msg = fp_json_string(json_object_array_get_idx(errors, 0), "message");
    static const char *const keys[] = {"details", "error_description", "error", "message"};
    for (size_t i = 0; !msg && i < sizeof keys / sizeof keys[0]; i++)
        msg = fp_json_string(root, keys[i]);
    if (msg)
        copy_clean(msg, strlen(msg), out, size);
    json_object_put(root);
    return msg != NULL;
}

/* error_description="..." or error="..." from a Bearer challenge. */
static void from_challenge(const char *h, char *out, size_t size)
{
    static const char *const keys[] = {"error_description=\"", "error=\""};
    for (size_t k = 0; k < 2; k++) {
        const char *p = strstr(h, keys[k]);
        if (p) {
            p += strlen(keys[k]);
            copy_clean(p, strcspn(p, "\""), out, size);
            return;
        }
    }
}

void fp_auth_server_message(const char *body, size_t len, const char *www_authenticate, char *out, size_t size)
{
    out[0] = '\0';
    if (body && len) {
        size_t skip = strspn(body, " \t\r\n");
        if (skip < len && (body[skip] == '{' || body[skip] == '[')) {
            if (from_json(body, len, out, size) && out[0])
                return;
        } else if (skip < len && len < 1024 && strncasecmp(body + skip, "<", 1) != 0) {
            copy_clean(body + skip, len - skip, out, size); /* short plain text, not HTML */
            if (out[0])
                return;
        }
    }
    if (www_authenticate && *www_authenticate)
        from_challenge(www_authenticate, out, size);
}
