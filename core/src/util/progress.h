/* A one-line progress bar on stderr, drawn only when stderr is a terminal. */
#ifndef FUNCP_UTIL_PROGRESS_H
#define FUNCP_UTIL_PROGRESS_H

#include <stdint.h>

/* Draw `label` at done/total (total 0: unknown, shows bytes). Redraws are
 * throttled; done == total (total > 0) finishes the line. */
void fp_progress(const char *label, uint64_t done, uint64_t total);
/* Erase a bar in progress (before printing other text). */
void fp_progress_clear(void);
/* Format a byte count ("12.3 MiB") into buf. */
void fp_format_bytes(uint64_t n, char *buf, unsigned size);

#endif
