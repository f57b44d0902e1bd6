/* The compatibility rules of knative func PR #3560 as funcp's registry
 * applies them, table-driven over in-memory plugin descriptors shaped like
 * funcp's real plugins: two WASI runtime plugins claiming "-wasi" (both
 * providing builder "wasm"), the wasm deployer, and container plugins
 * (builders pack/s2i for "*", host for "go", deployers knative (default)
 * and raw accepting images). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "plugin/registry.h"
#include "util/error.h"

/* ---- descriptors ---------------------------------------------------- */

static const funcp_template http_template[] = {{sizeof(funcp_template), "http", "HTTP"}};

static const char *const go_wasi_only[] = {"go-wasi", NULL};
static const funcp_runtime go_wasi_runtimes[] = {
    {sizeof(funcp_runtime), "go-wasi", "Go (TinyGo)", "-wasi", "wasm", "wasm",
     FUNCP_ARTIFACT_WASM, http_template, 1, NULL},
};
static const funcp_builder go_wasi_builders[] = {
    {sizeof(funcp_builder), "wasm", go_wasi_only, NULL, "module.wasm", NULL},
};
static const funcp_plugin go_wasi_plugin = {
    sizeof(funcp_plugin), 1, 0, "runtime-go-wasi", "1", "", "Apache-2.0",
    go_wasi_runtimes, 1, go_wasi_builders, 1, NULL, 0, NULL, 0, NULL, NULL,
};

static const char *const rust_wasi_only[] = {"rust-wasi", NULL};
static const funcp_runtime rust_wasi_runtimes[] = {
    {sizeof(funcp_runtime), "rust-wasi", "Rust", "-wasi", "wasm", "wasm",
     FUNCP_ARTIFACT_WASM, http_template, 1, NULL},
};
static const funcp_builder rust_wasi_builders[] = {
    {sizeof(funcp_builder), "wasm", rust_wasi_only, NULL, "target/module.wasm", NULL},
};
static const funcp_plugin rust_wasi_plugin = {
    sizeof(funcp_plugin), 1, 0, "runtime-rust-wasi", "1", "", "Apache-2.0",
    rust_wasi_runtimes, 1, rust_wasi_builders, 1, NULL, 0, NULL, 0, NULL, NULL,
};

static const funcp_deployer wasm_deployers[] = {
    {sizeof(funcp_deployer), "wasm", FUNCP_ARTIFACT_WASM, 0, NULL, NULL, NULL, NULL, NULL},
};
static const funcp_runner wasm_runners[] = {
    {sizeof(funcp_runner), "wasmtime", FUNCP_ARTIFACT_WASM, NULL, NULL, 10},
    {sizeof(funcp_runner), "jco", FUNCP_ARTIFACT_WASM, NULL, NULL, 20},
    {sizeof(funcp_runner), "slow", FUNCP_ARTIFACT_WASM, NULL, NULL, 10},
};
static const funcp_plugin wasm_deployer_plugin = {
    sizeof(funcp_plugin), 1, 0, "deployer-wasmmodule", "1", "", "Apache-2.0",
    NULL, 0, NULL, 0, wasm_deployers, 1, wasm_runners, 3, NULL, NULL,
};

static const char *const any_runtime[] = {"*", NULL};
static const char *const go_only[] = {"go", NULL};
static const funcp_runtime container_runtimes[] = {
    {sizeof(funcp_runtime), "go", "Go", NULL, NULL, NULL, FUNCP_ARTIFACT_IMAGE, NULL, 0, NULL},
    {sizeof(funcp_runtime), "node", "Node.js", NULL, NULL, NULL, FUNCP_ARTIFACT_IMAGE, NULL, 0,
     NULL},
};
static const funcp_builder container_builders[] = {
    {sizeof(funcp_builder), "pack", any_runtime, NULL, NULL, NULL},
    {sizeof(funcp_builder), "s2i", any_runtime, NULL, NULL, NULL},
    {sizeof(funcp_builder), "host", go_only, NULL, NULL, NULL},
};
static const funcp_deployer container_deployers[] = {
    {sizeof(funcp_deployer), "knative", FUNCP_ARTIFACT_IMAGE, 1, NULL, NULL, NULL, NULL, NULL},
    {sizeof(funcp_deployer), "raw", FUNCP_ARTIFACT_IMAGE, 0, NULL, NULL, NULL, NULL, NULL},
};
static const funcp_plugin container_plugin = {
    sizeof(funcp_plugin), 1, 0, "deployer-knative", "1", "", "Apache-2.0",
    container_runtimes, 2, container_builders, 3, container_deployers, 2, NULL, 0, NULL, NULL,
};

