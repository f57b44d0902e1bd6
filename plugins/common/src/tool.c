/* Running build tools through the host's child-process service. */
#include "pcom/tool.h"
#include "pcom/fs.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int pcom_verbose(const funcp_host *host, funcp_call *call)
{
    const char *v = host->option(call, "verbose");
    if (!v)
        return 0;
    return strcmp(v, "false") != 0 && strcmp(v, "0") != 0;
}

/* "a b 'c d'": the command line as a user could paste it. */
static char *join_argv(const char *const *argv)
{
    size_t cap = 1;
    for (size_t i = 0; argv[i]; i++)
        cap += strlen(argv[i]) + 3;
    char *s = malloc(cap);
    if (!s)
        return NULL;
    s[0] = '\0';
    for (size_t i = 0; argv[i]; i++) {
        int quote = argv[i][0] == '\0' || strpbrk(argv[i], " \t\"$") != NULL;
        if (i > 0)
            strcat(s, " ");
        if (quote)
            strcat(s, "'");
        strcat(s, argv[i]);
        if (quote)
            strcat(s, "'");
    }
    return s;
}

/* The last `max` bytes of a tool's stderr, without trailing newlines. */
static const char *tail(char *text, size_t len, size_t max)
{
    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
        text[--len] = '\0';
    return len > max ? text + len - max : text;
}

int pcom_run_tool(const funcp_host *host, funcp_call *call, const char *cwd,
                  const char *const *argv, char **out)
{
    int verbose = pcom_verbose(host, call);
    const char *dir = cwd ? cwd : host->function_root(call);
    /* For error messages only: under --verbose the host's run() already
     * logs "cd <dir> && <argv>", so the command is not echoed here. */
    char *line = join_argv(argv);
    if (!line)
        return host->error(call, FUNCP_ERROR, "out of memory");

    funcp_process proc = {sizeof proc, argv, NULL, dir, 0, NULL};
    if (out)
        proc.flags = FUNCP_PROC_CAPTURE_STDOUT | FUNCP_PROC_CAPTURE_STDERR;
    else if (verbose)
        proc.flags = FUNCP_PROC_STREAM;
    else
        proc.flags = FUNCP_PROC_CAPTURE_STDOUT | FUNCP_PROC_CAPTURE_STDERR;
    funcp_process_result res;
    memset(&res, 0, sizeof res);
    res.struct_size = sizeof res;
    int rc = host->run(call, &proc, &res);
    if (rc == FUNCP_ETOOLCHAIN)
        rc = host->error(call, FUNCP_ETOOLCHAIN, "%s not found on PATH", argv[0]);
    else if (rc == FUNCP_OK && res.exit_code != 0) {
        if (res.err && res.err_len > 0)
            rc = host->error(call, FUNCP_EBUILD, "%s failed (exit code %d):\n%s", line,
                             res.exit_code, tail(res.err, res.err_len, 8192));
        else
            rc = host->error(call, FUNCP_EBUILD, "%s failed (exit code %d)", line,
                             res.exit_code);
    } else if (rc == FUNCP_OK && out) {
        *out = strdup(res.out ? res.out : "");
        if (!*out)
            rc = host->error(call, FUNCP_ERROR, "out of memory");
    }
    if (res.out)
        host->free(res.out);
    if (res.err)
        host->free(res.err);
    free(line);
    return rc;
}

int pcom_parse_version(const char *text, const char *marker, int *major, int *minor)
{
    const char *p = text;
    if (marker) {
        p = strstr(text, marker);
        if (!p)
            return -1;
        p += strlen(marker);
    }
    while (*p && !isdigit((unsigned char)*p))
        p++;
    char *end;
    long ma = strtol(p, &end, 10);
    if (end == p || *end != '.')
        return -1;
    const char *q = end + 1;
    long mi = strtol(q, &end, 10);
    if (end == q)
        return -1;
    *major = (int)ma;
    *minor = (int)mi;
    return 0;
}

int pcom_require_toolchain(const funcp_host *host, funcp_call *call, const pcom_toolchain *tc)
{
    char *path = host->which(call, tc->program);
    if (!path)
        return host->error(call, FUNCP_ETOOLCHAIN,
                           "%s not found on PATH: install %s %d.%d or newer %s", tc->program,
                           tc->display, tc->min_major, tc->min_minor, tc->install_hint);
    host->free(path);
    const char *argv[] = {tc->program, tc->version_arg, NULL};
    char *out = NULL;
    int rc = pcom_run_tool(host, call, NULL, argv, &out);
    if (rc != FUNCP_OK)
        return host->error_wrap(call, "check %s version", tc->program);
    int major, minor;
    if (pcom_parse_version(out, tc->version_marker, &major, &minor) != 0) {
        host->log(call, FUNCP_LOG_WARN, "could not read the %s version from \"%s %s\"; "
                  "%s %d.%d or newer is needed", tc->program, tc->program, tc->version_arg,
                  tc->display, tc->min_major, tc->min_minor);
    } else if (major < tc->min_major || (major == tc->min_major && minor < tc->min_minor)) {
        rc = host->error(call, FUNCP_ETOOLCHAIN,
                         "%s %d.%d is too old: install %s %d.%d or newer %s", tc->program,
                         major, minor, tc->display, tc->min_major, tc->min_minor,
                         tc->install_hint);
    }
    free(out);
    return rc;
}
