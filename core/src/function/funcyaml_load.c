/* Loading func.yaml: libyaml events into a node tree, then the schema
 * checks knative func would apply. Errors are "<file>:LINE:COL: what". */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "function/funcyaml_internal.h"
#include "util/error.h"
#include "util/fs.h"

enum {
    MAX_DEPTH = 200,           /* deeper than any func.yaml; bounds recursion */
    ALIAS_BUDGET = 100000,     /* nodes aliases may copy in total */
    MAX_FILE = 16 * 1024 * 1024
};

typedef struct {
    char *name;
    fy_node *node; /* owned by the tree */
} anchor;

typedef struct {
    yaml_parser_t parser;
    const char *file;
    const char *text;
    size_t len;
    anchor *anchors;
    size_t nanchors;
    size_t budget;
} loader;

static int at(const loader *l, yaml_mark_t mark, const char *what)
{
    return fp_error_set(FUNCP_EPARSE, "%s:%zu:%zu: %s", l->file, mark.line + 1, mark.column + 1,
                        what);
}

static int syntax_error(loader *l)
{
    if (l->parser.error == YAML_MEMORY_ERROR)
        return fp_error_set(FUNCP_ERROR, "%s: out of memory", l->file);
    yaml_mark_t mark = l->parser.problem_mark;
    if (l->parser.error == YAML_READER_ERROR) {
        /* The reader reports a byte offset, not a mark. */
        size_t off = l->parser.problem_offset < l->len ? l->parser.problem_offset : l->len;
        mark.line = mark.column = 0;
        for (size_t i = 0; i < off; i++) {
            if (l->text[i] == '\n')
                mark.line++, mark.column = 0;
            else
                mark.column++;
        }
    }
    return at(l, mark, l->parser.problem ? l->parser.problem : "syntax error");
}

static int next(loader *l, yaml_event_t *ev)
{
    if (!yaml_parser_parse(&l->parser, ev))
        return syntax_error(l);
    return FUNCP_OK;
}

static int parse_node(loader *l, yaml_event_t *ev, int depth, fy_node **out);

static fy_node *start_node(const yaml_event_t *ev, fy_kind kind, const yaml_char_t *tag)
{
    fy_node *node = kind == FY_SCALAR
                        ? fy_scalar_new((const char *)ev->data.scalar.value,
                                        ev->data.scalar.length, ev->data.scalar.style)
                        : fy_node_new(kind);
    if (!node)
        return NULL;
    if (kind == FY_SEQ)
        node->style = ev->data.sequence_start.style;
    else if (kind == FY_MAP)
        node->style = ev->data.mapping_start.style;
    node->line = ev->start_mark.line + 1;
    node->col = ev->start_mark.column + 1;
    node->end_line = ev->end_mark.line + 1;
    node->end_col = ev->end_mark.column + 1;
    if (tag && !(node->tag = strdup((const char *)tag))) {
        fy_node_free(node);
        return NULL;
    }
    return node;
}

static int parse_items(loader *l, fy_node *node, int depth)
{
    for (;;) {
        yaml_event_t ev;
        int rc = next(l, &ev);
        if (rc != FUNCP_OK)
            return rc;
        if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&ev);
            return FUNCP_OK;
        }
        yaml_mark_t mark = ev.start_mark;
        fy_node *child = NULL;
        rc = parse_node(l, &ev, depth + 1, &child);
        if (rc != FUNCP_OK)
            return rc;
        int is_key = node->kind == FY_MAP && node->n % 2 == 0;
        if (is_key && child->kind != FY_SCALAR) {
            fy_node_free(child);
            return at(l, mark, "mapping keys must be scalars");
        }
        long prev = is_key ? fy_map_find(node, child->value) : -1;
        if (prev >= 0) {
            char what[300];
            snprintf(what, sizeof what, "duplicate key \"%.200s\" (first at line %zu)",
                     child->value, node->items[prev]->line);
            fy_node_free(child);
            return at(l, mark, what);
        }
        if (fy_node_push(node, child) != FUNCP_OK) {
            fy_node_free(child);
            return FUNCP_ERROR;
        }
    }
}

static int remember_anchor(loader *l, const yaml_char_t *name, fy_node *node)
{
    anchor *grown = realloc(l->anchors, (l->nanchors + 1) * sizeof *grown);
    if (!grown)
        return fp_error_set(FUNCP_ERROR, "out of memory");
    l->anchors = grown;
    if (!(grown[l->nanchors].name = strdup((const char *)name)))
        return fp_error_set(FUNCP_ERROR, "out of memory");
    grown[l->nanchors++].node = node;
    return FUNCP_OK;
}

/* Aliases are expanded into copies: the model has no shared nodes, so a set
 * through one path never changes another. */
static int resolve_alias(loader *l, const yaml_event_t *ev, fy_node **out)
{
    const char *name = (const char *)ev->data.alias.anchor;
    for (size_t i = l->nanchors; i-- > 0;) {
        if (strcmp(l->anchors[i].name, name) != 0)
            continue;
        *out = fy_node_copy(l->anchors[i].node, &l->budget);
        if (*out)
            return FUNCP_OK;
        return l->budget ? fp_error_set(FUNCP_ERROR, "out of memory")
                         : at(l, ev->start_mark, "aliases expand to too many nodes");
    }
    char what[300];
    snprintf(what, sizeof what, "unknown anchor \"%.200s\"", name);
    return at(l, ev->start_mark, what);
}

