/* --timeout shown the way func shows a Go time.Duration. */
#include <stdio.h>
#include <string.h>

#include "wm.h"

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
