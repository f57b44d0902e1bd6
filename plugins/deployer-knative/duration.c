/* --timeout: Go time.ParseDuration syntax ("1m30s", "500ms", "2h"), plus a
 * bare number of seconds as func's flags do not accept but users type. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "kn.h"

static double unit_ms(const char **p)
{
    static const struct { const char *u; double ms; } units[] = {
        {"ns", 1e-6}, {"us", 1e-3}, {"\xc2\xb5s", 1e-3}, {"ms", 1},
        {"s", 1000}, {"m", 60000}, {"h", 3600000},
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        size_t n = strlen(units[i].u);
        /* "m" must not swallow the "m" of "ms". */
        if (strncmp(*p, units[i].u, n) == 0 &&
            !(n == 1 && units[i].u[0] == 'm' && (*p)[1] == 's')) {
            *p += n;
            return units[i].ms;
        }
    }
    return -1;
}

long long kn_parse_duration(const char *text)
{
    const char *p = text;
    double total = 0;
    if (!p || !*p)
        return -1;
    if (strcmp(p, "0") == 0)
        return 0;
    int bare = 1;
    for (const char *q = p; *q; q++)
        if (!isdigit((unsigned char)*q))
            bare = 0;
    if (bare)
        return strtoll(p, NULL, 10) * 1000;
    while (*p) {
        char *end;
        if (!isdigit((unsigned char)*p) && *p != '.')
            return -1;
        double v = strtod(p, &end);
        if (end == p)
            return -1;
        p = end;
        double ms = unit_ms(&p);
        if (ms < 0)
            return -1;
        total += v * ms;
    }
    return (long long)(total + 0.5);
}

int kn_timeout_ms(const funcp_host *h, funcp_call *c, long long *ms)
{
    const char *t = h->option(c, "timeout");
    if (!t || !*t) {
        *ms = KN_DEFAULT_TIMEOUT_MS;
        return FUNCP_OK;
    }
    *ms = kn_parse_duration(t);
    if (*ms <= 0)
        return h->error(c, FUNCP_EUSAGE,
                        "invalid --timeout \"%s\": expected a duration such as 90s, 2m or 1m30s", t);
    return FUNCP_OK;
}
