/* func.yaml: reading and editing the node tree by path. Loading, the
 * schema, emitting, saving and JSON live in the funcyaml_*.c files. */
#include "function/funcyaml.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "function/funcyaml_internal.h"
#include "function/yamlpath.h"
#include "util/error.h"

fp_funcyaml *fp_funcyaml_new(void)
{
    fp_funcyaml *doc = calloc(1, sizeof *doc);
    if (doc && !(doc->root = fy_node_new(FY_MAP))) {
        free(doc);
        doc = NULL;
    }
    if (!doc)
        fp_error_set(FUNCP_ERROR, "out of memory");
    return doc;
}

void fp_funcyaml_free(fp_funcyaml *doc)
{
    if (!doc)
        return;
    fy_node_free(doc->root);
    free(doc->migrated_from);
    fy_comments_free(doc->head, doc->n_head);
    fy_comments_free(doc->foot, doc->n_foot);
    free(doc);
}

char *fp_funcyaml_dump(const fp_funcyaml *doc) { return fy_emit_doc(doc); }

int fp_funcyaml_dirty(const fp_funcyaml *doc) { return doc && doc->dirty; }

static const fy_node *child_of(const fy_node *node, const fy_seg *seg)
{
    if (seg->key) {
        long k = fy_map_find(node, seg->key);
        return k >= 0 ? node->items[k + 1] : NULL;
    }
    if (node->kind == FY_SEQ && seg->index < node->n)
        return node->items[seg->index];
    return NULL;
}

const fy_node *fy_lookup(const fp_funcyaml *doc, const char *path)
{
    fy_path p;
    if (!doc || fy_path_parse(path, &p) != FUNCP_OK)
        return NULL;
    const fy_node *node = doc->root;
    for (size_t i = 0; node && i < p.n; i++)
        node = child_of(node, &p.segs[i]);
    fy_path_free(&p);
    return node;
}

const char *fp_funcyaml_get(const fp_funcyaml *doc, const char *path)
{
    const fy_node *node = fy_lookup(doc, path);
    if (!node || node->kind != FY_SCALAR || fy_scalar_is_null(node))
        return NULL;
    return node->value;
}

size_t fp_funcyaml_count(const fp_funcyaml *doc, const char *path)
{
    return fy_node_count(fy_lookup(doc, path));
}

const char *fp_funcyaml_key(const fp_funcyaml *doc, const char *path, size_t index)
{
    const fy_node *node = fy_lookup(doc, path);
    if (!node || node->kind != FY_MAP || index >= node->n / 2)
        return NULL;
    return node->items[index * 2]->value;
}

/* Display form of the first n segments ("" for the root). */
static char *prefix(const fy_path *p, size_t n)
{
    char *where = strdup("");
    for (size_t i = 0; where && i < n; i++) {
        char *next = fy_where_child(where, p->segs[i].key, p->segs[i].index);
        free(where);
        where = next;
    }
    return where;
}

static int path_error(const char *path, const fy_path *p, size_t n, const char *what)
{
    char *where = prefix(p, n);
    fp_error_set(FUNCP_EUSAGE, "func.yaml path \"%s\": %s %s", path,
                 where && *where ? where : "the top level", what);
    free(where);
    return FUNCP_EUSAGE;
}

static const char *kind_name(fy_kind kind)
{
    return kind == FY_MAP ? "a mapping" : kind == FY_SEQ ? "a sequence" : "a scalar";
}

/* The schema along the path must allow a mapping or sequence where the
 * path goes through one, and the value at its end. */
static int check_schema(const char *path, const fy_path *p, const fy_node *value)
{
    const fy_schema *schema = fy_schema_root();
    for (size_t i = 0; schema && i < p->n; i++) {
        fy_kind want = p->segs[i].key ? FY_MAP : FY_SEQ;
        if (!fy_schema_kind_ok(schema, want)) {
            char what[128];
            snprintf(what, sizeof what, "must be %s, not %s", fy_schema_type_name(schema),
                     kind_name(want));
            return path_error(path, p, i, what);
        }
        schema = fy_schema_child(schema, p->segs[i].key);
    }
    if (!value || !schema)
        return FUNCP_OK;
    char *where = prefix(p, p->n);
    if (!where)
        return fp_error_set(FUNCP_ERROR, "out of memory");
    int rc = fy_schema_check(schema, value, where, NULL);
    free(where);
    if (rc != FUNCP_OK)
        fp_error_wrap("func.yaml path \"%s\"", path);
    return rc;
}

