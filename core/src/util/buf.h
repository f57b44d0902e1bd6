/* A growable byte buffer, always NUL-terminated once anything was added:
 * the one accumulator behind response bodies, captured output and emitted
 * YAML. */
#ifndef FUNCP_UTIL_BUF_H
#define FUNCP_UTIL_BUF_H

#include <stddef.h>

#include "util/api.h"

typedef struct fp_buf {
    char *data; /* malloc'ed; NULL until the first append */
    size_t len, cap;
} fp_buf;

/* Append `n` bytes (n may be 0: the buffer then exists and holds ""). -1,
 * leaving the buffer as it was, when len would pass `max` (0: no limit) or
 * memory runs out. Exported for the network module. */
FP_API int fp_buf_append(fp_buf *b, const void *data, size_t n, size_t max);

#endif
