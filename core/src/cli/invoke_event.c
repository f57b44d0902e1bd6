/* CloudEvents headers and the --file body of funcp invoke. */
#include "cli/invoke_event.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/error.h"
#include "util/fs.h"

/* Requests are held in memory; a larger file is almost surely a mistake. */
#define INVOKE_MAX_BODY ((size_t)256 << 20)

int fp_invoke_uuid4(char *out)
{
    unsigned char b[16];
    FILE *f = fopen("/dev/urandom", "rb");
    size_t got = f ? fread(b, 1, sizeof b, f) : 0;
    if (f)
        fclose(f);
    if (got != sizeof b)
        return fp_error_set(FUNCP_EIO, "read /dev/urandom for a CloudEvent id: %s",
                            f ? "short read" : strerror(errno));
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    snprintf(out, FP_UUID_LEN + 1,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
             b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
             b[15]);
    return FUNCP_OK;
}

int fp_invoke_read_body(const char *path, char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return fp_error_set(FUNCP_EIO, "--file %s: %s", path, strerror(errno));
    int rc = fp_read_stream(f, INVOKE_MAX_BODY, data, len);
    fclose(f);
    if (rc == -ENOMEM)
        return fp_error_set(FUNCP_ERROR, "out of memory");
    if (rc == -EFBIG)
        return fp_error_set(FUNCP_EIO, "--file %s: larger than %zu MiB", path,
                            INVOKE_MAX_BODY >> 20);
    if (rc < 0)
        return fp_error_set(FUNCP_EIO, "--file %s: %s", path, strerror(-rc));
    return FUNCP_OK;
}

static int header_value_ok(const char *flag, const char *v)
{
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return fp_error_set(FUNCP_EUSAGE, "invalid --%s: control characters are not allowed",
                                flag);
    if (!*v)
        return fp_error_set(FUNCP_EUSAGE, "invalid --%s: must not be empty", flag);
    return FUNCP_OK;
}

static char *header_line(const char *name, const char *value)
{
    size_t n = strlen(name) + strlen(value) + 3;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s: %s", name, value);
    return s;
}

/* Context attributes of CloudEvents 1.0: an extension may not reuse them. */
static const char *const ce_attributes[] = {"specversion", "id",   "source",  "type",
                                            "datacontenttype", "dataschema", "subject", "time"};

/* "name=value" of -e into a header name ("ce-<name>") and value. */
static int extension_header(const char *ext, char **line)
{
    const char *eq = strchr(ext, '=');
    size_t n = eq ? (size_t)(eq - ext) : 0;
    if (!eq || n == 0)
        return fp_error_set(FUNCP_EUSAGE, "invalid --extension \"%s\": must be in key=value format",
                            ext);
    char name[256];
    if (n >= sizeof name - 3)
        return fp_error_set(FUNCP_EUSAGE, "invalid --extension \"%s\": name too long", ext);
    memcpy(name, "ce-", 3);
    for (size_t i = 0; i < n; i++) {
        char c = ext[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            return fp_error_set(FUNCP_EUSAGE,
                                "invalid --extension \"%s\": CloudEvents attribute names are "
                                "letters a-z and digits 0-9",
                                ext);
        name[3 + i] = c;
    }
    name[3 + n] = '\0';
    for (size_t i = 0; i < sizeof ce_attributes / sizeof ce_attributes[0]; i++)
        if (!strcmp(name + 3, ce_attributes[i]))
            return fp_error_set(FUNCP_EUSAGE,
                                "invalid --extension \"%s\": \"%s\" is a CloudEvents context "
                                "attribute, not an extension",
                                ext, ce_attributes[i]);
    /* A control character would split the header; an empty one would be
     * dropped by the HTTP client, so it is refused rather than lost. */
    if (header_value_ok("extension", eq + 1) != FUNCP_OK) {
        char why[256];
        snprintf(why, sizeof why, "%s", fp_error_message());
        return fp_error_set(FUNCP_EUSAGE, "invalid --extension \"%.*s\": %s", (int)n, ext,
                            strstr(why, ": ") ? strstr(why, ": ") + 2 : why);
    }
    *line = header_line(name, eq + 1);
    return *line ? FUNCP_OK : fp_error_set(FUNCP_ERROR, "out of memory");
}

int fp_invoke_event_headers(const char *id, const char *source, const char *type,
                            char *const *extensions, size_t n_extensions, char ***out)
{
    *out = NULL;
    char uuid[FP_UUID_LEN + 1];
    if (!id || !*id) {
        int rc = fp_invoke_uuid4(uuid);
        if (rc != FUNCP_OK)
            return rc;
        id = uuid;
    }
    int rc = header_value_ok("id", id);
    if (rc == FUNCP_OK)
        rc = header_value_ok("source", source);
    if (rc == FUNCP_OK)
        rc = header_value_ok("type", type);
    if (rc != FUNCP_OK)
        return rc;
    char **lines = calloc(n_extensions + 5, sizeof *lines);
    if (!lines)
        return fp_error_set(FUNCP_ERROR, "out of memory");
    lines[0] = header_line("ce-specversion", "1.0");
    lines[1] = header_line("ce-id", id);
    lines[2] = header_line("ce-source", source);
    lines[3] = header_line("ce-type", type);
    if (!lines[0] || !lines[1] || !lines[2] || !lines[3])
        rc = fp_error_set(FUNCP_ERROR, "out of memory");
    for (size_t i = 0; rc == FUNCP_OK && i < n_extensions; i++)
        rc = extension_header(extensions[i], &lines[4 + i]);
    if (rc != FUNCP_OK) {
        fp_invoke_event_free(lines);
        return rc;
    }
    *out = lines;
    return FUNCP_OK;
}

void fp_invoke_event_free(char **lines)
{
    for (size_t i = 0; lines && lines[i]; i++)
        free(lines[i]);
    free(lines);
}

const char *fp_invoke_format(const char *text)
{
    if (!text)
        return NULL;
    if (!strcasecmp(text, "http"))
        return "http";
    if (!strcasecmp(text, "cloudevent") || !strcasecmp(text, "cloudevents"))
        return "cloudevent";
    return NULL;
}
