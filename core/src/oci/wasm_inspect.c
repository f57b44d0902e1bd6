#include "oci/wasm_inspect.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"

enum {
    SECTION_IMPORT = 10,
    SECTION_EXPORT = 11,
    MAX_NAMES = 4096,        /* more top-level names than any real world has */
    MAX_SECTION = 64 << 20,  /* imports/exports are names and small types     */
};

/* A bounds-checked reader over one section's bytes. */
typedef struct reader {
    const uint8_t *p;
    size_t len, pos;
    size_t base;      /* file offset of p[0], for messages */
    const char *what;
} reader;

static int malformed(const reader *r, const char *why)
{
    return fp_error_set(FUNCP_EPARSE, "%s: not a valid WebAssembly component: %s at byte %zu", r->what,
                        why, r->base + r->pos);
}

static int read_byte(reader *r, uint8_t *out)
{
    if (r->pos >= r->len)
        return malformed(r, "unexpected end");
    *out = r->p[r->pos++];
    return FUNCP_OK;
}

/* Unsigned LEB128 of at most 32 bits (also reads an s33 valtype whose
 * value is non-negative or a one-byte primitive). */
static int read_u32(reader *r, uint32_t *out)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
        uint8_t b = 0;
        int rc = read_byte(r, &b);
        if (rc)
            return rc;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            if (v > UINT32_MAX)
                return malformed(r, "integer too large");
            *out = (uint32_t)v;
            return FUNCP_OK;
        }
    }
    return malformed(r, "integer too long");
}

static int read_name(reader *r, char **out)
{
    uint32_t n;
    int rc = read_u32(r, &n);
    if (rc)
        return rc;
    if (n > r->len - r->pos)
        return malformed(r, "name runs past the section");
    if (out) {
        if (memchr(r->p + r->pos, '\0', n))
            return malformed(r, "name contains a NUL byte");
        *out = malloc((size_t)n + 1);
        if (!*out)
            return fp_error_set(FUNCP_ERROR, "out of memory");
        memcpy(*out, r->p + r->pos, n);
        (*out)[n] = '\0';
    }
    r->pos += n;
    return FUNCP_OK;
}

/* importname' / exportname': 0x00 name | 0x01 name versionsuffix */
static int read_extern_name(reader *r, char **out)
{
    uint8_t kind = 0;
    int rc = read_byte(r, &kind);
    if (rc)
        return rc;
    if (kind > 1)
        return malformed(r, "unknown name kind");
    rc = read_name(r, out);
    if (!rc && kind == 1) {
        rc = read_name(r, NULL);
        if (rc) {
            free(*out);
            *out = NULL;
        }
    }
    return rc;
}

static int read_externdesc(reader *r)
{
    uint8_t sort = 0, b = 0;
    uint32_t idx;
    int rc = read_byte(r, &sort);
    if (rc)
        return rc;
    switch (sort) {
    case 0x00: /* core module: 0x11 typeidx */
        if ((rc = read_byte(r, &b)))
            return rc;
        if (b != 0x11)
            return malformed(r, "bad core module import");
        return read_u32(r, &idx);
    case 0x01: case 0x04: case 0x05: /* func, component, instance: typeidx */
        return read_u32(r, &idx);
    case 0x02: /* value: valuebound (0x00 idx | 0x01 valtype) */
        if ((rc = read_byte(r, &b)))
            return rc;
        if (b > 1)
            return malformed(r, "bad value bound");
        return read_u32(r, &idx);
    case 0x03: /* type: typebound (0x00 idx | 0x01 sub resource) */
        if ((rc = read_byte(r, &b)))
            return rc;
        if (b == 0x00)
            return read_u32(r, &idx);
        if (b == 0x01)
            return FUNCP_OK;
        return malformed(r, "bad type bound");
    default:
        return malformed(r, "unknown extern kind");
    }
}

static int read_sortidx(reader *r)
{
    uint8_t sort = 0, core_sort = 0;
    uint32_t idx;
    int rc = read_byte(r, &sort);
    if (rc)
        return rc;
    if (sort == 0x00) {
        if ((rc = read_byte(r, &core_sort)))
            return rc;
    } else if (sort > 0x05) {
        return malformed(r, "unknown export kind");
    }
    return read_u32(r, &idx);
}

static int push_name(char ***list, size_t *n, char *name, reader *r)
{
    if (*n >= MAX_NAMES) {
        free(name);
        return malformed(r, "too many names");
    }
    char **grown = realloc(*list, (*n + 1) * sizeof **list);
    if (!grown) {
        free(name);
        return fp_error_set(FUNCP_ERROR, "out of memory");
    }
    *list = grown;
    (*list)[(*n)++] = name;
    return FUNCP_OK;
}

static int parse_names(reader *r, int exports, fp_wasm_info *info)
{
    uint32_t count;
    int rc = read_u32(r, &count);
    for (uint32_t i = 0; !rc && i < count; i++) {
        char *name = NULL;
        if ((rc = read_extern_name(r, &name)))
            break;
        if (exports) {
            uint8_t has_desc = 0;
            if (!(rc = read_sortidx(r)) && !(rc = read_byte(r, &has_desc))) {
                if (has_desc == 1)
                    rc = read_externdesc(r);
                else if (has_desc != 0)
                    rc = malformed(r, "bad export type flag");
            }
        } else {
            rc = read_externdesc(r);
        }
        if (rc) {
            free(name);
            break;
        }
        rc = exports ? push_name(&info->exports, &info->n_exports, name, r)
                     : push_name(&info->imports, &info->n_imports, name, r);
    }
    if (!rc && r->pos != r->len)
        rc = malformed(r, "section has trailing bytes");
    return rc;
}

