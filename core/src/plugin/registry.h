/* Registry of what loaded plugins provide, and the compatibility rules of
 * knative func PR #3560 in C: runtimes claim a name suffix ("-wasi") with the
 * builder and deployer inferred for them; builders list the runtimes they
 * build; deployers list the artifact kinds they accept. */
#ifndef FUNCP_PLUGIN_REGISTRY_H
#define FUNCP_PLUGIN_REGISTRY_H

#include <stddef.h>

#include "funcp/plugin.h"

typedef struct fp_registry fp_registry;

/* Where a builder or deployer value came from. */
typedef enum fp_origin {
    FP_ORIGIN_NONE = 0,     /* unset                                   */
    FP_ORIGIN_FLAG,         /* --builder / --deployer                  */
    FP_ORIGIN_FUNCYAML,     /* build.builder / deploy.deployer         */
    FP_ORIGIN_INFERRED,     /* from the runtime's claimed suffix       */
    FP_ORIGIN_DEFAULT       /* the default deployer for unclaimed runtimes */
} fp_origin;

typedef struct fp_choice {
    const char *value;  /* NULL when nothing could be chosen */
    fp_origin origin;
} fp_choice;

fp_registry *fp_registry_new(void);
void fp_registry_free(fp_registry *reg);

/* Register everything `plugin` provides; `plugin_name` for messages.
 * A runtime/deployer/runner name already registered by an earlier plugin is
 * skipped (first wins), with FUNCP_EEXISTS returned after registering the
 * rest; builders of the same name from several plugins join (each builds
 * its own runtimes). */
int fp_registry_add(fp_registry *reg, const funcp_plugin *plugin, const char *plugin_name);

/* Lookups (NULL when absent). */
const funcp_runtime *fp_registry_runtime(const fp_registry *reg, const char *name);
const funcp_deployer *fp_registry_deployer(const fp_registry *reg, const char *name);
/* The builder called `name` that builds `runtime`, or NULL. */
const funcp_builder *fp_registry_builder(const fp_registry *reg, const char *name,
                                         const char *runtime);
/* Name of the plugin that registered a runtime/builder/deployer/runner. */
const char *fp_registry_owner(const fp_registry *reg, const void *capability);

/* Sorted, de-duplicated names; arrays owned by the registry. */
size_t fp_registry_runtime_names(const fp_registry *reg, const char *const **names);
size_t fp_registry_builder_names(const fp_registry *reg, const char *const **names);
size_t fp_registry_deployer_names(const fp_registry *reg, const char *const **names);
/* Every runner in priority order. */
size_t fp_registry_runners(const fp_registry *reg, const funcp_runner *const **runners);

/* Artifact kind (FUNCP_ARTIFACT_*) a runtime produces: the claiming
 * runtime's kind, FUNCP_ARTIFACT_IMAGE for runtimes nothing claims. */
unsigned fp_registry_artifact_of(const fp_registry *reg, const char *runtime);

/* Resolve builder/deployer: explicit (flag > func.yaml) wins, then inferred
 * from the runtime's claimed suffix, then (deployers only) the deployer
 * flagged is_default. Never fails; check .value. */
fp_choice fp_registry_resolve_builder(const fp_registry *reg, const char *runtime,
                                      const char *flag, const char *funcyaml);
fp_choice fp_registry_resolve_deployer(const fp_registry *reg, const char *runtime,
                                       const char *flag, const char *funcyaml);

/* Compatibility checks. FUNCP_OK, or:
 *  unknown name  -> FUNCP_EUSAGE
 *     `unknown builder "x"; registered builders: [a b]`
 *  incompatible  -> FUNCP_EINCOMPATIBLE
 *     `builder "<b>" does not support runtime "<r>": incompatible
 *      runtime/builder/deployer combination`, with a hint naming the
 *     compatible ones (`compatible builders for runtime "<r>": "<b>"`). */
int fp_registry_check_builder(const fp_registry *reg, const char *runtime,
                              const char *builder);
int fp_registry_check_deployer(const fp_registry *reg, const char *runtime,
                               const char *deployer);

/* "a", "a and b", "a, b, and c" with each item quoted (PR's helper). */
char *fp_format_list(const char *const *items, size_t n);

#endif
