#include "util/log.h"

#include <stdio.h>
#include <string.h>

#include "util/progress.h"
#include "util/term.h"

static int verbose;
static int stderr_tty = -1;

void fp_log_setup(int v)
{
    verbose = v;
    stderr_tty = fp_term_is_tty(stderr);
}

int fp_log_verbose(void) { return verbose; }

int fp_log_enabled(funcp_log_level level)
{
    if (stderr_tty < 0)
        stderr_tty = fp_term_is_tty(stderr);
    switch (level) {
    case FUNCP_LOG_ERROR:
    case FUNCP_LOG_WARN:
    case FUNCP_LOG_NOTICE:
        return 1;
    case FUNCP_LOG_INFO:
        return verbose || stderr_tty;
    default:
        return verbose;
    }
}

void fp_logv(funcp_log_level level, const char *fmt, va_list ap)
{
    if (!fp_log_enabled(level))
        return;
    fp_progress_clear();
    const char *tag = "", *color = "";
    switch (level) {
    case FUNCP_LOG_ERROR: tag = "Error: "; color = fp_term_sgr(stderr, "1;31"); break;
    case FUNCP_LOG_WARN: tag = "Warning: "; color = fp_term_sgr(stderr, "33"); break;
    case FUNCP_LOG_DEBUG: color = fp_term_sgr(stderr, "2"); break;
    default: break;
    }
    char msg[4096];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t len = strlen(msg);
    while (len > 0 && msg[len - 1] == '\n')
        msg[--len] = '\0';
    fprintf(stderr, "%s%s%s%s\n", color, tag, msg, *color ? "\033[0m" : "");
    fflush(stderr);
}

void fp_log(funcp_log_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fp_logv(level, fmt, ap);
    va_end(ap);
}
