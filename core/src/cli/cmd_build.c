/* funcp build: resolve and check the builder, build (unless up to date),
 * then place a wasm artifact: push it with --push, or write the OCI image
 * layout under .funcp/oci when no registry is configured. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "call.h"
#include "cli/build_stamp.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/compat_flags.h"
#include "oci/oci_api.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/module.h"
#include "util/output.h"

/* The OCI image layout in <root>/.funcp/oci, tag latest. */
static int write_layout(funcp_call *call, const char *artifact, funcp_oci_result *result)
{
    const fp_net_module *net = fp_net();
    if (!net)
        return fp_error_code();
    if (!net->oci || !net->oci->layout_write)
        return fp_error_set(FUNCP_ENOPLUGIN, "the network module cannot write OCI layouts");
    char *dir = fp_path_join(call->root, ".funcp/oci");
    if (!dir)
        return fp_error_set(FUNCP_ERROR, "out of memory");
    fp_oci_options opts;
    char store[8][256];
    const char *list[8];
    fp_call_oci_options(call, NULL, &opts, store, list);
    memset(result, 0, sizeof *result);
    result->struct_size = sizeof *result;
    int rc = net->oci->layout_write(&opts, dir, artifact, "latest", result);
    free(dir);
    return rc;
}

static int run_build(funcp_call *call)
{
    fp_registry *reg;
    const char *runtime;
    const funcp_builder *builder;
    int rc = fp_cli_function_builder(call, &reg, &runtime, &builder);
    if (rc == FUNCP_OK)
        rc = fp_cli_note_unapplied(call);
    if (rc != FUNCP_OK)
        return rc;
    int push = fp_args_bool(&call->args, "push");
    char *image = fp_cli_image(call);
    if (fp_error_code())
        return fp_error_code();
    unsigned kind = fp_registry_artifact_of(reg, runtime);
    if (push && !image && (kind & FUNCP_ARTIFACT_WASM))
        return fp_cli_no_image(call);
    int skipped;
    rc = fp_cli_build(call, reg, runtime, builder, fp_args_bool(&call->args, "force"), &skipped);
    char *artifact = rc == FUNCP_OK ? fp_cli_artifact(call, builder) : NULL;
    funcp_oci_result oci;
    memset(&oci, 0, sizeof oci);
    int have_oci = 0;
    if (rc == FUNCP_OK && (kind & FUNCP_ARTIFACT_WASM)) {
        if (push) {
            rc = fp_cli_push(call, artifact, image, &oci);
            have_oci = rc == FUNCP_OK;
        } else if (!image) {
            rc = skipped && fp_build_stamp_layout_current(call->root, artifact, &oci)
                     ? FUNCP_OK : write_layout(call, artifact, &oci);
            have_oci = rc == FUNCP_OK;
        }
    }
    if (rc == FUNCP_OK) {
        struct stat st;
        uint64_t size = have_oci ? oci.size : stat(artifact, &st) == 0 ? (uint64_t)st.st_size : 0;
        if (call->format == FP_FORMAT_TEXT) {
            printf("Function built: %s\n", artifact);
            if (have_oci && push)
                printf("Pushed: %s\n", oci.image);
        } else {
            json_object *o = json_object_new_object();
            json_object_object_add(o, "artifact", json_object_new_string(artifact));
            json_object_object_add(o, "image", have_oci && oci.image[0]
                                                   ? json_object_new_string(oci.image)
                                               : image ? json_object_new_string(image)
                                                       : NULL);
            json_object_object_add(o, "digest",
                                   have_oci ? json_object_new_string(oci.digest) : NULL);
            json_object_object_add(o, "size", json_object_new_int64((int64_t)size));
            json_object_object_add(o, "upToDate", json_object_new_boolean(skipped));
            rc = fp_output_data(stdout, call->format, o);
            json_object_put(o);
        }
    }
    free(artifact);
    free(image);
    return rc;
}

static const fp_flag build_flags[] = {
    FP_BUILD_FLAGS,
    {"push", 'u', FP_FLAG_BOOL, "false", "Push the artifact to the registry after building", NULL,
     NULL, NULL},
    FP_COMPAT_CONFIRM,
    FP_COMPAT_BUILD_FLAGS,
    {0},
};

const fp_command fp_cmd_build = {
    .name = "build",
    .usage = "build",
    .summary = "Build a function",
    .description =
        "Build the function in the current directory (or --path) with the builder\n"
        "inferred from its runtime, or the one given by --builder (kept in func.yaml).\n"
        "An up-to-date function is not rebuilt (--force rebuilds).\n\n"
        "A WebAssembly artifact is pushed with --push to --image, or to\n"
        "<registry>/<name>:latest; with no registry configured it is written as an\n"
        "OCI image layout in .funcp/oci for a later 'funcp push'.",
    .examples = "  funcp build\n"
                "  funcp build --registry localhost:5000/me --push\n"
                "  funcp build --builder wasm --force",
    .flags = build_flags,
    .min_args = 0,
    .max_args = 0,
    .run = run_build,
};
