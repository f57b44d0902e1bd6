#include "pcom/timeout.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

int pcom_timeout_ms(const funcp_host *host, funcp_call *call, long long def_ms, long long *ms)
{
    const char *t = host->option(call, "timeout-ms");
    if (!t || !*t) {
        *ms = def_ms;
        return FUNCP_OK;
    }
    char *end;
    errno = 0;
    long long v = strtoll(t, &end, 10);
    if (errno || *end || end == t || v <= 0) {
        const char *given = host->option(call, "timeout");
        return host->error(call, FUNCP_EUSAGE,
                           "invalid --timeout \"%s\": use a duration longer than zero, such as 90s or 2m",
                           given ? given : t);
    }
    *ms = v;
    return FUNCP_OK;
}

long long pcom_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
