/* Elements of a plugin's capability arrays (runtimes, builders, ...) may be
 * larger than this funcp's structs when the plugin was built against a newer
 * SDK (structs are append-only). Each element starts with its struct_size, so
 * the array is walked with the first element's size as the stride; the
 * loader checks that every element declares the same size. */
#ifndef FUNCP_PLUGIN_STRIDE_H
#define FUNCP_PLUGIN_STRIDE_H

#include <stddef.h>

static inline const void *fp_stride_at(const void *array, size_t index)
{
    size_t stride = *(const size_t *)array;
    return (const char *)array + index * stride;
}

#endif
