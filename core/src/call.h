/* One command being carried out: what the host services table works on.
 * Plugins see `funcp_call` as an opaque handle. */
#ifndef FUNCP_CALL_H
#define FUNCP_CALL_H

#include <signal.h>

#include "cli/args.h"
#include "function/funcyaml.h"
#include "funcp/plugin.h"
#include "net/net_module.h"
#include "plugin/loader.h"
#include "util/output.h"

struct fp_kube_client;

struct funcp_call {
    const fp_command *cmd;
    fp_args args;
    char *root;           /* absolute function root                          */
    char *funcyaml_path;  /* <root>/func.yaml                                */
    fp_funcyaml *fy;      /* loaded (or being created) func.yaml, or NULL      */
    int verbose;
    fp_format format;
    const char *plugin;   /* plugin being called, for config() and messages  */
    char *password;       /* from --password-stdin; never printed            */
    fp_funcyaml *config;  /* $XDG_CONFIG_HOME/funcp/config.yaml, lazily read */
    int config_loaded;
    struct fp_kube_client *kube;  /* one client per call, lazily made        */
    fp_net_hooks hooks;
    fp_plugin_set plugins;
    int plugins_loaded;
    char option_buf[64];  /* derived option values ("timeout-ms")            */
    char *kube_ns;        /* namespace a plugin asked for (for messages)     */
    int deploy_updated;   /* the deployer updated an existing instance       */
};

/* The services table handed to plugins. */
const funcp_host *fp_host(void);

/* Set up / tear down a call (does not save func.yaml). */
void fp_call_init(funcp_call *call);
void fp_call_cleanup(funcp_call *call);

/* Flag > FUNC_<NAME> env > default (see funcp_host.option); also answers
 * "verbose", "output", "path" and "timeout-ms" (--timeout in ms). */
const char *fp_call_option(funcp_call *call, const char *name);

/* Namespace the user chose: -n/--namespace or FUNC_NAMESPACE, then func.yaml
 * (deploy: namespace, then deploy.namespace, as func; other commands:
 * deploy.namespace first); NULL means the kubeconfig context's. */
const char *fp_call_namespace(funcp_call *call);

/* Load the plugins once (host passed to their init). */
int fp_call_load_plugins(funcp_call *call);
/* Load <root>/func.yaml into call->fy. FUNCP_ENOTFOUND with a hint to
 * `funcp create` when it is missing. */
int fp_call_load_function(funcp_call *call);
/* Save func.yaml when it changed (atomically). */
int fp_call_save_function(funcp_call *call);

/* Mark `plugin` as the one being called (for config() and messages). */
void fp_call_enter(funcp_call *call, const char *plugin);

/* Fill OCI options from the call's flags for pushing to `image`. The
 * insecure list points into `store` (n entries max 8). */
struct fp_oci_options;
void fp_call_oci_options(funcp_call *call, const char *image, struct fp_oci_options *opts,
                         char store[][256], const char **list);

#endif
