/* Reading comments: libyaml's parser drops them, so the text is scanned
 * again with libyaml's scanner, and a '#' outside every token (and after
 * a blank or at a line start) begins a comment. A comment alone on its
 * line (and a blank line) belongs to the next mapping key or sequence
 * item; one after content belongs to the last scalar ending on its line
 * (for a mapping value: to its key, so that setting the value keeps it).
 * Lines before all content are the document's head (func's "# $schema:"
 * header), lines after it its foot. */
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "function/funcyaml_internal.h"
#include "util/error.h"

typedef struct {
    size_t line, col; /* 0-based, columns in characters like libyaml's marks */
} pos;

typedef struct {
    pos start, end;
} span;

typedef struct {
    size_t line, col; /* 0-based */
    char *text;       /* NULL: a blank line */
    int trailing;
    size_t gap;
} found;

static int before(pos a, pos b) { return a.line < b.line || (a.line == b.line && a.col < b.col); }

/* Token extents, in order; those of no width are left out. */
static int scan_tokens(const char *text, size_t len, span **out, size_t *n)
{
    yaml_parser_t p;
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    if (!yaml_parser_initialize(&p))
        return -1;
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    int rc = 0;
    for (;;) {
        yaml_token_t t;
        if (!yaml_parser_scan(&p, &t)) {
            rc = -1;
            break;
        }
        yaml_token_type_t type = t.type;
        span s = {{t.start_mark.line, t.start_mark.column}, {t.end_mark.line, t.end_mark.column}};
        /* A block scalar's text starts on the next line; its indicator
         * line may end with a comment the scanner took in. */
        if (type == YAML_SCALAR_TOKEN && (t.data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
                                          t.data.scalar.style == YAML_FOLDED_SCALAR_STYLE)) {
            s.start.line++;
            s.start.col = 0;
        }
        yaml_token_delete(&t);
        if (type == YAML_STREAM_END_TOKEN)
            break;
        if (!before(s.start, s.end))
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            span *grown = realloc(*out, cap * sizeof *grown);
            if (!grown) {
                rc = -1;
                break;
            }
            *out = grown;
        }
        (*out)[(*n)++] = s;
    }
    yaml_parser_delete(&p);
    return rc;
}

size_t fy_line_break(const char *s, size_t i, size_t len)
{
    const unsigned char *u = (const unsigned char *)s + i;
    size_t left = len - i;
    if (left == 0)
        return 0;
    if (u[0] == '\n')
        return 1;
    if (u[0] == '\r')
        return left > 1 && u[1] == '\n' ? 2 : 1;
    if (left > 1 && u[0] == 0xC2 && u[1] == 0x85) /* NEL */
        return 2;
    if (left > 2 && u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0xA8 || u[2] == 0xA9)) /* LS, PS */
        return 3;
    return 0;
}

/* Byte offset of the end of the line starting at `start` (its break). */
static size_t line_end(const char *text, size_t start, size_t len)
{
    size_t i = start;
    while (i < len && !fy_line_break(text, i, len))
        i++;
    return i;
}

static int add_found(found **list, size_t *n, size_t *cap, found f)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        found *grown = realloc(*list, *cap * sizeof *grown);
        if (!grown)
            return -1;
        *list = grown;
    }
    (*list)[(*n)++] = f;
    return 0;
}

/* Comments and blank lines of text, in order. */
static int find_comments(const char *text, size_t len, const span *tokens, size_t n_tokens,
                         found **list, size_t *n)
{
    size_t cap = 0, t = 0;
    *list = NULL;
    *n = 0;
    size_t line = 0, first = 0;
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
        first = 3; /* libyaml's marks do not count a BOM */
    for (size_t start = first; start < len; line++) {
        size_t end = line_end(text, start, len);
        size_t brk = fy_line_break(text, end, len);
        int content = 0, covered_any = 0;
        size_t col = 0, blanks = 0;
        for (size_t i = start; i <= end; i++) {
            if (i < end && ((unsigned char)text[i] & 0xC0) == 0x80)
                continue; /* inside a UTF-8 sequence: same column */
            pos here = {line, col};
            while (t < n_tokens && !before(here, tokens[t].end))
                t++;
            int covered = t < n_tokens && !before(here, tokens[t].start);
            covered_any |= covered && (i < end || end == start);
            if (i == end)
                break;
            char c = text[i];
            if (c == '#' && !covered && (col == 0 || blanks > 0)) {
                size_t stop = end;
                while (stop > i && (text[stop - 1] == ' ' || text[stop - 1] == '\t'))
                    stop--;
                char *body = strndup(text + i, stop - i);
                if (!body || add_found(list, n, &cap, (found){line, col, body, content, blanks}))
                    return free(body), -1;
                break;
            }
            if (c == ' ' || c == '\t') {
                blanks++;
            } else {
                content = 1;
                blanks = 0;
            }
            col++;
        }
        if (!content && !covered_any && (*n == 0 || (*list)[*n - 1].line != line) &&
            (brk || end > start))
            if (add_found(list, n, &cap, (found){line, 0, NULL, 0, 0}))
                return -1;
        start = end + (brk ? brk : 1);
    }
    return 0;
}

