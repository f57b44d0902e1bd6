/* "did you mean" hints for misspelled top-level func.yaml keys: knative
 * func keeps unknown keys, so a typo (runtme:) is silent until the value
 * it should have set is found missing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "function/funcyaml_internal.h"

char *fp_funcyaml_typo_hints(const fp_funcyaml *doc, const char *file)
{
    const fy_node *root = doc ? doc->root : NULL;
    if (!root || root->kind != FY_MAP)
        return NULL;
    const fy_schema *top = fy_schema_root();
    char *out = NULL;
    size_t len = 0;
    for (size_t i = 0; i + 1 < root->n; i += 2) {
        const fy_node *key = root->items[i];
        if (!key || key->kind != FY_SCALAR || fy_schema_child(top, key->value))
            continue;
        const char *known = fy_schema_nearest_key(top, key->value, 2);
        if (!known)
            continue;
        int n = snprintf(NULL, 0, "%s:%zu:%zu: unknown key \"%s\"; did you mean \"%s\"?", file,
                         key->line, key->col, key->value, known);
        char *grown = n < 0 ? NULL : realloc(out, len + (size_t)n + 2);
        if (!grown) {
            free(out);
            return NULL;
        }
        out = grown;
        if (len)
            out[len++] = '\n';
        snprintf(out + len, (size_t)n + 1, "%s:%zu:%zu: unknown key \"%s\"; did you mean \"%s\"?",
                 file, key->line, key->col, key->value, known);
        len += (size_t)n;
    }
    return out;
}
