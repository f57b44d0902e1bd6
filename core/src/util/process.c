#include "util/process.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/cancel.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/progress.h"

extern char **environ;

struct funcp_child {
    pid_t pid;
    int exited;
    int exit_code;
};

enum { STOP_GRACE_MS = 2000 };

char *fp_which(const char *program)
{
    if (!program || !*program)
        return NULL;
    struct stat st;
    if (strchr(program, '/')) {
        if (stat(program, &st) == 0 && S_ISREG(st.st_mode) && access(program, X_OK) == 0)
            return strdup(program);
        return NULL;
    }
    const char *path = getenv("PATH");
    if (!path)
        path = "/usr/local/bin:/usr/bin:/bin";
    size_t plen = strlen(program);
    while (*path) {
        const char *end = strchr(path, ':');
        size_t dlen = end ? (size_t)(end - path) : strlen(path);
        /* An empty entry means the current directory; skip it. */
        if (dlen > 0) {
            char *full = malloc(dlen + plen + 2);
            if (!full)
                return NULL;
            memcpy(full, path, dlen);
            full[dlen] = '/';
            memcpy(full + dlen + 1, program, plen + 1);
            if (stat(full, &st) == 0 && S_ISREG(st.st_mode) && access(full, X_OK) == 0)
                return full;
            free(full);
        }
        if (!end)
            break;
        path = end + 1;
    }
    return NULL;
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static int decode_status(int status)
{
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return 255;
}

char **fp_env_merge(const char *const *extra)
{
    size_t n_env = 0, n_extra = 0;
    while (environ && environ[n_env])
        n_env++;
    while (extra && extra[n_extra])
        n_extra++;
    char **env = calloc(n_env + n_extra + 1, sizeof *env);
    if (!env)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < n_env; i++) {
        const char *eq = strchr(environ[i], '=');
        size_t klen = eq ? (size_t)(eq - environ[i]) : strlen(environ[i]);
        int overridden = 0;
        for (size_t j = 0; j < n_extra && !overridden; j++)
            overridden = strncmp(extra[j], environ[i], klen) == 0 && extra[j][klen] == '=';
        if (!overridden)
            env[n++] = environ[i];
    }
    for (size_t j = 0; j < n_extra; j++)
        if (strchr(extra[j], '='))
            env[n++] = (char *)extra[j];
    env[n] = NULL;
    return env;
}

static int set_cloexec(int fd)
{
    return fcntl(fd, F_SETFD, FD_CLOEXEC);
}

static int make_pipe(int fds[2])
{
    if (pipe(fds) != 0)
        return -1;
    set_cloexec(fds[0]);
    set_cloexec(fds[1]);
    return 0;
}

static void close_fd(int *fd)
{
    if (*fd >= 0) {
        close(*fd);
        *fd = -1;
    }
}

