/* libFuzzer target: docker/containers auth file documents. */
#include <stddef.h>
#include <stdint.h>

#include "oci/auth_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fp_credentials creds;
    char helper[64];
    static const char *const hosts[] = {"docker.io", "reg.example:5000", "a"};
    for (size_t i = 0; i < 3; i++) {
        int rc = fp_auth_config_parse((const char *)data, size, "fuzz", hosts[i], &creds, helper);
        if (rc == 2 && !helper[0])
            __builtin_trap();
    }
    return 0;
}
