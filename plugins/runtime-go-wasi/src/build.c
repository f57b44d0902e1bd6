/* The wasm builder for go-wasi: WIT packages, `go mod tidy`,
 * `go generate` when a directive asks for it, then `tinygo build` for
 * wasip2 into a temp file renamed to module.wasm, so a failed build keeps
 * the previous module. */
#include "gogen_scan.h"
#include "gowasi.h"
#include "pcom/fs.h"
#include "pcom/tool.h"
#include "pcom/wit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const pcom_toolchain tinygo = {
    "tinygo", "TinyGo", "version", "tinygo version", 0, 34,
    "from https://tinygo.org (and wasm-tools)"};
static const pcom_toolchain go = {
    "go", "Go", "version", "go version go", 1, 24,
    "from https://go.dev/dl (needed for go mod tidy and go generate)"};

typedef struct cancel_ctx {
    const funcp_host *host;
    funcp_call *call;
} cancel_ctx;

static int is_cancelled(void *ctx)
{
    cancel_ctx *c = ctx;
    return c->host->cancelled(c->call);
}

static int run(const funcp_host *host, funcp_call *call, const char *const *argv)
{
    return pcom_run_tool(host, call, NULL, argv, NULL);
}

/* go generate only when some .go file asks for it. */
static int maybe_generate(const funcp_host *host, funcp_call *call, const char *root)
{
    cancel_ctx ctx = {host, call};
    int found = gogen_scan(root, 0, is_cancelled, &ctx);
    if (found == -1)
        return host->error(call, FUNCP_ECANCELED, "canceled");
    if (found < 0)
        return host->error(call, FUNCP_EIO, "scan %s for //go:generate: cannot read it", root);
    if (found == 0) {
        host->log(call, FUNCP_LOG_DEBUG, "no //go:generate directive: skipping go generate");
        return FUNCP_OK;
    }
    const char *argv[] = {"go", "generate", "./...", NULL};
    return run(host, call, argv);
}

static int compile(const funcp_host *host, funcp_call *call, const char *root)
{
    char tmp[64];
    snprintf(tmp, sizeof tmp, ".module.wasm.%ld.tmp.wasm", (long)getpid());
    char *wit = pcom_path_join(root, "wit");
    char *tmp_abs = pcom_path_join(root, tmp);
    char *out = pcom_path_join(root, "module.wasm");
    int rc = FUNCP_OK;
    if (!wit || !tmp_abs || !out) {
        rc = host->error(call, FUNCP_ERROR, "out of memory");
    } else {
        const char *argv[12];
        size_t n = 0;
        argv[n++] = "tinygo";
        argv[n++] = "build";
        argv[n++] = "-target=wasip2";
        argv[n++] = "-no-debug";
        if (pcom_is_dir(wit)) {
            argv[n++] = "-wit-package";
            argv[n++] = "wit/";
            argv[n++] = "-wit-world";
            argv[n++] = "boson";
        }
        argv[n++] = "-o";
        argv[n++] = tmp;
        argv[n++] = ".";
        argv[n] = NULL;
        rc = run(host, call, argv);
        if (rc == FUNCP_OK && pcom_file_size(tmp_abs) <= 0)
            rc = host->error(call, FUNCP_EBUILD, "tinygo build produced no %s: no WASM binary "
                             "produced", tmp);
        if (rc == FUNCP_OK && rename(tmp_abs, out) != 0)
            rc = host->error(call, FUNCP_EIO, "rename %s to %s: %s", tmp_abs, out,
                             strerror(errno));
        if (rc != FUNCP_OK)
            unlink(tmp_abs);
    }
    free(wit);
    free(tmp_abs);
    free(out);
    return rc;
}

int gowasi_build(const funcp_host *host, funcp_call *call)
{
    const char *root = host->function_root(call);
    int rc = pcom_require_toolchain(host, call, &tinygo);
    if (rc == FUNCP_OK)
        rc = pcom_require_toolchain(host, call, &go);
    if (rc == FUNCP_OK && host->fy_count(call, "build.builderImages") > 0)
        rc = pcom_wit_provision(host, call, root);
    if (rc == FUNCP_OK) {
        const char *argv[] = {"go", "mod", "tidy", NULL};
        rc = run(host, call, argv);
    }
    if (rc == FUNCP_OK)
        rc = maybe_generate(host, call, root);
    if (rc == FUNCP_OK)
        rc = compile(host, call, root);
    if (rc != FUNCP_OK)
        return host->error_wrap(call, "compiling WASM for runtime \"" GOWASI_RUNTIME "\"");
    return FUNCP_OK;
}