static fy_node *container_for(const fy_seg *next)
{
    return fy_node_new(next->key ? FY_MAP : FY_SEQ);
}

/* Insert key/value (key NULL: append to a sequence); takes value. */
static int insert(fy_node *parent, const char *key, fy_node *value)
{
    if (key) {
        fy_node *k = fy_string_scalar(key);
        if (!k || fy_node_push(parent, k) != FUNCP_OK) {
            fy_node_free(k);
            fy_node_free(value);
            return fp_error_set(FUNCP_ERROR, "out of memory");
        }
    }
    if (fy_node_push(parent, value) != FUNCP_OK) {
        fy_node_free(value);
        if (key)
            fy_node_remove_slots(parent, parent->n - 1, 1);
        return fp_error_set(FUNCP_ERROR, "out of memory");
    }
    return FUNCP_OK;
}

/* Replace an existing node. For a value set as text: a quoted scalar stays
 * quoted, and a plain bool or number replaced by one of the same kind stays
 * plain (an unknown key the user typed as a number stays one). */
static void replace(fp_funcyaml *doc, fy_node **slot, fy_node *value, int from_text)
{
    fy_node *old = *slot;
    if (from_text && old->kind == FY_SCALAR && value->kind == FY_SCALAR &&
        value->style == YAML_PLAIN_SCALAR_STYLE && old->style != YAML_PLAIN_SCALAR_STYLE &&
        old->style != YAML_ANY_SCALAR_STYLE && !fy_scalar_is_null(old))
        value->style = old->style;
    if (from_text && old->kind == FY_SCALAR && value->kind == FY_SCALAR &&
        old->style == YAML_PLAIN_SCALAR_STYLE && !old->tag &&
        value->style != YAML_PLAIN_SCALAR_STYLE) {
        int kind = fy_text_kind(value->value);
        if ((kind == FY_TEXT_BOOL || kind == FY_TEXT_INT || kind == FY_TEXT_FLOAT) &&
            kind == fy_text_kind(old->value))
            value->style = YAML_PLAIN_SCALAR_STYLE;
    }
    if (fy_node_equal(old, value)) {
        fy_node_free(value);
        return;
    }
    fy_node_free(old);
    *slot = value;
    doc->dirty = 1;
}

/* Walk the path; with dry set, only find what would fail. *value is
 * consumed (set to NULL) when it was put in the tree. NULL removes. */
