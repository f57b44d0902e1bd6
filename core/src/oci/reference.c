#include "oci/reference.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "util/error.h"

enum { NAME_MAX_TOTAL = 255, TAG_MAX = 128 };

static int bad(const char *text, const char *why)
{
    return fp_error_set(FUNCP_EUSAGE, "invalid image reference \"%s\": %s", text, why);
}

int fp_oci_digest_valid(const char *digest)
{
    if (strncmp(digest, "sha256:", 7) != 0)
        return 0;
    const char *hex = digest + 7;
    size_t n = 0;
    for (; hex[n]; n++)
        if (!isdigit((unsigned char)hex[n]) && !(hex[n] >= 'a' && hex[n] <= 'f'))
            return 0;
    return n == 64;
}

static int is_lower_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* path-component: [a-z0-9]+ ((\.|_|__|-+)[a-z0-9]+)* */
static int path_component_valid(const char *s, size_t n)
{
    if (n == 0 || !is_lower_alnum(s[0]) || !is_lower_alnum(s[n - 1]))
        return 0;
    for (size_t i = 1; i < n;) {
        if (is_lower_alnum(s[i])) {
            i++;
            continue;
        }
        size_t j = i;
        if (s[i] == '.') {
            j++;
        } else if (s[i] == '_') {
            j++;
            if (j < n && s[j] == '_')
                j++;
        } else if (s[i] == '-') {
            while (j < n && s[j] == '-')
                j++;
        } else {
            return 0;
        }
        if (j >= n || !is_lower_alnum(s[j]))
            return 0;
        i = j;
    }
    return 1;
}

/* domain: labels of [A-Za-z0-9-] not starting/ending with '-', dot
 * separated, optional :port; or a bracketed IPv6 address with port. */
static int domain_valid(const char *s, size_t n)
{
    size_t host_end = n;
    if (n > 0 && s[0] == '[') {
        const char *close = memchr(s, ']', n);
        if (!close)
            return 0;
        for (const char *p = s + 1; p < close; p++)
            if (!isxdigit((unsigned char)*p) && *p != ':')
                return 0;
        host_end = (size_t)(close - s) + 1;
        if (host_end == 2)
            return 0;
    } else {
        const char *colon = memchr(s, ':', n);
        if (colon)
            host_end = (size_t)(colon - s);
        if (host_end == 0)
            return 0;
        size_t label = 0;
        for (size_t i = 0; i <= host_end; i++) {
            if (i == host_end || s[i] == '.') {
                if (label == 0 || s[i - 1] == '-')
                    return 0;
                label = 0;
                continue;
            }
            if (!isalnum((unsigned char)s[i]) && s[i] != '-')
                return 0;
            if (label == 0 && s[i] == '-')
                return 0;
            label++;
        }
    }
    if (host_end < n) {
        if (s[host_end] != ':' || host_end + 1 == n || n - host_end - 1 > 5)
            return 0;
        for (size_t i = host_end + 1; i < n; i++)
            if (!isdigit((unsigned char)s[i]))
                return 0;
    }
    return 1;
}

static int tag_valid(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > TAG_MAX)
        return 0;
    if (!isalnum((unsigned char)s[0]) && s[0] != '_')
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '.' && s[i] != '-')
            return 0;
    return 1;
}

