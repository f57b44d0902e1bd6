#include "util/buf.h"

#include <stdlib.h>
#include <string.h>

int fp_buf_append(fp_buf *b, const void *data, size_t n, size_t max)
{
    if (max && (n > max || b->len > max - n))
        return -1;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *grown = realloc(b->data, cap);
        if (!grown)
            return -1;
        b->data = grown;
        b->cap = cap;
    }
    if (n)
        memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}
