/* --timeout takes Go durations, like func's flags. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wm.h"

static double unit_ms(const char **p)
{
    static const struct { const char *u; double ms; } units[] = {
        {"ns", 1e-6}, {"us", 1e-3}, {"\xc2\xb5s", 1e-3}, {"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000},
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        size_t n = strlen(units[i].u);
        if (strncmp(*p, units[i].u, n) == 0 && !(n == 1 && **p == 'm' && (*p)[1] == 's')) {
            *p += n;
            return units[i].ms;
        }
    }
    return -1;
}

long long wm_parse_duration(const char *text)
{
    const char *p = text;
    if (!p || !*p)
        return -1;
    if (strcmp(p, "0") == 0)
        return 0;
    double total = 0;
    while (*p) {
        if (!((*p >= '0' && *p <= '9') || *p == '.'))
            return -1;
        char *end;
        double v = strtod(p, &end);
        if (end == p)
            return -1;
        p = end;
        double ms = unit_ms(&p);
        if (ms < 0)
            return -1;
        total += v * ms;
        if (total > 1e12)
            return -1;
    }
    return (long long)(total + 0.5);
}

void wm_format_duration(long long ms, char *buf, size_t size)
{
    long long h = ms / 3600000, m = ms / 60000 % 60, s = ms / 1000 % 60, frac = ms % 1000;
    char sec[32];
    if (frac) {
        snprintf(sec, sizeof sec, "%lld.%03lld", s, frac);
        size_t n = strlen(sec);
        while (sec[n - 1] == '0')
            sec[--n] = '\0';
    } else {
        snprintf(sec, sizeof sec, "%lld", s);
    }
    if (h)
        snprintf(buf, size, "%lldh%lldm%ss", h, m, sec);
    else if (m)
        snprintf(buf, size, "%lldm%ss", m, sec);
    else if (ms >= 1000 || ms == 0)
        snprintf(buf, size, "%ss", sec);
    else
        snprintf(buf, size, "%lldms", ms);
}
