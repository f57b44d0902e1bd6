/* libFuzzer target: the WWW-Authenticate parser. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "oci/www_authenticate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    fp_auth_challenge c;
    if (fp_www_authenticate_parse(text, &c) == 0 && c.scheme == FP_AUTH_BEARER && !c.realm[0])
        __builtin_trap(); /* a Bearer challenge is only accepted with a realm */
    free(text);
    return 0;
}
