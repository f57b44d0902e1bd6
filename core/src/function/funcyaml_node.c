/* The func.yaml node tree: allocation, copying, lookup. */
#include <stdlib.h>
#include <string.h>

#include "function/funcyaml_internal.h"
#include "util/error.h"

fy_node *fy_node_new(fy_kind kind)
{
    fy_node *node = calloc(1, sizeof *node);
    if (node)
        node->kind = kind;
    return node;
}

fy_node *fy_scalar_new(const char *value, size_t len, int style)
{
    fy_node *node = fy_node_new(FY_SCALAR);
    if (!node)
        return NULL;
    node->value = malloc(len + 1);
    if (!node->value) {
        free(node);
        return NULL;
    }
    memcpy(node->value, value, len);
    node->value[len] = '\0';
    node->len = len;
    node->style = style;
    return node;
}

void fy_node_free(fy_node *node)
{
    if (!node)
        return;
    for (size_t i = 0; i < node->n; i++)
        fy_node_free(node->items[i]);
    free(node->items);
    free(node->value);
    free(node->tag);
    fy_notes_free(node->notes);
    free(node);
}

/* Pre-order: a mapping's key, then its value's subtree. */
static int flatten(fy_node *node, fy_node *parent, size_t index, int role, fy_entry **out,
                   size_t *n, size_t *cap)
{
    if (*n == *cap) {
        size_t grown_cap = *cap ? *cap * 2 : 64;
        fy_entry *grown = realloc(*out, grown_cap * sizeof *grown);
        if (!grown)
            return -1;
        *out = grown;
        *cap = grown_cap;
    }
    (*out)[(*n)++] = (fy_entry){node, parent, index, role};
    for (size_t i = 0; i < node->n; i++) {
        int r = node->kind == FY_SEQ ? FY_ROLE_ITEM : i % 2 ? FY_ROLE_VALUE : FY_ROLE_KEY;
        if (flatten(node->items[i], node, i, r, out, n, cap) != 0)
            return -1;
    }
    return 0;
}

fy_entry *fy_flatten(fy_node *root, size_t *n)
{
    fy_entry *out = NULL;
    size_t cap = 0;
    *n = 0;
    if (root && flatten(root, NULL, 0, FY_ROLE_ROOT, &out, n, &cap) != 0) {
        free(out);
        out = NULL;
        *n = 0;
    }
    return out;
}

/* *budget counts the nodes a copy may still create, so aliases cannot
 * blow a small file up into gigabytes ("billion laughs"). */
fy_node *fy_node_copy(const fy_node *node, size_t *budget)
{
    if (*budget == 0)
        return NULL;
    (*budget)--;
    fy_node *copy = node->kind == FY_SCALAR ? fy_scalar_new(node->value, node->len, node->style)
                                            : fy_node_new(node->kind);
    if (!copy)
        return NULL;
    copy->style = node->style;
    copy->line = node->line;
    copy->col = node->col;
    /* No end: a copy is not in the text, no trailing comment is its. */
    if (node->tag && !(copy->tag = strdup(node->tag)))
        goto fail;
    for (size_t i = 0; i < node->n; i++) {
        fy_node *item = fy_node_copy(node->items[i], budget);
        if (!item || fy_node_push(copy, item) != FUNCP_OK) {
            fy_node_free(item);
            goto fail;
        }
    }
    return copy;
fail:
    fy_node_free(copy);
    return NULL;
}

int fy_node_push(fy_node *parent, fy_node *item)
{
    if (parent->n == parent->cap) {
        size_t cap = parent->cap ? parent->cap * 2 : 8;
        fy_node **grown = realloc(parent->items, cap * sizeof *grown);
        if (!grown)
            return fp_error_set(FUNCP_ERROR, "out of memory");
        parent->items = grown;
        parent->cap = cap;
    }
    parent->items[parent->n++] = item;
    return FUNCP_OK;
}

long fy_map_find(const fy_node *map, const char *key)
{
    if (!map || map->kind != FY_MAP)
        return -1;
    for (size_t i = 0; i + 1 < map->n; i += 2) {
        const fy_node *k = map->items[i];
        if (k->kind == FY_SCALAR && strcmp(k->value, key) == 0)
            return (long)i;
    }
    return -1;
}

size_t fy_node_count(const fy_node *node)
{
    if (!node)
        return 0;
    if (node->kind == FY_MAP)
        return node->n / 2;
    if (node->kind == FY_SEQ)
        return node->n;
    return 0;
}

void fy_node_remove_slots(fy_node *parent, size_t first, size_t count)
{
    for (size_t i = first; i < first + count; i++)
        fy_node_free(parent->items[i]);
    memmove(parent->items + first, parent->items + first + count,
            (parent->n - first - count) * sizeof *parent->items);
    parent->n -= count;
}

int fy_node_equal(const fy_node *a, const fy_node *b)
{
    if (a->kind != b->kind || a->style != b->style || a->n != b->n)
        return 0;
    if ((a->tag == NULL) != (b->tag == NULL) || (a->tag && strcmp(a->tag, b->tag) != 0))
        return 0;
    if (a->kind == FY_SCALAR)
        return a->len == b->len && memcmp(a->value, b->value, a->len) == 0;
    for (size_t i = 0; i < a->n; i++)
        if (!fy_node_equal(a->items[i], b->items[i]))
            return 0;
    return 1;
}

void fy_map_detach(fy_node *map, size_t i, fy_node **key, fy_node **value)
{
    *key = map->items[i];
    *value = map->items[i + 1];
    memmove(map->items + i, map->items + i + 2, (map->n - i - 2) * sizeof *map->items);
    map->n -= 2;
}

int fy_map_insert(fy_node *map, size_t at, fy_node *key, fy_node *value)
{
    if (fy_node_push(map, key) != FUNCP_OK)
        return FUNCP_ERROR;
    if (fy_node_push(map, value) != FUNCP_OK) {
        map->n--;
        return FUNCP_ERROR;
    }
    memmove(map->items + at + 2, map->items + at, (map->n - at - 2) * sizeof *map->items);
    map->items[at] = key;
    map->items[at + 1] = value;
    return FUNCP_OK;
}
