/* Descriptor validation, one broken member per case, over in-memory
 * descriptors: each is refused with its kind and a reason naming what is
 * wrong; the unbroken descriptor passes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "plugin/validate.h"

static const funcp_template templates[] = {{sizeof(funcp_template), "http", "HTTP"}};
static const char *const wasi[] = {"*-wasi", NULL};

/* A valid descriptor with one of everything, copied and broken per case. */
typedef struct fixture {
    funcp_plugin plugin;
    funcp_runtime runtimes[2];
    funcp_template templates[1];
    funcp_builder builders[1];
    funcp_deployer deployers[1];
    funcp_runner runners[1];
} fixture;

static void fixture_init(fixture *f)
{
    memset(f, 0, sizeof *f);
    f->templates[0] = templates[0];
    for (size_t i = 0; i < 2; i++)
        f->runtimes[i] = (funcp_runtime){sizeof(funcp_runtime), i ? "rust-wasi" : "go-wasi", "",
                                         "-wasi", "wasm", "wasm", FUNCP_ARTIFACT_WASM,
                                         f->templates, 1, NULL};
    f->builders[0] = (funcp_builder){sizeof(funcp_builder), "wasm", wasi, NULL, "m.wasm", NULL};
    f->deployers[0] = (funcp_deployer){sizeof(funcp_deployer), "wasm", FUNCP_ARTIFACT_WASM, 0,
                                       NULL, NULL, NULL, NULL, NULL};
    f->runners[0] = (funcp_runner){sizeof(funcp_runner), "jco", FUNCP_ARTIFACT_WASM, NULL, NULL, 1};
    f->plugin = (funcp_plugin){sizeof(funcp_plugin), FUNCP_PLUGIN_ABI_MAJOR, 0, "runtime-wasi",
                               "1.0", "", "MIT", f->runtimes, 2, f->builders, 1, f->deployers,
                               1, f->runners, 1, NULL, NULL};
}

typedef struct validate_case {
    const char *what;
    void (*breaks)(fixture *f);
    fp_refusal reason;
    const char *says;
} validate_case;

static void abi_major_2(fixture *f) { f->plugin.abi_major = 2; }
static void struct_tiny(fixture *f) { f->plugin.struct_size = sizeof(size_t); }
static void struct_short(fixture *f) { f->plugin.struct_size = offsetof(funcp_plugin, init); }
static void name_upper(fixture *f) { f->plugin.name = "Runtime"; }
static void name_null(fixture *f) { f->plugin.name = NULL; }
static void version_empty(fixture *f) { f->plugin.version = ""; }
static void runtimes_null(fixture *f) { f->plugin.runtimes = NULL; }
static void runtime_small(fixture *f) { f->runtimes[0].struct_size = offsetof(funcp_runtime, create); }
static void runtime_stride(fixture *f) { f->runtimes[1].struct_size = sizeof(funcp_runtime) + 8; }
static void runtime_name(fixture *f) { f->runtimes[1].name = "go wasi"; }
static void suffix_no_dash(fixture *f) { f->runtimes[0].suffix = "wasi"; }
static void suffix_dash_only(fixture *f) { f->runtimes[0].suffix = "-"; }
static void default_builder(fixture *f) { f->runtimes[0].default_builder = ""; }
static void templates_null(fixture *f) { f->runtimes[0].templates = NULL; }
static void template_name(fixture *f) { f->templates[0].name = "HTTP!"; }
static void builder_runtimes(fixture *f) { f->builders[0].runtimes = NULL; }
static void builder_pattern(fixture *f)
{
    static const char *const empty[] = {"", NULL};
    f->builders[0].runtimes = empty;
}
static void builder_name(fixture *f) { f->builders[0].name = ""; }
static void deployer_artifacts(fixture *f) { f->deployers[0].artifacts = 0; }
static void runner_small(fixture *f) { f->runners[0].struct_size = 8; }
static void deployers_null(fixture *f) { f->plugin.deployers = NULL; }

