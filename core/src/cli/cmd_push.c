/* funcp push: the built artifact to the function's image. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "util/error.h"
#include "util/output.h"

static int run_push(funcp_call *call)
{
    fp_registry *reg;
    const char *runtime;
    const funcp_builder *builder;
    int rc = fp_cli_function_builder(call, &reg, &runtime, &builder);
    if (rc != FUNCP_OK)
        return rc;
    if (!(fp_registry_artifact_of(reg, runtime) & FUNCP_ARTIFACT_WASM))
        return fp_error_set(FUNCP_EINCOMPATIBLE,
                            "runtime \"%s\" does not build a WebAssembly artifact; its builder "
                            "pushes images itself", runtime);
    char *image = fp_cli_image(call);
    if (!image)
        return fp_error_code() ? fp_error_code() : fp_cli_no_image(call);
    char *artifact = fp_cli_artifact(call, builder);
    funcp_oci_result oci;
    rc = artifact ? fp_cli_push(call, artifact, image, &oci)
                  : fp_error_set(FUNCP_ERROR, "out of memory");
    if (rc == FUNCP_OK) {
        if (call->format == FP_FORMAT_TEXT) {
            printf("Pushed: %s\n", oci.image);
        } else {
            json_object *o = json_object_new_object();
            json_object_object_add(o, "image", json_object_new_string(oci.image));
            json_object_object_add(o, "digest", json_object_new_string(oci.digest));
            json_object_object_add(o, "size", json_object_new_int64((int64_t)oci.size));
            rc = fp_output_data(stdout, call->format, o);
            json_object_put(o);
        }
    }
    free(artifact);
    free(image);
    return rc;
}

static const fp_flag push_flags[] = {
    {"builder", 'b', FP_FLAG_STRING, NULL, "Builder whose artifact is pushed (inferred when unset)",
     NULL, NULL, NULL},
    {"image", 'i', FP_FLAG_STRING, NULL, "Full image name; overrides --registry", NULL, NULL,
     NULL},
    {"registry", 'r', FP_FLAG_STRING, NULL, "Registry and namespace (e.g. ghcr.io/me)", NULL,
     NULL, NULL},
    {"registry-insecure", 0, FP_FLAG_BOOL, "false",
     "Allow plain HTTP and skip TLS verification for the registry", NULL, NULL, NULL},
    {"registry-authfile", 0, FP_FLAG_STRING, NULL, "Path to a registry authentication file",
     NULL, NULL, NULL},
    {"ca-file", 0, FP_FLAG_STRING, NULL,
     "PEM file of CA certificates trusted for the registry's TLS, besides the system's", NULL,
     NULL, NULL},
    {"username", 0, FP_FLAG_STRING, NULL, "Username for the registry", NULL, NULL, NULL},
    {"password", 0, FP_FLAG_STRING, NULL, "Password for the registry", NULL, NULL, NULL},
    {"password-stdin", 0, FP_FLAG_BOOL, "false", "Read the registry password from stdin", NULL,
     NULL, NULL},
    {"token", 0, FP_FLAG_STRING, NULL, "Token (bearer/identity) for the registry", NULL, NULL,
     NULL},
    {0},
};

const fp_command fp_cmd_push = {
    .name = "push",
    .usage = "push",
    .summary = "Push the built function to its registry",
    .description = "Push the built WebAssembly artifact to --image or <registry>/<name>:latest\n"
                   "and record the pushed image, pinned by digest, as deploy.image in func.yaml.",
    .examples = "  funcp push --registry localhost:5000/me\n"
                "  funcp push --image ghcr.io/me/hello:v1 --username me --password-stdin\n"
                "  funcp push --registry registry.internal:5000/me --ca-file ca.pem",
    .flags = push_flags,
    .min_args = 0,
    .max_args = 0,
    .run = run_push,
};
