/* Child processes: capture, env, cwd, exit codes, missing programs, stdin,
 * large output on both pipes, and Ctrl-C killing the whole group. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/cancel.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/process.h"

static int run_sh(const char *script, unsigned flags, const char *const *env, const char *cwd,
                  const char *stdin_data, funcp_process_result *res)
{
    const char *const argv[] = {"sh", "-c", script, NULL};
    funcp_process proc = {sizeof proc, argv, env, cwd, flags, stdin_data};
    memset(res, 0, sizeof *res);
    res->struct_size = sizeof *res;
    fp_proc_ctx ctx = {NULL, 1};
    return fp_process_run(&ctx, &proc, res);
}

static void free_result(funcp_process_result *res)
{
    free(res->out);
    free(res->err);
}

static void test_capture_and_exit_code(void **state)
{
    (void)state;
    funcp_process_result res;
    assert_int_equal(run_sh("echo out; echo err >&2; exit 7",
                            FUNCP_PROC_CAPTURE_STDOUT | FUNCP_PROC_CAPTURE_STDERR, NULL, NULL,
                            NULL, &res),
                     FUNCP_OK);
    assert_int_equal(res.exit_code, 7);
    assert_string_equal(res.out, "out\n");
    assert_int_equal(res.out_len, 4);
    assert_string_equal(res.err, "err\n");
    free_result(&res);
}

static void test_signal_exit_code(void **state)
{
    (void)state;
    funcp_process_result res;
    assert_int_equal(run_sh("kill -9 $$", 0, NULL, NULL, NULL, &res), FUNCP_OK);
    assert_int_equal(res.exit_code, 128 + 9);
    free_result(&res);
}

static void test_env_and_cwd(void **state)
{
    (void)state;
    setenv("FP_TEST_KEEP", "kept", 1);
    setenv("FP_TEST_OVER", "old", 1);
    const char *const env[] = {"FP_TEST_OVER=new", "FP_TEST_ADDED=added", NULL};
    funcp_process_result res;
    assert_int_equal(run_sh("echo $FP_TEST_KEEP $FP_TEST_OVER $FP_TEST_ADDED; pwd",
                            FUNCP_PROC_CAPTURE_STDOUT, env, "/tmp", NULL, &res),
                     FUNCP_OK);
    assert_int_equal(res.exit_code, 0);
    assert_string_equal(res.out, "kept new added\n/tmp\n");
    free_result(&res);
    /* Our own environment is untouched. */
    assert_string_equal(getenv("FP_TEST_OVER"), "old");
}

static void test_missing_program(void **state)
{
    (void)state;
    const char *const argv[] = {"funcp-no-such-tool-xyz", "--version", NULL};
    funcp_process proc = {sizeof proc, argv, NULL, NULL, 0, NULL};
    funcp_process_result res = {sizeof res, 0, NULL, 0, NULL, 0};
    assert_int_equal(fp_process_run(NULL, &proc, &res), FUNCP_ETOOLCHAIN);
    assert_string_equal(fp_error_message(), "funcp-no-such-tool-xyz: not found on PATH");
    assert_null(res.out);
}

static void test_bad_cwd(void **state)
{
    (void)state;
    funcp_process_result res;
    assert_int_equal(run_sh("true", 0, NULL, "/nonexistent/dir", NULL, &res), FUNCP_EIO);
    assert_non_null(strstr(fp_error_message(), "/nonexistent/dir"));
}

static void test_stdin_data(void **state)
{
    (void)state;
    funcp_process_result res;
    assert_int_equal(run_sh("tr a-z A-Z", FUNCP_PROC_CAPTURE_STDOUT, NULL, NULL, "hello stdin",
                            &res),
                     FUNCP_OK);
    assert_string_equal(res.out, "HELLO STDIN");
    free_result(&res);
    /* A child that ignores a large stdin does not block us (EPIPE). */
    size_t big = 1 << 20;
    char *data = malloc(big + 1);
    memset(data, 'x', big);
    data[big] = '\0';
    assert_int_equal(run_sh("exit 0", 0, NULL, NULL, data, &res), FUNCP_OK);
    assert_int_equal(res.exit_code, 0);
    free(data);
    free_result(&res);
}

static void test_large_output_both_pipes(void **state)
{
    (void)state;
    /* 4 MiB on each pipe, interleaved: blocks forever if we drained one
     * pipe at a time. */
    funcp_process_result res;
    assert_int_equal(run_sh("i=0; while [ $i -lt 64 ]; do "
                            "head -c 65536 /dev/zero; head -c 65536 /dev/zero >&2; "
                            "i=$((i+1)); done",
                            FUNCP_PROC_CAPTURE_STDOUT | FUNCP_PROC_CAPTURE_STDERR, NULL, NULL,
                            NULL, &res),
                     FUNCP_OK);
    assert_int_equal(res.exit_code, 0);
    assert_int_equal(res.out_len, 64 * 65536);
    assert_int_equal(res.err_len, 64 * 65536);
    free_result(&res);
}

