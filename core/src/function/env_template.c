#include "function/env_template.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

int fp_env_template(const char *value, char *kind, size_t kind_size, char *rest, size_t rest_size)
{
    size_t n = value ? strlen(value) : 0;
    if (n < 4 || strncmp(value, "{{", 2) || strcmp(value + n - 2, "}}"))
        return 0;
    const char *p = value + 2, *end = value + n - 2;
    while (p < end && isspace((unsigned char)*p))
        p++;
    while (end > p && isspace((unsigned char)end[-1]))
        end--;
    const char *colon = memchr(p, ':', (size_t)(end - p));
    if (!colon)
        return 0;
    snprintf(kind, kind_size, "%.*s", (int)(colon - p), p);
    snprintf(rest, rest_size, "%.*s", (int)(end - colon - 1), colon + 1);
    return 1;
}
