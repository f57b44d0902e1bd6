/* Small file-system helpers: paths, mkdir -p, atomic writes, recursive removal. */
#ifndef FUNCP_UTIL_FS_H
#define FUNCP_UTIL_FS_H

#include <stddef.h>
#include <stdio.h>

#include "util/api.h"

/* "a" + "/" + "b" (no doubled slash), malloc'ed (NULL on out of memory).
 * Exported for the network module. */
FP_API char *fp_path_join(const char *a, const char *b);
/* Absolute, normalised form of `path` (which need not exist), malloc'ed. */
char *fp_path_absolute(const char *path);
/* The last component of `path` (no trailing slash), malloc'ed. */
char *fp_path_basename(const char *path);
/* The directory part of `path` ("." when none), malloc'ed. */
char *fp_path_dirname(const char *path);

/* Create `path` and its parents (mode 0755); FUNCP_EIO naming the path. */
int fp_mkdir_p(const char *path);
/* Write all `len` bytes to `fd`, retrying short writes and EINTR; 0, or -1
 * with errno set. Exported for the network module. */
FP_API int fp_write_all(int fd, const void *data, size_t len);
/* Create and open "<path>.tmp-XXXXXX" to write `path` atomically (rename it
 * over `path` when done): the fd, *tmp malloc'ed; -1 with errno set and *tmp
 * NULL on failure (ENOMEM: no memory for the name). Exported for the
 * network module. */
FP_API int fp_temp_beside(const char *path, char **tmp);
/* Write `len` bytes to `path` through a temp file + fsync + rename.
 * Exported for the network module (the artifact digest cache). */
FP_API int fp_write_file_atomic(const char *path, const void *data, size_t len);
/* Read a whole file (NUL-terminated), malloc'ed; FUNCP_ENOTFOUND/EIO.
 * Exported for the network module. */
FP_API int fp_read_file(const char *path, char **data, size_t *len);
/* Read the rest of `f` (NUL-terminated), malloc'ed. Sets no error, so each
 * caller names the file its own way: 0, -ENOMEM, -EFBIG when more than `max`
 * bytes (0: no limit), or the read error's -errno (-EIO when unknown).
 * Exported for the network module. */
FP_API int fp_read_stream(FILE *f, size_t max, char **data, size_t *len);
/* 1 when path is a directory with no entries (or absent: *exists = 0). */
int fp_dir_is_empty(const char *path, int *exists);
/* Remove a file or directory tree; a missing path is not an error. */
int fp_remove_tree(const char *path);
/* 1 when `path` exists. */
int fp_exists(const char *path);
/* 1 when `path` is a directory (following symlinks). */
int fp_is_dir(const char *path);

#endif
