/* Paths into a func.yaml tree: `a.b.c`, `a[0].b`, and quoted keys for
 * names holding dots or slashes: deploy.annotations["autoscaling.knative.dev/min"]. */
#ifndef FUNCP_FUNCTION_YAMLPATH_H
#define FUNCP_FUNCTION_YAMLPATH_H

#include <stddef.h>

typedef struct {
    char *key;      /* mapping key, or NULL for a sequence index */
    size_t index;
} fy_seg;

typedef struct {
    fy_seg *segs;
    size_t n;
} fy_path;

/* Parse `text` ("" is the root, zero segments). On a malformed path returns
 * FUNCP_EUSAGE with a message naming the path and what is wrong. */
int fy_path_parse(const char *text, fy_path *out);
void fy_path_free(fy_path *path);

#endif
