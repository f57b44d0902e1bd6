/* Writing comments back: libyaml's emitter cannot, so the tree is emitted
 * without them, the output read again for the line each node landed on
 * (the two trees have the same shape), and the comment lines put before
 * their node's line, trailing comments at the end of theirs. */
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "function/funcyaml_internal.h"
#include "util/buf.h"
#include "util/error.h"

typedef struct {
    const fy_comment *before; /* from a node's notes */
    size_t n_before;
    int indent;
    const char *trail;
    size_t gap;
} line_extra;

static int has_notes(const fy_entry *e, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (e[i].node->notes)
            return 1;
    return 0;
}

static int is_block_scalar(const fy_node *node)
{
    return node->kind == FY_SCALAR &&
           (node->style == YAML_LITERAL_SCALAR_STYLE || node->style == YAML_FOLDED_SCALAR_STYLE);
}

/* The output line (1-based) a trailing comment of out[i] goes at the end
 * of: never inside a block scalar's text. */
static size_t trail_line(const fy_entry *out, size_t i)
{
    const fy_node *node = out[i].node;
    if (out[i].role == FY_ROLE_KEY) {
        const fy_node *value = out[i].parent->items[out[i].index + 1];
        if (value->kind == FY_SCALAR && !is_block_scalar(value))
            return value->end_line;
        return node->end_line;
    }
    return is_block_scalar(node) ? node->line : node->end_line;
}

/* Lines a scalar of the output spreads over: a comment line cannot go
 * before a line inside one (inside_of: the line it started on), and a
 * trailing comment cannot end a line a quoted or plain one goes on from
 * (open_to: the line it ends on). */
static void mark_spans(const fy_entry *out, size_t n, size_t n_lines, size_t *inside_of,
                       size_t *open_to, unsigned char *block_text)
{
    for (size_t i = 0; i < n; i++) {
        const fy_node *s = out[i].node;
        if (s->kind != FY_SCALAR || s->end_line <= s->line || s->end_line > n_lines + 1)
            continue;
        size_t last = s->end_line;
        if (is_block_scalar(s) && s->end_col == 1)
            last--; /* a block scalar ends at the start of the next line */
        for (size_t l = s->line + 1; l <= last && l <= n_lines; l++) {
            if (!inside_of[l] || inside_of[l] > s->line)
                inside_of[l] = s->line;
            block_text[l] |= is_block_scalar(s);
        }
        if (!is_block_scalar(s) && s->end_line > open_to[s->line])
            open_to[s->line] = s->end_line;
    }
}

static int put(fp_buf *b, const char *s, size_t n) { return fp_buf_append(b, s, n, 0); }

/* after_block: the line before is a block scalar's text, which a blank
 * line or a line indented as deep would join; such lines stay out or at
 * the indentation of what follows. */
static int put_comment(fp_buf *b, const fy_comment *c, int indent, int after_block)
{
    if (!c->text)
        return after_block ? 0 : put(b, "\n", 1);
    int col = indent + (after_block && c->col > 0 ? 0 : c->col);
    for (int i = 0; i < col; i++)
        if (put(b, " ", 1) != 0)
            return -1;
    if (put(b, c->text, strlen(c->text)) != 0 || put(b, "\n", 1) != 0)
        return -1;
    return 0;
}

static int put_lines(fp_buf *b, const fy_comment *lines, size_t n, int after_block)
{
    for (size_t i = 0; i < n; i++)
        if (put_comment(b, &lines[i], 0, after_block) != 0)
            return -1;
    return 0;
}

typedef struct {
    const char *text;
    size_t len, brk; /* the line break follows text[len], brk bytes long */
} text_line;

/* Leading spaces of the 1-based line. */
static int indent_at(const text_line *lines, size_t n_lines, size_t line)
{
    if (line == 0 || line > n_lines)
        return 0;
    size_t n = 0;
    while (n < lines[line - 1].len && lines[line - 1].text[n] == ' ')
        n++;
    return (int)n;
}

