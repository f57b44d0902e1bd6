/* A funcp_host for driving runtime plugin code in tests, without the core:
 * func.yaml is a flat list of path -> value, child processes really run
 * (so PATH shims work), OCI pulls come from a table of fixtures. */
#ifndef RUNTIMES_FAKE_HOST_H
#define RUNTIMES_FAKE_HOST_H

#include <funcp/plugin.h>
#include <stddef.h>

#define FAKE_MAX 64

struct funcp_call {
    char root[4096];
    /* func.yaml: scalars by path, in insertion order */
    char *fy_path[FAKE_MAX];
    char *fy_value[FAKE_MAX];
    size_t n_fy;
    /* OCI: ref -> path of a file or directory (a directory is pulled as a tar) */
    const char *oci_ref[FAKE_MAX];
    const char *oci_src[FAKE_MAX];
    size_t n_oci;
    size_t n_pulls;
    int verbose;
    int cancel_after;   /* cancelled() returns 1 from this poll on; 0: never */
    int cancel_polls;
    int last_code;
    char error[16384];
    char logs[65536];   /* "LEVEL: message\n" lines */
    unsigned last_run_flags;
};

/* The host table (struct_size = sizeof(funcp_host)). */
extern const funcp_host fake_host;

/* A fresh call whose function root is a new temp directory. */
funcp_call *fake_call_new(void);
/* Remove the temp root and free everything. */
void fake_call_free(funcp_call *call);

void fake_fy_set(funcp_call *call, const char *path, const char *value);
void fake_oci_add(funcp_call *call, const char *ref, const char *src);

/* Test helpers on files under a directory. */
void write_text(const char *dir, const char *rel, const char *text);
char *read_text(const char *dir, const char *rel); /* NULL if missing; free() */
int path_exists(const char *dir, const char *rel);
void run_shell(const char *fmt, ...);

/* Prepend tests/runtimes/shims to PATH (once per process); return the
 * path of the argv log the shims append to (truncated). */
const char *shims_on_path(void);
/* The argv log so far ("" if none); free(). */
char *shim_log(void);
/* Put only the shims (and the basic shell tools) on PATH, hiding real
 * toolchains; `without` names shims to hide, space separated. */
void shims_only(const char *without);

#endif
