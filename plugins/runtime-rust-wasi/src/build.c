/* The wasm builder for rust-wasi: `cargo build --release --target
 * wasm32-wasip2`, then the crate's largest .wasm is copied (temp + rename)
 * to module.wasm, so a failed build keeps the previous module. */
#include "pcom/fs.h"
#include "pcom/tool.h"
#include "pcom/wit.h"
#include "rustwasi.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const pcom_toolchain cargo = {
    "cargo", "Rust", "--version", "cargo ", 1, 82,
    "from https://rustup.rs, then run: rustup target add " RUSTWASI_TARGET};

/* The wasm32-wasip2 standard library must be installed; only rustup can
 * tell, so the check is skipped without it. */
static int require_target(const funcp_host *host, funcp_call *call)
{
    char *rustup = host->which(call, "rustup");
    if (!rustup)
        return FUNCP_OK;
    host->free(rustup);
    const char *argv[] = {"rustup", "target", "list", "--installed", NULL};
    char *out = NULL;
    if (pcom_run_tool(host, call, NULL, argv, &out) != FUNCP_OK) {
        host->log(call, FUNCP_LOG_DEBUG, "rustup target list failed; not checking targets");
        return FUNCP_OK;
    }
    int found = 0;
    for (char *line = strtok(out, "\n"); line && !found; line = strtok(NULL, "\n")) {
        size_t n = strlen(line);
        while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == ' '))
            line[--n] = '\0';
        found = strcmp(line, RUSTWASI_TARGET) == 0;
    }
    free(out);
    if (!found)
        return host->error(call, FUNCP_ETOOLCHAIN, RUSTWASI_TARGET " target not installed; "
                           "run: rustup target add " RUSTWASI_TARGET);
    return FUNCP_OK;
}

/* The largest *.wasm directly in dir, malloc'ed, or NULL. */
static char *largest_wasm(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    char *best = NULL;
    long long best_size = -1;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n <= 5 || strcmp(e->d_name + n - 5, ".wasm") != 0)
            continue;
        char *path = pcom_path_join(dir, e->d_name);
        long long size = path ? pcom_file_size(path) : -1;
        if (size > best_size) {
            free(best);
            best = path;
            best_size = size;
        } else {
            free(path);
        }
    }
    closedir(d);
    return best;
}

static int copy_artifact(const funcp_host *host, funcp_call *call, const char *root)
{
    const char *target_dir = getenv("CARGO_TARGET_DIR");
    char *base = target_dir && *target_dir
                     ? (target_dir[0] == '/' ? strdup(target_dir)
                                             : pcom_path_join(root, target_dir))
                     : pcom_path_join(root, "target");
    char *dir = base ? pcom_path_join(base, RUSTWASI_TARGET "/release") : NULL;
    char *out = pcom_path_join(root, "module.wasm");
    int rc = FUNCP_OK;
    char *wasm = dir ? largest_wasm(dir) : NULL;
    if (!dir || !out)
        rc = host->error(call, FUNCP_ERROR, "out of memory");
    else if (!wasm)
        rc = host->error(call, FUNCP_EBUILD, "no .wasm binary found in %s after cargo build: "
                         "no WASM binary produced", dir);
    else if (pcom_copy_file_atomic(wasm, out) != 0)
        rc = host->error(call, FUNCP_EIO, "copy %s to %s failed", wasm, out);
    else
        host->log(call, FUNCP_LOG_DEBUG, "copied %s to %s", wasm, out);
    free(wasm);
    free(dir);
    free(base);
    free(out);
    return rc;
}

int rustwasi_build(const funcp_host *host, funcp_call *call)
{
    const char *root = host->function_root(call);
    int rc = pcom_require_toolchain(host, call, &cargo);
    if (rc == FUNCP_OK)
        rc = require_target(host, call);
    if (rc == FUNCP_OK && host->fy_count(call, "build.builderImages") > 0)
        rc = pcom_wit_provision(host, call, root);
    if (rc == FUNCP_OK) {
        const char *argv[] = {"cargo", "build", "--release", "--target", RUSTWASI_TARGET, NULL};
        rc = pcom_run_tool(host, call, NULL, argv, NULL);
    }
    if (rc == FUNCP_OK)
        rc = copy_artifact(host, call, root);
    if (rc != FUNCP_OK)
        return host->error_wrap(call, "compiling WASM for runtime \"" RUSTWASI_RUNTIME "\"");
    return FUNCP_OK;
}
