/* Does any .go file under a tree carry a //go:generate directive? */
#ifndef GOWASI_GOGEN_SCAN_H
#define GOWASI_GOGEN_SCAN_H

/* Polled by the calling thread while the workers scan; non-zero stops. */
typedef int (*gogen_cancel_fn)(void *ctx);

/* Scan root with up to max_threads workers (<= 0: min(4, CPUs)),
 * skipping vendor/, .git/ and node_modules/ and never following symlinked
 * directories. A directive is a line starting exactly with "//go:generate".
 * Stops as soon as one is found or cancel returns non-zero.
 * Returns 1 found, 0 not found, -1 canceled, -2 root unreadable or out
 * of memory. */
int gogen_scan(const char *root, int max_threads, gogen_cancel_fn cancel, void *ctx);

/* 1 when the file at path has a directive, 0 when not or unreadable. */
int gogen_file_has_directive(const char *path);

#endif
