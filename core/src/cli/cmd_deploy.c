/* funcp deploy: every choice is resolved and checked, and the deployer's
 * preflight has seen the cluster, before anything is built or pushed; then
 * build (--build), push (wasm), and hand the digest-pinned image to the
 * deployer plugin. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/compat_flags.h"
#include "cli/deploy_options.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/output.h"

static int print_result(funcp_call *call, const char *deployer, const char *ns, const char *image,
                        const char *url)
{
    if (call->format == FP_FORMAT_TEXT) {
        printf("\xe2\x9c\x85 Function %s in namespace \"%s\" and exposed at URL:\n%s\n",
               call->deploy_updated ? "updated" : "deployed", ns ? ns : "", url ? url : "");
        return FUNCP_OK;
    }
    json_object *o = json_object_new_object();
    json_object_object_add(o, "name", json_object_new_string(fp_funcyaml_get(call->fy, "name")));
    json_object_object_add(o, "namespace", ns ? json_object_new_string(ns) : NULL);
    json_object_object_add(o, "url", url ? json_object_new_string(url) : NULL);
    json_object_object_add(o, "image", json_object_new_string(image));
    json_object_object_add(o, "deployer", json_object_new_string(deployer));
    json_object_object_add(o, "updated", json_object_new_boolean(call->deploy_updated));
    int rc = fp_output_data(stdout, call->format, o);
    json_object_put(o);
    return rc;
}

/* The deployer's read-only check that deploy can work here (the cluster
 * answers, serves its resource): before anything is built or pushed, so a
 * missing cluster costs no build and leaves the registry alone. */
static int preflight(funcp_call *call, fp_registry *reg, const funcp_deployer *deployer)
{
    if (!FUNCP_HAS_MEMBER(funcp_deployer, deployer->struct_size, preflight) || !deployer->preflight)
        return FUNCP_OK; /* a plugin built before ABI 1.2, or one with nothing to check */
    const char *owner = fp_registry_owner(reg, deployer);
    fp_call_enter(call, owner);
    int rc = deployer->preflight(fp_host(), call);
    fp_call_enter(call, NULL);
    rc = fp_cli_plugin_result(rc, owner, "preflight");
    if (rc != FUNCP_OK)
        fp_error_wrap("checking the cluster for deployer \"%s\" before building", deployer->name);
    return fp_error_code() ? fp_error_code() : rc;
}

static int run_deploy(funcp_call *call)
{
    fp_registry *reg;
    const char *runtime;
    const funcp_deployer *deployer;
    const funcp_builder *builder = NULL;
    int rc = fp_cli_function(call, &reg, &runtime);
    if (rc == FUNCP_OK)
        rc = fp_cli_deployer(call, reg, runtime, &deployer);
    if (rc != FUNCP_OK)
        return rc;
    /* func's flags that only change func.yaml, checked before any work. */
    if ((rc = fp_deploy_options_apply(call)) != FUNCP_OK)
        return rc;
    /* --image repo@sha256:... is deployed as is: no build, no push. */
    int pinned = fp_deploy_image_pinned(call);
    if (pinned < 0)
        return FUNCP_EUSAGE;
    if ((rc = fp_cli_note_unapplied(call)) != FUNCP_OK)
        return rc;
    const char *build = pinned ? "false" : fp_args_get(&call->args, "build");
    int build_never = !strcmp(build, "false");
    if (!build_never && (rc = fp_cli_builder(call, reg, runtime, &builder)) != FUNCP_OK)
        return rc;
    const char *owner = fp_registry_owner(reg, deployer);
    if (!deployer->deploy)
        return fp_cli_unsupported(owner, "deploy");
    unsigned kind = fp_registry_artifact_of(reg, runtime);
    int push = !pinned && fp_args_bool(&call->args, "push");
    int explicit_image = fp_args_flag(&call->args, "image") != NULL;
    char *image = fp_cli_image(call);
    if (!image && fp_error_code())
        return fp_error_code();
    /* An image built elsewhere: --image X --build=false deploys X as given. */
    int prebuilt = build_never && explicit_image;
    if (!image && !(build_never && fp_funcyaml_get(call->fy, "deploy.image"))) {
        fp_error_set(FUNCP_EUSAGE, "function \"%s\": no image reference configured",
                     fp_funcyaml_get(call->fy, "name"));
        fp_error_hint("give --registry (e.g. -r localhost:5000/me) or --image");
        free(image);
        return FUNCP_EUSAGE;
    }

    if ((rc = preflight(call, reg, deployer)) != FUNCP_OK) {
        free(image);
        return rc;
    }

    char *artifact = NULL;
    char *deploy_image = NULL;
    funcp_oci_result oci;
    if (!build_never) {
        int skipped;
        /* --build=true builds whatever the stamp says, like func. */
        int force = !strcmp(build, "true") || fp_args_bool(&call->args, "force");
        rc = fp_cli_build(call, reg, runtime, builder, force, &skipped);
    }
    if (rc == FUNCP_OK && prebuilt) {
        deploy_image = strdup(image);
    } else if (rc == FUNCP_OK && (kind & FUNCP_ARTIFACT_WASM) && push && image) {
        if (!builder)
            rc = fp_cli_builder(call, reg, runtime, &builder);
        if (rc == FUNCP_OK) {
            artifact = fp_cli_artifact(call, builder);
            rc = fp_cli_push(call, artifact, image, &oci);
        }
        if (rc == FUNCP_OK)
            deploy_image = strdup(oci.image);
    } else if (rc == FUNCP_OK) {
        /* Not pushing: the last pushed image (pinned), else the image as named. */
        const char *last = fp_funcyaml_get(call->fy, "deploy.image");
        deploy_image = strdup(last && *last ? last : image);
    }
    if (rc == FUNCP_OK && !deploy_image)
        rc = fp_error_set(FUNCP_ERROR, "out of memory");
    char *url = NULL;
    if (rc == FUNCP_OK) {
        fp_log(FUNCP_LOG_INFO, "Deploying %s with deployer \"%s\"", deploy_image, deployer->name);
        fp_call_enter(call, owner);
        rc = deployer->deploy(fp_host(), call, deploy_image, &url);
        fp_call_enter(call, NULL);
        rc = fp_cli_plugin_result(rc, owner, "deploy");
    }
    if (rc == FUNCP_OK) {
        const char *ns = call->kube_ns ? call->kube_ns : fp_call_namespace(call);
        /* func records both: the namespace asked for and deploy.namespace,
         * where it now runs (the next deploy compares them to move it). */
        if (ns && *ns)
            rc = fp_funcyaml_set(call->fy, "namespace", ns);
        if (rc == FUNCP_OK && ns && *ns)
            rc = fp_funcyaml_set(call->fy, "deploy.namespace", ns);
        if (rc == FUNCP_OK)
            rc = fp_funcyaml_set(call->fy, "deploy.image", deploy_image);
        if (rc == FUNCP_OK)
            rc = print_result(call, deployer->name, ns, deploy_image, url);
    }
    free(url);
    free(artifact);
    free(image);
    free(deploy_image);
    return rc;
}

