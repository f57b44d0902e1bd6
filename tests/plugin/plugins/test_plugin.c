/* One source for every loader test plugin; each case is a compile-time
 * variant (see tests/plugin/CMakeLists.txt):
 *   TP_NAME        plugin name ("" for an invalid descriptor)
 *   TP_VERSION     plugin version
 *   TP_RUNTIME     name of its runtime (default TP_NAME "-tp")
 *   TP_ABI         abi_major it claims to be built for
 *   TP_INIT_RC     what init() returns (non-zero: refused "init failed")
 *   TP_NULL_ARRAY  declares one deployer but passes a NULL array
 *   TP_NO_ENTRY    exports no funcp_plugin_get_v1 at all */
#include <stdio.h>
#include <stdlib.h>

#include <funcp/plugin.h>

#ifndef TP_NAME
#define TP_NAME "test-valid"
#endif
#ifndef TP_RUNTIME
#define TP_RUNTIME TP_NAME "-tp"
#endif
#ifndef TP_VERSION
#define TP_VERSION "1.0.0"
#endif
#ifndef TP_ABI
#define TP_ABI FUNCP_PLUGIN_ABI_MAJOR
#endif
#ifndef TP_INIT_RC
#define TP_INIT_RC 0
#endif

static int test_init(const funcp_host *host)
{
    /* A plugin may refuse a host whose table is too old for it. */
    if (!host || host->struct_size < sizeof(size_t))
        return -1;
    return TP_INIT_RC;
}

/* Records that funcp called fini, in $FUNCP_TEST_FINI_LOG when set. */
static void test_fini(void)
{
    const char *log = getenv("FUNCP_TEST_FINI_LOG");
    FILE *f = log ? fopen(log, "a") : NULL;
    if (f) {
        fprintf(f, "%s\n", TP_NAME);
        fclose(f);
    }
}

static const funcp_template templates[] = {
    {sizeof(funcp_template), "http", "an HTTP function"},
};

/* create is NULL on purpose: "not supported", which funcp must report. */
static const funcp_runtime runtimes[] = {
    {sizeof(funcp_runtime), TP_RUNTIME, "test runtime", "-tp", "tp-builder", "tp-deployer",
     FUNCP_ARTIFACT_WASM, templates, FUNCP_COUNTOF(templates), NULL},
};

static const char *const builder_runtimes[] = {"*-tp", NULL};
static const funcp_builder builders[] = {
    {sizeof(funcp_builder), "tp-builder", builder_runtimes, NULL, "out.wasm", NULL},
};

static const funcp_deployer deployers[] = {
    {sizeof(funcp_deployer), "tp-deployer", FUNCP_ARTIFACT_WASM, 0, NULL, NULL, NULL, NULL, NULL},
};

static const funcp_plugin descriptor = {
    sizeof(funcp_plugin), TP_ABI, FUNCP_PLUGIN_ABI_MINOR,
    TP_NAME, TP_VERSION, "a plugin for funcp's loader tests", "Apache-2.0",
    runtimes, FUNCP_COUNTOF(runtimes),
    builders, FUNCP_COUNTOF(builders),
#ifdef TP_NULL_ARRAY
    NULL, 1,
#else
    deployers, FUNCP_COUNTOF(deployers),
#endif
    NULL, 0,
    test_init, test_fini,
};

#ifdef TP_NO_ENTRY
/* Looks like a plugin but has the wrong entry name. */
FUNCP_PLUGIN_EXPORT const funcp_plugin *funcp_plugin_get_v0(void);
FUNCP_PLUGIN_EXPORT const funcp_plugin *funcp_plugin_get_v0(void)
{
    return &descriptor;
}
#else
FUNCP_PLUGIN_DEFINE(descriptor)
#endif

#ifdef TP_NULL_ARRAY
/* Keep the unused array referenced so -Werror builds stay quiet. */
FUNCP_PLUGIN_EXPORT const void *test_plugin_unused(void);
FUNCP_PLUGIN_EXPORT const void *test_plugin_unused(void)
{
    return deployers;
}
#endif
