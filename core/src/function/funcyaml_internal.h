/* Internals of the func.yaml model shared by the funcyaml_*.c files: the
 * node tree, scalar resolution, the schema and the path walker. */
#ifndef FUNCP_FUNCTION_FUNCYAML_INTERNAL_H
#define FUNCP_FUNCTION_FUNCYAML_INTERNAL_H

#include <stddef.h>

#include "function/funcyaml.h"

typedef enum { FY_SCALAR, FY_SEQ, FY_MAP } fy_kind;

/* A comment line kept from the source (text from '#', NULL for a blank
 * line) and its column: relative to the indentation of the line of the
 * node it precedes, or absolute (0-based) at the head and foot. */
typedef struct {
    char *text;
    int col;
} fy_comment;

/* Comments around a node: full lines before it (mapping keys and
 * sequence items) and one after it on its line (scalars). */
typedef struct {
    fy_comment *before;
    size_t n_before;
    char *trail;
    size_t trail_gap; /* blanks before the '#' */
} fy_notes;

/* One YAML node. A mapping keeps its pairs in source order as
 * items[2i] (key) and items[2i+1] (value); n counts slots, not pairs. */
typedef struct fy_node {
    fy_kind kind;
    int style;        /* yaml_scalar_style_t / yaml_sequence_style_t / yaml_mapping_style_t */
    char *tag;        /* explicit tag from the source, or NULL */
    char *value;      /* scalar text, NUL-terminated */
    size_t len;
    struct fy_node **items;
    size_t n, cap;
    size_t line, col; /* 1-based start, 0 when built in memory */
    size_t end_line, end_col; /* 1-based, where a scalar ends */
    fy_notes *notes;  /* comments, or NULL */
} fy_node;

struct fp_funcyaml {
    fy_node *root;
    int dirty;
    char *migrated_from; /* specVersion before migrations ran ("" none); NULL: none ran */
    fy_comment *head, *foot; /* comment lines before and after all content */
    size_t n_head, n_foot;
};

/* -- nodes (funcyaml_node.c) ------------------------------------------ */
fy_node *fy_node_new(fy_kind kind);
/* A scalar holding a copy of value[0..len). */
fy_node *fy_scalar_new(const char *value, size_t len, int style);
void fy_node_free(fy_node *node);
fy_node *fy_node_copy(const fy_node *node, size_t *budget);
/* Append one slot; 0 or FUNCP_ERROR on out of memory (item not taken). */
int fy_node_push(fy_node *parent, fy_node *item);
/* Index of the pair whose key is `key` (a scalar), or -1. */
long fy_map_find(const fy_node *map, const char *key);
size_t fy_node_count(const fy_node *node);
/* Remove slot i (and i+1 for mappings, where i is a pair index*2). */
void fy_node_remove_slots(fy_node *parent, size_t first, size_t count);
/* Take the pair at slot i (a pair index*2) out of a mapping, unfreed. */
void fy_map_detach(fy_node *map, size_t i, fy_node **key, fy_node **value);
/* Put a pair in at slot `at` (a pair index*2); takes both only on success. */
int fy_map_insert(fy_node *map, size_t at, fy_node *key, fy_node *value);
/* Deep equality of content and style (for the dirty flag). */
int fy_node_equal(const fy_node *a, const fy_node *b);

/* -- scalar resolution (funcyaml_scalar.c) ----------------------------- */
/* Plain scalar meaning null: "", "~", "null", "Null", "NULL". */
int fy_scalar_is_null(const fy_node *node);
/* 1/0 for YAML 1.2 core booleans (true/false, any case form), else -1. */
int fy_bool_core(const char *s);
/* 1/0 for any YAML 1.1 boolean (yes/no/on/off ...), else -1. */
int fy_bool_any(const char *s);
/* What a plain scalar with this text reads as. */
enum { FY_TEXT_STRING, FY_TEXT_NULL, FY_TEXT_BOOL, FY_TEXT_INT, FY_TEXT_FLOAT, FY_TEXT_OTHER };
int fy_text_kind(const char *s);
/* Would a plain scalar with this text read as something other than a
 * string (YAML 1.1 bool, null, int, float)? Such strings get quoted. */
int fy_text_is_ambiguous(const char *s);
/* Is s valid UTF-8 without NUL bytes? */
int fy_utf8_valid(const char *s, size_t len);
/* A new scalar for a string value: plain unless it would read as
 * something else, then double-quoted. */
fy_node *fy_string_scalar(const char *value);

