/* libFuzzer target: the image reference parser. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "oci/reference.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char text[2048];
    if (size >= sizeof text)
        size = sizeof text - 1;
    memcpy(text, data, size);
    text[size] = '\0';
    fp_oci_ref ref;
    if (fp_oci_ref_parse(text, &ref) == 0) {
        char buf[1024];
        /* a parsed reference formats and parses back to itself */
        if (fp_oci_ref_format(&ref, buf, sizeof buf) == 0) {
            fp_oci_ref again;
            if (fp_oci_ref_parse(buf, &again) != 0 || strcmp(again.repository, ref.repository) != 0)
                __builtin_trap();
        }
    }
    return 0;
}