static const fp_flag deploy_flags[] = {
    /* One flag, two meanings; func has no --force (ours). */
    FP_BUILD_FLAGS_FORCE("Build even when the function is up to date, and let the deployer take "
                         "over an existing Service that funcp or func did not create (knative)"),
    {"build", 0, FP_FLAG_STRING, "auto",
     "Build first: auto (when sources changed), true or false", "auto|true|false", "true", NULL},
    {"push", 'u', FP_FLAG_BOOL, "true", "Push the artifact before deploying", NULL, NULL, NULL},
    {"deployer", 0, FP_FLAG_STRING, NULL,
     "Deployer to use (default: inferred from the runtime, e.g. wasm for *-wasi; else "
     "$FUNC_DEPLOYER, else knative)",
     NULL, NULL, "FUNC_DEPLOY_TYPE"},
    {"namespace", 'n', FP_FLAG_STRING, NULL,
     "Namespace (default: func.yaml, then the kubeconfig context)", NULL, NULL, NULL},
    {"timeout", 0, FP_FLAG_DURATION, "2m", "How long to wait for the function to be ready", NULL,
     NULL, NULL},
    {"context", 0, FP_FLAG_STRING, NULL, "Kubernetes context to use", NULL, NULL, NULL},
    {"kubeconfig", 0, FP_FLAG_STRING, NULL, "Path to the kubeconfig file", NULL, NULL, NULL},
    FP_ENV_FLAG("kept in func.yaml run.envs"),
    {"domain", 0, FP_FLAG_STRING, NULL,
     "Domain for the function's route (kept in func.yaml; the cluster must be configured "
     "for it)", NULL, NULL, NULL},
    {"service-account", 0, FP_FLAG_STRING, NULL,
     "Service account the function runs as (kept in func.yaml deploy.serviceAccountName)", NULL,
     NULL, NULL},
    {"image-pull-secret", 0, FP_FLAG_STRING, NULL,
     "Secret for pulling the function's image from a private registry (kept in func.yaml "
     "deploy.imagePullSecret)", NULL, NULL, NULL},
    FP_COMPAT_CONFIRM,
    FP_COMPAT_BUILD_FLAGS,
    FP_COMPAT_REMOTE_FLAGS,
    {0},
};

const fp_command fp_cmd_deploy = {
    .name = "deploy",
    .usage = "deploy",
    .summary = "Deploy a function",
    .description =
        "Build the function when needed, push it, and deploy it with the deployer\n"
        "inferred from its runtime (or --deployer, kept in func.yaml). The builder and\n"
        "deployer are checked before anything runs. The deployed image, pinned by\n"
        "digest, is recorded as deploy.image in func.yaml.",
    .examples = "  funcp deploy --registry localhost:5000/me\n"
                "  funcp deploy -n prod --timeout 5m\n"
                "  # an image built elsewhere\n"
                "  funcp deploy --image ghcr.io/me/hello@sha256:...\n"
                "  funcp deploy -e GREETING=hi -e OLD- --service-account runner",
    .flags = deploy_flags,
    .min_args = 0,
    .max_args = 0,
    .run = run_deploy,
};
