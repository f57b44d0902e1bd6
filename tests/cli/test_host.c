/* The host services table: fully filled, options with env fallback,
 * func.yaml access on the call, the plugin config file, OCI options built
 * from flags/func.yaml/env, and the not-supported error for NULL callbacks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "call.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "oci/oci_api.h"
#include "util/error.h"
#include "util/fs.h"

static void test_table_complete(void **state)
{
    (void)state;
    const funcp_host *h = fp_host();
    assert_int_equal(h->struct_size, sizeof(funcp_host));
    assert_int_equal(h->abi_major, FUNCP_PLUGIN_ABI_MAJOR);
    assert_non_null(h->funcp_version);
    /* Every callback after the header is set: walk them as pointers. */
    size_t first = offsetof(funcp_host, log);
    size_t n = (sizeof(funcp_host) - first) / sizeof(void (*)(void));
    const char *base = (const char *)h + first;
    for (size_t i = 0; i < n; i++) {
        void (*fn)(void);
        memcpy(&fn, base + i * sizeof fn, sizeof fn);
        assert_non_null(fn);
    }
    assert_true(funcp_host_has(h, kube_watch));
    assert_true(funcp_host_has(h, deploy_updated));
}

/* deploy_updated marks the call; a fresh call says "deployed". */
static void test_deploy_updated(void **state)
{
    (void)state;
    funcp_call call;
    fp_call_init(&call);
    assert_int_equal(call.deploy_updated, 0);
    fp_host()->deploy_updated(&call);
    assert_int_equal(call.deploy_updated, 1);
    fp_host()->deploy_updated(NULL); /* no call: ignored */
    fp_call_cleanup(&call);
}

/* A call for `deploy` with the given argv. */
static void make_call(funcp_call *call, int argc, char **argv)
{
    fp_call_init(call);
    call->cmd = &fp_cmd_deploy;
    assert_int_equal(fp_args_parse(&call->args, &fp_cmd_deploy, argc, argv), FUNCP_OK);
    call->root = strdup("/tmp");
}

static void test_options(void **state)
{
    (void)state;
    char *argv[] = {"-n", "flag-ns", "--timeout", "1m30s", NULL};
    funcp_call call;
    /* FUNC_* variables are those of the command's start. */
    setenv("FUNC_REGISTRY", "env.invalid/me", 1);
    setenv("FUNC_NAMESPACE", "env-ns", 1);
    make_call(&call, 4, argv);
    const funcp_host *h = fp_host();
    assert_string_equal(h->option(&call, "namespace"), "flag-ns");
    assert_string_equal(h->option(&call, "registry"), "env.invalid/me");
    assert_string_equal(h->option(&call, "timeout-ms"), "90000");
    assert_string_equal(h->option(&call, "timeout"), "1m30s");
    assert_string_equal(h->option(&call, "build"), "auto"); /* default */
    assert_string_equal(h->option(&call, "output"), "text");
    assert_string_equal(h->option(&call, "path"), "/tmp");
    assert_null(h->option(&call, "no-such-option"));
    unsetenv("FUNC_REGISTRY");
    unsetenv("FUNC_NAMESPACE");
    fp_call_cleanup(&call);
}

static void test_funcyaml_access(void **state)
{
    (void)state;
    char *argv[] = {NULL};
    funcp_call call;
    make_call(&call, 0, argv);
    const funcp_host *h = fp_host();
    assert_null(h->fy_get(&call, "name"));
    assert_int_equal(h->fy_set(&call, "name", "x"), FUNCP_ENOTFOUND);
    const char *text = "specVersion: 0.36.0\nname: hello\nruntime: go-wasi\n"
                       "deploy:\n  namespace: from-yaml\n";
    call.fy = fp_funcyaml_parse(text, strlen(text), "func.yaml");
    assert_non_null(call.fy);
    assert_string_equal(h->fy_get(&call, "name"), "hello");
    assert_int_equal(h->fy_set(&call, "run.envs[0].name", "A"), FUNCP_OK);
    assert_int_equal(h->fy_count(&call, "run.envs"), 1);
    assert_string_equal(h->fy_key(&call, "deploy", 0), "namespace");
    char *json = h->fy_json(&call, "run");
    assert_non_null(json);
    assert_non_null(strstr(json, "\"A\""));
    h->free(json);
    /* No -n: the namespace comes from func.yaml, before any cluster call. */
    assert_string_equal(fp_call_namespace(&call), "from-yaml");
    fp_call_cleanup(&call);
}

static void test_config_file(void **state)
{
    (void)state;
    char path[] = "/tmp/fp-config-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *text = "plugins:\n  deployer-x:\n    endpoint: http://e.invalid\n";
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    setenv("FUNCP_CONFIG_FILE", path, 1);
    char *argv[] = {NULL};
    funcp_call call;
    make_call(&call, 0, argv);
    const funcp_host *h = fp_host();
    assert_null(h->config(&call, "endpoint")); /* no plugin being called */
    fp_call_enter(&call, "deployer-x");
    assert_string_equal(h->config(&call, "endpoint"), "http://e.invalid");
    assert_null(h->config(&call, "other"));
    fp_call_enter(&call, "deployer-y");
    assert_null(h->config(&call, "endpoint"));
    fp_call_cleanup(&call);
    unsetenv("FUNCP_CONFIG_FILE");
    unlink(path);
}

