/* funcp create for go-wasi and rust-wasi: the embedded templates land in
 * the directory and go-wasi records its WIT packages in func.yaml. Also
 * checks the built plugin .so files export the descriptors we expect. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_host.h"
#include "gowasi.h"
#include "rustwasi.h"

static void assert_contains(const char *haystack, const char *needle)
{
    if (!haystack || !strstr(haystack, needle))
        fail_msg("expected to find \"%s\" in:\n%s", needle, haystack ? haystack : "(null)");
}

static void go_create_writes_template(void **state)
{
    (void)state;
    funcp_call *call = fake_call_new();
    assert_int_equal(gowasi_create(&fake_host, call, "http", call->root), FUNCP_OK);

    char *gomod = read_text(call->root, "go.mod");
    assert_contains(gomod, "module function\n");
    assert_contains(gomod, "go 1.24\n");
    assert_contains(gomod, "tool go.bytecodealliance.org/cmd/wit-bindgen-go\n");
    char *fn = read_text(call->root, "function.go");
    assert_contains(fn, "\n//go:generate go tool wit-bindgen-go generate --world boson --out gen "
                        "--package-root function/gen ./wit\n");
    assert_contains(fn, "func greeting(path string) string");
    assert_contains(fn, "\"Hello from WASI! Path: \" + path + \"\\n\"");
    char *test = read_text(call->root, "function_test.go");
    assert_contains(test, "greeting(path)");
    char *world = read_text(call->root, "wit/world.wit");
    assert_contains(world, "package boson:function;");
    assert_contains(world, "world boson {");
    assert_contains(world, "include wasi:http/proxy@0.2.3;");
    assert_contains(world, "include wasi:cli/imports@0.2.3;");
    char *gi = read_text(call->root, ".gitignore");
    assert_string_equal(gi, "# build outputs\ngen/\nmodule.wasm\n"
                            "# local state of funcp and of knative func (build stamps, OCI layout)\n"
                            ".funcp/\n.func/\n");
    assert_true(path_exists(call->root, "README.md"));
    /* no temp files left behind by the atomic writes */
    run_shell("! find '%s' -name '*.tmp-*' | grep -q .", call->root);

    assert_int_equal(fake_host.fy_count(call, "build.builderImages"), 3);
    assert_string_equal(fake_host.fy_get(call, "build.builderImages.__WASI_WIT_PROVIDER_MODE"),
                        "forgiving");
    assert_string_equal(fake_host.fy_get(call, "build.builderImages.cli"),
                        "ghcr.io/webassembly/wasi/cli:0.2.3");
    assert_string_equal(fake_host.fy_get(call, "build.builderImages.http"),
                        "ghcr.io/webassembly/wasi/http:0.2.3");
    assert_null(fake_host.fy_get(call, "build.builder"));
    free(gomod);
    free(fn);
    free(test);
    free(world);
    free(gi);
    fake_call_free(call);
}

static void go_create_keeps_existing_builder_images(void **state)
{
    (void)state;
    funcp_call *call = fake_call_new();
    fake_fy_set(call, "build.builderImages.http", "registry.example/wasi/http:0.2.4");
    assert_int_equal(gowasi_create(&fake_host, call, "http", call->root), FUNCP_OK);
    assert_int_equal(fake_host.fy_count(call, "build.builderImages"), 1);
    assert_string_equal(fake_host.fy_get(call, "build.builderImages.http"),
                        "registry.example/wasi/http:0.2.4");
    fake_call_free(call);
}

static void unknown_template_writes_nothing(void **state)
{
    (void)state;
    funcp_call *call = fake_call_new();
    assert_int_equal(gowasi_create(&fake_host, call, "cloudevents", call->root), FUNCP_EUSAGE);
    assert_string_equal(call->error, "unknown template \"cloudevents\" for runtime go-wasi");
    run_shell("[ -z \"$(ls -A '%s')\" ]", call->root);
    assert_int_equal(fake_host.fy_count(call, "build.builderImages"), 0);
    assert_int_equal(rustwasi_create(&fake_host, call, "htt", call->root), FUNCP_EUSAGE);
    assert_string_equal(call->error, "unknown template \"htt\" for runtime rust-wasi");
    run_shell("[ -z \"$(ls -A '%s')\" ]", call->root);
    fake_call_free(call);
}

