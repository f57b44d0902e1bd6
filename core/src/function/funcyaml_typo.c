/* Keys func.yaml's schema does not know, at any depth: knative func keeps
 * them silently, so a typo (runtme:, envz:) goes unnoticed until the value
 * it should have set is found missing. Each is named with its place and
 * the nearest known key there. Subtrees under an unknown key, and maps of
 * free keys (annotations, builderImages, filters), are not looked into. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "function/funcyaml_internal.h"
#include "util/buf.h"

typedef struct {
    const char *file;
    int near_only; /* typo hints: only keys within 2 edits of a known one */
    fp_buf out;
    int oom;
} walk;

static void report(walk *w, const fy_node *key, const char *where, const fy_schema *schema)
{
    const char *near = fy_schema_nearest_key(schema, key->value, 2);
    const char *closest = near ? near : fy_schema_closest_key(schema, key->value);
    if (w->near_only && !near)
        return;
    char in[1024] = "";
    if (*where)
        snprintf(in, sizeof in, " in %s", where);
    char line[2048];
    int n;
    if (near)
        n = snprintf(line, sizeof line, "%s%s:%zu:%zu: unknown key \"%s\"%s; did you mean \"%s\"?",
                     w->out.len ? "\n" : "", w->file, key->line, key->col, key->value, in, near);
    else
        n = snprintf(line, sizeof line,
                     "%s%s:%zu:%zu: unknown key \"%s\"%s; the nearest known key is \"%s\"",
                     w->out.len ? "\n" : "", w->file, key->line, key->col, key->value, in,
                     closest ? closest : "?");
    if (n > 0 && fp_buf_append(&w->out, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1,
                               0) != 0)
        w->oom = 1;
}

static void visit(walk *w, const fy_node *node, const fy_schema *schema, const char *where)
{
    if (!schema || !node || node->kind == FY_SCALAR || !fy_schema_kind_ok(schema, node->kind))
        return;
    int free_keys = node->kind == FY_MAP && !fy_schema_has_keys(schema);
    for (size_t i = 0; i < node->n && !w->oom; i += node->kind == FY_MAP ? 2 : 1) {
        const char *key = node->kind == FY_MAP ? node->items[i]->value : NULL;
        const fy_node *child = node->kind == FY_MAP ? node->items[i + 1] : node->items[i];
        const fy_schema *sub = fy_schema_child(schema, key);
        if (!sub) {
            if (key && !free_keys)
                report(w, node->items[i], where, schema);
            continue;
        }
        char *path = fy_where_child(where, key, i);
        if (!path) {
            w->oom = 1;
            return;
        }
        visit(w, child, sub, path);
        free(path);
    }
}

static char *find(const fp_funcyaml *doc, const char *file, int near_only)
{
    if (!doc || !doc->root)
        return NULL;
    walk w = {file ? file : FP_FUNCYAML_FILE, near_only, {0}, 0};
    visit(&w, doc->root, fy_schema_root(), "");
    if (w.oom) {
        free(w.out.data);
        return NULL;
    }
    return w.out.data;
}

char *fp_funcyaml_unknown_keys(const fp_funcyaml *doc, const char *file)
{
    return find(doc, file, 0);
}

char *fp_funcyaml_typo_hints(const fp_funcyaml *doc, const char *file)
{
    return find(doc, file, 1);
}