static const validate_case cases[] = {
    {"ABI major", abi_major_2, FP_REFUSED_ABI,
     "incompatible ABI: plugin built for ABI 2, funcp speaks ABI 1"},
    {"unreadable", struct_tiny, FP_REFUSED_ABI, "too small to be read"},
    {"short struct", struct_short, FP_REFUSED_ABI, "is smaller than the ABI 1 size"},
    {"name", name_upper, FP_REFUSED_INVALID, "plugin name \"Runtime\" must match [a-z0-9-]+"},
    {"NULL name", name_null, FP_REFUSED_INVALID, "plugin name \"(null)\""},
    {"version", version_empty, FP_REFUSED_INVALID, "plugin \"runtime-wasi\" has an empty version"},
    {"runtimes NULL", runtimes_null, FP_REFUSED_INVALID, "2 runtimes declared but the array is NULL"},
    {"runtime small", runtime_small, FP_REFUSED_INVALID, "runtime #0: struct_size"},
    {"runtime stride", runtime_stride, FP_REFUSED_INVALID, "runtime #1: struct_size"},
    {"runtime name", runtime_name, FP_REFUSED_INVALID, "runtime #1: name \"go wasi\""},
    {"suffix", suffix_no_dash, FP_REFUSED_INVALID, "suffix \"wasi\" must be '-' followed by"},
    {"suffix dash", suffix_dash_only, FP_REFUSED_INVALID, "suffix \"-\" must be"},
    {"default builder", default_builder, FP_REFUSED_INVALID, "default builder \"\" is not a valid name"},
    {"templates NULL", templates_null, FP_REFUSED_INVALID, "1 templates declared but the array is NULL"},
    {"template name", template_name, FP_REFUSED_INVALID, "template #0: name \"HTTP!\""},
    {"builder runtimes", builder_runtimes, FP_REFUSED_INVALID, "builder \"wasm\": runtimes list is NULL"},
    {"builder pattern", builder_pattern, FP_REFUSED_INVALID, "builder \"wasm\": empty runtime pattern"},
    {"builder name", builder_name, FP_REFUSED_INVALID, "builder #0: name \"\""},
    {"deployer artifacts", deployer_artifacts, FP_REFUSED_INVALID,
     "deployer \"wasm\" accepts no artifact kind"},
    {"runner small", runner_small, FP_REFUSED_INVALID, "runner #0: struct_size 8"},
    {"deployers NULL", deployers_null, FP_REFUSED_INVALID, "1 deployers declared but the array is NULL"},
};

static void test_valid_descriptor_passes(void **state)
{
    (void)state;
    fixture f;
    char why[512] = "";
    fixture_init(&f);
    assert_int_equal(fp_plugin_validate(&f.plugin, why, sizeof why), 0);
    /* Optional parts absent: no templates, no suffix, no defaults. */
    f.runtimes[0].templates = NULL;
    f.runtimes[0].n_templates = 0;
    f.runtimes[0].suffix = NULL;
    f.runtimes[0].default_builder = NULL;
    f.plugin.n_runners = 0;
    f.plugin.runners = NULL;
    assert_int_equal(fp_plugin_validate(&f.plugin, why, sizeof why), 0);
}

static void test_each_broken_member_refused(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fixture f;
        char why[512] = "";
        fixture_init(&f);
        cases[i].breaks(&f);
        print_message("case %s\n", cases[i].what);
        assert_int_equal(fp_plugin_validate(&f.plugin, why, sizeof why), cases[i].reason);
        if (!strstr(why, cases[i].says))
            fail_msg("case %s: \"%s\" does not say \"%s\"", cases[i].what, why, cases[i].says);
    }
}

static void test_valid_names(void **state)
{
    (void)state;
    assert_true(fp_valid_name("go-wasi"));
    assert_true(fp_valid_name("a0"));
    assert_false(fp_valid_name(""));
    assert_false(fp_valid_name(NULL));
    assert_false(fp_valid_name("Go"));
    assert_false(fp_valid_name("go_wasi"));
    assert_false(fp_valid_name("go/wasi"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_descriptor_passes),
        cmocka_unit_test(test_each_broken_member_refused),
        cmocka_unit_test(test_valid_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
