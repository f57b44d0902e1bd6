#include "util/progress.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/term.h"

static int drawn;     /* a bar is on screen */
static double last_draw;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void fp_format_bytes(uint64_t n, char *buf, unsigned size)
{
    static const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = (double)n;
    unsigned u = 0;
    while (v >= 1024 && u < 4) {
        v /= 1024;
        u++;
    }
    if (u == 0)
        snprintf(buf, size, "%llu B", (unsigned long long)n);
    else
        snprintf(buf, size, "%.1f %s", v, units[u]);
}

void fp_progress_clear(void)
{
    if (drawn) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        drawn = 0;
    }
}

void fp_progress(const char *label, uint64_t done, uint64_t total)
{
    if (!fp_term_is_tty(stderr))
        return;
    int finished = total > 0 && done >= total;
    double t = now_seconds();
    if (!finished && drawn && t - last_draw < 0.1)
        return;
    last_draw = t;
    char d[32], tot[32];
    fp_format_bytes(done, d, sizeof d);
    if (total > 0) {
        enum { WIDTH = 30 };
        unsigned fill = (unsigned)((double)done / (double)total * WIDTH);
        if (fill > WIDTH)
            fill = WIDTH;
        char bar[WIDTH + 1];
        memset(bar, '#', fill);
        memset(bar + fill, '-', WIDTH - fill);
        bar[WIDTH] = '\0';
        fp_format_bytes(total, tot, sizeof tot);
        fprintf(stderr, "\r\033[K%s [%s] %3u%% %s/%s", label, bar,
                (unsigned)((double)done * 100.0 / (double)total), d, tot);
    } else {
        fprintf(stderr, "\r\033[K%s %s", label, d);
    }
    drawn = 1;
    if (finished) {
        fputc('\n', stderr);
        drawn = 0;
    }
    fflush(stderr);
}