static void test_quiet_stderr_kept(void **state)
{
    (void)state;
    funcp_process_result res;
    /* QUIET_STDERR with capture: stderr comes back to the caller too. */
    assert_int_equal(run_sh("echo oops >&2; exit 1",
                            FUNCP_PROC_QUIET_STDERR | FUNCP_PROC_CAPTURE_STDERR, NULL, NULL, NULL,
                            &res),
                     FUNCP_OK);
    assert_int_equal(res.exit_code, 1);
    assert_string_equal(res.err, "oops\n");
    free_result(&res);
}

static void *cancel_later(void *arg)
{
    (void)arg;
    struct timespec ts = {0, 300 * 1000000L};
    nanosleep(&ts, NULL);
    fp_cancel_request();
    return NULL;
}

static int pid_alive(pid_t pid)
{
    char path[64], *stat = NULL;
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    if (fp_read_file(path, &stat, NULL) != FUNCP_OK) {
        fp_error_clear();
        return 0;
    }
    /* A zombie waiting for its (re)parent to reap it is not running. */
    const char *close_paren = strrchr(stat, ')');
    int alive = close_paren && close_paren[1] == ' ' && close_paren[2] != 'Z';
    free(stat);
    return alive;
}

static void test_cancel_kills_group(void **state)
{
    (void)state;
    char pidfile[] = "/tmp/fp-cancel-XXXXXX";
    int fd = mkstemp(pidfile);
    assert_true(fd >= 0);
    close(fd);
    char script[256];
    /* A grandchild in the same group, which must die with its parent. */
    snprintf(script, sizeof script, "sleep 30 & echo $! > %s; wait", pidfile);
    fp_cancel_reset();
    pthread_t t;
    pthread_create(&t, NULL, cancel_later, NULL);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    funcp_process_result res;
    assert_int_equal(run_sh(script, FUNCP_PROC_CAPTURE_STDOUT, NULL, NULL, NULL, &res),
                     FUNCP_ECANCELED);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    pthread_join(t, NULL);
    fp_cancel_reset();
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    assert_true(secs < 5.0);
    char *text = NULL;
    assert_int_equal(fp_read_file(pidfile, &text, NULL), FUNCP_OK);
    pid_t grandchild = (pid_t)atoi(text);
    assert_true(grandchild > 0);
    /* Reaping of the orphan is init's job; give it a moment. */
    for (int i = 0; i < 50 && pid_alive(grandchild); i++) {
        struct timespec ts = {0, 20 * 1000000L};
        nanosleep(&ts, NULL);
    }
    assert_false(pid_alive(grandchild));
    free(text);
    unlink(pidfile);
}

static void test_spawn_wait_stop(void **state)
{
    (void)state;
    const char *const quick[] = {"sh", "-c", "exit 5", NULL};
    funcp_process proc = {sizeof proc, quick, NULL, NULL, 0, NULL};
    funcp_child *child;
    assert_int_equal(fp_process_spawn(NULL, &proc, &child), FUNCP_OK);
    int code = -1;
    assert_int_equal(fp_process_wait(child, 5000, &code), FUNCP_OK);
    assert_int_equal(code, 5);
    fp_process_stop(child);

    const char *const slow[] = {"sleep", "30", NULL};
    proc.argv = slow;
    assert_int_equal(fp_process_spawn(NULL, &proc, &child), FUNCP_OK);
    pid_t pid = (pid_t)fp_process_pid(child);
    assert_int_equal(fp_process_wait(child, 100, &code), FUNCP_ETIMEOUT);
    fp_process_stop(child);
    assert_int_equal(kill(pid, 0), -1);

    proc.flags = FUNCP_PROC_CAPTURE_STDOUT;
    assert_int_equal(fp_process_spawn(NULL, &proc, &child), FUNCP_EUSAGE);
    assert_null(child);
}

static void test_which(void **state)
{
    (void)state;
    char *sh = fp_which("sh");
    assert_non_null(sh);
    assert_true(sh[0] == '/');
    free(sh);
    assert_null(fp_which("funcp-no-such-tool-xyz"));
    assert_null(fp_which("/nonexistent/sh"));
}

int main(void)
{
    fp_cancel_install();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_capture_and_exit_code),
        cmocka_unit_test(test_signal_exit_code),
        cmocka_unit_test(test_env_and_cwd),
        cmocka_unit_test(test_missing_program),
        cmocka_unit_test(test_bad_cwd),
        cmocka_unit_test(test_stdin_data),
        cmocka_unit_test(test_large_output_both_pipes),
        cmocka_unit_test(test_quiet_stderr_kept),
        cmocka_unit_test(test_cancel_kills_group),
        cmocka_unit_test(test_spawn_wait_stop),
        cmocka_unit_test(test_which),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