static fy_notes *notes_of(fy_node *node)
{
    if (!node->notes)
        node->notes = calloc(1, sizeof *node->notes);
    return node->notes;
}

static int push_line(fy_comment **lines, size_t *n, char *text, int col)
{
    fy_comment *grown = realloc(*lines, (*n + 1) * sizeof *grown);
    if (!grown)
        return -1;
    *lines = grown;
    grown[(*n)++] = (fy_comment){text, col};
    return 0;
}

/* Where comments can go, found once: the keys and items in document
 * order whose lines only grow (an alias copy, on its anchor's line, is
 * never the first one after a comment), the last scalar ending on each
 * line, and where each line starts. */
typedef struct {
    const fy_entry *e;
    size_t *cand, n_cand, next; /* next: moves on as comments come in order */
    long *ends;                 /* ends[line]: entry index, -1 */
    size_t n_ends;
    size_t *starts, n_lines; /* byte offset of each 0-based line */
    const char *text;
    size_t len;
} lookup;

static int build_lookup(lookup *k, const char *text, size_t len, const fy_entry *e, size_t n)
{
    memset(k, 0, sizeof *k);
    k->e = e;
    k->text = text;
    k->len = len;
    size_t cap = 64;
    k->starts = malloc(cap * sizeof *k->starts);
    if (!k->starts)
        return -1;
    k->starts[k->n_lines++] = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0;
    for (size_t i = k->starts[0]; i < len; i++) {
        size_t brk = fy_line_break(text, i, len);
        if (!brk)
            continue;
        i += brk - 1;
        if (k->n_lines == cap) {
            size_t *grown = realloc(k->starts, (cap *= 2) * sizeof *grown);
            if (!grown)
                return -1;
            k->starts = grown;
        }
        k->starts[k->n_lines++] = i + 1;
    }
    k->cand = malloc((n ? n : 1) * sizeof *k->cand);
    k->n_ends = k->n_lines + 2;
    k->ends = malloc(k->n_ends * sizeof *k->ends);
    if (!k->cand || !k->ends)
        return -1;
    for (size_t l = 0; l < k->n_ends; l++)
        k->ends[l] = -1;
    size_t top = 0;
    for (size_t i = 0; i < n; i++) {
        const fy_node *node = e[i].node;
        if ((e[i].role == FY_ROLE_KEY || e[i].role == FY_ROLE_ITEM) && node->line >= top) {
            k->cand[k->n_cand++] = i;
            top = node->line;
        }
        if (node->kind == FY_SCALAR && node->end_line && node->end_line < k->n_ends)
            k->ends[node->end_line] = (long)i;
    }
    return 0;
}

static void free_lookup(lookup *k)
{
    free(k->starts);
    free(k->cand);
    free(k->ends);
}

/* Leading blanks of a (1-based) line of text. */
static size_t indent_of(const lookup *k, size_t line)
{
    if (line == 0 || line > k->n_lines)
        return 0;
    size_t i = k->starts[line - 1], n = 0;
    while (i + n < k->len && k->text[i + n] == ' ')
        n++;
    return n;
}

/* The node a trailing comment on (1-based) `line` belongs to, or NULL:
 * the last scalar ending there, or for a mapping value its key. */
static fy_node *trail_owner(const lookup *k, size_t line)
{
    if (line >= k->n_ends || k->ends[line] < 0)
        return NULL;
    const fy_entry *e = &k->e[k->ends[line]];
    return e->role == FY_ROLE_VALUE ? e->parent->items[e->index - 1] : e->node;
}

