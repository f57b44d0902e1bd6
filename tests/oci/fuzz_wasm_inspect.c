/* libFuzzer target: the WebAssembly preamble/section reader. */
#include <stddef.h>
#include <stdint.h>

#include "oci/wasm_inspect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fp_wasm_info info;
    if (fp_wasm_inspect_buffer(data, size, "fuzz", &info) == 0) {
        if (!info.os)
            __builtin_trap();
        fp_wasm_info_free(&info);
    }
    return 0;
}
