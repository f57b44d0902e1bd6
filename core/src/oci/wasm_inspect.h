/* What a .wasm file is, read from its own bytes: a core module (wasip1) or
 * a component (wasip2) and, for a component, the WIT names of its
 * top-level imports and exports ("wasi:http/incoming-handler@0.2.3"). */
#ifndef FUNCP_OCI_WASM_INSPECT_H
#define FUNCP_OCI_WASM_INSPECT_H

#include <stddef.h>
#include <stdint.h>

typedef struct fp_wasm_info {
    int is_component;   /* 0: core module                       */
    const char *os;     /* "wasip1" or "wasip2" (static string)  */
    char **imports;     /* malloc'ed names, n_imports of them    */
    size_t n_imports;
    char **exports;
    size_t n_exports;
} fp_wasm_info;

/* Inspect a buffer. FUNCP_EPARSE naming `what` and the byte offset when
 * the bytes are not WebAssembly or a section is malformed. */
int fp_wasm_inspect_buffer(const uint8_t *data, size_t len, const char *what, fp_wasm_info *info);
/* Inspect a file (reads its preamble, and section by section for a
 * component, never more than one section in memory). */
int fp_wasm_inspect_file(const char *path, fp_wasm_info *info);
void fp_wasm_info_free(fp_wasm_info *info);

#endif
