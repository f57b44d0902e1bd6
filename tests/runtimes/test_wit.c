/* WIT provisioning: builderImages entries pulled through the host (a fake
 * OCI table of fixtures here), decoded by wasm-tools or jco (shims), laid
 * out flat in wit/deps/<pkg>/, recorded in wit/.versions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_host.h"
#include "pcom/wit.h"

#define GITIGNORE "# Downloaded WIT artifacts \xE2\x80\x94 do not commit\n*\n"
#define CLI_REF "registry.test/wasi/cli:0.2.3"
#define HTTP_REF "registry.test/wasi/http:0.2.3"

static const char CLI[] = "package wasi:cli@0.2.3;\n\ninterface environment {\n"
                          "  get-environment: func() -> list<tuple<string, string>>;\n}\n";
static const char CLI_STUB[] = "package wasi:cli@0.2.3;\n\ninterface stdout {}\n";
static const char HTTP[] = "package wasi:http@0.2.3;\n\ninterface types {}\n";
static const char IO[] = "package wasi:io@0.2.3;\n\ninterface streams {}\n";
static const char CLOCKS[] = "package wasi:clocks@0.2.3;\n\ninterface wall-clock {}\n";

static char fx[4096]; /* fixtures root, one per test */

static void assert_contains(const char *haystack, const char *needle)
{
    if (!haystack || !strstr(haystack, needle))
        fail_msg("expected to find \"%s\" in:\n%s", needle, haystack ? haystack : "(null)");
}

static void assert_file(const char *root, const char *rel, const char *want)
{
    char *got = read_text(root, rel);
    if (!got)
        fail_msg("%s: missing", rel);
    assert_string_equal(got, want);
    free(got);
}

static char *fixture(const char *name)
{
    static char path[8][4200];
    static int next;
    char *p = path[next++ % 8];
    snprintf(p, sizeof path[0], "%s/%s", fx, name);
    return p;
}

static int setup(void **state)
{
    (void)state;
    unsetenv("SHIM_FAIL_WASM_TOOLS");
    shims_only("");
    snprintf(fx, sizeof fx, "/tmp/funcp-witfx-XXXXXX");
    if (!mkdtemp(fx))
        return -1;
    /* the WASI cli package and, as its dependencies, io and clocks */
    write_text(fx, "cli/cli.wit", CLI);
    write_text(fx, "cli/deps/io.wit", IO);
    write_text(fx, "cli/deps/clocks.wit", CLOCKS);
    /* http depends on a stub of cli, and on io and clocks */
    write_text(fx, "http/http.wit", HTTP);
    write_text(fx, "http/deps/cli.wit", CLI_STUB);
    write_text(fx, "http/deps/io.wit", IO);
    write_text(fx, "http/deps/clocks.wit", CLOCKS);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    run_shell("rm -rf '%s'", fx);
    return 0;
}

static funcp_call *wasi_function(const char *mode)
{
    funcp_call *call = fake_call_new();
    write_text(call->root, "wit/world.wit", "package boson:function;\nworld boson {}\n");
    if (mode)
        fake_fy_set(call, "build.builderImages.__WASI_WIT_PROVIDER_MODE", mode);
    fake_fy_set(call, "build.builderImages.http", HTTP_REF);
    fake_fy_set(call, "build.builderImages.cli", CLI_REF);
    fake_oci_add(call, CLI_REF, fixture("cli"));
    fake_oci_add(call, HTTP_REF, fixture("http"));
    return call;
}

