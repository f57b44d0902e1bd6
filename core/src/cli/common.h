/* What several commands share: plugins, func.yaml, resolving builders and
 * deployers, images, building and pushing. The phases themselves are the
 * plugins'; this is the generic host side. */
#ifndef FUNCP_CLI_COMMON_H
#define FUNCP_CLI_COMMON_H

#include "call.h"
#include "cli/instances.h"
#include "plugin/registry.h"

/* --namespace (flag or FUNC_NAMESPACE), when the command has one, must be
 * a Kubernetes DNS-1123 label: FUNCP_EUSAGE naming value and rule, so a
 * typo fails before any build or cluster call. Empty means the default. */
int fp_cli_check_namespace(const fp_args *args);

/* Load plugins and the function (func.yaml with a runtime). */
int fp_cli_function(funcp_call *call, fp_registry **reg, const char **runtime);

/* Resolve and check the builder BEFORE anything runs: flag > func.yaml >
 * inferred > FUNC_BUILDER. An explicit flag is written to func.yaml. */
int fp_cli_builder(funcp_call *call, fp_registry *reg, const char *runtime,
                   const funcp_builder **builder);
/* fp_cli_function, then fp_cli_builder: what build, push and run start with. */
int fp_cli_function_builder(funcp_call *call, fp_registry **reg, const char **runtime,
                            const funcp_builder **builder);
/* Same for the deployer: flag > func.yaml > inferred > default > env. */
int fp_cli_deployer(funcp_call *call, fp_registry *reg, const char *runtime,
                    const funcp_deployer **deployer);

/* Set the error for a plugin that is not installed ("builder", "wasm"),
 * naming the in-tree plugin that provides it when we know one. */
int fp_cli_missing(const char *kind, const char *name, int code);
/* The in-tree plugin(s) providing a runtime/builder/deployer/runner, in
 * words, or NULL; ("deployers", "") names every deployer plugin. */
const char *fp_cli_provider(const char *kind, const char *name);
/* How to get `plugin` when it is not built with funcp (sdk/examples), in
 * words, or NULL. */
const char *fp_cli_plugin_origin(const char *plugin);
/* FUNCP_ENOPLUGIN: no deployer plugin at all, naming the ones to install. */
int fp_cli_no_deployer(void);
/* A NULL callback of `plugin`: FUNCP_ENOTSUPPORTED naming the phase. */
int fp_cli_unsupported(const char *plugin, const char *phase);
/* After a plugin callback: make sure a failure has a message. */
int fp_cli_plugin_result(int rc, const char *plugin, const char *phase);

/* Load the plugins, take the function's name (argument, else func.yaml) and
 * have the deployer holding it describe it into `set` (empty when none
 * does). The caller puts set->items, which is NULL when nothing was asked. */
int fp_cli_describe_named(funcp_call *call, const char **name, fp_instances *set);

/* Absolute path of the builder's artifact, malloc'ed. */
char *fp_cli_artifact(funcp_call *call, const funcp_builder *builder);

/* The image to push: --image / func.yaml image, else <registry>/<name>:latest
 * from --registry / func.yaml registry; NULL (no error) when neither is set.
 * Explicit --image/--registry/--registry-insecure are kept in func.yaml. */
char *fp_cli_image(funcp_call *call);
/* FUNCP_EUSAGE: an image is needed but neither --image nor --registry is set. */
int fp_cli_no_image(funcp_call *call);

/* Build unless up to date (or force). *skipped tells which. */
int fp_cli_build(funcp_call *call, fp_registry *reg, const char *runtime,
                 const funcp_builder *builder, int force, int *skipped);
/* 1 when the stamp matches the sources and the artifact exists. */
int fp_cli_up_to_date(funcp_call *call, const char *runtime, const funcp_builder *builder);

/* Push the artifact (a .wasm) to image; records deploy.image pinned by digest. */
int fp_cli_push(funcp_call *call, const char *artifact, const char *image,
                funcp_oci_result *result);

/* The hash of a function's sources for the build stamp (16 hex chars). */
int fp_build_stamp_hash(const char *root, const char *extra, char hex[17]);

#endif