/* Build the node that starts with *ev (consumed). */
static int parse_node(loader *l, yaml_event_t *ev, int depth, fy_node **out)
{
    int rc = FUNCP_OK;
    fy_node *node = NULL;
    const yaml_char_t *anchor_name = NULL;
    *out = NULL;
    if (depth > MAX_DEPTH) {
        rc = at(l, ev->start_mark, "nesting too deep");
        goto done;
    }
    switch (ev->type) {
    case YAML_ALIAS_EVENT:
        rc = resolve_alias(l, ev, &node);
        goto done;
    case YAML_SCALAR_EVENT:
        node = start_node(ev, FY_SCALAR, ev->data.scalar.tag);
        anchor_name = ev->data.scalar.anchor;
        break;
    case YAML_SEQUENCE_START_EVENT:
        node = start_node(ev, FY_SEQ, ev->data.sequence_start.tag);
        anchor_name = ev->data.sequence_start.anchor;
        break;
    case YAML_MAPPING_START_EVENT:
        node = start_node(ev, FY_MAP, ev->data.mapping_start.tag);
        anchor_name = ev->data.mapping_start.anchor;
        break;
    default:
        rc = at(l, ev->start_mark, "unexpected event");
        goto done;
    }
    if (!node) {
        rc = fp_error_set(FUNCP_ERROR, "out of memory");
        goto done;
    }
    if (node->kind != FY_SCALAR && (rc = parse_items(l, node, depth)) != FUNCP_OK)
        goto done;
    if (anchor_name)
        rc = remember_anchor(l, anchor_name, node);
done:
    yaml_event_delete(ev);
    if (rc != FUNCP_OK) {
        fy_node_free(node);
        return rc;
    }
    *out = node;
    return FUNCP_OK;
}

/* stream-start, at most one document, stream-end. */
static int parse_stream(loader *l, fy_node **root)
{
    yaml_event_t ev;
    int rc;
    *root = NULL;
    for (;;) {
        if ((rc = next(l, &ev)) != FUNCP_OK)
            break;
        yaml_event_type_t type = ev.type;
        yaml_mark_t mark = ev.start_mark;
        if (type == YAML_STREAM_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        if (type == YAML_DOCUMENT_START_EVENT && *root) {
            yaml_event_delete(&ev);
            rc = at(l, mark, "more than one YAML document");
            break;
        }
        if (type == YAML_STREAM_START_EVENT || type == YAML_DOCUMENT_START_EVENT ||
            type == YAML_DOCUMENT_END_EVENT) {
            yaml_event_delete(&ev);
            continue;
        }
        if ((rc = parse_node(l, &ev, 0, root)) != FUNCP_OK)
            break;
    }
    if (rc != FUNCP_OK) {
        fy_node_free(*root);
        *root = NULL;
    }
    return rc;
}

int fy_read_tree(const char *text, size_t len, const char *file, fy_node **root)
{
    loader l;
    memset(&l, 0, sizeof l);
    l.file = file;
    l.text = text;
    l.len = len;
    l.budget = ALIAS_BUDGET;
    *root = NULL;
    if (!yaml_parser_initialize(&l.parser))
        return fp_error_set(FUNCP_ERROR, "out of memory");
    yaml_parser_set_input_string(&l.parser, (const unsigned char *)text, len);
    int rc = parse_stream(&l, root);
    yaml_parser_delete(&l.parser);
    for (size_t i = 0; i < l.nanchors; i++)
        free(l.anchors[i].name);
    free(l.anchors);
    return rc;
}

static fp_funcyaml *parse(const char *text, size_t len, const char *name, int migrate)
{
    const char *file = name ? name : FP_FUNCYAML_FILE;
    fy_node *root = NULL;
    if (fy_read_tree(text, len, file, &root) != FUNCP_OK)
        return NULL;
    /* An empty file (or a lone null) is an empty function definition. */
    if (!root || fy_scalar_is_null(root)) {
        fy_node_free(root);
        if (!(root = fy_node_new(FY_MAP))) {
            fp_error_set(FUNCP_ERROR, "out of memory");
            return NULL;
        }
        root->line = root->col = 1;
    }
    fp_funcyaml *doc = calloc(1, sizeof *doc);
    if (!doc) {
        fy_node_free(root);
        fp_error_set(FUNCP_ERROR, "out of memory");
        return NULL;
    }
    doc->root = root;
    /* Comments first, while the tree is as the text has it; migrations
     * next: an old layout is not the current schema. */
    if (fy_comments_read(doc, text, len) != FUNCP_OK ||
        (migrate && fy_migrate(doc, file) != FUNCP_OK) ||
        fy_schema_check(fy_schema_root(), doc->root, "", file) != FUNCP_OK) {
        fp_funcyaml_free(doc);
        return NULL;
    }
    return doc;
}

fp_funcyaml *fp_funcyaml_parse(const char *text, size_t len, const char *name)
{
    return parse(text, len, name, 0);
}

fp_funcyaml *fp_funcyaml_parse_function(const char *text, size_t len, const char *name)
{
    return parse(text, len, name, 1);
}

fp_funcyaml *fp_funcyaml_load(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT || errno == ENOTDIR)
            fp_error_set(FUNCP_ENOTFOUND,
                         "%s: no such file (not a function directory? run \"funcp create\")",
                         path);
        else
            fp_error_set(FUNCP_EIO, "%s: %s", path, strerror(errno));
        return NULL;
    }
    char *buf = NULL;
    size_t len = 0;
    int err = fp_read_stream(f, MAX_FILE - 1, &buf, &len);
    fclose(f);
    fp_funcyaml *doc = NULL;
    if (err < 0)
        fp_error_set(FUNCP_EIO, "%s: %s", path, strerror(-err));
    else
        doc = fp_funcyaml_parse_function(buf, len, path);
    free(buf);
    return doc;
}