static int walk(fp_funcyaml *doc, const char *path, const fy_path *p, fy_node **value,
                int from_text, int dry)
{
    fy_node *cur = doc->root; /* NULL in a dry run: a container yet to be made */
    for (size_t i = 0; i < p->n; i++) {
        const fy_seg *seg = &p->segs[i];
        int last = i + 1 == p->n;
        fy_kind want = seg->key ? FY_MAP : FY_SEQ;
        if (cur && cur->kind != want) {
            if (!*value)
                return FUNCP_OK; /* nothing there to remove */
            char what[64];
            snprintf(what, sizeof what, "is %s, not %s", kind_name(cur->kind), kind_name(want));
            return path_error(path, p, i, what);
        }
        size_t have = cur ? cur->n : 0;
        long slot = -1;
        if (seg->key) {
            long k = cur ? fy_map_find(cur, seg->key) : -1;
            slot = k >= 0 ? k + 1 : -1;
        } else if (seg->index < have) {
            slot = (long)seg->index;
        } else if (seg->index > have) {
            if (!*value)
                return FUNCP_OK;
            char what[128];
            snprintf(what, sizeof what, "has %zu items; index %zu is past its end", have,
                     seg->index);
            return path_error(path, p, i, what);
        }
        if (slot < 0 && !*value)
            return FUNCP_OK;
        if (dry && (slot < 0 || !cur)) {
            cur = NULL;
            continue;
        }
        if (last) {
            if (dry)
                return FUNCP_OK;
            if (!*value) {
                if (seg->key)
                    fy_node_remove_slots(cur, (size_t)slot - 1, 2);
                else
                    fy_node_remove_slots(cur, (size_t)slot, 1);
                doc->dirty = 1;
                return FUNCP_OK;
            }
            fy_node *v = *value;
            *value = NULL;
            if (slot >= 0) {
                replace(doc, &cur->items[slot], v, from_text);
                return FUNCP_OK;
            }
            doc->dirty = 1;
            return insert(cur, seg->key, v);
        }
        fy_node *child = slot >= 0 ? cur->items[slot] : NULL;
        if (child && !(fy_scalar_is_null(child) && *value)) {
            cur = child;
            continue;
        }
        if (dry) {
            cur = NULL;
            continue;
        }
        /* Absent, or null to be filled: make the container on the way. */
        fy_node *made = container_for(&p->segs[i + 1]);
        if (!made)
            return fp_error_set(FUNCP_ERROR, "out of memory");
        doc->dirty = 1;
        if (child) {
            fy_node_free(child);
            cur->items[slot] = made;
        } else if (insert(cur, seg->key, made) != FUNCP_OK) {
            return FUNCP_ERROR;
        }
        cur = made;
    }
    return FUNCP_OK;
}

int fy_put(fp_funcyaml *doc, const char *path, fy_node *value, const char *text)
{
    fy_path p;
    int rc = fy_path_parse(path, &p);
    if (rc != FUNCP_OK) {
        fy_node_free(value);
        return rc;
    }
    if (p.n == 0) {
        /* The whole document: only a mapping may replace it. */
        if (!value || value->kind != FY_MAP) {
            rc = fp_error_set(FUNCP_EUSAGE, "func.yaml path \"\": the top level must stay a "
                                            "mapping");
        } else if ((rc = check_schema(path, &p, value)) == FUNCP_OK) {
            replace(doc, &doc->root, value, 0);
            value = NULL;
        }
    } else if ((rc = check_schema(path, &p, value)) == FUNCP_OK &&
               (rc = walk(doc, path, &p, &value, text != NULL, 1)) == FUNCP_OK) {
        rc = walk(doc, path, &p, &value, text != NULL, 0);
    }
    fy_node_free(value);
    fy_path_free(&p);
    return rc;
}

/* The schema position of a path, for the style of a value set as text. */
static const fy_schema *schema_at(const char *path)
{
    fy_path p;
    if (fy_path_parse(path, &p) != FUNCP_OK)
        return NULL;
    const fy_schema *schema = fy_schema_root();
    for (size_t i = 0; schema && i < p.n; i++)
        schema = fy_schema_child(schema, p.segs[i].key);
    fy_path_free(&p);
    return schema;
}

int fp_funcyaml_set(fp_funcyaml *doc, const char *path, const char *value)
{
    if (!doc)
        return fp_error_set(FUNCP_EUSAGE, "func.yaml: no document");
    if (!value)
        return fy_put(doc, path, NULL, NULL);
    if (!fy_utf8_valid(value, strlen(value)))
        return fp_error_set(FUNCP_EUSAGE, "func.yaml path \"%s\": value is not valid UTF-8",
                            path ? path : "");
    fy_node *node = fy_schema_wants_plain(schema_at(path), value)
                        ? fy_scalar_new(value, strlen(value), YAML_PLAIN_SCALAR_STYLE)
                        : fy_string_scalar(value);
    if (!node)
        return fp_error_set(FUNCP_ERROR, "out of memory");
    return fy_put(doc, path, node, value);
}

int fp_funcyaml_remove(fp_funcyaml *doc, const char *path)
{
    if (!doc)
        return fp_error_set(FUNCP_EUSAGE, "func.yaml: no document");
    return fy_put(doc, path, NULL, NULL);
}
