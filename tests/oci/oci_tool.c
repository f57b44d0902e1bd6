/* Test driver for the OCI client (fp_oci_api), used by the registry
 * integration tests and bench/push:
 *   oci_tool [options] push <file.wasm> <image>
 *   oci_tool [options] pull <image> <out-file>
 *   oci_tool [options] layout-write <dir> <file.wasm> <tag>
 *   oci_tool [options] layout-push <dir> <tag> <image>
 *   oci_tool [options] http <METHOD> <url>   (the module's fp_http_api)
 *   oci_tool inspect <file.wasm>              (os, imports, exports)
 * options: -k <registry> (insecure, repeatable) -c <ca.pem> -u <user>
 *          -p <password> -a <authfile> -v (requests; twice: headers too)
 *          -P (progress) -d <file> (the artifact digest cache, push)
 * Prints "digest=… size=… image=…" on success; "error(<status>): …" on
 * failure with the documented exit code. SIGINT cancels. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/apis.h"
#include "net/http_api.h"
#include "oci/oci_api.h"
#include "oci/wasm_inspect.h"
#include "util/error.h"

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}

static void log_cb(void *user, funcp_log_level level, const char *message)
{
    (void)user;
    static const char *const names[] = {"error", "warn", "info", "debug"};
    fprintf(stderr, "[%s] %s\n", names[level <= FUNCP_LOG_DEBUG ? level : 0], message);
}

static void progress_cb(void *user, const char *label, uint64_t done, uint64_t total)
{
    (void)user;
    fprintf(stderr, "progress %s %llu/%llu\n", label, (unsigned long long)done, (unsigned long long)total);
}

static int cancelled_cb(void *user)
{
    (void)user;
    return interrupted;
}

int main(int argc, char **argv)
{
    const char *insecure[16];
    size_t n_insecure = 0;
    fp_net_hooks hooks = {.log = log_cb, .cancelled = cancelled_cb};
    fp_oci_options opts = {.struct_size = sizeof opts, .hooks = &hooks};
    int opt;
    while ((opt = getopt(argc, argv, "+k:c:u:p:a:d:vP")) != -1) {
        switch (opt) {
        case 'k':
            if (n_insecure < 16)
                insecure[n_insecure++] = optarg;
            break;
        case 'c': opts.ca_file = optarg; break;
        case 'u': opts.username = optarg; break;
        case 'p': opts.password = optarg; break;
        case 'a': opts.authfile = optarg; break;
        case 'd': opts.digest_cache = optarg; break;
        case 'v': hooks.verbose++; break; /* -v requests, -v -v headers */
        case 'P': hooks.progress = progress_cb; break;
        default: return 2;
        }
    }
    opts.insecure_registries = insecure;
    opts.n_insecure_registries = n_insecure;
    struct sigaction sa = {.sa_handler = on_sigint};
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    const fp_oci_api *api = fp_oci_api_get();
    funcp_oci_result result = {.struct_size = sizeof result};
    int rc;
    char **a = argv + optind;
    int n = argc - optind;
    if (n == 3 && !strcmp(a[0], "push"))
        rc = api->push_wasm(&opts, a[1], a[2], &result);
    else if (n == 3 && !strcmp(a[0], "pull"))
        rc = api->pull_layer(&opts, a[1], a[2], &result);
    else if (n == 4 && !strcmp(a[0], "layout-write"))
        rc = api->layout_write(&opts, a[1], a[2], a[3], &result);
    else if (n == 2 && !strcmp(a[0], "inspect")) {
        fp_wasm_info info;
        if (!(rc = fp_wasm_inspect_file(a[1], &info))) {
            printf("os=%s\n", info.os);
            for (size_t i = 0; i < info.n_imports; i++)
                printf("import %s\n", info.imports[i]);
            for (size_t i = 0; i < info.n_exports; i++)
                printf("export %s\n", info.exports[i]);
            fp_wasm_info_free(&info);
            return 0;
        }
    } else if (n == 3 && !strcmp(a[0], "http")) {
        const fp_http_api *http = fp_http_api_get();
        fp_http_request req = {.struct_size = sizeof req, .hooks = &hooks, .method = a[1], .url = a[2],
                               .insecure = n_insecure > 0};
        fp_http_response resp;
        rc = http->request(&req, &resp);
        if (!rc) {
            printf("status=%ld type=%s\n%s\n", resp.status, resp.content_type ? resp.content_type : "", resp.body);
            http->response_free(&resp);
            return 0;
        }
    } else if (n == 4 && !strcmp(a[0], "layout-push"))
        rc = api->layout_push(&opts, a[1], a[2], a[3], &result);
    else {
        fprintf(stderr, "usage: oci_tool [options] push|pull|layout-write|layout-push ...\n");
        return 2;
    }
    if (rc) {
        fprintf(stderr, "error(%s): %s\n", fp_status_name(rc), fp_error_message());
        if (*fp_error_hint_text())
            fprintf(stderr, "hint: %s\n", fp_error_hint_text());
        return fp_exit_code(rc);
    }
    printf("digest=%s size=%llu image=%s\n", result.digest, (unsigned long long)result.size, result.image);
    return 0;
}
