/* The parallel //go:generate scan of runtime-go-wasi: what counts as a
 * directive, what is skipped, cancellation, and a stress run over many
 * trees and thread counts (also built under ThreadSanitizer). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gogen_scan.h"

static char root[256];

static void put(const char *rel, const char *text)
{
    char path[1024], cmd[1200];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    snprintf(cmd, sizeof cmd, "mkdir -p \"$(dirname '%s')\"", path);
    if (system(cmd) != 0)
        fail_msg("mkdir for %s", path);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "/tmp/funcp-scan-XXXXXX");
    return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    return system(cmd) == 0 ? 0 : -1;
}

static int never(void *ctx)
{
    (void)ctx;
    return 0;
}

static int always(void *ctx)
{
    int *polls = ctx;
    (*polls)++;
    return 1;
}

static void finds_nested_directive(void **state)
{
    (void)state;
    put("main.go", "package main\n\nfunc main() {}\n");
    put("a/b/c/d/e/gen.go", "package e\n\n//go:generate stringer -type=X\n");
    assert_int_equal(gogen_scan(root, 0, never, NULL), 1);
    assert_int_equal(gogen_scan(root, 1, NULL, NULL), 1);
}

static void test_files_count(void **state)
{
    (void)state;
    put("main.go", "package main\n");
    put("x_test.go", "package main\n//go:generate echo from a test\n");
    assert_int_equal(gogen_scan(root, 2, never, NULL), 1);
}

static void no_directive(void **state)
{
    (void)state;
    put("main.go", "package main\n  //go:generate indented\n// go:generate spaced\n"
                   "x := \"//go:generate in a string\"\n//go:generat\n");
    put("notes.txt", "//go:generate not a go file\n");
    put("README.go.md", "//go:generate not a go file\n");
    put("sub/empty.go", "");
    assert_int_equal(gogen_scan(root, 0, never, NULL), 0);
}

static void skipped_directories(void **state)
{
    (void)state;
    put("main.go", "package main\n");
    put("vendor/example.com/lib/lib.go", "//go:generate vendored\n");
    put(".git/hooks/x.go", "//go:generate git\n");
    put("web/node_modules/pkg/y.go", "//go:generate node\n");
    assert_int_equal(gogen_scan(root, 0, never, NULL), 0);
    /* a directory merely containing those words is scanned */
    put("vendors/z.go", "//go:generate vendors\n");
    assert_int_equal(gogen_scan(root, 0, never, NULL), 1);
}

static void symlinked_dirs_not_followed(void **state)
{
    (void)state;
    char other[300], cmd[1400];
    snprintf(other, sizeof other, "%s-other", root);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' && printf '//go:generate x\\n' > '%s/g.go' && "
             "ln -s '%s' '%s/link'", other, other, other, root);
    assert_int_equal(system(cmd), 0);
    put("main.go", "package main\n");
    assert_int_equal(gogen_scan(root, 0, never, NULL), 0);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", other);
    assert_int_equal(system(cmd), 0);
}

static void directive_after_long_line(void **state)
{
    (void)state;
    size_t n = 100000;
    char *text = malloc(n + 64);
    memset(text, 'x', n);
    /* the buffer boundary falls inside the directive */
    strcpy(text + n, "\n//go:generate late\n");
    put("long.go", text);
    assert_int_equal(gogen_file_has_directive("/nonexistent/x.go"), 0);
    char path[300];
    snprintf(path, sizeof path, "%s/long.go", root);
    assert_int_equal(gogen_file_has_directive(path), 1);
    for (size_t cut = 8180; cut < 8200; cut++) {
        memset(text, 'x', cut);
        strcpy(text + cut, "\n//go:generate edge\n");
        put("long.go", text);
        assert_int_equal(gogen_file_has_directive(path), 1);
    }
    free(text);
}

/* Only line starts count, wherever lines break. */
static void directive_line_starts(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int want;
    } cases[] = {
        {"//go:generate", 1},                     /* no newline at the end */
        {"//go:gen\n//go:generate x\n", 1},     /* a newline inside the prefix */
        {"package a\r\n//go:generate x\r\n", 1}, /* CRLF lines */
        {"\n\n\n//go:generate x", 1},
        {"//go:generat", 0},                      /* cut short by the end */
        {"//go:generat\ne", 0},
        {"x//go:generate y\n", 0},
        {"\t//go:generate y\n", 0},
        {"", 0},
    };
    char path[300];
    snprintf(path, sizeof path, "%s/case.go", root);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        put("case.go", cases[i].text);
        if (gogen_file_has_directive(path) != cases[i].want)
            fail_msg("case %zu: \"%s\" should give %d", i, cases[i].text, cases[i].want);
    }
}

static void cancellation_stops(void **state)
{
    (void)state;
    for (int i = 0; i < 200; i++) {
        char rel[64];
        snprintf(rel, sizeof rel, "d%d/e%d/f.go", i % 20, i);
        put(rel, "package f\n");
    }
    int polls = 0;
    assert_int_equal(gogen_scan(root, 4, always, &polls), -1);
    assert_true(polls >= 1);
    /* found wins over a later Ctrl-C */
    put("d3/gen.go", "//go:generate x\n");
    polls = 0;
    int r = gogen_scan(root, 4, always, &polls);
    assert_true(r == 1 || r == -1);
}

static void missing_root(void **state)
{
    (void)state;
    assert_int_equal(gogen_scan("/nonexistent/funcp-scan", 0, never, NULL), -2);
}

/* Many trees, thread counts 1..8, directive anywhere or nowhere. */
static void stress(void **state)
{
    (void)state;
    for (int i = 0; i < 300; i++) {
        char rel[96];
        snprintf(rel, sizeof rel, "p%d/q%d/r%d/f%d.go", i % 7, i % 13, i, i);
        put(rel, "package f\n\nfunc F() {}\n");
    }
    for (int round = 0; round < 40; round++) {
        int threads = 1 + round % 8;
        assert_int_equal(gogen_scan(root, threads, never, NULL), 0);
        char rel[96];
        snprintf(rel, sizeof rel, "p%d/q%d/r%d/gen%d.go", round % 7, round % 13, round * 7 % 300,
                 round);
        put(rel, "package f\n//go:generate go run gen.go\n");
        assert_int_equal(gogen_scan(root, threads, never, NULL), 1);
        char path[512];
        snprintf(path, sizeof path, "%s/%s", root, rel);
        assert_int_equal(unlink(path), 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(finds_nested_directive, setup, teardown),
        cmocka_unit_test_setup_teardown(test_files_count, setup, teardown),
        cmocka_unit_test_setup_teardown(no_directive, setup, teardown),
        cmocka_unit_test_setup_teardown(skipped_directories, setup, teardown),
        cmocka_unit_test_setup_teardown(symlinked_dirs_not_followed, setup, teardown),
        cmocka_unit_test_setup_teardown(directive_line_starts, setup, teardown),
        cmocka_unit_test_setup_teardown(directive_after_long_line, setup, teardown),
        cmocka_unit_test_setup_teardown(cancellation_stops, setup, teardown),
        cmocka_unit_test(missing_root),
        cmocka_unit_test_setup_teardown(stress, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