static fp_registry *full_registry(void)
{
    fp_registry *reg = fp_registry_new();
    assert_non_null(reg);
    assert_int_equal(fp_registry_add(reg, &go_wasi_plugin, "runtime-go-wasi"), FUNCP_OK);
    assert_int_equal(fp_registry_add(reg, &rust_wasi_plugin, "runtime-rust-wasi"), FUNCP_OK);
    assert_int_equal(fp_registry_add(reg, &wasm_deployer_plugin, "deployer-wasmmodule"),
                     FUNCP_OK);
    assert_int_equal(fp_registry_add(reg, &container_plugin, "deployer-knative"), FUNCP_OK);
    return reg;
}

/* ---- resolution: explicit flag > func.yaml > inferred > default ---- */

typedef struct resolve_case {
    const char *runtime, *flag, *funcyaml;
    const char *builder;    fp_origin builder_origin;
    const char *deployer;   fp_origin deployer_origin;
} resolve_case;

static const resolve_case resolve_cases[] = {
    /* WASI runtimes infer wasm/wasm from the claimed suffix. */
    {"go-wasi", NULL, NULL, "wasm", FP_ORIGIN_INFERRED, "wasm", FP_ORIGIN_INFERRED},
    {"rust-wasi", NULL, NULL, "wasm", FP_ORIGIN_INFERRED, "wasm", FP_ORIGIN_INFERRED},
    /* Compatibility is by suffix: a -wasi runtime nobody registered too. */
    {"python-wasi", NULL, NULL, "wasm", FP_ORIGIN_INFERRED, "wasm", FP_ORIGIN_INFERRED},
    {"", "", "", NULL, FP_ORIGIN_NONE, "knative", FP_ORIGIN_DEFAULT},
    /* Unclaimed runtimes: no builder inferred, the default deployer. */
    {"go", NULL, NULL, NULL, FP_ORIGIN_NONE, "knative", FP_ORIGIN_DEFAULT},
    {"wasi", NULL, NULL, NULL, FP_ORIGIN_NONE, "knative", FP_ORIGIN_DEFAULT},
    /* Explicit values win, flag over func.yaml; empty strings are unset. */
    {"go-wasi", "pack", NULL, "pack", FP_ORIGIN_FLAG, "pack", FP_ORIGIN_FLAG},
    {"go-wasi", NULL, "host", "host", FP_ORIGIN_FUNCYAML, "host", FP_ORIGIN_FUNCYAML},
    {"go-wasi", "s2i", "host", "s2i", FP_ORIGIN_FLAG, "s2i", FP_ORIGIN_FLAG},
    {"go", "", "raw", "raw", FP_ORIGIN_FUNCYAML, "raw", FP_ORIGIN_FUNCYAML},
};

static void test_resolve_table(void **state)
{
    (void)state;
    fp_registry *reg = full_registry();
    for (size_t i = 0; i < sizeof resolve_cases / sizeof resolve_cases[0]; i++) {
        const resolve_case *c = &resolve_cases[i];
        fp_choice b = fp_registry_resolve_builder(reg, c->runtime, c->flag, c->funcyaml);
        fp_choice d = fp_registry_resolve_deployer(reg, c->runtime, c->flag, c->funcyaml);
        print_message("case %zu: runtime %s\n", i, c->runtime);
        if (c->builder)
            assert_string_equal(b.value, c->builder);
        else
            assert_null(b.value);
        assert_int_equal(b.origin, c->builder_origin);
        assert_string_equal(d.value, c->deployer);
        assert_int_equal(d.origin, c->deployer_origin);
    }
    fp_registry_free(reg);
}

/* ---- checks: compatible, unknown, incompatible with hint ------------ */

typedef struct check_case {
    int deployer; /* 0: check builder, 1: check deployer */
    const char *runtime, *name;
    int status;
    const char *message;
    const char *hint;
} check_case;

#define INCOMPAT ": incompatible runtime/builder/deployer combination"

