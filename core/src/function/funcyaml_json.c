/* func.yaml subtrees to and from JSON (json-c). Plain YAML scalars that
 * read as null, bool or number become JSON ones; quoted ones stay strings. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include <yaml.h>

#include "function/funcyaml_internal.h"
#include "util/error.h"

enum { JSON_MAX_DEPTH = 64 };

/* -?(0|[1-9][0-9]*) : an integer JSON can carry as written. */
static int json_int_text(const char *s)
{
    if (*s == '-')
        s++;
    if (*s == '0')
        return s[1] == '\0';
    if (*s < '1' || *s > '9')
        return 0;
    return strspn(s, "0123456789") == strlen(s);
}

/* A JSON number with a fraction or exponent, as written. */
static int json_float_text(const char *s)
{
    if (*s == '-')
        s++;
    size_t digits = strspn(s, "0123456789");
    if (digits == 0 || (s[0] == '0' && digits > 1))
        return 0;
    s += digits;
    int frac = 0;
    if (*s == '.') {
        size_t f = strspn(s + 1, "0123456789");
        if (!f)
            return 0;
        s += 1 + f;
        frac = 1;
    }
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-')
            s++;
        size_t e = strspn(s, "0123456789");
        if (!e)
            return 0;
        s += e;
        frac = 1;
    }
    return frac && *s == '\0';
}

static json_object *scalar_to_json(const fy_node *node)
{
    if (node->style != YAML_PLAIN_SCALAR_STYLE || node->tag)
        return json_object_new_string_len(node->value, (int)node->len);
    if (fy_scalar_is_null(node))
        return NULL; /* json-c's null */
    int b = fy_bool_core(node->value);
    if (b >= 0)
        return json_object_new_boolean(b);
    if (json_int_text(node->value)) {
        errno = 0;
        long long v = strtoll(node->value, NULL, 10);
        if (!errno)
            return json_object_new_int64(v);
    }
    if (json_float_text(node->value)) {
        double d = strtod(node->value, NULL);
        return json_object_new_double_s(d, node->value);
    }
    return json_object_new_string_len(node->value, (int)node->len);
}

/* *ok is cleared on out of memory. */
static json_object *to_json(const fy_node *node, int *ok)
{
    if (node->kind == FY_SCALAR) {
        json_object *j = scalar_to_json(node);
        if (!j && !fy_scalar_is_null(node))
            *ok = 0;
        return j;
    }
    json_object *out = node->kind == FY_MAP ? json_object_new_object() : json_object_new_array();
    if (!out) {
        *ok = 0;
        return NULL;
    }
    for (size_t i = 0; *ok && i < node->n; i += node->kind == FY_MAP ? 2 : 1) {
        const fy_node *child = node->items[node->kind == FY_MAP ? i + 1 : i];
        json_object *j = to_json(child, ok);
        if (!*ok) {
            json_object_put(j);
            break;
        }
        int rc = node->kind == FY_MAP
                     ? json_object_object_add(out, node->items[i]->value, j)
                     : json_object_array_add(out, j);
        if (rc != 0) {
            json_object_put(j);
            *ok = 0;
        }
    }
    if (!*ok) {
        json_object_put(out);
        return NULL;
    }
    return out;
}

char *fp_funcyaml_json(const fp_funcyaml *doc, const char *path)
{
    const fy_node *node = fy_lookup(doc, path);
    if (!node)
        return NULL;
    int ok = 1;
    json_object *j = to_json(node, &ok);
    char *text = NULL;
    if (ok)
        text = strdup(j ? json_object_to_json_string_ext(
                              j, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)
                        : "null");
    json_object_put(j);
    if (!text)
        fp_error_set(FUNCP_ERROR, "out of memory");
    return text;
}

static fy_node *from_json(json_object *j, int depth)
{
    if (depth > JSON_MAX_DEPTH)
        return NULL;
    switch (json_object_get_type(j)) {
    case json_type_null:
        return fy_scalar_new("null", 4, YAML_PLAIN_SCALAR_STYLE);
    case json_type_boolean:
    case json_type_int:
    case json_type_double: {
        const char *text = json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN);
        return fy_scalar_new(text, strlen(text), YAML_PLAIN_SCALAR_STYLE);
    }
    case json_type_string:
        if (!fy_utf8_valid(json_object_get_string(j), (size_t)json_object_get_string_len(j)))
            return NULL;
        return fy_string_scalar(json_object_get_string(j));
    case json_type_array: {
        fy_node *seq = fy_node_new(FY_SEQ);
        size_t n = json_object_array_length(j);
        for (size_t i = 0; seq && i < n; i++) {
            fy_node *item = from_json(json_object_array_get_idx(j, i), depth + 1);
            if (!item || fy_node_push(seq, item) != FUNCP_OK) {
                fy_node_free(item);
                fy_node_free(seq);
                seq = NULL;
            }
        }
        return seq;
    }
    case json_type_object: {
        fy_node *map = fy_node_new(FY_MAP);
        json_object_object_foreach(j, key, val)
        {
            if (!map)
                break;
            fy_node *k = fy_utf8_valid(key, strlen(key)) ? fy_string_scalar(key) : NULL;
            fy_node *v = k ? from_json(val, depth + 1) : NULL;
            if (!v || fy_node_push(map, k) != FUNCP_OK) {
                fy_node_free(k);
                fy_node_free(v);
                fy_node_free(map);
                map = NULL;
            } else if (fy_node_push(map, v) != FUNCP_OK) {
                fy_node_free(v);
                fy_node_free(map);
                map = NULL;
            }
        }
        return map;
    }
    }
    return NULL;
}

int fp_funcyaml_set_json(fp_funcyaml *doc, const char *path, const char *json)
{
    if (!doc || !json)
        return fp_error_set(FUNCP_EUSAGE, "func.yaml path \"%s\": no JSON value",
                            path ? path : "");
    enum json_tokener_error jerr;
    json_object *j = json_tokener_parse_verbose(json, &jerr);
    if (jerr != json_tokener_success)
        return fp_error_set(FUNCP_EPARSE, "func.yaml path \"%s\": invalid JSON: %s",
                            path ? path : "", json_tokener_error_desc(jerr));
    fy_node *node = from_json(j, 0);
    json_object_put(j);
    if (!node)
        return fp_error_set(FUNCP_EUSAGE,
                            "func.yaml path \"%s\": JSON value is not valid UTF-8 or nests "
                            "too deep",
                            path ? path : "");
    return fy_put(doc, path, node, NULL);
}