int fp_oci_ref_parse(const char *text, fp_oci_ref *ref)
{
    memset(ref, 0, sizeof *ref);
    if (!text || !*text)
        return bad(text ? text : "", "empty");
    char buf[1024];
    if (strlen(text) >= sizeof buf)
        return bad(text, "too long");
    strcpy(buf, text);
    for (const char *p = buf; *p; p++)
        if (isspace((unsigned char)*p) || !isprint((unsigned char)*p))
            return bad(text, "contains a space or control character");

    char *at = strchr(buf, '@');
    if (at) {
        *at = '\0';
        if (!fp_oci_digest_valid(at + 1))
            return bad(text, "digest must be sha256: followed by 64 lowercase hex digits");
        strcpy(ref->digest, at + 1);
    }
    /* The tag follows the last ':' after the last '/' (a ':' before it
     * belongs to host:port). */
    char *slash = strrchr(buf, '/');
    char *colon = strrchr(slash ? slash : buf, ':');
    if (colon) {
        *colon = '\0';
        if (!tag_valid(colon + 1))
            return bad(text, "tag must be 1-128 of [A-Za-z0-9_.-], not starting with '.' or '-'");
        strcpy(ref->tag, colon + 1);
    }
    if (!buf[0])
        return bad(text, "missing repository name");

    /* Is the first component a registry host? As docker: it holds '.' or
     * ':', is "localhost", or has upper case letters. */
    char *first_slash = strchr(buf, '/');
    const char *path = buf;
    if (first_slash) {
        size_t n = (size_t)(first_slash - buf);
        int host = memchr(buf, '.', n) || memchr(buf, ':', n) || (n == 9 && !strncmp(buf, "localhost", 9));
        for (size_t i = 0; i < n && !host; i++)
            host = isupper((unsigned char)buf[i]);
        if (host) {
            if (!domain_valid(buf, n))
                return bad(text, "registry host is not a valid host[:port]");
            if (n >= sizeof ref->registry)
                return bad(text, "registry host too long");
            memcpy(ref->registry, buf, n);
            path = first_slash + 1;
        }
    }
    if (!ref->registry[0] || !strcmp(ref->registry, "index.docker.io"))
        strcpy(ref->registry, "docker.io");

    /* Validate each path component. */
    if (!*path)
        return bad(text, "missing repository name");
    for (const char *p = path;;) {
        const char *end = strchr(p, '/');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (!path_component_valid(p, n)) {
            char why[320];
            snprintf(why, sizeof why,
                     "repository component \"%.*s\" must be lowercase letters and digits "
                     "separated by '.', '_', '__' or '-'",
                     (int)(n > 200 ? 200 : n), p);
            return bad(text, why);
        }
        if (!end)
            break;
        p = end + 1;
    }
    int docker_hub = !strcmp(ref->registry, "docker.io");
    int needs_library = docker_hub && !strchr(path, '/');
    size_t len = strlen(path) + (needs_library ? 8 : 0);
    if (len > NAME_MAX_TOTAL || strlen(ref->registry) + 1 + len > NAME_MAX_TOTAL)
        return bad(text, "name longer than 255 characters");
    if (snprintf(ref->repository, sizeof ref->repository, "%s%s", needs_library ? "library/" : "", path) >=
        (int)sizeof ref->repository)
        return bad(text, "name longer than 255 characters");
    strcpy(ref->api_host, docker_hub ? "registry-1.docker.io" : ref->registry);
    if (!ref->tag[0] && !ref->digest[0])
        strcpy(ref->tag, "latest");
    return FUNCP_OK;
}

static int fit(int n, size_t size)
{
    if (n < 0 || (size_t)n >= size)
        return fp_error_set(FUNCP_EUSAGE, "image reference too long");
    return FUNCP_OK;
}

int fp_oci_ref_format(const fp_oci_ref *ref, char *buf, size_t size)
{
    if (ref->digest[0])
        return fit(snprintf(buf, size, "%s/%s@%s", ref->registry, ref->repository, ref->digest), size);
    return fit(snprintf(buf, size, "%s/%s:%s", ref->registry, ref->repository, ref->tag), size);
}

int fp_oci_ref_pinned(const fp_oci_ref *ref, const char *digest, char *buf, size_t size)
{
    return fit(snprintf(buf, size, "%s/%s@%s", ref->registry, ref->repository, digest), size);
}

const char *fp_oci_ref_target(const fp_oci_ref *ref)
{
    return ref->tag[0] ? ref->tag : ref->digest;
}