static const check_case check_cases[] = {
    {0, "go-wasi", "wasm", FUNCP_OK, NULL, NULL},
    {0, "rust-wasi", "wasm", FUNCP_OK, NULL, NULL},
    {0, "go", "pack", FUNCP_OK, NULL, NULL},
    {0, "node", "s2i", FUNCP_OK, NULL, NULL},
    {0, "go", "host", FUNCP_OK, NULL, NULL},
    /* Validation only runs when the runtime is set. */
    {0, "", "pack", FUNCP_OK, NULL, NULL},
    {0, NULL, "nonsense", FUNCP_OK, NULL, NULL},
    /* "*" excludes runtimes whose suffix a plugin claims. */
    {0, "go-wasi", "pack", FUNCP_EINCOMPATIBLE,
     "builder \"pack\" does not support runtime \"go-wasi\"" INCOMPAT,
     "compatible builders for runtime \"go-wasi\": \"wasm\""},
    {0, "rust-wasi", "s2i", FUNCP_EINCOMPATIBLE,
     "builder \"s2i\" does not support runtime \"rust-wasi\"" INCOMPAT,
     "compatible builders for runtime \"rust-wasi\": \"wasm\""},
    {0, "go", "wasm", FUNCP_EINCOMPATIBLE,
     "builder \"wasm\" does not support runtime \"go\"" INCOMPAT,
     "compatible builders for runtime \"go\": \"host\", \"pack\", and \"s2i\""},
    {0, "node", "host", FUNCP_EINCOMPATIBLE,
     "builder \"host\" does not support runtime \"node\"" INCOMPAT,
     "compatible builders for runtime \"node\": \"pack\" and \"s2i\""},
    /* Each wasm builder builds its own runtime only; nobody builds this. */
    {0, "python-wasi", "wasm", FUNCP_EINCOMPATIBLE,
     "builder \"wasm\" does not support runtime \"python-wasi\"" INCOMPAT,
     "no installed builder supports runtime \"python-wasi\""},
    {0, "go-wasi", "x", FUNCP_EUSAGE,
     "unknown builder \"x\"; registered builders: [host pack s2i wasm]", ""},
    {1, "go-wasi", "wasm", FUNCP_OK, NULL, NULL},
    {1, "python-wasi", "wasm", FUNCP_OK, NULL, NULL},
    {1, "go", "knative", FUNCP_OK, NULL, NULL},
    {1, "node", "raw", FUNCP_OK, NULL, NULL},
    {1, "", "knative", FUNCP_OK, NULL, NULL},
    {1, "rust-wasi", "knative", FUNCP_EINCOMPATIBLE,
     "deployer \"knative\" does not support runtime \"rust-wasi\"" INCOMPAT,
     "compatible deployers for runtime \"rust-wasi\": \"wasm\""},
    {1, "go-wasi", "raw", FUNCP_EINCOMPATIBLE,
     "deployer \"raw\" does not support runtime \"go-wasi\"" INCOMPAT,
     "compatible deployers for runtime \"go-wasi\": \"wasm\""},
    {1, "go", "wasm", FUNCP_EINCOMPATIBLE,
     "deployer \"wasm\" does not support runtime \"go\"" INCOMPAT,
     "compatible deployers for runtime \"go\": \"knative\" and \"raw\""},
    {1, "go", "keda", FUNCP_EUSAGE,
     "unknown deployer \"keda\"; registered deployers: [knative raw wasm]", ""},
    /* func's container deployer keda has no plugin here: for a WASI runtime
     * it is still func's incompatibility, not an unknown name. */
    {1, "go-wasi", "keda", FUNCP_EINCOMPATIBLE,
     "deployer \"keda\" does not support runtime \"go-wasi\"" INCOMPAT,
     "compatible deployers for runtime \"go-wasi\": \"wasm\""},
};

/* Runs case <i>: the check's status and, when it fails, its message and hint. */
static void run_check_case(fp_registry *reg, size_t i, const check_case *c)
{
    print_message("case %zu: %s %s runtime %s\n", i, c->deployer ? "deployer" : "builder",
                  c->name, c->runtime ? c->runtime : "(null)");
    fp_error_clear();
    int rc = c->deployer ? fp_registry_check_deployer(reg, c->runtime, c->name)
                         : fp_registry_check_builder(reg, c->runtime, c->name);
    assert_int_equal(rc, c->status);
    if (c->status != FUNCP_OK) {
        assert_string_equal(fp_error_message(), c->message);
        assert_string_equal(fp_error_hint_text(), c->hint);
    }
}