/* Fork and exec with the given fds as 0/1/2 (-1: /dev/null). */
static int start_child(const fp_proc_ctx *ctx, const funcp_process *proc, int in_fd,
                       int out_fd, int err_fd, pid_t *pid_out)
{
    if (!proc || !proc->argv || !proc->argv[0])
        return fp_error_set(FUNCP_EUSAGE, "run: no program given");
    const char *prog = proc->argv[0];
    char *path = fp_which(prog);
    if (!path)
        return fp_error_set(FUNCP_ETOOLCHAIN, "%s: not found on PATH", prog);
    char **env = fp_env_merge(proc->env);
    if (!env) {
        free(path);
        return fp_error_set(FUNCP_ERROR, "out of memory");
    }
    const char *cwd = proc->cwd ? proc->cwd : ctx ? ctx->default_cwd : NULL;
    int status_pipe[2];
    int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (devnull < 0 || make_pipe(status_pipe) != 0) {
        int rc = fp_error_set(FUNCP_ERROR, "start %s: %s", prog, strerror(errno));
        if (devnull >= 0)
            close(devnull);
        free(path);
        free(env);
        return rc;
    }
    if (fp_log_enabled(FUNCP_LOG_DEBUG)) {
        /* argv only: the environment may carry secrets. */
        char line[1024];
        size_t n = 0;
        if (cwd)
            n = (size_t)snprintf(line, sizeof line, "cd %s && ", cwd);
        for (size_t i = 0; proc->argv[i] && n < sizeof line - 1; i++)
            n += (size_t)snprintf(line + n, sizeof line - n, "%s%s", i ? " " : "", proc->argv[i]);
        fp_log(FUNCP_LOG_DEBUG, "%s", line);
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        int rc = fp_error_set(FUNCP_ERROR, "start %s: fork: %s", prog, strerror(errno));
        close(devnull);
        close(status_pipe[0]);
        close(status_pipe[1]);
        free(path);
        free(env);
        return rc;
    }
    if (pid == 0) {
        /* Child: only async-signal-safe calls until exec. */
        setpgid(0, 0);
        struct sigaction dfl;
        memset(&dfl, 0, sizeof dfl);
        dfl.sa_handler = SIG_DFL;
        sigaction(SIGINT, &dfl, NULL);
        sigaction(SIGTERM, &dfl, NULL);
        sigaction(SIGPIPE, &dfl, NULL);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        int fds[3] = {in_fd, out_fd, err_fd};
        for (int i = 0; i < 3; i++) {
            int src = fds[i] == -1 ? devnull : fds[i] == -2 ? i : fds[i];
            if (src != i)
                dup2(src, i);
            else
                fcntl(i, F_SETFD, 0);
        }
        int stage = 0;
        if (cwd && chdir(cwd) != 0) {
            stage = 1;
        } else {
            execve(path, (char *const *)proc->argv, env);
            stage = 2;
        }
        int report[2] = {stage, errno};
        ssize_t w = write(status_pipe[1], report, sizeof report);
        (void)w;
        _exit(127);
    }
    setpgid(pid, pid); /* also here: no race with a signal before the child runs */
    close(status_pipe[1]);
    close(devnull);
    free(env);
    int report[2];
    ssize_t r;
    do {
        r = read(status_pipe[0], report, sizeof report);
    } while (r < 0 && errno == EINTR);
    close(status_pipe[0]);
    if (r == (ssize_t)sizeof report) {
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
        int rc = report[0] == 1
                     ? fp_error_set(FUNCP_EIO, "%s: cannot enter directory %s: %s", prog, cwd,
                                    strerror(report[1]))
                     : fp_error_set(report[1] == ENOENT ? FUNCP_ETOOLCHAIN : FUNCP_ERROR,
                                    "%s: cannot run %s: %s", prog, path, strerror(report[1]));
        free(path);
        return rc;
    }
    free(path);
    fp_cancel_track_group(pid);
    *pid_out = pid;
    return FUNCP_OK;
}

/* TERM the group, KILL after the grace period, reap the leader. */
static int stop_group(pid_t pid)
{
    int status = 0;
    kill(-pid, SIGTERM);
    long long deadline = now_ms() + STOP_GRACE_MS;
    for (;;) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid || (w < 0 && errno == ECHILD))
            break;
        if (now_ms() >= deadline) {
            kill(-pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
            break;
        }
        sleep_ms(20);
    }
    /* Whatever else is left in the group (grandchildren) goes too. */
    kill(-pid, SIGKILL);
    fp_cancel_untrack_group(pid);
    return decode_status(status);
}

