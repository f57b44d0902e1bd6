/* Where funcp looks for files it loads at run time (plugins, the network
 * module). One order for both, so that a funcp run from the build tree, an
 * installed funcp and a relocated install all find their own files. */
#ifndef FUNCP_PLUGIN_SEARCH_DIRS_H
#define FUNCP_PLUGIN_SEARCH_DIRS_H

#include <stddef.h>

/* Fills *dirs (malloc'ed array of malloc'ed strings) with, in order and
 * without duplicates (compared after resolving symlinks):
 *  1. the colon-separated entries of $env_var (empty entries skipped);
 *  2. build_dir, when the running executable lives in the build tree
 *     (build_root) — so a binary run from the tree finds the tree's files;
 *  3. <directory of the executable>/../<relative>, for relocated installs;
 *  4. installed (the configured absolute install directory).
 * Returns FUNCP_OK or a negative status. */
int fp_search_dirs(const char *env_var, const char *build_root, const char *build_dir,
                   const char *relative, const char *installed, char ***dirs, size_t *n);
void fp_search_dirs_free(char **dirs, size_t n);

/* Non-zero when the running executable is inside `build_root`. */
int fp_running_from(const char *build_root);

#endif
