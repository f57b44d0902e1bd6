/* YAML text into a json-c tree with libyaml: kubeconfig files are YAML or
 * JSON, and a json-c tree is what the rest of the client walks. Scalars
 * stay strings; the reader interprets them per field. */
#include "kube/kubeconfig_yaml.h"

#include <string.h>

#include <yaml.h>

#include "util/error.h"

/* Aliases can nest (billion laughs) or refer to themselves: bound both. */
#define MAX_DEPTH 64
#define MAX_NODES 200000

typedef struct conv {
    yaml_document_t *doc;
    size_t nodes;
} conv;

static json_object *convert(conv *c, yaml_node_t *node, int depth)
{
    if (!node || depth > MAX_DEPTH || ++c->nodes > MAX_NODES)
        return NULL;
    switch (node->type) {
    case YAML_SCALAR_NODE: {
        /* A plain "~" or "null" is YAML's null: keep it absent. */
        const char *v = (const char *)node->data.scalar.value;
        size_t n = node->data.scalar.length;
        if (node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
            (n == 0 || (n == 1 && v[0] == '~') || (n == 4 && memcmp(v, "null", 4) == 0)))
            return json_object_new_null();
        return json_object_new_string_len(v, (int)n);
    }
    case YAML_SEQUENCE_NODE: {
        json_object *arr = json_object_new_array();
        for (yaml_node_item_t *it = node->data.sequence.items.start;
             it < node->data.sequence.items.top; it++) {
            json_object *v = convert(c, yaml_document_get_node(c->doc, *it), depth + 1);
            if (!v) {
                json_object_put(arr);
                return NULL;
            }
            json_object_array_add(arr, json_object_is_type(v, json_type_null) ? NULL : v);
            if (json_object_is_type(v, json_type_null))
                json_object_put(v);
        }
        return arr;
    }
    case YAML_MAPPING_NODE: {
        json_object *obj = json_object_new_object();
        for (yaml_node_pair_t *p = node->data.mapping.pairs.start;
             p < node->data.mapping.pairs.top; p++) {
            yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
            if (!k || k->type != YAML_SCALAR_NODE)
                continue; /* complex keys mean nothing in a kubeconfig */
            json_object *v = convert(c, yaml_document_get_node(c->doc, p->value), depth + 1);
            if (!v) {
                json_object_put(obj);
                return NULL;
            }
            if (json_object_is_type(v, json_type_null)) {
                json_object_put(v);
                continue;
            }
            char key[256];
            size_t kl = k->data.scalar.length < sizeof key - 1 ? k->data.scalar.length : sizeof key - 1;
            memcpy(key, k->data.scalar.value, kl);
            key[kl] = '\0';
            json_object_object_add(obj, key, v);
        }
        return obj;
    }
    default:
        return json_object_new_null();
    }
}

int fp_yaml_to_json(const char *data, size_t len, const char *file, json_object **out)
{
    *out = NULL;
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser))
        return fp_error_set(FUNCP_ERROR, "out of memory reading %s", file);
    yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
    if (!yaml_parser_load(&parser, &doc)) {
        int rc = fp_error_set(FUNCP_EPARSE, "%s:%lu:%lu: %s", file,
                              (unsigned long)parser.problem_mark.line + 1,
                              (unsigned long)parser.problem_mark.column + 1,
                              parser.problem ? parser.problem : "invalid YAML");
        yaml_parser_delete(&parser);
        return rc;
    }
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    int rc = FUNCP_OK;
    if (root) {
        conv c = {&doc, 0};
        *out = convert(&c, root, 0);
        if (!*out)
            rc = fp_error_set(FUNCP_EPARSE, "%s: YAML nests too deeply or expands too far", file);
        else if (!json_object_is_type(*out, json_type_object)) {
            json_object_put(*out);
            *out = NULL;
            rc = fp_error_set(FUNCP_EPARSE, "%s: a kubeconfig must be a mapping", file);
        }
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return rc;
}
