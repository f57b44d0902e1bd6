/* Parallel search for //go:generate: a shared queue of directories served
 * by a bounded pool of threads. The calling thread only waits, polling for
 * cancellation, so host callbacks are never called from a worker. */
#include "gogen_scan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DIRECTIVE "//go:generate"
#define DIRECTIVE_LEN (sizeof DIRECTIVE - 1)

typedef struct scan {
    pthread_mutex_t lock;
    pthread_cond_t work;  /* a directory was queued, or the scan ended */
    pthread_cond_t done;  /* pending reached 0 or stop was set          */
    char **queue;
    size_t n_queue, cap_queue;
    size_t pending;       /* queued + being read                        */
    atomic_int stop;      /* found, canceled or out of memory; written
                             under the lock, read anywhere              */
    int found;
    int failed;
} scan;

/* Does the file open on fd hold a line starting with the directive? Reads
 * with plain read(2) (no stdio buffer to allocate) and looks only at line
 * starts, jumping to the next newline with memchr. */
static int fd_has_directive(int fd)
{
    char buf[8192];
    size_t have = 0;  /* bytes of the directive matched at this line start */
    int skip = 0;     /* this line is not a directive: look for its end */
    ssize_t got;
    while ((got = read(fd, buf, sizeof buf)) > 0) {
        size_t n = (size_t)got, i = 0;
        while (i < n) {
            if (skip) {
                const char *nl = memchr(buf + i, '\n', n - i);
                if (!nl)
                    break;
                i = (size_t)(nl - buf) + 1;
                skip = 0;
                have = 0;
                continue;
            }
            size_t k = DIRECTIVE_LEN - have;
            if (k > n - i)
                k = n - i;
            /* a newline inside these k bytes mismatches too: the directive
             * has none, and skip then finds that newline */
            if (memcmp(buf + i, &DIRECTIVE[have], k) != 0) {
                skip = 1;
                continue;
            }
            have += k;
            i += k;
            if (have == DIRECTIVE_LEN)
                return 1;
        }
    }
    return 0;
}

int gogen_file_has_directive(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    int found = fd_has_directive(fd);
    close(fd);
    return found;
}

static int skipped_dir(const char *name)
{
    return strcmp(name, "vendor") == 0 || strcmp(name, ".git") == 0 ||
           strcmp(name, "node_modules") == 0;
}

static int is_go_file(const char *name)
{
    size_t n = strlen(name);
    return n > 3 && strcmp(name + n - 3, ".go") == 0;
}

/* Queue a directory (takes ownership of path). Called with the lock held. */
static void push_locked(scan *s, char *path)
{
    if (s->n_queue == s->cap_queue) {
        size_t cap = s->cap_queue ? s->cap_queue * 2 : 64;
        char **q = realloc(s->queue, cap * sizeof *q);
        if (!q) {
            free(path);
            s->failed = 1;
            atomic_store(&s->stop, 1);
            pthread_cond_broadcast(&s->done);
            return;
        }
        s->queue = q;
        s->cap_queue = cap;
    }
    s->queue[s->n_queue++] = path;
    s->pending++;
    pthread_cond_signal(&s->work);
}

static void set_found(scan *s)
{
    pthread_mutex_lock(&s->lock);
    s->found = 1;
    atomic_store(&s->stop, 1);
    pthread_cond_broadcast(&s->work);
    pthread_cond_broadcast(&s->done);
    pthread_mutex_unlock(&s->lock);
}

/* Checked for every directory entry, so without the lock. */
static int stopped(scan *s)
{
    return atomic_load_explicit(&s->stop, memory_order_relaxed);
}

