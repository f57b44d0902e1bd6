#include "function/yamlpath.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "function/funcyaml_internal.h"
#include "util/error.h"

static int bad(const char *text, size_t at, const char *what)
{
    return fp_error_set(FUNCP_EUSAGE, "invalid func.yaml path \"%s\": %s at offset %zu",
                        text, what, at);
}

static int push(fy_path *out, char *key, size_t index)
{
    fy_seg *grown = realloc(out->segs, (out->n + 1) * sizeof *grown);
    if (!grown) {
        free(key);
        return fp_error_set(FUNCP_ERROR, "out of memory");
    }
    out->segs = grown;
    out->segs[out->n].key = key;
    out->segs[out->n].index = index;
    out->n++;
    return FUNCP_OK;
}

/* A bare key runs to the next '.', '[' or the end; '"' and ']' are only
 * allowed inside brackets. */
static int parse_bare(const char *text, size_t *pos, fy_path *out)
{
    size_t start = *pos, i = start;
    while (text[i] && text[i] != '.' && text[i] != '[') {
        if (text[i] == ']' || text[i] == '"')
            return bad(text, i, "unexpected character");
        i++;
    }
    if (i == start)
        return bad(text, i, "empty key");
    char *key = strndup(text + start, i - start);
    if (!key)
        return fp_error_set(FUNCP_ERROR, "out of memory");
    *pos = i;
    return push(out, key, 0);
}

/* ["quoted key"] with \" and \\ escapes, or [N]. *pos is at '['. */
static int parse_bracket(const char *text, size_t *pos, fy_path *out)
{
    size_t i = *pos + 1;
    if (text[i] == '"') {
        size_t cap = strlen(text + i) + 1, n = 0;
        char *key = malloc(cap);
        if (!key)
            return fp_error_set(FUNCP_ERROR, "out of memory");
        for (i++; text[i] && text[i] != '"'; i++) {
            if (text[i] == '\\') {
                if (text[i + 1] != '"' && text[i + 1] != '\\') {
                    free(key);
                    return bad(text, i, "unknown escape in quoted key");
                }
                i++;
            }
            key[n++] = text[i];
        }
        key[n] = '\0';
        if (text[i] != '"' || text[i + 1] != ']') {
            free(key);
            return bad(text, i, "unterminated quoted key");
        }
        *pos = i + 2;
        return push(out, key, 0);
    }
    size_t start = i;
    while (text[i] >= '0' && text[i] <= '9')
        i++;
    if (i == start || text[i] != ']')
        return bad(text, start, "expected an index or a quoted key in brackets");
    errno = 0;
    unsigned long long index = strtoull(text + start, NULL, 10);
    if (errno || index > (unsigned long long)(size_t)-1 / 2)
        return bad(text, start, "index too large");
    *pos = i + 1;
    return push(out, NULL, (size_t)index);
}

int fy_path_parse(const char *text, fy_path *out)
{
    out->segs = NULL;
    out->n = 0;
    if (!text)
        return fp_error_set(FUNCP_EUSAGE, "invalid func.yaml path: NULL");
    if (!fy_utf8_valid(text, strlen(text)))
        return fp_error_set(FUNCP_EUSAGE, "invalid func.yaml path: not valid UTF-8");
    size_t pos = 0;
    int rc = FUNCP_OK;
    if (text[0] && text[0] != '[')
        rc = parse_bare(text, &pos, out);
    while (rc == FUNCP_OK && text[pos]) {
        if (text[pos] == '[') {
            rc = parse_bracket(text, &pos, out);
        } else if (text[pos] == '.') {
            pos++;
            rc = parse_bare(text, &pos, out);
        } else {
            rc = bad(text, pos, "expected '.' or '['");
        }
    }
    if (rc != FUNCP_OK)
        fy_path_free(out);
    return rc;
}

void fy_path_free(fy_path *path)
{
    for (size_t i = 0; i < path->n; i++)
        free(path->segs[i].key);
    free(path->segs);
    path->segs = NULL;
    path->n = 0;
}
