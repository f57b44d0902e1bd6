/* The loader against real shared objects: one directory per case under
 * TEST_PLUGIN_CASES (built by tests/plugin/CMakeLists.txt from
 * plugins/test_plugin.c). Each refusal has its type and a message naming
 * the file, and never stops the valid plugin from loading. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "plugin/loader.h"
#include "util/error.h"

static const funcp_host test_host = {.struct_size = sizeof(funcp_host), .abi_major = 1};

static char *case_dir(const char *name)
{
    size_t len = strlen(TEST_PLUGIN_CASES) + 1 + strlen(name) + 1;
    char *dir = malloc(len);
    assert_non_null(dir);
    snprintf(dir, len, "%s/%s", TEST_PLUGIN_CASES, name);
    return dir;
}

static void load_cases(fp_plugin_set *set, const char *const *names, size_t n)
{
    char **dirs = calloc(n, sizeof *dirs);
    assert_non_null(dirs);
    for (size_t i = 0; i < n; i++)
        dirs[i] = case_dir(names[i]);
    assert_int_equal(fp_plugins_load_dirs(set, &test_host, (const char *const *)dirs, n),
                     FUNCP_OK);
    for (size_t i = 0; i < n; i++)
        free(dirs[i]);
    free(dirs);
}

static const fp_refused_plugin *refused_file(const fp_plugin_set *set, const char *file)
{
    for (size_t i = 0; i < set->n_refused; i++) {
        const char *slash = strrchr(set->refused[i].path, '/');
        if (slash && strcmp(slash + 1, file) == 0)
            return &set->refused[i];
    }
    return NULL;
}

static const fp_loaded_plugin *loaded_plugin(const fp_plugin_set *set, const char *name)
{
    for (size_t i = 0; i < set->n_loaded; i++)
        if (strcmp(set->loaded[i].plugin->name, name) == 0)
            return &set->loaded[i];
    return NULL;
}

static void test_valid_plugin_loads(void **state)
{
    (void)state;
    fp_plugin_set set;
    load_cases(&set, (const char *const[]){"valid"}, 1);
    assert_int_equal(set.n_loaded, 1);
    assert_int_equal(set.n_refused, 0);
    const fp_loaded_plugin *lp = loaded_plugin(&set, "test-valid");
    assert_non_null(lp);
    assert_non_null(strstr(lp->path, "/valid/tp-valid.so"));
    assert_non_null(lp->handle);
    /* What it provides is in the registry, NULL callbacks included. */
    const funcp_runtime *rt = fp_registry_runtime(set.registry, "test-valid-tp");
    assert_non_null(rt);
    assert_null(rt->create);
    assert_string_equal(fp_registry_owner(set.registry, rt), "test-valid");
    assert_non_null(fp_registry_builder(set.registry, "tp-builder", "test-valid-tp"));
    const funcp_deployer *d = fp_registry_deployer(set.registry, "tp-deployer");
    assert_non_null(d);
    assert_null(d->deploy);
    assert_int_equal(set.n_search_path, 1);
    fp_plugins_unload(&set);
    assert_null(set.registry);
}

typedef struct refusal_case {
    const char *dir, *file;
    fp_refusal reason;
    const char *reason_name;
    const char *says;
} refusal_case;

static const refusal_case refusal_cases[] = {
    {"abi", "tp-abi2.so", FP_REFUSED_ABI, "incompatible-abi",
     "incompatible ABI: plugin built for ABI 2, funcp speaks ABI 1"},
    {"noentry", "tp-noentry.so", FP_REFUSED_NO_ENTRY, "missing-entry-symbol",
     "missing entry symbol funcp_plugin_get_v1"},
    {"invalid", "tp-emptyname.so", FP_REFUSED_INVALID, "invalid-descriptor",
     "plugin name \"\" must match [a-z0-9-]+"},
    {"invalid", "tp-nullarray.so", FP_REFUSED_INVALID, "invalid-descriptor",
     "1 deployers declared but the array is NULL"},
    {"initfail", "tp-initfail.so", FP_REFUSED_INIT_FAILED, "init-failed",
     "init failed (plugin \"test-initfail\" returned 7)"},
    {"junk", "junk.so", FP_REFUSED_NOT_LOADABLE, "not-loadable", "cannot open: "},
    /* The system loader's reason, not libltdl's last extension attempt. */
    {"junk", "junk.so", FP_REFUSED_NOT_LOADABLE, "not-loadable", "cannot open: invalid ELF header"},
};

