/* Child processes for the host services run/spawn/child_wait/child_stop/which.
 *
 * Every child runs in its own process group so that Ctrl-C (which reaches
 * only funcp's group) is turned into an orderly stop: TERM to the group,
 * KILL after 2 s, then reap. Output handling (funcp_process.flags):
 *  - stdout: CAPTURE_STDOUT collects it; STREAM copies it to the user
 *    (`stream_fd`); both may be set; with neither it is discarded.
 *  - stderr: CAPTURE_STDERR collects it; QUIET_STDERR collects it and shows
 *    it only when the exit code is non-zero; otherwise it goes to the
 *    user's stderr unchanged. */
#ifndef FUNCP_UTIL_PROCESS_H
#define FUNCP_UTIL_PROCESS_H

#include "funcp/plugin.h"
#include "util/api.h"

/* Our environment with `extra` NAME=VALUE entries replacing or added (an
 * entry without '=' is ignored): a NULL-terminated, malloc'ed array whose
 * strings are borrowed. Exported for the network module (exec credentials). */
FP_API char **fp_env_merge(const char *const *extra);

typedef struct fp_proc_ctx {
    const char *default_cwd; /* used when proc->cwd is NULL; NULL: ours   */
    int stream_fd;           /* where STREAM copies stdout (1 or 2)       */
} fp_proc_ctx;

/* Run to completion (see funcp_host.run). result->out/err: free(). */
int fp_process_run(const fp_proc_ctx *ctx, const funcp_process *proc,
                   funcp_process_result *result);

/* Start in the background. Output is streamed or discarded, never
 * captured (capture flags are a usage error), and stdin_data must be NULL:
 * a long-running child would otherwise need a writer thread. */
int fp_process_spawn(const fp_proc_ctx *ctx, const funcp_process *proc,
                     funcp_child **child);
/* Wait up to timeout_ms (-1 forever): FUNCP_OK with *exit_code once it
 * exited, FUNCP_ETIMEOUT, or FUNCP_ECANCELED on Ctrl-C. */
int fp_process_wait(funcp_child *child, int timeout_ms, int *exit_code);
/* TERM the group, KILL after 2 s, reap, free. NULL is fine. */
void fp_process_stop(funcp_child *child);
/* The child's process id (tests). */
int fp_process_pid(const funcp_child *child);

/* Full path of `program` on PATH (or itself when it has a '/'), malloc'ed;
 * NULL when not found or not executable. */
char *fp_which(const char *program);

#endif