static char *weave(const fp_funcyaml *doc, char *text, const fy_entry *in, const fy_entry *out,
                   size_t n)
{
    /* Split the emitted text into lines as libyaml counts them; each
     * keeps its own line break. */
    size_t len = strlen(text), n_lines = 0;
    for (size_t i = 0; i < len; i++) {
        size_t brk = fy_line_break(text, i, len);
        n_lines += brk > 0;
        i += brk ? brk - 1 : 0;
    }
    if (len && !fy_line_break(text, len - 1, len))
        n_lines++; /* a last line without a break */
    text_line *lines = calloc(n_lines + 1, sizeof *lines);
    line_extra *extra = calloc(n_lines + 1, sizeof *extra);
    fp_buf b = {0};
    int ok = lines && extra;
    for (size_t i = 0, at = 0; ok && i < n_lines; i++) {
        size_t end = at;
        while (end < len && !fy_line_break(text, end, len))
            end++;
        lines[i] = (text_line){text + at, end - at, fy_line_break(text, end, len)};
        at = end + lines[i].brk;
    }
    size_t *inside_of = calloc(n_lines + 2, sizeof *inside_of);
    size_t *open_to = calloc(n_lines + 2, sizeof *open_to);
    unsigned char *block_text = calloc(n_lines + 2, 1);
    ok = ok && inside_of && open_to && block_text;
    if (ok)
        mark_spans(out, n, n_lines, inside_of, open_to, block_text);
    for (size_t i = 0; ok && i < n; i++) {
        const fy_notes *notes = in[i].node->notes;
        if (!notes)
            continue;
        size_t l = out[i].node->line;
        while (l <= n_lines && inside_of[l])
            l = inside_of[l];
        if (notes->n_before && l >= 1 && l <= n_lines && !extra[l - 1].before) {
            extra[l - 1].before = notes->before;
            extra[l - 1].n_before = notes->n_before;
            extra[l - 1].indent = indent_at(lines, n_lines, l);
        }
        size_t t = trail_line(out, i);
        while (t <= n_lines && open_to[t] > t)
            t = open_to[t];
        if (notes->trail && t >= 1 && t <= n_lines && !extra[t - 1].trail) {
            extra[t - 1].trail = notes->trail;
            extra[t - 1].gap = notes->trail_gap;
        }
    }
    /* An empty document ("{}") has nothing to follow: all its comments lead,
     * as they read back. */
    int empty = doc->root->kind == FY_MAP && doc->root->n == 0;
    ok = ok && put(&b, "", 0) == 0 && put_lines(&b, doc->head, doc->n_head, 0) == 0 &&
         (!empty || put_lines(&b, doc->foot, doc->n_foot, 0) == 0);
    for (size_t i = 0; ok && i < n_lines; i++) {
        for (size_t c = 0; ok && c < extra[i].n_before; c++)
            ok = put_comment(&b, &extra[i].before[c], extra[i].indent,
                             i > 0 && block_text[i]) == 0; /* the line before: 1-based i */
        ok = ok && put(&b, lines[i].text, lines[i].len) == 0;
        if (ok && extra[i].trail) {
            for (size_t g = 0; ok && g < extra[i].gap; g++)
                ok = put(&b, " ", 1) == 0;
            ok = ok && put(&b, extra[i].trail, strlen(extra[i].trail)) == 0;
        }
        ok = ok && (lines[i].brk ? put(&b, lines[i].text + lines[i].len, lines[i].brk)
                                 : put(&b, "\n", 1)) == 0;
    }
    ok = ok && (empty || put_lines(&b, doc->foot, doc->n_foot, n_lines && block_text[n_lines]) == 0);
    free(lines);
    free(extra);
    free(inside_of);
    free(open_to);
    free(block_text);
    if (!ok) {
        free(b.data);
        fp_error_set(FUNCP_ERROR, "out of memory writing func.yaml");
        return NULL;
    }
    return b.data;
}

char *fy_emit_doc(const fp_funcyaml *doc)
{
    char *text = fy_emit(doc->root);
    if (!text)
        return NULL;
    size_t n_in = 0, n_out = 0;
    fy_entry *in = fy_flatten(doc->root, &n_in);
    if (!in || (!doc->n_head && !doc->n_foot && !has_notes(in, n_in))) {
        free(in);
        return text;
    }
    fy_node *again = NULL;
    fy_entry *out = NULL;
    char *woven = text;
    if (fy_read_tree(text, strlen(text), "func.yaml", &again) == FUNCP_OK && again &&
        (out = fy_flatten(again, &n_out)) && n_out == n_in)
        woven = weave(doc, text, in, out, n_in); /* NULL: out of memory */
    else
        fp_error_clear(); /* same shape by construction; if not, without comments */
    free(in);
    free(out);
    fy_node_free(again);
    if (woven != text)
        free(text);
    return woven;
}