int fp_process_run(const fp_proc_ctx *ctx, const funcp_process *proc,
                   funcp_process_result *result)
{
    if (!result)
        return fp_error_set(FUNCP_EUSAGE, "run: no result given");
    size_t rsize = result->struct_size ? result->struct_size : sizeof *result;
    memset(result, 0, rsize < sizeof *result ? rsize : sizeof *result);
    result->struct_size = rsize;
    if (fp_cancelled())
        return fp_error_set(FUNCP_ECANCELED, "canceled");
    unsigned flags = proc ? proc->flags : 0;
    int want_out = (flags & (FUNCP_PROC_CAPTURE_STDOUT | FUNCP_PROC_STREAM)) != 0;
    int want_err = (flags & (FUNCP_PROC_CAPTURE_STDERR | FUNCP_PROC_QUIET_STDERR)) != 0;
    int stream_fd = ctx && ctx->stream_fd > 0 ? ctx->stream_fd : STDOUT_FILENO;

    int in_pipe[2] = {-1, -1}, out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1};
    if ((proc && proc->stdin_data && make_pipe(in_pipe) != 0) ||
        (want_out && make_pipe(out_pipe) != 0) || (want_err && make_pipe(err_pipe) != 0)) {
        int rc = fp_error_set(FUNCP_ERROR, "run: pipe: %s", strerror(errno));
        for (int i = 0; i < 2; i++) {
            close_fd(&in_pipe[i]);
            close_fd(&out_pipe[i]);
            close_fd(&err_pipe[i]);
        }
        return rc;
    }
    pid_t pid;
    int rc = start_child(ctx, proc, in_pipe[0], want_out ? out_pipe[1] : -1,
                         want_err ? err_pipe[1] : -2, &pid);
    close_fd(&in_pipe[0]);
    close_fd(&out_pipe[1]);
    close_fd(&err_pipe[1]);
    if (rc != FUNCP_OK) {
        close_fd(&in_pipe[1]);
        close_fd(&out_pipe[0]);
        close_fd(&err_pipe[0]);
        return rc;
    }
    if (in_pipe[1] >= 0)
        fcntl(in_pipe[1], F_SETFL, fcntl(in_pipe[1], F_GETFL) | O_NONBLOCK);

    fp_buf out = {0}, err = {0};
    const char *in_data = proc->stdin_data;
    size_t in_left = in_data ? strlen(in_data) : 0;
    if (in_pipe[1] >= 0 && in_left == 0)
        close_fd(&in_pipe[1]);
    int status = 0, exited = 0, canceled = 0, oom = 0;
    long long drain_deadline = 0;

    /* One poll loop for stdin, stdout and stderr, so a child filling one
     * pipe while we wait on another can never deadlock. */
    while (out_pipe[0] >= 0 || err_pipe[0] >= 0 || in_pipe[1] >= 0 || !exited) {
        if (fp_cancelled()) {
            canceled = 1;
            break;
        }
        if (!exited) {
            pid_t w = waitpid(pid, &status, WNOHANG);
            if (w == pid) {
                exited = 1;
                /* A grandchild may hold the pipes open: read what is there,
                 * then stop waiting for end-of-file. */
                drain_deadline = now_ms() + 200;
                close_fd(&in_pipe[1]);
            }
        }
        if (exited && out_pipe[0] < 0 && err_pipe[0] < 0)
            break;
        if (exited && now_ms() > drain_deadline)
            break;
        struct pollfd pfd[3];
        int n = 0, idx_in = -1, idx_out = -1, idx_err = -1;
        if (in_pipe[1] >= 0) {
            idx_in = n;
            pfd[n++] = (struct pollfd){in_pipe[1], POLLOUT, 0};
        }
        if (out_pipe[0] >= 0) {
            idx_out = n;
            pfd[n++] = (struct pollfd){out_pipe[0], POLLIN, 0};
        }
        if (err_pipe[0] >= 0) {
            idx_err = n;
            pfd[n++] = (struct pollfd){err_pipe[0], POLLIN, 0};
        }
        int pr = poll(pfd, (nfds_t)n, exited ? 20 : 50);
        if (pr < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (idx_in >= 0 && pfd[idx_in].revents) {
            if (pfd[idx_in].revents & (POLLERR | POLLHUP)) {
                close_fd(&in_pipe[1]);
            } else {
                ssize_t w = write(in_pipe[1], in_data, in_left);
                if (w > 0) {
                    in_data += w;
                    in_left -= (size_t)w;
                } else if (w < 0 && errno != EAGAIN && errno != EINTR) {
                    in_left = 0; /* EPIPE: the child does not read stdin */
                }
                if (in_left == 0)
                    close_fd(&in_pipe[1]);
            }
        }
        char chunk[65536];
        if (idx_out >= 0 && pfd[idx_out].revents) {
            ssize_t r = read(out_pipe[0], chunk, sizeof chunk);
            if (r > 0) {
                if (flags & FUNCP_PROC_STREAM) {
                    fp_progress_clear();
                    (void)fp_write_all(stream_fd, chunk, (size_t)r);
                }
                if ((flags & FUNCP_PROC_CAPTURE_STDOUT) && fp_buf_append(&out, chunk, (size_t)r, 0))
                    oom = 1;
            } else if (r == 0 || (errno != EINTR && errno != EAGAIN)) {
                close_fd(&out_pipe[0]);
            }
        }
        if (idx_err >= 0 && pfd[idx_err].revents) {
            ssize_t r = read(err_pipe[0], chunk, sizeof chunk);
            if (r > 0) {
                if (fp_buf_append(&err, chunk, (size_t)r, 0))
                    oom = 1;
            } else if (r == 0 || (errno != EINTR && errno != EAGAIN)) {
                close_fd(&err_pipe[0]);
            }
        }
    }
    close_fd(&in_pipe[1]);
    close_fd(&out_pipe[0]);
    close_fd(&err_pipe[0]);

    if (canceled) {
        stop_group(pid);
        free(out.data);
        free(err.data);
        return fp_error_set(FUNCP_ECANCELED, "%s: canceled", proc->argv[0]);
    }
    if (!exited)
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
    kill(-pid, SIGKILL); /* leftovers of the group (background grandchildren) */
    fp_cancel_untrack_group(pid);
    result->exit_code = decode_status(status);
    if (oom) {
        free(out.data);
        free(err.data);
        return fp_error_set(FUNCP_ERROR, "%s: out of memory capturing output", proc->argv[0]);
    }
    if ((flags & FUNCP_PROC_QUIET_STDERR) && result->exit_code != 0 && err.len > 0) {
        fp_progress_clear();
        (void)fp_write_all(STDERR_FILENO, err.data, err.len);
    }
    if (flags & FUNCP_PROC_CAPTURE_STDOUT) {
        if (!out.data && fp_buf_append(&out, "", 0, 0))
            return fp_error_set(FUNCP_ERROR, "out of memory");
        result->out = out.data;
        result->out_len = out.len;
    } else {
        free(out.data);
    }
    if (flags & FUNCP_PROC_CAPTURE_STDERR) {
        if (!err.data && fp_buf_append(&err, "", 0, 0))
            return fp_error_set(FUNCP_ERROR, "out of memory");
        result->err = err.data;
        result->err_len = err.len;
    } else {
        free(err.data);
    }
    return FUNCP_OK;
}

