/* Messages for the user on stderr. One process runs one command, so the
 * verbosity is process-wide: ERROR, WARN and NOTICE always, INFO on a
 * terminal or with --verbose, DEBUG with --verbose only. Never pass secrets here. */
#ifndef FUNCP_UTIL_LOG_H
#define FUNCP_UTIL_LOG_H

#include <stdarg.h>

#include "funcp/plugin.h"

void fp_log_setup(int verbose);
int fp_log_verbose(void);
/* 1 when a message of `level` would be shown. */
int fp_log_enabled(funcp_log_level level);
void fp_log(funcp_log_level level, const char *fmt, ...) FUNCP_PRINTF(2, 3);
void fp_logv(funcp_log_level level, const char *fmt, va_list ap);

#endif
