/* File helpers for plugins: every write of a user file goes through a temp
 * file and a rename, so a crash or error never leaves it half written.
 * Functions return 0 or -1 with errno set, unless noted. */
#ifndef PCOM_FS_H
#define PCOM_FS_H

#include <stddef.h>

/* "a" + "/" + "b", malloc'ed (NULL on out of memory). */
char *pcom_path_join(const char *a, const char *b);
/* printf into a malloc'ed string (NULL on out of memory). */
char *pcom_strdup_printf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* mkdir -p, mode 0755. */
int pcom_mkdir_p(const char *path);
/* Write data to path through "<path>.tmp-XXXXXX" + fsync + rename. */
int pcom_write_file_atomic(const char *path, const void *data, size_t len, unsigned mode);
/* Copy src over dst atomically (temp next to dst, then rename). */
int pcom_copy_file_atomic(const char *src, const char *dst);
/* Whole file, NUL-terminated, malloc'ed; *len gets its size. NULL + errno. */
char *pcom_read_file(const char *path, size_t *len);
/* rm -rf that never follows symlinks. Missing path is fine. */
int pcom_remove_tree(const char *path);

/* 1 when path is a directory (following symlinks), else 0. */
int pcom_is_dir(const char *path);
/* 1 when path exists (not following symlinks), else 0. */
int pcom_exists(const char *path);
/* Size of a regular file, or -1. */
long long pcom_file_size(const char *path);

#endif
