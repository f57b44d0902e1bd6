/* How plain scalars read: null, booleans, numbers (YAML 1.1 and 1.2), so
 * strings that would read as something else are quoted on output. */
#include <regex.h>
#include <string.h>
#include <yaml.h>

#include "function/funcyaml_internal.h"

/* The YAML 1.1 resolver patterns (plus 1.2's 0o octal), by what a plain
 * scalar matching them reads as. */
static const char *const PATTERNS[] = {
    [FY_TEXT_NULL] = "^(~|null|Null|NULL)$",
    [FY_TEXT_BOOL] = "^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE"
                     "|on|On|ON|off|Off|OFF)$",
    [FY_TEXT_INT] = "^([-+]?0b[01_]+|[-+]?0o[0-7]+|[-+]?0x[0-9a-fA-F_]+|[-+]?[0-9][0-9_]*"
                    "|[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+)$",
    [FY_TEXT_FLOAT] = "^([-+]?([0-9][0-9_]*)?\\.[0-9_]*([eE][-+]?[0-9]+)?"
                      "|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+"
                      "|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\\.[0-9_]*"
                      "|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN))$",
    [FY_TEXT_OTHER] = "^(<<|=)$",
};

int fy_text_kind(const char *s)
{
    if (!*s)
        return FY_TEXT_NULL;
    for (int kind = FY_TEXT_NULL; kind <= FY_TEXT_OTHER; kind++) {
        regex_t re;
        if (regcomp(&re, PATTERNS[kind], REG_EXTENDED | REG_NOSUB) != 0)
            return FY_TEXT_OTHER; /* quoting is always safe */
        int match = regexec(&re, s, 0, NULL, 0) == 0;
        regfree(&re);
        if (match)
            return kind;
    }
    return FY_TEXT_STRING;
}

int fy_scalar_is_null(const fy_node *node)
{
    if (!node || node->kind != FY_SCALAR || node->style != YAML_PLAIN_SCALAR_STYLE || node->tag)
        return 0;
    const char *s = node->value;
    return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
           !strcmp(s, "NULL");
}

int fy_bool_core(const char *s)
{
    if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE"))
        return 1;
    if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE"))
        return 0;
    return -1;
}

int fy_bool_any(const char *s)
{
    static const char *const yes[] = {"y", "Y", "yes", "Yes", "YES", "on", "On", "ON"};
    static const char *const no[] = {"n", "N", "no", "No", "NO", "off", "Off", "OFF"};
    int core = fy_bool_core(s);
    if (core >= 0)
        return core;
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
        if (!strcmp(s, yes[i]))
            return 1;
        if (!strcmp(s, no[i]))
            return 0;
    }
    return -1;
}

int fy_text_is_ambiguous(const char *s) { return fy_text_kind(s) != FY_TEXT_STRING; }

int fy_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        unsigned c = *p++;
        size_t more;
        unsigned min;
        if (c == 0)
            return 0;
        if (c < 0x80)
            continue;
        if ((c & 0xE0) == 0xC0) {
            more = 1, min = 0x80, c &= 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            more = 2, min = 0x800, c &= 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            more = 3, min = 0x10000, c &= 0x07;
        } else {
            return 0;
        }
        if ((size_t)(end - p) < more)
            return 0;
        for (size_t i = 0; i < more; i++, p++) {
            if ((*p & 0xC0) != 0x80)
                return 0;
            c = (c << 6) | (*p & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
            return 0;
    }
    return 1;
}

fy_node *fy_string_scalar(const char *value)
{
    int style = fy_text_is_ambiguous(value) ? YAML_DOUBLE_QUOTED_SCALAR_STYLE
                                            : YAML_PLAIN_SCALAR_STYLE;
    return fy_scalar_new(value, strlen(value), style);
}
