/* Thread-local last error with a message chain, in the style of libgit2.
 * Every core function returns FUNCP_OK or a negative funcp_status and, on
 * failure, describes the problem here first. */
#ifndef FUNCP_UTIL_ERROR_H
#define FUNCP_UTIL_ERROR_H

#include <stdarg.h>

#include "funcp/plugin.h"
#include "util/api.h"

/* Replace the current error; returns `code` so callers can `return`. */
FP_API int fp_error_set(int code, const char *fmt, ...) FUNCP_PRINTF(2, 3);
FP_API int fp_error_setv(int code, const char *fmt, va_list ap);
/* Prefix the current message with context: "ctx: <old>". Returns the code.
 * With no current error, sets FUNCP_ERROR with the context alone. */
FP_API int fp_error_wrap(const char *fmt, ...) FUNCP_PRINTF(1, 2);
FP_API int fp_error_wrapv(const char *fmt, va_list ap);
/* Add a hint line shown under the message ("compatible deployers: wasm"). */
FP_API void fp_error_hint(const char *fmt, ...) FUNCP_PRINTF(1, 2);

FP_API int fp_error_code(void);            /* FUNCP_OK when there is none          */
FP_API const char *fp_error_message(void); /* "" when there is none                */
FP_API const char *fp_error_hint_text(void); /* "" when there is none              */
FP_API void fp_error_clear(void);

/* The documented process exit code for a status (README "Exit codes"). */
FP_API int fp_exit_code(int status);
/* A short stable name for a status ("incompatible"), for -o json. */
FP_API const char *fp_status_name(int status);

#endif