static int attach(fp_funcyaml *doc, lookup *k, found *f)
{
    size_t line = f->line + 1;
    if (f->text && f->trailing) {
        fy_node *owner = trail_owner(k, line);
        if (owner) {
            fy_notes *notes = notes_of(owner);
            if (!notes)
                return -1;
            if (notes->trail) { /* one line's comments merged in a flow collection */
                size_t a = strlen(notes->trail), b = strlen(f->text);
                char *both = realloc(notes->trail, a + b + 3);
                if (!both)
                    return -1;
                memcpy(both + a, "  ", 2);
                memcpy(both + a + 2, f->text, b + 1);
                notes->trail = both;
                free(f->text);
            } else {
                notes->trail = f->text;
                notes->trail_gap = f->gap ? f->gap : 1;
            }
            f->text = NULL;
            return 0;
        }
    }
    /* A line of its own: before the next key or item. */
    while (k->next < k->n_cand && k->e[k->cand[k->next]].node->line <= line)
        k->next++;
    if (k->next > 0 && k->next < k->n_cand) {
        fy_node *node = k->e[k->cand[k->next]].node;
        fy_notes *notes = notes_of(node);
        int col = (int)f->col - (int)indent_of(k, node->line);
        if (!notes || push_line(&notes->before, &notes->n_before, f->text, col))
            return -1;
        f->text = NULL;
        return 0;
    }
    /* Nothing before it: the head; nothing after it: the foot (an empty
     * document's comments lead). */
    int head = k->n_cand ? k->next == 0
                         : doc->root && (doc->root->n == 0 || doc->root->line > line);
    if (head) {
        if (push_line(&doc->head, &doc->n_head, f->text, (int)f->col))
            return -1;
    } else if (push_line(&doc->foot, &doc->n_foot, f->text, (int)f->col)) {
        return -1;
    }
    f->text = NULL;
    return 0;
}

/* Whether text can hold anything this file keeps: a '#' or a blank line.
 * Most func.yaml files hold neither, and then the second scan is skipped. */
static int may_have_comments(const char *text, size_t len)
{
    if (memchr(text, '#', len))
        return 1;
    int blank = 1; /* the current line is only white space so far */
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c == '\n' || c == '\r') {
            if (blank && i + 1 < len)
                return 1;
            blank = 1;
        } else if (c != ' ' && c != '\t') {
            blank = 0;
        }
    }
    return 0;
}

int fy_comments_read(fp_funcyaml *doc, const char *text, size_t len)
{
    if (!may_have_comments(text, len))
        return FUNCP_OK;
    span *tokens = NULL;
    size_t n_tokens = 0, n_found = 0, n_entries = 0;
    found *list = NULL;
    fy_entry *entries = NULL;
    lookup k;
    memset(&k, 0, sizeof k);
    int rc = FUNCP_OK;
    if (scan_tokens(text, len, &tokens, &n_tokens) != 0) {
        free(tokens);
        return FUNCP_OK; /* the parser read it; without comments then */
    }
    if (find_comments(text, len, tokens, n_tokens, &list, &n_found) != 0 ||
        (doc->root && !(entries = fy_flatten(doc->root, &n_entries))) ||
        (n_found && build_lookup(&k, text, len, entries, n_entries) != 0)) {
        rc = fp_error_set(FUNCP_ERROR, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n_found; i++) {
        if (attach(doc, &k, &list[i]) != 0) {
            rc = fp_error_set(FUNCP_ERROR, "out of memory");
            goto out;
        }
    }
    /* Blank lines at the very end say nothing. */
    while (doc->n_foot && !doc->foot[doc->n_foot - 1].text)
        doc->n_foot--;
out:
    for (size_t i = 0; i < n_found; i++)
        free(list[i].text);
    free(list);
    free(tokens);
    free(entries);
    free_lookup(&k);
    return rc;
}

void fy_comments_free(fy_comment *lines, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(lines[i].text);
    free(lines);
}

void fy_notes_free(fy_notes *notes)
{
    if (!notes)
        return;
    fy_comments_free(notes->before, notes->n_before);
    free(notes->trail);
    free(notes);
}
