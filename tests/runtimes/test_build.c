/* The wasm builders of go-wasi and rust-wasi against fake toolchains on
 * PATH (shims/): exact command lines and their order, missing or old
 * toolchains, failures that must keep the previous module.wasm. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fake_host.h"
#include "gowasi.h"
#include "rustwasi.h"

static void assert_contains(const char *haystack, const char *needle)
{
    if (!haystack || !strstr(haystack, needle))
        fail_msg("expected to find \"%s\" in:\n%s", needle, haystack ? haystack : "(null)");
}

/* The shim log expected for these tool lines, all run in root. */
static void assert_log(const char *root, const char *const *lines)
{
    char want[8192] = "";
    for (size_t i = 0; lines[i]; i++) {
        size_t n = strlen(want);
        snprintf(want + n, sizeof want - n, "%s\t%s\n", root, lines[i]);
    }
    char *got = shim_log();
    assert_string_equal(got, want);
    free(got);
}

static int reset(void **state)
{
    (void)state;
    const char *vars[] = {"SHIM_FAIL_TINYGO_BUILD", "SHIM_FAIL_GO_GENERATE", "SHIM_FAIL_GO_MOD_TIDY",
                          "SHIM_FAIL_CARGO_BUILD", "SHIM_FAIL_RUSTUP", "SHIM_TINYGO_VERSION",
                          "SHIM_GO_VERSION", "SHIM_CARGO_VERSION", "SHIM_RUSTUP_NO_WASIP2",
                          "SHIM_CARGO_NO_OUTPUT", "CARGO_TARGET_DIR"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
        unsetenv(vars[i]);
    shims_only("");
    return 0;
}

/* A go-wasi function without builderImages (no WIT fetching). */
static funcp_call *go_function(void)
{
    funcp_call *call = fake_call_new();
    assert_int_equal(pcom_write_template(&fake_host, call, "go-wasi", gowasi_templates,
                                         gowasi_templates_count, "http", call->root),
                     FUNCP_OK);
    return call;
}

static char tmp_name[64];
static const char *go_tmp(void)
{
    snprintf(tmp_name, sizeof tmp_name, ".module.wasm.%ld.tmp.wasm", (long)getpid());
    return tmp_name;
}

static void assert_component(const char *root, const char *rel)
{
    char *data = read_text(root, rel);
    assert_non_null(data);
    assert_memory_equal(data, "\0asm\r\0\1\0", 8);
    free(data);
}

static void go_build_runs_tools_in_order(void **state)
{
    (void)state;
    funcp_call *call = go_function();
    assert_int_equal(gowasi_build(&fake_host, call), FUNCP_OK);
    char build[256];
    snprintf(build, sizeof build,
             "tinygo build -target=wasip2 -no-debug -wit-package wit/ -wit-world boson -o %s .",
             go_tmp());
    const char *lines[] = {"tinygo version", "go version", "go mod tidy", "go generate ./...",
                           build, NULL};
    assert_log(call->root, lines);
    assert_component(call->root, "module.wasm");
    assert_false(path_exists(call->root, go_tmp()));
    assert_true(path_exists(call->root, "gen/.generated"));
    /* quiet by default: output captured, not streamed */
    assert_int_equal(call->last_run_flags, FUNCP_PROC_CAPTURE_STDOUT | FUNCP_PROC_CAPTURE_STDERR);
    fake_call_free(call);
}

static void go_build_without_wit_or_directive(void **state)
{
    (void)state;
    funcp_call *call = go_function();
    run_shell("rm -rf '%s/wit' && sed -i '/^\\/\\/go:generate/d' '%s/function.go'", call->root,
              call->root);
    /* indented or commented-out directives do not count */
    write_text(call->root, "pkg/x.go", "package pkg\n  //go:generate echo no\n// go:generate no\n");
    assert_int_equal(gowasi_build(&fake_host, call), FUNCP_OK);
    char build[256];
    snprintf(build, sizeof build, "tinygo build -target=wasip2 -no-debug -o %s .", go_tmp());
    const char *lines[] = {"tinygo version", "go version", "go mod tidy", build, NULL};
    assert_log(call->root, lines);
    assert_component(call->root, "module.wasm");
    fake_call_free(call);
}

/* --verbose streams the tools' output; the command line itself is the
 * host's run() to log (once), so the plugin does not echo it. */
static void go_build_verbose_streams_without_echo(void **state)
{
    (void)state;
    funcp_call *call = go_function();
    call->verbose = 1;
    assert_int_equal(gowasi_build(&fake_host, call), FUNCP_OK);
    assert_int_equal(call->last_run_flags, FUNCP_PROC_STREAM);
    assert_null(strstr(call->logs, "go mod tidy"));
    assert_null(strstr(call->logs, "tinygo build"));
    assert_null(strstr(call->logs, " && "));
    char build[256];
    snprintf(build, sizeof build, "tinygo build -target=wasip2 -no-debug -wit-package wit/ "
             "-wit-world boson -o %s .", go_tmp());
    const char *lines[] = {"tinygo version", "go version", "go mod tidy", "go generate ./...",
                           build, NULL};
    assert_log(call->root, lines);
    fake_call_free(call);
}

static void go_missing_tinygo(void **state)
{
    (void)state;
    shims_only("tinygo");
    funcp_call *call = go_function();
    assert_int_equal(gowasi_build(&fake_host, call), FUNCP_ETOOLCHAIN);
    assert_string_equal(call->error, "compiling WASM for runtime \"go-wasi\": tinygo not found on "
                        "PATH: install TinyGo 0.34 or newer from https://tinygo.org (and wasm-tools)");
    const char *none[] = {NULL};
    assert_log(call->root, none);
    fake_call_free(call);
}

static void go_missing_go(void **state)
{
    (void)state;
    shims_only("go");
    funcp_call *call = go_function();
    assert_int_equal(gowasi_build(&fake_host, call), FUNCP_ETOOLCHAIN);
    assert_string_equal(call->error, "compiling WASM for runtime \"go-wasi\": go not found on PATH: "
                        "install Go 1.24 or newer from https://go.dev/dl (needed for go mod tidy "
                        "and go generate)");
    fake_call_free(call);
}

static void go_old_toolchains(void **state)
{
    (void)state;
    setenv("SHIM_TINYGO_VERSION", "0.33.1", 1);
    funcp_call *call = go_function();
    assert_int_equal(gowasi_build(&fake_host, call), FUNCP_ETOOLCHAIN);
    assert_contains(call->error, "tinygo 0.33 is too old: install TinyGo 0.34 or newer from "
                                 "https://tinygo.org");
    unsetenv("SHIM_TINYGO_VERSION");
    setenv("SHIM_GO_VERSION", "1.23.4", 1);
    assert_int_equal(gowasi_build(&fake_host, call), FUNCP_ETOOLCHAIN);
    assert_contains(call->error, "go 1.23 is too old: install Go 1.24 or newer");
    assert_false(path_exists(call->root, "module.wasm"));
    fake_call_free(call);
}

static void go_failed_build_keeps_module(void **state)
{
    (void)state;
    funcp_call *call = go_function();
    write_text(call->root, "module.wasm", "previous module");
    setenv("SHIM_FAIL_TINYGO_BUILD", "3", 1);
    assert_int_equal(gowasi_build(&fake_host, call), FUNCP_EBUILD);
    char want[512];
    snprintf(want, sizeof want,
             "compiling WASM for runtime \"go-wasi\": tinygo build -target=wasip2 -no-debug "
             "-wit-package wit/ -wit-world boson -o %s . failed (exit code 3):\nerror: "
             "function.go:12:2: undefined: greeting: simulated failure (TINYGO_BUILD)", go_tmp());
    assert_string_equal(call->error, want);
    char *kept = read_text(call->root, "module.wasm");
    assert_string_equal(kept, "previous module");
    free(kept);
    assert_false(path_exists(call->root, go_tmp()));
    fake_call_free(call);
}

static void go_generate_failure_stops_build(void **state)
{
    (void)state;
    funcp_call *call = go_function();
    setenv("SHIM_FAIL_GO_GENERATE", "1", 1);
    assert_int_equal(gowasi_build(&fake_host, call), FUNCP_EBUILD);
    assert_contains(call->error, "go generate ./... failed (exit code 1):\nwit-bindgen-go: no world");
    char *log = shim_log();
    assert_null(strstr(log, "tinygo build"));
    free(log);
    fake_call_free(call);
}

static funcp_call *rust_function(void)
{
    funcp_call *call = fake_call_new();
    assert_int_equal(rustwasi_create(&fake_host, call, "http", call->root), FUNCP_OK);
    return call;
}

static void rust_build_runs_tools_in_order(void **state)
{
    (void)state;
    funcp_call *call = rust_function();
    assert_int_equal(rustwasi_build(&fake_host, call), FUNCP_OK);
    const char *lines[] = {"cargo --version", "rustup target list --installed",
                           "cargo build --release --target wasm32-wasip2", NULL};
    assert_log(call->root, lines);
    /* the largest .wasm is the artifact */
    run_shell("cmp -s '%s/module.wasm' '%s/target/wasm32-wasip2/release/function.wasm'",
              call->root, call->root);
    run_shell("[ $(wc -c < '%s/module.wasm') -eq 21 ]", call->root);
    fake_call_free(call);
}

static void rust_cargo_target_dir(void **state)
{
    (void)state;
    funcp_call *call = rust_function();
    setenv("CARGO_TARGET_DIR", "out", 1);
    assert_int_equal(rustwasi_build(&fake_host, call), FUNCP_OK);
    assert_true(path_exists(call->root, "out/wasm32-wasip2/release/function.wasm"));
    assert_component(call->root, "module.wasm");
    fake_call_free(call);
}

static void rust_missing_cargo(void **state)
{
    (void)state;
    shims_only("cargo");
    funcp_call *call = rust_function();
    assert_int_equal(rustwasi_build(&fake_host, call), FUNCP_ETOOLCHAIN);
    assert_string_equal(call->error, "compiling WASM for runtime \"rust-wasi\": cargo not found on "
                        "PATH: install Rust 1.82 or newer from https://rustup.rs, then run: rustup "
                        "target add wasm32-wasip2");
    fake_call_free(call);
}

static void rust_missing_target(void **state)
{
    (void)state;
    setenv("SHIM_RUSTUP_NO_WASIP2", "1", 1);
    funcp_call *call = rust_function();
    assert_int_equal(rustwasi_build(&fake_host, call), FUNCP_ETOOLCHAIN);
    assert_string_equal(call->error, "compiling WASM for runtime \"rust-wasi\": wasm32-wasip2 "
                        "target not installed; run: rustup target add wasm32-wasip2");
    const char *lines[] = {"cargo --version", "rustup target list --installed", NULL};
    assert_log(call->root, lines);
    fake_call_free(call);
}

static void rust_without_rustup_skips_target_check(void **state)
{
    (void)state;
    shims_only("rustup");
    funcp_call *call = rust_function();
    assert_int_equal(rustwasi_build(&fake_host, call), FUNCP_OK);
    const char *lines[] = {"cargo --version", "cargo build --release --target wasm32-wasip2", NULL};
    assert_log(call->root, lines);
    /* a rustup that fails to run is skipped too */
    shims_only("");
    setenv("SHIM_FAIL_RUSTUP", "1", 1);
    assert_int_equal(rustwasi_build(&fake_host, call), FUNCP_OK);
    fake_call_free(call);
}

static void rust_no_wasm_produced(void **state)
{
    (void)state;
    setenv("SHIM_CARGO_NO_OUTPUT", "1", 1);
    funcp_call *call = rust_function();
    assert_int_equal(rustwasi_build(&fake_host, call), FUNCP_EBUILD);
    char want[4600];
    snprintf(want, sizeof want, "compiling WASM for runtime \"rust-wasi\": no .wasm binary found "
             "in %s/target/wasm32-wasip2/release after cargo build: no WASM binary produced",
             call->root);
    assert_string_equal(call->error, want);
    fake_call_free(call);
}

static void rust_failed_build_keeps_module(void **state)
{
    (void)state;
    funcp_call *call = rust_function();
    write_text(call->root, "module.wasm", "previous module");
    setenv("SHIM_FAIL_CARGO_BUILD", "101", 1);
    assert_int_equal(rustwasi_build(&fake_host, call), FUNCP_EBUILD);
    assert_contains(call->error, "cargo build --release --target wasm32-wasip2 failed (exit code "
                                 "101):\nerror[E0425]");
    char *kept = read_text(call->root, "module.wasm");
    assert_string_equal(kept, "previous module");
    free(kept);
    fake_call_free(call);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(go_build_runs_tools_in_order, reset),
        cmocka_unit_test_setup(go_build_without_wit_or_directive, reset),
        cmocka_unit_test_setup(go_build_verbose_streams_without_echo, reset),
        cmocka_unit_test_setup(go_missing_tinygo, reset),
        cmocka_unit_test_setup(go_missing_go, reset),
        cmocka_unit_test_setup(go_old_toolchains, reset),
        cmocka_unit_test_setup(go_failed_build_keeps_module, reset),
        cmocka_unit_test_setup(go_generate_failure_stops_build, reset),
        cmocka_unit_test_setup(rust_build_runs_tools_in_order, reset),
        cmocka_unit_test_setup(rust_cargo_target_dir, reset),
        cmocka_unit_test_setup(rust_missing_cargo, reset),
        cmocka_unit_test_setup(rust_missing_target, reset),
        cmocka_unit_test_setup(rust_without_rustup_skips_target_check, reset),
        cmocka_unit_test_setup(rust_no_wasm_produced, reset),
        cmocka_unit_test_setup(rust_failed_build_keeps_module, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
