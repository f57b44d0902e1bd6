#include "util/cancel.h"

#include <string.h>
#include <unistd.h>

enum { MAX_GROUPS = 64 };

static volatile sig_atomic_t cancel_flag;
static volatile sig_atomic_t groups[MAX_GROUPS];

static void on_signal(int sig)
{
    (void)sig;
    if (cancel_flag) {
        for (int i = 0; i < MAX_GROUPS; i++)
            if (groups[i] > 0)
                kill(-(pid_t)groups[i], SIGKILL);
        static const char msg[] = "\nfuncp: interrupted twice, exiting\n";
        ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1);
        (void)w;
        _exit(130);
    }
    cancel_flag = 1;
}

void fp_cancel_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    /* No SA_RESTART: a blocking poll() or read() returns EINTR at once. */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

int fp_cancelled(void) { return cancel_flag != 0; }
void fp_cancel_request(void) { cancel_flag = 1; }
void fp_cancel_reset(void) { cancel_flag = 0; }

void fp_cancel_track_group(pid_t pgid)
{
    for (int i = 0; i < MAX_GROUPS; i++)
        if (groups[i] == 0) {
            groups[i] = pgid;
            return;
        }
}

void fp_cancel_untrack_group(pid_t pgid)
{
    for (int i = 0; i < MAX_GROUPS; i++)
        if (groups[i] == pgid)
            groups[i] = 0;
}
