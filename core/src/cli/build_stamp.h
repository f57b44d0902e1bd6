/* The build stamp: what a build depends on, hashed, so an up-to-date
 * function is not rebuilt. */
#ifndef FUNCP_CLI_BUILD_STAMP_H
#define FUNCP_CLI_BUILD_STAMP_H

#include <funcp/plugin.h>

/* fp_build_stamp_hash() (common.h) plus the builder's toolchain: for each
 * program it names, the path it resolves to on PATH (symlinks followed),
 * that file's size and modification time, or "missing". Nothing is run.
 * A builder too old to have the member, or with none, adds nothing. */
int fp_build_stamp_builder_hash(const char *root, const char *extra,
                                const funcp_builder *builder, char hex[17]);

/* A no-op build need not rewrite the OCI layout in <root>/.funcp/oci (nor
 * load the network module to hash the artifact): 1, with *result filled
 * from the layout's index ("latest"), when its index.json is no older than
 * the artifact and names a manifest blob that exists; 0 otherwise. */
int fp_build_stamp_layout_current(const char *root, const char *artifact,
                                  funcp_oci_result *result);

#endif