/* Every broken case next to the valid one, in one load. */
static void test_each_refusal_typed_valid_still_loads(void **state)
{
    (void)state;
    fp_plugin_set set;
    load_cases(&set,
               (const char *const[]){"abi", "noentry", "invalid", "junk", "valid", "initfail"},
               6);
    assert_int_equal(set.n_loaded, 1);
    assert_non_null(loaded_plugin(&set, "test-valid"));
    assert_int_equal(set.n_refused, 6); /* every file but tp-valid.so */
    for (size_t i = 0; i < sizeof refusal_cases / sizeof refusal_cases[0]; i++) {
        const refusal_case *c = &refusal_cases[i];
        print_message("case %s\n", c->file);
        const fp_refused_plugin *r = refused_file(&set, c->file);
        assert_non_null(r);
        assert_int_equal(r->reason, c->reason);
        assert_string_equal(fp_refusal_name(r->reason), c->reason_name);
        /* "<path>: <why>" */
        assert_int_equal(strncmp(r->message, r->path, strlen(r->path)), 0);
        assert_non_null(strstr(r->message, c->says));
        /* Nothing of a refused plugin reaches the registry. */
        assert_null(fp_registry_runtime(set.registry, "test-initfail-tp"));
        assert_null(fp_registry_runtime(set.registry, "test-abi-tp"));
    }
    fp_plugins_unload(&set);
}

/* Same plugin name in two directories: the first in search order wins. */
static void test_duplicate_first_wins(void **state)
{
    (void)state;
    const char *orders[2][2] = {{"dup1", "dup2"}, {"dup2", "dup1"}};
    const char *winner_version[2] = {"first", "second"};
    for (size_t o = 0; o < 2; o++) {
        fp_plugin_set set;
        load_cases(&set, orders[o], 2);
        assert_int_equal(set.n_loaded, 1);
        assert_int_equal(set.n_refused, 1);
        assert_string_equal(set.loaded[0].plugin->version, winner_version[o]);
        const fp_refused_plugin *r = &set.refused[0];
        assert_int_equal(r->reason, FP_REFUSED_DUPLICATE);
        assert_non_null(strstr(r->path, orders[o][1]));
        /* The message names the path of the one that won. */
        assert_non_null(strstr(r->message, "duplicate plugin name \"test-dup\": already loaded from "));
        assert_non_null(strstr(r->message, set.loaded[0].path));
        fp_plugins_unload(&set);
    }
}

/* The real entry point honours FUNCP_PLUGIN_PATH order (colon separated,
 * duplicates removed) before the build tree and installed directories. */
static void test_search_path_from_env(void **state)
{
    (void)state;
    char *dup1 = case_dir("dup1"), *dup2 = case_dir("dup2");
    size_t len = strlen(dup1) * 3 + strlen(dup2) + 8;
    char *env = malloc(len);
    assert_non_null(env);
    snprintf(env, len, "%s::%s:%s/", dup2, dup1, dup2);
    setenv("FUNCP_PLUGIN_PATH", env, 1);

    char **dirs = NULL;
    size_t n = 0;
    assert_int_equal(fp_plugin_search_path(&dirs, &n), FUNCP_OK);
    assert_true(n >= 3);
    assert_non_null(strstr(dirs[0], "/dup2"));
    assert_non_null(strstr(dirs[1], "/dup1"));
    /* This test runs from the build tree: its plugins dir comes next. */
    assert_string_equal(dirs[2], FUNCP_BUILD_PLUGIN_DIR);
    for (size_t i = 3; i < n; i++)
        assert_null(strstr(dirs[i], "/dup"));
    for (size_t i = 0; i < n; i++)
        free(dirs[i]);
    free(dirs);

    fp_plugin_set set;
    assert_int_equal(fp_plugins_load(&set, &test_host), FUNCP_OK);
    const fp_loaded_plugin *lp = loaded_plugin(&set, "test-dup");
    assert_non_null(lp);
    assert_string_equal(lp->plugin->version, "second");
    const fp_refused_plugin *r = refused_file(&set, "tp-dup-first.so");
    assert_non_null(r);
    assert_int_equal(r->reason, FP_REFUSED_DUPLICATE);
    fp_plugins_unload(&set);

    unsetenv("FUNCP_PLUGIN_PATH");
    free(env);
    free(dup1);
    free(dup2);
}

