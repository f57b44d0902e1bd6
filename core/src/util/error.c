#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Messages are short; a fixed buffer keeps error reporting allocation-free so
 * it works on the out-of-memory path too. Longer chains are truncated. */
enum { MESSAGE_MAX = 4096 };

static _Thread_local int current_code;
static _Thread_local char current_message[MESSAGE_MAX];
static _Thread_local char current_hint[MESSAGE_MAX];

int fp_error_setv(int code, const char *fmt, va_list ap)
{
    current_code = code ? code : FUNCP_ERROR;
    vsnprintf(current_message, sizeof current_message, fmt, ap);
    current_hint[0] = '\0';
    return current_code;
}

int fp_error_set(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fp_error_setv(code, fmt, ap);
    va_end(ap);
    return current_code;
}

int fp_error_wrapv(const char *fmt, va_list ap)
{
    char context[MESSAGE_MAX];
    vsnprintf(context, sizeof context, fmt, ap);
    if (current_code == FUNCP_OK) {
        current_code = FUNCP_ERROR;
        snprintf(current_message, sizeof current_message, "%s", context);
        return current_code;
    }
    /* Shift the old message right and put "context: " in front; a chain
     * longer than the buffer loses its tail, never its head. */
    size_t ctx_len = strlen(context);
    if (ctx_len + 2 >= sizeof current_message)
        ctx_len = sizeof current_message - 3;
    size_t old_len = strlen(current_message);
    size_t room = sizeof current_message - 1 - (ctx_len + 2);
    if (old_len > room)
        old_len = room;
    memmove(current_message + ctx_len + 2, current_message, old_len);
    current_message[ctx_len + 2 + old_len] = '\0';
    memcpy(current_message, context, ctx_len);
    current_message[ctx_len] = ':';
    current_message[ctx_len + 1] = ' ';
    return current_code;
}

int fp_error_wrap(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int code = fp_error_wrapv(fmt, ap);
    va_end(ap);
    return code;
}

void fp_error_hint(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(current_hint, sizeof current_hint, fmt, ap);
    va_end(ap);
}

int fp_error_code(void) { return current_code; }
const char *fp_error_message(void) { return current_message; }
const char *fp_error_hint_text(void) { return current_hint; }

void fp_error_clear(void)
{
    current_code = FUNCP_OK;
    current_message[0] = '\0';
    current_hint[0] = '\0';
}

static const struct {
    int status;
    int exit_code;
    const char *name;
} status_table[] = {
    {FUNCP_OK, 0, "ok"},
    {FUNCP_ERROR, 1, "error"},
    {FUNCP_EUSAGE, 2, "usage"},
    {FUNCP_EINCOMPATIBLE, 3, "incompatible"},
    {FUNCP_ENOPLUGIN, 4, "no-plugin"},
    {FUNCP_EIO, 5, "io"},
    {FUNCP_EPARSE, 5, "parse"},
    {FUNCP_ENOTSUPPORTED, 4, "not-supported"},
    {FUNCP_ENOTFOUND, 6, "not-found"},
    {FUNCP_ETOOLCHAIN, 7, "toolchain"},
    {FUNCP_EBUILD, 8, "build"},
    {FUNCP_ENETWORK, 9, "network"},
    {FUNCP_EAUTH, 10, "auth"},
    {FUNCP_ETIMEOUT, 11, "timeout"},
    {FUNCP_EDEPLOY, 12, "deploy"},
    {FUNCP_EEXISTS, 13, "exists"},
    {FUNCP_ECANCELED, 130, "canceled"},
};

int fp_exit_code(int status)
{
    for (size_t i = 0; i < sizeof status_table / sizeof status_table[0]; i++)
        if (status_table[i].status == status)
            return status_table[i].exit_code;
    return 1;
}

const char *fp_status_name(int status)
{
    for (size_t i = 0; i < sizeof status_table / sizeof status_table[0]; i++)
        if (status_table[i].status == status)
            return status_table[i].name;
    return "error";
}
