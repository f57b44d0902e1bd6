/* Running build tools through the host, the way both runtimes need it:
 * stream their output under --verbose (the host's run() echoes the command
 * then), otherwise keep them quiet and show stderr when they fail. */
#ifndef PCOM_TOOL_H
#define PCOM_TOOL_H

#include <funcp/plugin.h>

/* Non-zero when the user asked for --verbose. */
int pcom_verbose(const funcp_host *host, funcp_call *call);

/* Run argv in cwd (NULL: the function root). When out is non-NULL the
 * tool's stdout is captured into *out (malloc'ed, caller frees) and not
 * streamed. A non-zero exit is FUNCP_EBUILD "<tool> failed (exit code N)"
 * followed by the tool's stderr. */
int pcom_run_tool(const funcp_host *host, funcp_call *call, const char *cwd,
                  const char *const *argv, char **out);

/* Describes a toolchain requirement. */
typedef struct pcom_toolchain {
    const char *program;        /* "tinygo"                               */
    const char *display;        /* "TinyGo"                               */
    const char *version_arg;    /* "version" or "--version"               */
    const char *version_marker; /* text right before the version: "go"    */
    int min_major, min_minor;
    const char *install_hint;   /* "from https://tinygo.org (and wasm-tools)" */
} pcom_toolchain;

/* FUNCP_ETOOLCHAIN unless the program is on PATH and at least the minimum
 * version ("<prog> not found on PATH: install <display> M.N or newer <hint>").
 * A version that cannot be read is only a warning. */
int pcom_require_toolchain(const funcp_host *host, funcp_call *call, const pcom_toolchain *tc);

/* Parse the first "MAJOR.MINOR" after marker in text (marker NULL: the first
 * digits). Returns 0 and fills major/minor, or -1. */
int pcom_parse_version(const char *text, const char *marker, int *major, int *minor);

#endif
