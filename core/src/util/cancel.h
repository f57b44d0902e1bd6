/* Ctrl-C handling: SIGINT/SIGTERM set a flag that long work polls; a second
 * one kills the process groups of running children and exits (130). */
#ifndef FUNCP_UTIL_CANCEL_H
#define FUNCP_UTIL_CANCEL_H

#include <signal.h>
#include <sys/types.h>

/* Install the handlers (and ignore SIGPIPE: a closed pipe is an error code). */
void fp_cancel_install(void);
int fp_cancelled(void);
/* Ask to stop, as Ctrl-C would (tests, and timeouts). */
void fp_cancel_request(void);
void fp_cancel_reset(void);

/* Process groups of live children, killed on a second Ctrl-C. */
void fp_cancel_track_group(pid_t pgid);
void fp_cancel_untrack_group(pid_t pgid);

#endif