/* Preamble: "\0asm" then version(2) layer(2): core = 01 00 00 00,
 * component = 0d 00 01 00 (any version with layer 1). */
static int check_preamble(const uint8_t *p, size_t len, const char *what, fp_wasm_info *info)
{
    if (len < 8 || memcmp(p, "\0asm", 4) != 0)
        return fp_error_set(FUNCP_EPARSE, "%s: not a WebAssembly file (no \\0asm magic)", what);
    unsigned version = p[4] | (unsigned)p[5] << 8, layer = p[6] | (unsigned)p[7] << 8;
    if (layer == 0 && version == 1) {
        info->is_component = 0;
        info->os = "wasip1";
    } else if (layer == 1) {
        info->is_component = 1;
        info->os = "wasip2";
    } else {
        return fp_error_set(FUNCP_EPARSE, "%s: unsupported WebAssembly version %u layer %u", what, version,
                            layer);
    }
    return FUNCP_OK;
}

int fp_wasm_inspect_buffer(const uint8_t *data, size_t len, const char *what, fp_wasm_info *info)
{
    memset(info, 0, sizeof *info);
    int rc = check_preamble(data, len, what, info);
    if (rc || !info->is_component)
        return rc;
    reader top = {.p = data, .len = len, .pos = 8, .what = what};
    while (!rc && top.pos < top.len) {
        uint8_t id = 0;
        uint32_t size;
        if ((rc = read_byte(&top, &id)) || (rc = read_u32(&top, &size)))
            break;
        if (size > top.len - top.pos) {
            rc = malformed(&top, "section runs past the end of the file");
            break;
        }
        if (id == SECTION_IMPORT || id == SECTION_EXPORT) {
            reader sec = {.p = data + top.pos, .len = size, .base = top.pos, .what = what};
            rc = parse_names(&sec, id == SECTION_EXPORT, info);
        }
        top.pos += size;
    }
    if (rc)
        fp_wasm_info_free(info);
    return rc;
}

/* Files are read section header by section header: nested modules (the
 * bulk of a component) are skipped with fseek, only import/export sections
 * are loaded. */
int fp_wasm_inspect_file(const char *path, fp_wasm_info *info)
{
    memset(info, 0, sizeof *info);
    FILE *f = fopen(path, "rb");
    if (!f)
        return fp_error_set(errno == ENOENT ? FUNCP_ENOTFOUND : FUNCP_EIO, "%s: %s", path, strerror(errno));
    uint8_t pre[8];
    size_t got = fread(pre, 1, sizeof pre, f);
    int rc = check_preamble(pre, got, path, info);
    long offset = 8;
    while (!rc && info->is_component) {
        uint8_t hdr[6];
        size_t n = fread(hdr, 1, sizeof hdr, f);
        if (n == 0)
            break;
        reader h = {.p = hdr, .len = n, .base = (size_t)offset, .what = path};
        uint8_t id = 0;
        uint32_t size;
        if ((rc = read_byte(&h, &id)) || (rc = read_u32(&h, &size)))
            break;
        long body = offset + (long)h.pos;
        if (id == SECTION_IMPORT || id == SECTION_EXPORT) {
            if (size > MAX_SECTION) {
                rc = malformed(&h, "import/export section too large");
                break;
            }
            uint8_t *buf = malloc(size ? size : 1);
            if (!buf) {
                rc = fp_error_set(FUNCP_ERROR, "out of memory");
                break;
            }
            if (fseek(f, body, SEEK_SET) != 0 || fread(buf, 1, size, f) != size) {
                free(buf);
                h.pos = 0;
                h.base = (size_t)body;
                rc = malformed(&h, "section runs past the end of the file");
                break;
            }
            reader sec = {.p = buf, .len = size, .base = (size_t)body, .what = path};
            rc = parse_names(&sec, id == SECTION_EXPORT, info);
            free(buf);
        }
        offset = body + (long)size;
        if (!rc && fseek(f, offset, SEEK_SET) != 0)
            rc = fp_error_set(FUNCP_EIO, "%s: %s", path, strerror(errno));
    }
    if (!rc && info->is_component) {
        /* A section that claims more bytes than the file holds. */
        if (fseek(f, 0, SEEK_END) == 0 && ftell(f) < offset)
            rc = fp_error_set(FUNCP_EPARSE, "%s: not a valid WebAssembly component: section runs past the "
                              "end of the file at byte %ld", path, ftell(f));
    }
    fclose(f);
    if (rc)
        fp_wasm_info_free(info);
    return rc;
}

void fp_wasm_info_free(fp_wasm_info *info)
{
    for (size_t i = 0; i < info->n_imports; i++)
        free(info->imports[i]);
    for (size_t i = 0; i < info->n_exports; i++)
        free(info->exports[i]);
    free(info->imports);
    free(info->exports);
    info->imports = info->exports = NULL;
    info->n_imports = info->n_exports = 0;
}