static void test_check_table(void **state)
{
    (void)state;
    fp_registry *reg = full_registry();
    for (size_t i = 0; i < sizeof check_cases / sizeof check_cases[0]; i++) {
        run_check_case(reg, i, &check_cases[i]);
        /* A passing check leaves no error behind; a failing one records its status. */
        assert_int_equal(fp_error_code(), check_cases[i].status);
    }
    fp_registry_free(reg);
}

/* With no WASM deployer installed, the hint says so. */
static void test_no_compatible_deployer(void **state)
{
    (void)state;
    fp_registry *reg = fp_registry_new();
    assert_int_equal(fp_registry_add(reg, &go_wasi_plugin, NULL), FUNCP_OK);
    assert_int_equal(fp_registry_add(reg, &container_plugin, NULL), FUNCP_OK);
    assert_int_equal(fp_registry_check_deployer(reg, "go-wasi", "knative"), FUNCP_EINCOMPATIBLE);
    assert_string_equal(fp_error_hint_text(), "no installed deployer supports runtime \"go-wasi\"");
    /* Inference still names the claim's deployer, which is then unknown. */
    fp_choice d = fp_registry_resolve_deployer(reg, "go-wasi", NULL, NULL);
    assert_string_equal(d.value, "wasm");
    assert_int_equal(fp_registry_check_deployer(reg, "go-wasi", d.value), FUNCP_EUSAGE);
    assert_string_equal(fp_error_message(),
                        "unknown deployer \"wasm\"; registered deployers: [knative raw]");
    fp_registry_free(reg);
}

/* Only WASI plugins installed (funcp's usual set): func's container builders
 * and deployers named for a WASI runtime give func's incompatibility error;
 * for other runtimes, and for names func does not know, "unknown". */
