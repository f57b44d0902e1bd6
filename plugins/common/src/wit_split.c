/* Cutting a multi-package WIT text (as `jco wit` prints a component: the
 * main package in "package a:b;" form, its dependencies as nested
 * "package c:d { ... }" blocks) into one single-package file per package,
 * the layout `wasm-tools component wit --out-dir` writes. */
#include "pcom/fs.h"
#include "pcom/wit.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Index just past a comment starting at i, or i when there is none. */
static size_t skip_comment(const char *t, size_t i)
{
    if (t[i] != '/')
        return i;
    if (t[i + 1] == '/') {
        while (t[i] && t[i] != '\n')
            i++;
        return i;
    }
    if (t[i + 1] == '*') {
        const char *end = strstr(t + i + 2, "*/");
        return end ? (size_t)(end - t) + 2 : strlen(t);
    }
    return i;
}

static size_t skip_space(const char *t, size_t i)
{
    for (;;) {
        while (isspace((unsigned char)t[i]))
            i++;
        size_t j = skip_comment(t, i);
        if (j == i)
            return i;
        i = j;
    }
}

/* "package" keyword at i: not part of a longer identifier. */
static int is_package_kw(const char *t, size_t i)
{
    if (strncmp(t + i, "package", 7) != 0 || !isspace((unsigned char)t[i + 7]))
        return 0;
    return i == 0 || !(isalnum((unsigned char)t[i - 1]) || t[i - 1] == '-' || t[i - 1] == '_');
}

/* Index of the '}' closing the '{' at open, or 0 when unbalanced. */
static size_t matching_brace(const char *t, size_t open)
{
    int depth = 0;
    for (size_t i = open; t[i];) {
        size_t j = skip_comment(t, i);
        if (j != i) {
            i = j;
            continue;
        }
        if (t[i] == '{')
            depth++;
        else if (t[i] == '}' && --depth == 0)
            return i;
        i++;
    }
    return 0;
}

typedef struct buf {
    char *s;
    size_t len, cap;
} buf;

static int buf_add(buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->cap ? b->cap * 2 : 256) + n;
        char *g = realloc(b->s, cap);
        if (!g)
            return -1;
        b->s = g;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
    return 0;
}

static int add_package(pcom_wit_package **pkgs, int *n, char *name, char *text)
{
    pcom_wit_package *g = realloc(*pkgs, (size_t)(*n + 1) * sizeof **pkgs);
    if (!g || !name || !text) {
        if (g)
            *pkgs = g;
        free(name);
        free(text);
        return -1;
    }
    *pkgs = g;
    g[*n].name = name;
    g[*n].text = text;
    (*n)++;
    return 0;
}

int pcom_wit_split(const char *t, pcom_wit_package **out)
{
    pcom_wit_package *pkgs = NULL;
    int n = 0, failed = 0, depth = 0;
    char *main_name = NULL;
    buf rest = {0};

    size_t i = 0, copied = 0; /* text[copied, i) is pending for `rest` */
    while (t[i] && !failed) {
        size_t j = skip_comment(t, i);
        if (j != i) {
            i = j;
            continue;
        }
        if (t[i] == '{')
            depth++;
        else if (t[i] == '}')
            depth--;
        if (depth != 0 || !is_package_kw(t, i)) {
            i++;
            continue;
        }
        size_t name_start = skip_space(t, i + 7), name_end = name_start;
        while (t[name_end] && !isspace((unsigned char)t[name_end]) && t[name_end] != ';' &&
               t[name_end] != '{')
            name_end++;
        size_t after = skip_space(t, name_end);
        if (name_end == name_start || (t[after] != ';' && t[after] != '{')) {
            failed = 1;
            break;
        }
        if (buf_add(&rest, t + copied, i - copied) != 0) {
            failed = 1;
            break;
        }
        char *name = strndup(t + name_start, name_end - name_start);
        if (t[after] == ';') {
            free(main_name);
            main_name = name;
            i = copied = after + 1;
            continue;
        }
        size_t close = matching_brace(t, after);
        if (close == 0) {
            free(name);
            failed = 1;
            break;
        }
        size_t body = after + 1;
        while (t[body] == '\n' || t[body] == '\r')
            body++;
        char *text = pcom_strdup_printf("package %s;\n\n%.*s\n", name ? name : "",
                                        (int)(close - body), t + body);
        if (add_package(&pkgs, &n, name, text) != 0)
            failed = 1;
        i = copied = close + 1;
    }
    if (!failed && depth != 0)
        failed = 1;
    if (!failed && buf_add(&rest, t + copied, i - copied) != 0)
        failed = 1;
    if (!failed && main_name) {
        /* keep leading comments: only drop leading blank lines */
        size_t s = 0;
        while (rest.s && (rest.s[s] == '\n' || rest.s[s] == '\r'))
            s++;
        char *text = pcom_strdup_printf("package %s;\n\n%s", main_name, rest.s ? rest.s + s : "");
        if (add_package(&pkgs, &n, main_name, text) != 0)
            failed = 1;
        main_name = NULL;
        /* the main package goes first */
        if (!failed && n > 1) {
            pcom_wit_package m = pkgs[n - 1];
            memmove(pkgs + 1, pkgs, (size_t)(n - 1) * sizeof *pkgs);
            pkgs[0] = m;
        }
    }
    free(main_name);
    free(rest.s);
    if (failed || n == 0) {
        pcom_wit_packages_free(pkgs, n);
        *out = NULL;
        return -1;
    }
    *out = pkgs;
    return n;
}

void pcom_wit_packages_free(pcom_wit_package *pkgs, int n)
{
    for (int i = 0; i < n; i++) {
        free(pkgs[i].name);
        free(pkgs[i].text);
    }
    free(pkgs);
}

/* Parts of "ns:name@version". */
static void name_parts(const char *full, const char **ns_end, const char **name,
                       const char **at)
{
    const char *colon = strchr(full, ':');
    *ns_end = colon ? colon : full;
    *name = colon ? colon + 1 : full;
    *at = strchr(*name, '@');
    if (!*at)
        *at = *name + strlen(*name);
}

static char *stem_form(const char *full, int form)
{
    const char *ns_end, *name, *at;
    name_parts(full, &ns_end, &name, &at);
    switch (form) {
    case 0: return strndup(name, (size_t)(at - name));
    case 1: return strdup(name);
    case 2: return strndup(full, (size_t)(at - full));
    default: return strdup(full);
    }
}

char *pcom_wit_stem(const pcom_wit_package *pkgs, int n, int index)
{
    for (int form = 0; form < 3; form++) {
        char *mine = stem_form(pkgs[index].name, form);
        if (!mine)
            return NULL;
        int clash = 0;
        for (int k = 0; k < n && !clash; k++) {
            if (k == index)
                continue;
            char *other = stem_form(pkgs[k].name, form);
            clash = other && strcmp(other, mine) == 0;
            free(other);
        }
        if (!clash)
            return mine;
        free(mine);
    }
    return stem_form(pkgs[index].name, 3);
}

int pcom_wit_stem_ok(const char *stem)
{
    if (!stem || !*stem || stem[0] == '.' || strlen(stem) > 200)
        return 0;
    for (const char *p = stem; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (!(isalnum(c) || c == '-' || c == '_' || c == '.' || c == ':' || c == '@' || c == '+'))
            return 0;
    }
    return strstr(stem, "..") == NULL;
}