static void test_oci_options(void **state)
{
    (void)state;
    char *argv[] = {"--registry-insecure", "--username", "me", "--token", "tk", NULL};
    funcp_call call;
    make_call(&call, 5, argv);
    setenv("FUNCP_INSECURE_REGISTRIES", "a.invalid:5000, b.invalid", 1);
    fp_oci_options opts;
    char store[8][256];
    const char *list[8];
    fp_call_oci_options(&call, "localhost:5000/me/hello:latest", &opts, store, list);
    assert_string_equal(opts.username, "me");
    assert_string_equal(opts.token, "tk");
    assert_null(opts.password);
    assert_int_equal(opts.n_insecure_registries, 3);
    assert_string_equal(opts.insecure_registries[0], "localhost:5000");
    assert_string_equal(opts.insecure_registries[1], "a.invalid:5000");
    assert_string_equal(opts.insecure_registries[2], "b.invalid");
    unsetenv("FUNCP_INSECURE_REGISTRIES");
    fp_call_cleanup(&call);

    /* func.yaml registryInsecure: true counts like the flag. */
    char *none[] = {NULL};
    make_call(&call, 0, none);
    const char *text = "name: x\nregistryInsecure: true\n";
    call.fy = fp_funcyaml_parse(text, strlen(text), "func.yaml");
    fp_call_oci_options(&call, "ghcr.io/me/x:latest", &opts, store, list);
    assert_int_equal(opts.n_insecure_registries, 1);
    assert_string_equal(opts.insecure_registries[0], "ghcr.io");
    fp_call_oci_options(&call, "me/x:latest", &opts, store, list);
    assert_string_equal(opts.insecure_registries[0], "docker.io");
    fp_call_cleanup(&call);
}

static void test_missing_and_unsupported(void **state)
{
    (void)state;
    assert_int_equal(fp_cli_unsupported("deployer-x", "describe"), FUNCP_ENOTSUPPORTED);
    assert_string_equal(fp_error_message(), "plugin \"deployer-x\" does not support describe");
    assert_int_equal(fp_cli_missing("deployer", "wasm", FUNCP_ENOPLUGIN), FUNCP_ENOPLUGIN);
    assert_string_equal(fp_error_message(),
                        "no deployer \"wasm\" is installed; it is provided by the plugin "
                        "deployer-wasmmodule");
    /* A failed callback that said nothing still gets a message. */
    fp_error_clear();
    assert_int_equal(fp_cli_plugin_result(FUNCP_EBUILD, "runtime-x", "build"), FUNCP_EBUILD);
    assert_string_equal(fp_error_message(), "plugin \"runtime-x\": build failed");
    fp_error_clear();
    assert_int_equal(fp_cli_plugin_result(5, "runtime-x", "build"), FUNCP_ERROR);
}

static void test_build_stamp(void **state)
{
    (void)state;
    char dir[] = "/tmp/fp-stamp-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *src = fp_path_join(dir, "main.go"), *out = fp_path_join(dir, "module.wasm");
    char *gen = fp_path_join(dir, "gen");
    assert_int_equal(fp_write_file_atomic(src, "package main\n", 13), FUNCP_OK);
    char a[17], b[17], c[17];
    assert_int_equal(fp_build_stamp_hash(dir, "x", a), FUNCP_OK);
    /* Outputs do not change the stamp... */
    assert_int_equal(fp_write_file_atomic(out, "\0asm", 4), FUNCP_OK);
    assert_int_equal(fp_mkdir_p(gen), FUNCP_OK);
    assert_int_equal(fp_build_stamp_hash(dir, "x", b), FUNCP_OK);
    assert_string_equal(a, b);
    /* ...sources and the extra (func.yaml build settings) do. */
    assert_int_equal(fp_build_stamp_hash(dir, "y", c), FUNCP_OK);
    assert_string_not_equal(a, c);
    assert_int_equal(fp_write_file_atomic(src, "package main // changed\n", 24), FUNCP_OK);
    assert_int_equal(fp_build_stamp_hash(dir, "x", c), FUNCP_OK);
    assert_string_not_equal(a, c);
    fp_remove_tree(dir);
    assert_false(fp_exists(dir));
    free(src);
    free(out);
    free(gen);
}

static void test_paths(void **state)
{
    (void)state;
    char *p = fp_path_absolute("/a/./b/../c//d/");
    assert_string_equal(p, "/a/c/d");
    free(p);
    p = fp_path_basename("/x/hello/");
    assert_string_equal(p, "hello");
    free(p);
    p = fp_path_dirname("/x/hello");
    assert_string_equal(p, "/x");
    free(p);
    p = fp_path_dirname("hello");
    assert_string_equal(p, ".");
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_complete),
        cmocka_unit_test(test_deploy_updated),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_funcyaml_access),
        cmocka_unit_test(test_config_file),
        cmocka_unit_test(test_oci_options),
        cmocka_unit_test(test_missing_and_unsupported),
        cmocka_unit_test(test_build_stamp),
        cmocka_unit_test(test_paths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
