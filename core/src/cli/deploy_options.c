#include "cli/deploy_options.h"

#include <string.h>

#include "call.h"
#include "cli/env_flags.h"
#include "function/funcyaml_k8s_names.h"
#include "util/error.h"

/* flag (or FUNC_<FLAG>) → func.yaml key, as func's deployConfig.Configure. */
static int persist(funcp_call *call, const char *flag, const char *key)
{
    const char *v = fp_args_flag(&call->args, flag);
    if (!v)
        v = fp_args_env(&call->args, flag);
    if (!v)
        return FUNCP_OK;
    return fp_funcyaml_set(call->fy, key, *v ? v : NULL);
}

int fp_deploy_options_apply(funcp_call *call)
{
    const char *domain = fp_args_get(&call->args, "domain");
    char why[1024];
    if (domain && *domain && !fy_k8s_subdomain(domain, why, sizeof why))
        return fp_error_set(FUNCP_EUSAGE, "invalid domain \"%s\" (--domain): %s", domain, why);
    int rc = persist(call, "domain", "domain");
    if (rc == FUNCP_OK)
        rc = persist(call, "service-account", "deploy.serviceAccountName");
    if (rc == FUNCP_OK)
        rc = persist(call, "image-pull-secret", "deploy.imagePullSecret");
    if (rc == FUNCP_OK)
        rc = persist(call, "pvc-size", "build.pvcSize");
    if (rc == FUNCP_OK)
        rc = persist(call, "remote-storage-class", "build.remoteStorageClass");
    if (rc == FUNCP_OK)
        rc = fp_cli_apply_env_flags(call);
    return rc;
}

int fp_deploy_image_pinned(funcp_call *call)
{
    const char *image = fp_args_get(&call->args, "image");
    const char *at = image ? strstr(image, "@sha256:") : NULL;
    if (!at)
        return 0;
    const char *build = fp_args_flag(&call->args, "build");
    const char *push = fp_args_flag(&call->args, "push");
    if (build && !strcmp(build, "true")) {
        fp_error_set(FUNCP_EUSAGE, "building can not be enabled when using an image with digest "
                                   "(--image %s, --build=true)", image);
        return -1;
    }
    if (push && !strcmp(push, "true")) {
        fp_error_set(FUNCP_EUSAGE, "pushing is not valid when specifying an image with digest "
                                   "(--image %s, --push)", image);
        return -1;
    }
    return 1;
}