static void test_func_container_names(void **state)
{
    (void)state;
    fp_registry *reg = fp_registry_new();
    assert_int_equal(fp_registry_add(reg, &go_wasi_plugin, NULL), FUNCP_OK);
    assert_int_equal(fp_registry_add(reg, &rust_wasi_plugin, NULL), FUNCP_OK);
    static const check_case cases[] = {
        {0, "go-wasi", "pack", FUNCP_EINCOMPATIBLE,
         "builder \"pack\" does not support runtime \"go-wasi\"" INCOMPAT,
         "compatible builders for runtime \"go-wasi\": \"wasm\""},
        {0, "rust-wasi", "s2i", FUNCP_EINCOMPATIBLE,
         "builder \"s2i\" does not support runtime \"rust-wasi\"" INCOMPAT,
         "compatible builders for runtime \"rust-wasi\": \"wasm\""},
        {0, "python-wasi", "host", FUNCP_EINCOMPATIBLE,
         "builder \"host\" does not support runtime \"python-wasi\"" INCOMPAT,
         "no installed builder supports runtime \"python-wasi\""},
        {1, "rust-wasi", "knative", FUNCP_EINCOMPATIBLE,
         "deployer \"knative\" does not support runtime \"rust-wasi\"" INCOMPAT,
         "no installed deployer supports runtime \"rust-wasi\""},
        {1, "go-wasi", "raw", FUNCP_EINCOMPATIBLE,
         "deployer \"raw\" does not support runtime \"go-wasi\"" INCOMPAT,
         "no installed deployer supports runtime \"go-wasi\""},
        {0, "go", "pack", FUNCP_EUSAGE,
         "unknown builder \"pack\"; registered builders: [wasm]", ""},
        {0, "go-wasi", "buildah", FUNCP_EUSAGE,
         "unknown builder \"buildah\"; registered builders: [wasm]", ""},
        {1, "node", "keda", FUNCP_EUSAGE,
         "unknown deployer \"keda\"; registered deployers: []", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        run_check_case(reg, i, &cases[i]);
    fp_registry_free(reg);
}

/* A "*<suffix>" pattern builds every runtime with that suffix. */
static void test_suffix_pattern(void **state)
{
    (void)state;
    static const char *const any_wasi[] = {"*-wasi", NULL};
    static const funcp_builder b[] = {{sizeof(funcp_builder), "wasm", any_wasi, NULL, "m.wasm", NULL}};
    static const funcp_runtime rt[] = {{sizeof(funcp_runtime), "c-wasi", "C", "-wasi", "wasm",
                                        "wasm", FUNCP_ARTIFACT_WASM, NULL, 0, NULL}};
    static const funcp_plugin p = {sizeof(funcp_plugin), 1, 0, "runtime-any-wasi", "1", "", "",
                                   rt, 1, b, 1, NULL, 0, NULL, 0, NULL, NULL};
    fp_registry *reg = fp_registry_new();
    assert_int_equal(fp_registry_add(reg, &p, NULL), FUNCP_OK);
    assert_int_equal(fp_registry_add(reg, &container_plugin, NULL), FUNCP_OK);
    assert_int_equal(fp_registry_check_builder(reg, "swift-wasi", "wasm"), FUNCP_OK);
    assert_int_equal(fp_registry_check_builder(reg, "c-wasi", "wasm"), FUNCP_OK);
    assert_int_equal(fp_registry_check_builder(reg, "go", "wasm"), FUNCP_EINCOMPATIBLE);
    /* "wasi" alone does not end with "-wasi": it is a container runtime. */
    assert_int_equal(fp_registry_check_builder(reg, "wasi", "pack"), FUNCP_OK);
    assert_ptr_equal(fp_registry_builder(reg, "wasm", "swift-wasi"), &b[0]);
    fp_registry_free(reg);
}

/* ---- registry contents ---------------------------------------------- */

static void test_names_sorted_and_joined(void **state)
{
    (void)state;
    fp_registry *reg = full_registry();
    const char *const *names;
    /* "wasm" is provided twice (go and rust) and listed once. */
    assert_int_equal(fp_registry_builder_names(reg, &names), 4);
    assert_string_equal(names[0], "host");
    assert_string_equal(names[3], "wasm");
    assert_int_equal(fp_registry_deployer_names(reg, &names), 3);
    assert_string_equal(names[0], "knative");
    assert_int_equal(fp_registry_runtime_names(reg, &names), 4);
    assert_string_equal(names[0], "go");
    assert_string_equal(names[1], "go-wasi");
    /* Joined builders: each builds its own runtime and has its owner. */
    const funcp_builder *go = fp_registry_builder(reg, "wasm", "go-wasi");
    const funcp_builder *rust = fp_registry_builder(reg, "wasm", "rust-wasi");
    assert_ptr_equal(go, &go_wasi_builders[0]);
    assert_ptr_equal(rust, &rust_wasi_builders[0]);
    assert_string_equal(fp_registry_owner(reg, go), "runtime-go-wasi");
    assert_string_equal(fp_registry_owner(reg, rust), "runtime-rust-wasi");
    assert_null(fp_registry_builder(reg, "wasm", "go"));
    assert_null(fp_registry_owner(reg, &go_wasi_plugin));
    fp_registry_free(reg);
}

static void test_artifact_of(void **state)
{
    (void)state;
    fp_registry *reg = full_registry();
    assert_int_equal(fp_registry_artifact_of(reg, "go-wasi"), FUNCP_ARTIFACT_WASM);
    assert_int_equal(fp_registry_artifact_of(reg, "dotnet-wasi"), FUNCP_ARTIFACT_WASM);
    assert_int_equal(fp_registry_artifact_of(reg, "go"), FUNCP_ARTIFACT_IMAGE);
    assert_int_equal(fp_registry_artifact_of(reg, "zig"), FUNCP_ARTIFACT_IMAGE);
    fp_registry_free(reg);
}

/* A second plugin providing an existing runtime or deployer: first wins,
 * the rest of it is registered, and the caller hears FUNCP_EEXISTS. */
static void test_duplicate_capability_first_wins(void **state)
{
    (void)state;
    static const funcp_runtime rt[] = {
        {sizeof(funcp_runtime), "go-wasi", "impostor", "-wasi", "other", "other",
         FUNCP_ARTIFACT_WASM, NULL, 0, NULL},
        {sizeof(funcp_runtime), "zig-wasi", "Zig", "-wasi", "wasm", "wasm", FUNCP_ARTIFACT_WASM,
         NULL, 0, NULL},
    };
    static const funcp_plugin p = {sizeof(funcp_plugin), 1, 0, "runtime-impostor", "1", "", "",
                                   rt, 2, NULL, 0, NULL, 0, NULL, 0, NULL, NULL};
    fp_registry *reg = full_registry();
    fp_error_clear();
    assert_int_equal(fp_registry_add(reg, &p, "runtime-impostor"), FUNCP_EEXISTS);
    assert_non_null(strstr(fp_error_message(), "runtime \"go-wasi\" is already provided by "
                                               "plugin \"runtime-go-wasi\""));
    assert_ptr_equal(fp_registry_runtime(reg, "go-wasi"), &go_wasi_runtimes[0]);
    assert_ptr_equal(fp_registry_runtime(reg, "zig-wasi"), &rt[1]);
    assert_string_equal(fp_registry_owner(reg, &rt[1]), "runtime-impostor");
    fp_registry_free(reg);
}

static void test_runners_by_priority(void **state)
{
    (void)state;
    fp_registry *reg = full_registry();
    const funcp_runner *const *runners;
    assert_int_equal(fp_registry_runners(reg, &runners), 3);
    assert_string_equal(runners[0]->name, "jco");
    /* Equal priorities keep load order. */
    assert_string_equal(runners[1]->name, "wasmtime");
    assert_string_equal(runners[2]->name, "slow");
    fp_registry_free(reg);
}

/* A NULL callback is kept as NULL: the caller sees "not supported". */
static void test_null_callback_visible(void **state)
{
    (void)state;
    fp_registry *reg = full_registry();
    const funcp_runtime *rt = fp_registry_runtime(reg, "go-wasi");
    assert_non_null(rt);
    assert_null(rt->create);
    const funcp_deployer *d = fp_registry_deployer(reg, "knative");
    assert_non_null(d);
    assert_null(d->deploy);
    assert_null(fp_registry_runtime(reg, "nope"));
    fp_registry_free(reg);
}

/* Elements built against a newer SDK are larger: the registry walks the
 * array by the elements' own struct_size. */
typedef struct runtime_v2 {
    funcp_runtime v1;
    const char *appended_later;
} runtime_v2;

static void test_larger_elements_stride(void **state)
{
    (void)state;
    static const runtime_v2 rt[] = {
        {{sizeof(runtime_v2), "aa-wasi", "", "-wasi", "wasm", "wasm", FUNCP_ARTIFACT_WASM, NULL,
          0, NULL}, "x"},
        {{sizeof(runtime_v2), "bb-wasi", "", "-wasi", "wasm", "wasm", FUNCP_ARTIFACT_WASM, NULL,
          0, NULL}, "y"},
    };
    static const funcp_plugin p = {sizeof(funcp_plugin), 1, 0, "runtime-v2", "1", "", "",
                                   &rt[0].v1, 2, NULL, 0, NULL, 0, NULL, 0, NULL, NULL};
    fp_registry *reg = fp_registry_new();
    assert_int_equal(fp_registry_add(reg, &p, NULL), FUNCP_OK);
    assert_ptr_equal(fp_registry_runtime(reg, "bb-wasi"), &rt[1].v1);
    fp_registry_free(reg);
}

typedef struct list_case {
    size_t n;
    const char *want;
} list_case;

static void test_format_list(void **state)
{
    (void)state;
    static const char *const items[] = {"a", "b", "c", "d"};
    static const list_case cases[] = {
        {0, ""}, {1, "\"a\""}, {2, "\"a\" and \"b\""}, {3, "\"a\", \"b\", and \"c\""},
        {4, "\"a\", \"b\", \"c\", and \"d\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = fp_format_list(items, cases[i].n);
        assert_non_null(got);
        assert_string_equal(got, cases[i].want);
        free(got);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resolve_table),
        cmocka_unit_test(test_check_table),
        cmocka_unit_test(test_no_compatible_deployer),
        cmocka_unit_test(test_func_container_names),
        cmocka_unit_test(test_suffix_pattern),
        cmocka_unit_test(test_names_sorted_and_joined),
        cmocka_unit_test(test_artifact_of),
        cmocka_unit_test(test_duplicate_capability_first_wins),
        cmocka_unit_test(test_runners_by_priority),
        cmocka_unit_test(test_null_callback_visible),
        cmocka_unit_test(test_larger_elements_stride),
        cmocka_unit_test(test_format_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