static size_t count_lines_with(const char *text, const char *needle)
{
    size_t n = 0;
    for (const char *p = text; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

static void provisions_flat_layout(void **state)
{
    (void)state;
    funcp_call *call = wasi_function("forgiving");
    write_text(call->root, "wit/.versions", "{\"gone\": \"registry.test/old:1\"}");
    assert_int_equal(pcom_wit_provision(&fake_host, call, call->root), FUNCP_OK);

    assert_file(call->root, "wit/deps/cli/cli.wit", CLI); /* main beats http's stub */
    assert_file(call->root, "wit/deps/http/http.wit", HTTP);
    assert_file(call->root, "wit/deps/io/io.wit", IO);
    assert_file(call->root, "wit/deps/clocks/clocks.wit", CLOCKS);
    const char *dirs[] = {"cli", "http", "io", "clocks"};
    for (size_t i = 0; i < 4; i++) {
        char rel[64];
        snprintf(rel, sizeof rel, "wit/deps/%s/.gitignore", dirs[i]);
        assert_file(call->root, rel, GITIGNORE);
    }
    run_shell("[ $(ls -A '%s/wit/deps' | wc -l) -eq 4 ]", call->root);
    assert_file(call->root, "wit/.versions",
                "{\n  \"cli\": \"" CLI_REF "\",\n  \"gone\": \"registry.test/old:1\",\n"
                "  \"http\": \"" HTTP_REF "\"\n}\n");
    assert_file(call->root, "wit/world.wit", "package boson:function;\nworld boson {}\n");
    /* no scratch directory left behind */
    run_shell("[ \"$(ls -A '%s/wit' | tr '\\n' ' ')\" = '.versions deps world.wit ' ]", call->root);
    char *log = shim_log();
    assert_int_equal(count_lines_with(log, "\twasm-tools component wit "), 2);
    assert_contains(log, "/artifact.wasm --out-dir ");
    free(log);
    assert_int_equal(call->n_pulls, 2);
    fake_call_free(call);
}

static void unchanged_entries_are_skipped(void **state)
{
    (void)state;
    funcp_call *call = wasi_function("forgiving");
    assert_int_equal(pcom_wit_provision(&fake_host, call, call->root), FUNCP_OK);
    assert_int_equal(call->n_pulls, 2);
    shims_only("");
    assert_int_equal(pcom_wit_provision(&fake_host, call, call->root), FUNCP_OK);
    assert_int_equal(call->n_pulls, 2);
    char *log = shim_log();
    assert_string_equal(log, "");
    free(log);
    /* nothing differs: skipped even when wit/deps was deleted */
    run_shell("rm -rf '%s/wit/deps'", call->root);
    assert_int_equal(pcom_wit_provision(&fake_host, call, call->root), FUNCP_OK);
    assert_int_equal(call->n_pulls, 2);
    /* a changed reference pulls that entry only */
    fake_fy_set(call, "build.builderImages.http", "registry.test/wasi/http:0.2.4");
    fake_oci_add(call, "registry.test/wasi/http:0.2.4", fixture("http"));
    assert_int_equal(pcom_wit_provision(&fake_host, call, call->root), FUNCP_OK);
    assert_int_equal(call->n_pulls, 3);
    assert_file(call->root, "wit/deps/http/http.wit", HTTP);
    /* cli is not direct in this run: http's transitive stub fills the gap */
    assert_file(call->root, "wit/deps/cli/cli.wit", CLI_STUB);
    fake_call_free(call);
}

static void strict_conflict_is_fatal(void **state)
{
    (void)state;
    write_text(fx, "http/deps/io.wit", "package wasi:io@0.2.3;\n\ninterface streams { x: func(); }\n");
    funcp_call *call = wasi_function(NULL);
    assert_int_equal(pcom_wit_provision(&fake_host, call, call->root), FUNCP_EPARSE);
    char want[1024];
    snprintf(want, sizeof want,
             "WIT provisioning failed: dep \"http\" from " HTTP_REF ": WIT transitive dep conflict "
             "for \"io\": file \"io.wit\" differs between transitive deps (existing %zu bytes vs "
             "incoming %zu bytes); set __WASI_WIT_PROVIDER_MODE to \"forgiving\" in builderImages "
             "or add \"io\" as a direct builderImages entry to resolve",
             strlen(IO), strlen("package wasi:io@0.2.3;\n\ninterface streams { x: func(); }\n"));
    assert_string_equal(call->error, want);
    assert_false(path_exists(call->root, "wit/.versions"));
    run_shell("! ls -A '%s/wit' | grep -q funcp-wit", call->root);
    fake_call_free(call);
}

static void forgiving_rules(void **state)
{
    (void)state;
    /* cli brings the first copies; http brings a same-size, a larger and a
     * smaller different copy */
    write_text(fx, "cli/deps/same.wit", "package t:same;\n//aaaa\n");
    write_text(fx, "http/deps/same.wit", "package t:same;\n//bbbb\n");
    write_text(fx, "cli/deps/grows.wit", "package t:grows;\n");
    write_text(fx, "http/deps/grows.wit", "package t:grows;\ninterface more {}\n");
    write_text(fx, "cli/deps/shrinks.wit", "package t:shrinks;\ninterface more {}\n");
    write_text(fx, "http/deps/shrinks.wit", "package t:shrinks;\n");
    funcp_call *call = wasi_function("forgiving");
    assert_int_equal(pcom_wit_provision(&fake_host, call, call->root), FUNCP_OK);
    assert_file(call->root, "wit/deps/same/same.wit", "package t:same;\n//aaaa\n");
    assert_file(call->root, "wit/deps/grows/grows.wit", "package t:grows;\ninterface more {}\n");
    assert_file(call->root, "wit/deps/shrinks/shrinks.wit", "package t:shrinks;\ninterface more {}\n");
    assert_contains(call->logs, "WARN: WIT transitive dep \"same\": file \"same.wit\" differs but "
                                "has the same size (23 bytes); keeping the existing file");
    assert_contains(call->logs, "WARN: WIT transitive dep \"grows\": file \"grows.wit\" differs; "
                                "replacing it with the incoming file (existing 17 bytes vs "
                                "incoming 35 bytes, larger wins)");
    assert_contains(call->logs, "WARN: WIT transitive dep \"shrinks\": file \"shrinks.wit\" "
                                "differs; keeping the existing file (existing 37 bytes vs "
                                "incoming 19 bytes, larger wins)");
    fake_call_free(call);
}

static void invalid_mode(void **state)
{
    (void)state;
    funcp_call *call = wasi_function("lenient");
    assert_int_equal(pcom_wit_provision(&fake_host, call, call->root), FUNCP_EUSAGE);
    assert_string_equal(call->error, "WIT provisioning failed: invalid __WASI_WIT_PROVIDER_MODE "
                                     "value \"lenient\" (expected \"strict\" or \"forgiving\")");
    assert_int_equal(call->n_pulls, 0);
    fake_call_free(call);
}

static void user_vendored_untouched(void **state)
{
    (void)state;
    funcp_call *call = wasi_function("forgiving");
    write_text(call->root, "wit/deps/io/io.wit", "my io");
    write_text(call->root, "wit/deps/cli/cli.wit", "my cli");
    write_text(call->root, "wit/deps/cli/.gitignore", "# mine\n*.bak\n");
    assert_int_equal(pcom_wit_provision(&fake_host, call, call->root), FUNCP_OK);
    assert_file(call->root, "wit/deps/io/io.wit", "my io");
    assert_false(path_exists(call->root, "wit/deps/io/.gitignore"));
    assert_file(call->root, "wit/deps/cli/cli.wit", "my cli");
    assert_file(call->root, "wit/deps/cli/.gitignore", "# mine\n*.bak\n");
    assert_contains(call->logs, "WARN: wit/deps/cli is user-vendored (no auto-fetch .gitignore); "
                                "leaving it untouched");
    /* the others are provisioned */
    assert_file(call->root, "wit/deps/http/http.wit", HTTP);
    assert_file(call->root, "wit/deps/clocks/clocks.wit", CLOCKS);
    fake_call_free(call);
}

static void main_replaces_auto_fetched_dir(void **state)
{
    (void)state;
    funcp_call *call = wasi_function("forgiving");
    write_text(call->root, "wit/deps/cli/cli.wit", "old cli");
    write_text(call->root, "wit/deps/cli/stale.wit", "stale");
    write_text(call->root, "wit/deps/cli/.gitignore", "  *  \n");
    /* an auto-fetched transitive dir missing its file gets it added */
    write_text(call->root, "wit/deps/io/.gitignore", GITIGNORE);
    write_text(call->root, "wit/deps/io/extra.wit", "kept");
    assert_int_equal(pcom_wit_provision(&fake_host, call, call->root), FUNCP_OK);
    assert_file(call->root, "wit/deps/cli/cli.wit", CLI);
    assert_false(path_exists(call->root, "wit/deps/cli/stale.wit"));
    assert_file(call->root, "wit/deps/cli/.gitignore", GITIGNORE);
    assert_file(call->root, "wit/deps/io/io.wit", IO);
    assert_file(call->root, "wit/deps/io/extra.wit", "kept");
    fake_call_free(call);
}

static void escaping_entries_rejected(void **state)
{
    (void)state;
    run_shell("ln -s /etc/hostname '%s/http/deps/evil.wit'", fx);
    funcp_call *call = wasi_function("forgiving");
    assert_int_equal(pcom_wit_provision(&fake_host, call, call->root), FUNCP_EPARSE);
    assert_string_equal(call->error, "WIT provisioning failed: dep \"http\" from " HTTP_REF
                                     ": WIT package entry \"evil.wit\" would escape wit/deps: "
                                     "rejected");
    assert_false(path_exists(call->root, "wit/deps/evil"));
    assert_false(path_exists(call->root, "wit/.versions"));
    fake_call_free(call);

    run_shell("rm '%s/http/deps/evil.wit'", fx);
    write_text(fx, "http/deps/..wit", "package x:y;\n");
    call = wasi_function("forgiving");
    assert_int_equal(pcom_wit_provision(&fake_host, call, call->root), FUNCP_EPARSE);
    assert_contains(call->error, "WIT package entry \"..wit\" would escape wit/deps: rejected");
    fake_call_free(call);

    run_shell("rm '%s/http/deps/..wit'; mkdir -p '%s/http/deps/sub'", fx, fx);
    call = wasi_function("forgiving");
    assert_int_equal(pcom_wit_provision(&fake_host, call, call->root), FUNCP_EPARSE);
    assert_contains(call->error, "WIT package entry \"sub\" would escape wit/deps: rejected");
    fake_call_free(call);
}

static const char JCO_TEXT[] =
    "package wasi:http@0.2.3;\n\ninterface types {\n  use wasi:io/streams@0.2.3.{input-stream};\n}\n\n"
    "package wasi:io@0.2.3 {\n  interface streams {\n    resource input-stream {}\n  }\n}\n\n"
    "// a comment with { braces } and package words\n"
    "package wasi:clocks@0.2.3 {\n  /* block } comment */\n  interface wall-clock {}\n}\n";

static void jco_fallback(void **state)
{
    (void)state;
    shims_only("wasm-tools");
    write_text(fx, "http.txt", JCO_TEXT);
    funcp_call *call = fake_call_new();
    fake_fy_set(call, "build.builderImages.http", HTTP_REF);
    fake_oci_add(call, HTTP_REF, fixture("http.txt"));
    assert_int_equal(pcom_wit_provision(&fake_host, call, call->root), FUNCP_OK);
    assert_file(call->root, "wit/deps/http/http.wit",
                "package wasi:http@0.2.3;\n\ninterface types {\n  use wasi:io/streams@0.2.3."
                "{input-stream};\n}\n\n\n\n// a comment with { braces } and package words\n\n");
    assert_file(call->root, "wit/deps/io/io.wit",
                "package wasi:io@0.2.3;\n\n  interface streams {\n    resource input-stream {}\n  }\n\n");
    assert_file(call->root, "wit/deps/clocks/clocks.wit",
                "package wasi:clocks@0.2.3;\n\n  /* block } comment */\n  interface wall-clock {}\n\n");
    assert_file(call->root, "wit/deps/io/.gitignore", GITIGNORE);
    char *log = shim_log();
    assert_contains(log, "\tjco wit ");
    assert_null(strstr(log, "wasm-tools"));
    free(log);
    fake_call_free(call);

    write_text(fx, "evil.txt", "package evil:../../x;\ninterface i {}\n");
    call = fake_call_new();
    fake_fy_set(call, "build.builderImages.evil", "registry.test/evil:1");
    fake_oci_add(call, "registry.test/evil:1", fixture("evil.txt"));
    assert_int_equal(pcom_wit_provision(&fake_host, call, call->root), FUNCP_EPARSE);
    assert_contains(call->error, "WIT package entry \"evil:../../x\" would escape wit/deps: rejected");
    run_shell("! find '%s' /tmp -maxdepth 2 -name 'x.wit' 2>/dev/null | grep -q .", call->root);
    fake_call_free(call);
}

static void no_decoder(void **state)
{
    (void)state;
    shims_only("wasm-tools jco");
    funcp_call *call = wasi_function("forgiving");
    assert_int_equal(pcom_wit_provision(&fake_host, call, call->root), FUNCP_ETOOLCHAIN);
    assert_contains(call->error, "WIT provisioning failed: wasm-tools not found on PATH: install "
                                 "wasm-tools 1.219 or newer");
    assert_contains(call->error, "or jco (npm install -g @bytecodealliance/jco)");
    assert_int_equal(call->n_pulls, 0);
    fake_call_free(call);
}

static void pull_failure(void **state)
{
    (void)state;
    funcp_call *call = fake_call_new();
    fake_fy_set(call, "build.builderImages.cli", "registry.test/missing:1");
    assert_int_equal(pcom_wit_provision(&fake_host, call, call->root), FUNCP_ENOTFOUND);
    assert_string_equal(call->error, "WIT provisioning failed: dep \"cli\" from registry.test/"
                        "missing:1: OCI pull failed: \"registry.test/missing:1\" (check network "
                        "connectivity and registry authentication): manifest unknown");
    fake_call_free(call);
}

static void decoder_failure(void **state)
{
    (void)state;
    setenv("SHIM_FAIL_WASM_TOOLS", "1", 1);
    funcp_call *call = wasi_function(NULL);
    assert_int_equal(pcom_wit_provision(&fake_host, call, call->root), FUNCP_EBUILD);
    assert_contains(call->error, "WIT provisioning failed: dep \"cli\" from " CLI_REF
                                 ": wasm-tools component wit ");
    assert_contains(call->error, "failed (exit code 1):\nerror: failed to decode component");
    fake_call_free(call);
    unsetenv("SHIM_FAIL_WASM_TOOLS");
}

static void no_entries_nothing_to_do(void **state)
{
    (void)state;
    funcp_call *call = fake_call_new();
    fake_fy_set(call, "build.builderImages.__WASI_WIT_PROVIDER_MODE", "strict");
    assert_int_equal(pcom_wit_provision(&fake_host, call, call->root), FUNCP_OK);
    assert_false(path_exists(call->root, "wit"));
    fake_call_free(call);
}

static void split_and_stems(void **state)
{
    (void)state;
    pcom_wit_package *p = NULL;
    int n = pcom_wit_split("package a:io@0.2.0 {\n}\npackage top:main;\nworld w {}\n"
                           "package b:io@0.2.0 {\n}\npackage b:io@0.3.0 {\n}\n", &p);
    assert_int_equal(n, 4);
    assert_string_equal(p[0].name, "top:main");
    char *stems[4];
    for (int i = 0; i < 4; i++)
        stems[i] = pcom_wit_stem(p, n, i);
    assert_string_equal(stems[0], "main");
    assert_string_equal(stems[1], "a:io");          /* io and io@0.2.0 clash */
    assert_string_equal(stems[2], "b:io@0.2.0");    /* b:io clashes too */
    assert_string_equal(stems[3], "io@0.3.0");      /* unique as name@version */
    for (int i = 0; i < 4; i++)
        free(stems[i]);
    pcom_wit_packages_free(p, n);
    assert_int_equal(pcom_wit_split("interface x {}\n", &p), -1);
    assert_int_equal(pcom_wit_split("package a:b {\n interface x {\n}\n", &p), -1);
    assert_false(pcom_wit_stem_ok(".."));
    assert_false(pcom_wit_stem_ok("a/b"));
    assert_false(pcom_wit_stem_ok(".hidden"));
    assert_false(pcom_wit_stem_ok(""));
    assert_true(pcom_wit_stem_ok("wasi:io@0.2.3"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(provisions_flat_layout, setup, teardown),
        cmocka_unit_test_setup_teardown(unchanged_entries_are_skipped, setup, teardown),
        cmocka_unit_test_setup_teardown(strict_conflict_is_fatal, setup, teardown),
        cmocka_unit_test_setup_teardown(forgiving_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(invalid_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(user_vendored_untouched, setup, teardown),
        cmocka_unit_test_setup_teardown(main_replaces_auto_fetched_dir, setup, teardown),
        cmocka_unit_test_setup_teardown(escaping_entries_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(jco_fallback, setup, teardown),
        cmocka_unit_test_setup_teardown(no_decoder, setup, teardown),
        cmocka_unit_test_setup_teardown(pull_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(decoder_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(no_entries_nothing_to_do, setup, teardown),
        cmocka_unit_test(split_and_stems),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
