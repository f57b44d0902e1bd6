#include "fake_host.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *level_name(funcp_log_level l)
{
    static const char *const names[] = {"ERROR", "WARN", "INFO", "DEBUG"};
    return (unsigned)l < 4 ? names[l] : "?";
}

static void h_log(funcp_call *call, funcp_log_level level, const char *fmt, ...)
{
    char msg[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    size_t used = strlen(call->logs);
    snprintf(call->logs + used, sizeof call->logs - used, "%s: %s\n", level_name(level), msg);
}

static int h_error(funcp_call *call, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(call->error, sizeof call->error, fmt, ap);
    va_end(ap);
    call->last_code = code;
    return code;
}

static int h_error_wrap(funcp_call *call, const char *fmt, ...)
{
    char prefix[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    size_t lp = strlen(prefix) + 2, lo = strlen(call->error);
    if (lp + lo >= sizeof call->error)
        lo = sizeof call->error - lp - 1;
    memmove(call->error + lp, call->error, lo);
    call->error[lp + lo] = '\0';
    memcpy(call->error, prefix, lp - 2);
    memcpy(call->error + lp - 2, ": ", 2);
    return call->last_code;
}

static void h_progress(funcp_call *call, const char *label, uint64_t done, uint64_t total)
{
    (void)call; (void)label; (void)done; (void)total;
}

static int h_cancelled(funcp_call *call)
{
    call->cancel_polls++;
    return call->cancel_after > 0 && call->cancel_polls >= call->cancel_after;
}

static void h_free(void *p)
{
    free(p);
}

static char *h_which(funcp_call *call, const char *program)
{
    (void)call;
    const char *path = getenv("PATH");
    if (!path)
        return NULL;
    char *copy = strdup(path);
    char *found = NULL;
    for (char *dir = strtok(copy, ":"); dir && !found; dir = strtok(NULL, ":")) {
        char full[4096];
        snprintf(full, sizeof full, "%s/%s", dir, program);
        if (access(full, X_OK) == 0)
            found = strdup(full);
    }
    free(copy);
    return found;
}

static char *slurp_fd(int fd, size_t *len)
{
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    lseek(fd, 0, SEEK_SET);
    ssize_t got;
    while ((got = read(fd, buf + n, cap - n - 1)) > 0) {
        n += (size_t)got;
        if (n + 1 >= cap)
            buf = realloc(buf, cap *= 2);
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

static int h_run(funcp_call *call, const funcp_process *proc, funcp_process_result *result)
{
    char *prog = h_which(call, proc->argv[0]);
    if (!prog)
        return h_error(call, FUNCP_ETOOLCHAIN, "%s: not found", proc->argv[0]);
    free(prog);
    call->last_run_flags = proc->flags;
    char out_tmpl[] = "/tmp/fake-out-XXXXXX", err_tmpl[] = "/tmp/fake-err-XXXXXX";
    int out = mkstemp(out_tmpl), err = mkstemp(err_tmpl);
    unlink(out_tmpl);
    unlink(err_tmpl);
    pid_t pid = fork();
    if (pid == 0) {
        if (proc->cwd && chdir(proc->cwd) != 0)
            _exit(126);
        if (proc->flags & FUNCP_PROC_CAPTURE_STDOUT)
            dup2(out, 1);
        if (proc->flags & (FUNCP_PROC_CAPTURE_STDERR | FUNCP_PROC_QUIET_STDERR))
            dup2(err, 2);
        if (!(proc->flags & (FUNCP_PROC_CAPTURE_STDOUT | FUNCP_PROC_STREAM)))
            dup2(open("/dev/null", O_WRONLY), 1);
        execvp(proc->argv[0], (char *const *)proc->argv);
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    result->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result->out = (proc->flags & FUNCP_PROC_CAPTURE_STDOUT) ? slurp_fd(out, &result->out_len) : NULL;
    result->err = (proc->flags & FUNCP_PROC_CAPTURE_STDERR) ? slurp_fd(err, &result->err_len) : NULL;
    close(out);
    close(err);
    return FUNCP_OK;
}

static const char *h_root(funcp_call *call)
{
    return call->root;
}

static const char *h_fy_get(funcp_call *call, const char *path)
{
    for (size_t i = 0; i < call->n_fy; i++)
        if (strcmp(call->fy_path[i], path) == 0)
            return call->fy_value[i];
    return NULL;
}

/* Direct children of the mapping at path: "path.<key>" entries. */
static const char *child_key(funcp_call *call, const char *path, size_t index)
{
    size_t n = strlen(path), seen = 0;
    for (size_t i = 0; i < call->n_fy; i++) {
        const char *p = call->fy_path[i];
        if (strncmp(p, path, n) == 0 && p[n] == '.' && !strchr(p + n + 1, '.')) {
            if (seen++ == index)
                return p + n + 1;
        }
    }
    return NULL;
}

static size_t h_fy_count(funcp_call *call, const char *path)
{
    size_t n = 0;
    while (child_key(call, path, n))
        n++;
    return n;
}

static const char *h_fy_key(funcp_call *call, const char *path, size_t index)
{
    return child_key(call, path, index);
}

void fake_fy_set(funcp_call *call, const char *path, const char *value)
{
    for (size_t i = 0; i < call->n_fy; i++) {
        if (strcmp(call->fy_path[i], path) == 0) {
            free(call->fy_value[i]);
            call->fy_value[i] = strdup(value);
            return;
        }
    }
    call->fy_path[call->n_fy] = strdup(path);
    call->fy_value[call->n_fy++] = strdup(value);
}

static int h_fy_set(funcp_call *call, const char *path, const char *value)
{
    fake_fy_set(call, path, value);
    return FUNCP_OK;
}

static char *h_fy_json(funcp_call *call, const char *path)
{
    (void)call; (void)path;
    return NULL;
}

static const char *h_option(funcp_call *call, const char *name)
{
    if (strcmp(name, "verbose") == 0 && call->verbose)
        return "true";
    return NULL;
}

static const char *h_config(funcp_call *call, const char *key)
{
    (void)call; (void)key;
    return NULL;
}

void fake_oci_add(funcp_call *call, const char *ref, const char *src)
{
    call->oci_ref[call->n_oci] = ref;
    call->oci_src[call->n_oci++] = src;
}

static int h_oci_pull(funcp_call *call, const char *ref, const char *out_path)
{
    call->n_pulls++;
    for (size_t i = 0; i < call->n_oci; i++) {
        if (strcmp(call->oci_ref[i], ref) != 0)
            continue;
        struct stat st;
        if (stat(call->oci_src[i], &st) != 0)
            break;
        char cmd[8192];
        snprintf(cmd, sizeof cmd, "python3 '%s/tests/runtimes/wit_artifact.py' pack '%s' '%s'",
                 getenv("FUNCP_TEST_SOURCE_DIR"), call->oci_src[i], out_path);
        if (system(cmd) != 0)
            return h_error(call, FUNCP_EIO, "fixture copy failed");
        return FUNCP_OK;
    }
    return h_error(call, FUNCP_ENOTFOUND, "manifest unknown");
}

const funcp_host fake_host = {
    .struct_size = sizeof(funcp_host),
    .abi_major = FUNCP_PLUGIN_ABI_MAJOR,
    .abi_minor = FUNCP_PLUGIN_ABI_MINOR,
    .funcp_version = "test",
    .log = h_log,
    .error = h_error,
    .error_wrap = h_error_wrap,
    .progress = h_progress,
    .cancelled = h_cancelled,
    .free = h_free,
    .run = h_run,
    .which = h_which,
    .function_root = h_root,
    .fy_get = h_fy_get,
    .fy_count = h_fy_count,
    .fy_key = h_fy_key,
    .fy_set = h_fy_set,
    .fy_json = h_fy_json,
    .option = h_option,
    .config = h_config,
    .oci_pull_layer = h_oci_pull,
};

funcp_call *fake_call_new(void)
{
    funcp_call *call = calloc(1, sizeof *call);
    const char *tmp = getenv("TMPDIR");
    snprintf(call->root, sizeof call->root, "%s/funcp-rt-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(call->root)) {
        perror("mkdtemp");
        abort();
    }
    return call;
}

void fake_call_free(funcp_call *call)
{
    if (!call)
        return;
    run_shell("rm -rf '%s'", call->root);
    for (size_t i = 0; i < call->n_fy; i++) {
        free(call->fy_path[i]);
        free(call->fy_value[i]);
    }
    free(call);
}

void run_shell(const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    if (system(cmd) != 0) {
        fprintf(stderr, "command failed: %s\n", cmd);
        abort();
    }
}

void write_text(const char *dir, const char *rel, const char *text)
{
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    run_shell("mkdir -p '%s'", path);
    *slash = '/';
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        abort();
    }
    fputs(text, f);
    fclose(f);
}

char *read_text(const char *dir, const char *rel)
{
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (n + 1 >= cap)
            buf = realloc(buf, cap *= 2);
    }
    buf[n] = '\0';
    fclose(f);
    return buf;
}

int path_exists(const char *dir, const char *rel)
{
    char path[8192];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    return lstat(path, &st) == 0;
}

static char shim_log_path[4096];
static char shim_bin[4096];
static char *original_path;

static char shim_only_dir[4096];

/* Leave nothing behind in /tmp. */
static void remove_shim_files(void)
{
    unlink(shim_log_path);
    if (shim_only_dir[0]) {
        setenv("PATH", original_path, 1);
        run_shell("rm -rf '%s'", shim_only_dir);
    }
    free(original_path);
}

const char *shims_on_path(void)
{
    if (!shim_log_path[0]) {
        atexit(remove_shim_files);
        const char *src = getenv("FUNCP_TEST_SOURCE_DIR");
        original_path = strdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
        snprintf(shim_bin, sizeof shim_bin, "%s/tests/runtimes/shims", src ? src : ".");
        snprintf(shim_log_path, sizeof shim_log_path, "/tmp/funcp-shims-%ld.log", (long)getpid());
        setenv("SHIM_LOG", shim_log_path, 1);
    }
    char path[8192];
    snprintf(path, sizeof path, "%s:%s", shim_bin, original_path);
    setenv("PATH", path, 1);
    FILE *f = fopen(shim_log_path, "w");
    if (f)
        fclose(f);
    return shim_log_path;
}

void shims_only(const char *without)
{
    shims_on_path();
    /* A private bin dir: the shims we keep plus the few system tools the
     * shims and tests use, so no real toolchain can be found. */
    char *dir = shim_only_dir;
    snprintf(dir, sizeof shim_only_dir, "/tmp/funcp-shimbin-%ld", (long)getpid());
    setenv("PATH", original_path, 1);
    run_shell("rm -rf '%s' && mkdir -p '%s'", dir, dir);
    run_shell("for t in sh bash tar cp cat mkdir rm ln printf head wc ls dirname basename sleep readlink sed find grep tr python3 cmp "
              "env; do p=$(command -v $t) && ln -s \"$p\" '%s/'$t; done; true", dir);
    const char *tools[] = {"tinygo", "go", "cargo", "rustup", "wasm-tools", "jco"};
    char padded[512];
    snprintf(padded, sizeof padded, " %s ", without ? without : "");
    for (size_t i = 0; i < sizeof tools / sizeof tools[0]; i++) {
        char word[64];
        snprintf(word, sizeof word, " %s ", tools[i]);
        if (!strstr(padded, word))
            run_shell("ln -s '%s/%s' '%s/%s'", shim_bin, tools[i], dir, tools[i]);
    }
    setenv("PATH", dir, 1);
}

char *shim_log(void)
{
    char *text = read_text("/", shim_log_path + 1);
    return text ? text : strdup("");
}