static void read_dir(scan *s, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return; /* unreadable: nothing we could generate from either */
    int dfd = dirfd(d);
    struct dirent *e;
    while (!stopped(s) && (e = readdir(d)) != NULL) {
        const char *name = e->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            continue;
        int type = e->d_type;
        if (type == DT_UNKNOWN) {
            struct stat st;
            type = fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 ? DT_UNKNOWN
                 : S_ISDIR(st.st_mode) ? DT_DIR
                 : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
        }
        if (type == DT_DIR && !skipped_dir(name)) {
            size_t len = strlen(dir) + strlen(name) + 2;
            char *path = malloc(len);
            if (!path)
                break;
            snprintf(path, len, "%s/%s", dir, name);
            pthread_mutex_lock(&s->lock);
            push_locked(s, path);
            pthread_mutex_unlock(&s->lock);
        } else if (type == DT_REG && is_go_file(name)) {
            /* relative to the directory: no path to build per file */
            int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
            if (fd >= 0) {
                int found = fd_has_directive(fd);
                close(fd);
                if (found)
                    set_found(s);
            }
        }
    }
    closedir(d);
}

static void *worker(void *arg)
{
    scan *s = arg;
    pthread_mutex_lock(&s->lock);
    for (;;) {
        while (!s->stop && s->n_queue == 0 && s->pending > 0)
            pthread_cond_wait(&s->work, &s->lock);
        if (s->stop || s->pending == 0)
            break;
        char *dir = s->queue[--s->n_queue];
        pthread_mutex_unlock(&s->lock);
        read_dir(s, dir);
        free(dir);
        pthread_mutex_lock(&s->lock);
        if (--s->pending == 0) {
            pthread_cond_broadcast(&s->work);
            pthread_cond_broadcast(&s->done);
        }
    }
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

static int default_threads(void)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    if (cpus < 1)
        cpus = 1;
    return cpus < 4 ? (int)cpus : 4;
}

int gogen_scan(const char *root, int max_threads, gogen_cancel_fn cancel, void *ctx)
{
    struct stat st;
    if (stat(root, &st) != 0 || !S_ISDIR(st.st_mode))
        return -2;
    scan s;
    memset(&s, 0, sizeof s);
    atomic_init(&s.stop, 0);
    pthread_mutex_init(&s.lock, NULL);
    pthread_cond_init(&s.work, NULL);
    pthread_cond_init(&s.done, NULL);
    char *first = strdup(root);
    if (!first)
        return -2;
    pthread_mutex_lock(&s.lock);
    push_locked(&s, first);
    pthread_mutex_unlock(&s.lock);

    int n = max_threads > 0 ? max_threads : default_threads();
    pthread_t *threads = calloc((size_t)n, sizeof *threads);
    int started = 0;
    for (int i = 0; threads && i < n; i++, started++)
        if (pthread_create(&threads[i], NULL, worker, &s) != 0)
            break;

    int canceled = 0;
    pthread_mutex_lock(&s.lock);
    if (started == 0) {
        s.failed = 1;
        atomic_store(&s.stop, 1);
    }
    while (!s.stop && s.pending > 0) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 20 * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&s.done, &s.lock, &until);
        if (s.stop || !cancel)
            continue;
        pthread_mutex_unlock(&s.lock); /* the callback may take its own locks */
        int stop = cancel(ctx);
        pthread_mutex_lock(&s.lock);
        if (stop && !s.stop) {
            canceled = 1;
            atomic_store(&s.stop, 1);
            pthread_cond_broadcast(&s.work);
        }
    }
    pthread_mutex_unlock(&s.lock);
    for (int i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    /* Ctrl-C during a scan that ended before the first poll still counts. */
    if (!s.found && !canceled && cancel && cancel(ctx))
        canceled = 1;
    free(threads);

    for (size_t i = 0; i < s.n_queue; i++)
        free(s.queue[i]);
    free(s.queue);
    pthread_cond_destroy(&s.work);
    pthread_cond_destroy(&s.done);
    pthread_mutex_destroy(&s.lock);
    if (s.found)
        return 1;
    if (canceled)
        return -1;
    return s.failed ? -2 : 0;
}