static void rust_create_writes_template(void **state)
{
    (void)state;
    funcp_call *call = fake_call_new();
    assert_int_equal(rustwasi_create(&fake_host, call, "http", call->root), FUNCP_OK);
    char *cargo = read_text(call->root, "Cargo.toml");
    assert_contains(cargo, "name = \"function\"");
    assert_contains(cargo, "crate-type = [\"cdylib\"]");
    assert_contains(cargo, "opt-level = \"z\"");
    assert_contains(cargo, "lto = true");
    assert_contains(cargo, "strip = \"symbols\"");
    assert_contains(cargo, "wasi = \"0.14\"");
    char *lib = read_text(call->root, "src/lib.rs");
    assert_contains(lib, "wasi::http::proxy::export!(Function);");
    assert_contains(lib, "set_status_code(200)");
    assert_contains(lib, "text/plain; charset=utf-8");
    assert_contains(lib, "format!(\"Hello from WASI! Path: {path}\\n\")");
    assert_contains(lib, "#[cfg(test)]");
    char *gi = read_text(call->root, ".gitignore");
    assert_string_equal(gi, "# build outputs\ntarget/\nmodule.wasm\n"
                            "# local state of funcp and of knative func (build stamps, OCI layout)\n"
                            ".funcp/\n.func/\n");
    assert_true(path_exists(call->root, "README.md"));
    assert_int_equal(fake_host.fy_count(call, "build.builderImages"), 0);
    free(cargo);
    free(lib);
    free(gi);
    fake_call_free(call);
}

/* The .so as funcp loads it: one exported entry, the descriptor we mean. */
static void check_descriptor(const char *file, const char *plugin_name, const char *runtime)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/plugins/%s", getenv("FUNCP_TEST_BUILD_DIR"), file);
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h)
        fail_msg("dlopen %s: %s", path, dlerror());
    funcp_plugin_get_fn get = (funcp_plugin_get_fn)(uintptr_t)dlsym(h, FUNCP_PLUGIN_ENTRY);
    assert_non_null(get);
    const funcp_plugin *p = get();
    assert_int_equal(p->abi_major, FUNCP_PLUGIN_ABI_MAJOR);
    assert_int_equal(p->struct_size, sizeof(funcp_plugin));
    assert_string_equal(p->name, plugin_name);
    assert_int_equal(p->n_runtimes, 1);
    const funcp_runtime *r = &p->runtimes[0];
    assert_string_equal(r->name, runtime);
    assert_string_equal(r->suffix, "-wasi");
    assert_string_equal(r->default_builder, "wasm");
    assert_string_equal(r->default_deployer, "wasm");
    assert_int_equal(r->artifact, FUNCP_ARTIFACT_WASM);
    assert_int_equal(r->n_templates, 1);
    assert_string_equal(r->templates[0].name, "http");
    assert_non_null(r->create);
    assert_int_equal(p->n_builders, 1);
    const funcp_builder *b = &p->builders[0];
    assert_string_equal(b->name, "wasm");
    assert_string_equal(b->runtimes[0], runtime);
    assert_null(b->runtimes[1]);
    assert_string_equal(b->artifact_path, "module.wasm");
    assert_non_null(b->build);
    assert_int_equal(p->n_deployers, 0);

    /* The .so carries its templates: create works from it alone. */
    funcp_call *call = fake_call_new();
    assert_int_equal(r->create(&fake_host, call, "http", call->root), FUNCP_OK);
    assert_true(path_exists(call->root, ".gitignore"));
    fake_call_free(call);
    dlclose(h);
}

static void plugin_descriptors(void **state)
{
    (void)state;
    check_descriptor("runtime-go-wasi.so", "runtime-go-wasi", "go-wasi");
    check_descriptor("runtime-rust-wasi.so", "runtime-rust-wasi", "rust-wasi");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(go_create_writes_template),
        cmocka_unit_test(go_create_keeps_existing_builder_images),
        cmocka_unit_test(unknown_template_writes_nothing),
        cmocka_unit_test(rust_create_writes_template),
        cmocka_unit_test(plugin_descriptors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
