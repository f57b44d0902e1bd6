/* OCI registry client of the funcp-net module: push and pull WebAssembly
 * artifacts, OCI image layouts, references, auth. */
#ifndef FUNCP_OCI_API_H
#define FUNCP_OCI_API_H

#include <stddef.h>
#include <stdint.h>

#include "funcp/plugin.h"
#include "net/net_module.h"

/* How to reach registries; everything optional. */
typedef struct fp_oci_options {
    size_t struct_size;
    const fp_net_hooks *hooks;
    const char *username;      /* --username (with password: basic auth)  */
    const char *password;      /* --password                              */
    const char *token;         /* --token (bearer/identity token)         */
    const char *authfile;      /* --registry-authfile                     */
    const char *ca_file;       /* extra CA bundle (PEM)                   */
    /* Registries ("host:port") the user listed as insecure: plain HTTP is
     * allowed and TLS is not verified for them, with a warning. */
    const char *const *insecure_registries;
    size_t n_insecure_registries;
    /* File remembering the artifact's digest between pushes (see
     * oci/digest_cache.h); NULL: always hash. */
    const char *digest_cache;
} fp_oci_options;

typedef struct fp_oci_api {
    size_t struct_size;
    /* Push a .wasm as an OCI wasm artifact (CNCF layout config) to
     * `image`. Refuses a file that is not WebAssembly before any upload. */
    int (*push_wasm)(const fp_oci_options *opts, const char *wasm_path,
                     const char *image, funcp_oci_result *result);
    /* Pull the single layer of `ref` into out_path (atomic; digest checked;
     * no file is left on failure). */
    int (*pull_layer)(const fp_oci_options *opts, const char *ref,
                      const char *out_path, funcp_oci_result *result);
    /* Write a .wasm as an artifact into the OCI image layout `layout_dir`
     * (created if needed) under `tag`, the embedded default with no registry. */
    int (*layout_write)(const fp_oci_options *opts, const char *layout_dir,
                        const char *wasm_path, const char *tag,
                        funcp_oci_result *result);
    /* Copy the artifact tagged `tag` in `layout_dir` to `image`. */
    int (*layout_push)(const fp_oci_options *opts, const char *layout_dir,
                       const char *tag, const char *image,
                       funcp_oci_result *result);
} fp_oci_api;

#endif
