/* The builder `wasm` for js-wasi: index.js -> module.wasm, a wasi:http/proxy
 * component, with componentize-js from the toolchain cache. The component is
 * written next to module.wasm and renamed over it only when it is whole, so
 * a failed build keeps the previous one. */
#include "jswasi.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* "\0asm", then version 0x0d and layer 1: a component, not a core module. */
static const unsigned char component_header[8] = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00};

static int is_component(const char *path)
{
    unsigned char head[8];
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    return n == sizeof head && !memcmp(head, component_header, sizeof head);
}

static int componentize(const funcp_host *host, funcp_call *call, const char *toolchain,
                        const char *root, const char *out)
{
    char *script = jswasi_strf("%s/componentize.mjs", toolchain);
    char *wit = jswasi_strf("%s/wit", toolchain);
    if (!script || !wit) {
        free(script);
        free(wit);
        return host->error(call, FUNCP_ERROR, "out of memory");
    }
    const char *argv[] = {"node", script, JSWASI_SOURCE, out, wit, JSWASI_WORLD, NULL};
    funcp_process proc = {sizeof proc, argv, NULL, root,
                          FUNCP_PROC_CAPTURE_STDOUT | FUNCP_PROC_QUIET_STDERR, NULL};
    funcp_process_result res = {sizeof res, 0, NULL, 0, NULL, 0};
    int rc = host->run(call, &proc, &res);
    host->free(res.out);
    host->free(res.err);
    free(script);
    free(wit);
    if (rc != FUNCP_OK)
        return host->error_wrap(call, "componentize-js");
    if (res.exit_code != 0)
        return host->error(call, FUNCP_EBUILD,
                           "componentize-js could not build %s (exit status %d; its message "
                           "is above)",
                           JSWASI_SOURCE, res.exit_code);
    if (!is_component(out))
        return host->error(call, FUNCP_EBUILD,
                           "componentize-js wrote %s but it is not a WebAssembly component", out);
    return FUNCP_OK;
}

int jswasi_build(const funcp_host *host, funcp_call *call)
{
    const char *root = host->function_root(call);
    char *source = jswasi_strf("%s/%s", root, JSWASI_SOURCE);
    char *out = jswasi_strf("%s/%s", root, JSWASI_ARTIFACT);
    char *tmp = jswasi_strf("%s/.%s.tmp-%ld", root, JSWASI_ARTIFACT, (long)getpid());
    char *toolchain = NULL;
    int rc = FUNCP_OK;
    if (!source || !out || !tmp) {
        rc = host->error(call, FUNCP_ERROR, "out of memory");
        goto done;
    }
    if (!jswasi_exists(source)) {
        rc = host->error(call, FUNCP_ENOTFOUND,
                         "%s not found: a js-wasi function's entry point is %s in its root",
                         source, JSWASI_SOURCE);
        goto done;
    }
    rc = jswasi_toolchain(host, call, &toolchain);
    if (rc != FUNCP_OK)
        goto done;
    host->log(call, FUNCP_LOG_INFO, "Building %s with componentize-js", JSWASI_SOURCE);
    rc = componentize(host, call, toolchain, root, tmp);
    if (rc == FUNCP_OK && rename(tmp, out) != 0)
        rc = host->error(call, FUNCP_EIO, "rename %s to %s: %s", tmp, out, strerror(errno));
    if (rc == FUNCP_OK) {
        struct stat st;
        if (stat(out, &st) == 0)
            host->log(call, FUNCP_LOG_INFO, "Built %s (%lld bytes)", JSWASI_ARTIFACT,
                      (long long)st.st_size);
    }
done:
    if (tmp)
        unlink(tmp);
    free(source);
    free(out);
    free(tmp);
    free(toolchain);
    return rc;
}