/* -- schema (funcyaml_schema.c) ---------------------------------------- */
typedef struct fy_schema fy_schema;
const fy_schema *fy_schema_root(void);
/* Schema of child `key` (key != NULL) or of a sequence item; NULL = unknown. */
const fy_schema *fy_schema_child(const fy_schema *schema, const char *key);
/* The known key of mapping schema `schema` nearest to `key` (Levenshtein),
 * when at most max_dist edits away and not `key` itself; else NULL. */
const char *fy_schema_nearest_key(const fy_schema *schema, const char *key, size_t max_dist);
/* The known key nearest to `key`, however far; NULL for free-key maps. */
const char *fy_schema_closest_key(const fy_schema *schema, const char *key);
/* Does this mapping schema list its keys (not annotations-like "*")? */
int fy_schema_has_keys(const fy_schema *schema);
/* Check a subtree against its schema. On failure sets FUNCP_EPARSE (load,
 * `file` non-NULL: "file:L:C: what") or FUNCP_EUSAGE (set: "what") and
 * returns it. `where` is the display path of node ("" for the root). */
int fy_schema_check(const fy_schema *schema, const fy_node *node, const char *where,
                    const char *file);
/* Check a node about to be written where the schema wants `schema`,
 * including values set as text (bool fields accept true/false only). */
int fy_schema_kind_ok(const fy_schema *schema, fy_kind kind);
/* "a mapping", "a bool (true or false)", ... for messages. */
const char *fy_schema_type_name(const fy_schema *schema);
/* Scalar style to use for a value set as text at a schema position:
 * typed fields (bool, int) stay plain when the text fits. */
int fy_schema_wants_plain(const fy_schema *schema, const char *value);

/* Display path of a child of `where`: ".key", "[\"a.b\"]" or "[index]"
 * (key NULL); malloc'ed, NULL on out of memory. */
char *fy_where_child(const char *where, const char *key, size_t index);

/* -- migrations (funcyaml_migrate.c) ---------------------------------- */
/* Bring a tree read from an older specVersion to the current layout, as
 * knative func's migrations do, before the schema check. Sets
 * doc->migrated_from when any ran. FUNCP_EPARSE "file:L:C: ..." when an
 * old key cannot be migrated. */
int fy_migrate(fp_funcyaml *doc, const char *file);
/* Compare "X.Y.Z" versions (a pre-release sorts first): <0, 0, >0; sets
 * *ok to 0 for text that is not one. */
int fy_semver_cmp(const char *a, const char *b, int *ok);

/* -- reading (funcyaml_load.c) ------------------------------------------ */
/* The node tree of one YAML document; FUNCP_EPARSE "file:L:C: what". */
int fy_read_tree(const char *text, size_t len, const char *file, fy_node **root);

/* -- comments (funcyaml_comment_read.c, funcyaml_comment_write.c) -------- */
/* Find the comments (and blank lines) of `text`, whose tree is doc->root,
 * and hang them on the nodes they belong to. */
int fy_comments_read(fp_funcyaml *doc, const char *text, size_t len);
void fy_comments_free(fy_comment *lines, size_t n);
/* Length of the YAML line break at s[i] (\n, \r\n, \r, NEL, LS, PS), or 0:
 * lines are counted as libyaml counts them. */
size_t fy_line_break(const char *s, size_t i, size_t len);
void fy_notes_free(fy_notes *notes);
/* The document as text with its comments back in place. */
char *fy_emit_doc(const fp_funcyaml *doc);

/* The nodes of a tree in document order, with how each sits in its
 * parent: what comments attach to and what an emitted copy lines up with. */
enum { FY_ROLE_ROOT, FY_ROLE_KEY, FY_ROLE_VALUE, FY_ROLE_ITEM };
typedef struct {
    fy_node *node, *parent;
    size_t index; /* slot in parent */
    int role;
} fy_entry;
/* malloc'ed array of *n entries; NULL with *n 0 on out of memory. */
fy_entry *fy_flatten(fy_node *root, size_t *n);

/* -- emitting (funcyaml_emit.c) ---------------------------------------- */
char *fy_emit(const fy_node *root);

/* -- editing (funcyaml.c) ---------------------------------------------- */
/* Put `value` (owned, NULL to remove) at path; see fp_funcyaml_set. */
int fy_put(fp_funcyaml *doc, const char *path, fy_node *value, const char *text);
/* The node at path, or NULL; a malformed path sets FUNCP_EUSAGE. */
const fy_node *fy_lookup(const fp_funcyaml *doc, const char *path);

#endif