/* A second plugin providing a runtime and a deployer that an earlier one
 * provides: both load, the first keeps them, and one warning names every
 * name that was skipped. */
static void test_capability_clash_warns(void **state)
{
    (void)state;
    fp_plugin_set set;
    load_cases(&set, (const char *const[]){"valid", "conflict"}, 2);
    assert_int_equal(set.n_loaded, 2);
    assert_int_equal(set.n_refused, 0);
    assert_int_equal(set.n_warnings, 1);
    assert_non_null(strstr(set.warnings[0], "/conflict/tp-conflict.so: plugin \"test-conflict\": "
                                            "runtime \"test-valid-tp\" is already provided by "
                                            "plugin \"test-valid\"; skipped; deployer "
                                            "\"tp-deployer\" is already provided by plugin "
                                            "\"test-valid\"; skipped"));
    const funcp_runtime *rt = fp_registry_runtime(set.registry, "test-valid-tp");
    assert_string_equal(fp_registry_owner(set.registry, rt), "test-valid");
    assert_int_equal(fp_error_code(), FUNCP_OK);
    fp_plugins_unload(&set);
}

/* Unloading calls fini of loaded plugins, in reverse load order, and never
 * of refused ones (init failed, duplicate). */
static void test_fini_of_loaded_only(void **state)
{
    (void)state;
    char log[] = "/tmp/funcp-fini-XXXXXX";
    int fd = mkstemp(log);
    assert_true(fd >= 0);
    close(fd);
    setenv("FUNCP_TEST_FINI_LOG", log, 1);
    fp_plugin_set set;
    load_cases(&set, (const char *const[]){"valid", "initfail", "dup1", "dup2"}, 4);
    assert_int_equal(set.n_loaded, 2);
    fp_plugins_unload(&set);
    unsetenv("FUNCP_TEST_FINI_LOG");
    char buf[256] = "";
    FILE *f = fopen(log, "r");
    assert_non_null(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    remove(log);
    buf[n] = '\0';
    assert_string_equal(buf, "test-dup\ntest-valid\n");
}

/* A symlink to a loaded plugin, in a later directory, is the same plugin:
 * neither loaded twice nor refused as a duplicate. A copy still is one. */
static void test_symlink_to_loaded_plugin(void **state)
{
    (void)state;
    char tmpl[] = "/tmp/funcp-loader-XXXXXX";
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    char *valid = case_dir("valid");
    char target[4096], link[4096];
    snprintf(target, sizeof target, "%s/tp-valid.so", valid);
    snprintf(link, sizeof link, "%s/link.so", dir);
    assert_int_equal(symlink(target, link), 0);
    const char *const dirs[] = {valid, dir};
    fp_plugin_set set;
    assert_int_equal(fp_plugins_load_dirs(&set, &test_host, dirs, 2), FUNCP_OK);
    assert_int_equal(set.n_loaded, 1);
    assert_int_equal(set.n_refused, 0);
    fp_plugins_unload(&set);

    /* The duplicate case proper: another file with the same plugin name. */
    const char *const dups[] = {TEST_PLUGIN_CASES "/dup1", TEST_PLUGIN_CASES "/dup2"};
    assert_int_equal(fp_plugins_load_dirs(&set, &test_host, dups, 2), FUNCP_OK);
    assert_int_equal(set.n_loaded, 1);
    assert_int_equal(set.n_refused, 1);
    assert_int_equal(set.refused[0].reason, FP_REFUSED_DUPLICATE);
    fp_plugins_unload(&set);
    unlink(link);
    rmdir(dir);
    free(valid);
}

static void test_missing_directory_is_empty(void **state)
{
    (void)state;
    fp_plugin_set set;
    load_cases(&set, (const char *const[]){"does-not-exist"}, 1);
    assert_int_equal(set.n_loaded, 0);
    assert_int_equal(set.n_refused, 0);
    assert_int_equal(set.n_search_path, 1);
    fp_plugins_unload(&set);
    /* Unloading twice (or an empty set) is harmless. */
    fp_plugins_unload(&set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_plugin_loads),
        cmocka_unit_test(test_each_refusal_typed_valid_still_loads),
        cmocka_unit_test(test_duplicate_first_wins),
        cmocka_unit_test(test_search_path_from_env),
        cmocka_unit_test(test_capability_clash_warns),
        cmocka_unit_test(test_fini_of_loaded_only),
        cmocka_unit_test(test_symlink_to_loaded_plugin),
        cmocka_unit_test(test_missing_directory_is_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
