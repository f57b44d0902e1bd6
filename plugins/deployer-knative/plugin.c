/* deployer-knative: deploys container-image functions as Knative Services,
 * interoperable with knative func's knative deployer. */
#include "kn.h"

static const funcp_deployer deployers[] = {{
    .struct_size = sizeof(funcp_deployer),
    .name = "knative",
    .artifacts = FUNCP_ARTIFACT_IMAGE,
    .is_default = 1,
    .deploy = kn_deploy,
    .describe = kn_describe,
    .list = kn_list,
    .remove = kn_remove,
    .preflight = kn_cluster_preflight,
}};

static const funcp_plugin plugin = {
    .struct_size = sizeof(funcp_plugin),
    .abi_major = FUNCP_PLUGIN_ABI_MAJOR,
    .abi_minor = FUNCP_PLUGIN_ABI_MINOR,
    .name = "deployer-knative",
    .version = "0.1.0",
    .description = "Deploy container functions as Knative Services (knative func compatible)",
    .license = "Apache-2.0",
    .deployers = deployers,
    .n_deployers = FUNCP_COUNTOF(deployers),
};

FUNCP_PLUGIN_DEFINE(plugin)
