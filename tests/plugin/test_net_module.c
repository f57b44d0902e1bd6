/* fp_net(): the lazily loaded network module. $FUNCP_MODULE_PATH is searched
 * first (and the first file found is the one used), then the build tree.
 * Run from a copy outside the build tree with FP_TEST_OUTSIDE_BUILD=1 (see
 * net_module_missing.sh), the module is missing and the error lists where
 * funcp looked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/error.h"
#include "util/module.h"

static void test_bad_module_first_in_path(void **state)
{
    (void)state;
    char dir[] = "/tmp/funcp-net-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[sizeof dir + 32];
    snprintf(path, sizeof path, "%s/funcp-net.so", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("not a shared object, but long enough to be read as a header by the loader\n", f);
    fclose(f);
    setenv("FUNCP_MODULE_PATH", dir, 1);

    fp_error_clear();
    assert_null(fp_net());
    assert_int_equal(fp_error_code(), FUNCP_ENOPLUGIN);
    assert_non_null(strstr(fp_error_message(), "cannot load network module "));
    assert_non_null(strstr(fp_error_message(), path));

    unsetenv("FUNCP_MODULE_PATH");
    remove(path);
    rmdir(dir);
}

static void test_loads_build_tree_module(void **state)
{
    (void)state;
    if (getenv("FP_TEST_OUTSIDE_BUILD"))
        skip();
    const fp_net_module *net = fp_net();
    if (!net)
        fail_msg("fp_net: %s", fp_error_message());
    assert_true(net->struct_size >= sizeof(fp_net_module));
    /* Loaded once, then cached. */
    assert_ptr_equal(fp_net(), net);
}

static void test_missing_lists_dirs(void **state)
{
    (void)state;
    if (!getenv("FP_TEST_OUTSIDE_BUILD"))
        skip();
    fp_error_clear();
    assert_null(fp_net());
    assert_int_equal(fp_error_code(), FUNCP_ENOPLUGIN);
    const char *msg = fp_error_message();
    assert_non_null(strstr(msg, "network module funcp-net.so not found (looked in: "));
    assert_non_null(strstr(msg, FUNCP_MODULE_DIR));
    /* Outside the build tree, the build tree is not searched. */
    assert_null(strstr(msg, FUNCP_BUILD_MODULE_DIR));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_module_first_in_path),
        cmocka_unit_test(test_loads_build_tree_module),
        cmocka_unit_test(test_missing_lists_dirs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