int fp_process_spawn(const fp_proc_ctx *ctx, const funcp_process *proc, funcp_child **child)
{
    *child = NULL;
    if (!proc)
        return fp_error_set(FUNCP_EUSAGE, "spawn: no process given");
    if (proc->flags & (FUNCP_PROC_CAPTURE_STDOUT | FUNCP_PROC_CAPTURE_STDERR))
        return fp_error_set(FUNCP_EUSAGE, "spawn: a background process cannot capture output");
    if (proc->stdin_data)
        return fp_error_set(FUNCP_EUSAGE, "spawn: stdin_data is not supported");
    int stream_fd = ctx && ctx->stream_fd > 0 ? ctx->stream_fd : STDOUT_FILENO;
    int out_fd = (proc->flags & FUNCP_PROC_STREAM) ? stream_fd : -1;
    int err_fd = (proc->flags & FUNCP_PROC_QUIET_STDERR) ? -1 : -2;
    funcp_child *c = calloc(1, sizeof *c);
    if (!c)
        return fp_error_set(FUNCP_ERROR, "out of memory");
    int rc = start_child(ctx, proc, -1, out_fd, err_fd, &c->pid);
    if (rc != FUNCP_OK) {
        free(c);
        return rc;
    }
    *child = c;
    return FUNCP_OK;
}

int fp_process_wait(funcp_child *child, int timeout_ms, int *exit_code)
{
    if (!child)
        return fp_error_set(FUNCP_EUSAGE, "wait: no child given");
    long long deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
    for (;;) {
        if (!child->exited) {
            int status;
            pid_t w = waitpid(child->pid, &status, WNOHANG);
            if (w == child->pid) {
                child->exited = 1;
                child->exit_code = decode_status(status);
                fp_cancel_untrack_group(child->pid);
                kill(-child->pid, SIGKILL);
            } else if (w < 0 && errno == ECHILD) {
                child->exited = 1;
                child->exit_code = 255;
            }
        }
        if (child->exited) {
            if (exit_code)
                *exit_code = child->exit_code;
            return FUNCP_OK;
        }
        if (fp_cancelled())
            return fp_error_set(FUNCP_ECANCELED, "canceled");
        if (deadline >= 0 && now_ms() >= deadline)
            return fp_error_set(FUNCP_ETIMEOUT, "process %d still running", (int)child->pid);
        sleep_ms(10);
    }
}

void fp_process_stop(funcp_child *child)
{
    if (!child)
        return;
    if (!child->exited)
        stop_group(child->pid);
    free(child);
}

int fp_process_pid(const funcp_child *child)
{
    return child ? (int)child->pid : -1;
}
