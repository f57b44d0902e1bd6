/* The time a deployer may wait (--timeout). The core parses --timeout (and
 * FUNC_TIMEOUT) and hands it over as option "timeout-ms", so a bad duration
 * is a usage error before any plugin runs; plugins do not parse durations. */
#ifndef PCOM_TIMEOUT_H
#define PCOM_TIMEOUT_H

#include <funcp/plugin.h>

/* *ms from option "timeout-ms", or def_ms when the command has no
 * --timeout. FUNCP_EUSAGE for a zero timeout (nothing could become ready in
 * it), naming the value the user gave. */
int pcom_timeout_ms(const funcp_host *host, funcp_call *call, long long def_ms, long long *ms);

/* A monotonic clock in milliseconds, for deadlines. */
long long pcom_now_ms(void);

#endif
