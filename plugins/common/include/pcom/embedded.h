/* Template files compiled into a plugin (see pcom_embed_templates in
 * plugins/common/CMakeLists.txt). */
#ifndef PCOM_EMBEDDED_H
#define PCOM_EMBEDDED_H

#include <stddef.h>
#include <funcp/plugin.h>

typedef struct pcom_embedded_file {
    const char *path;           /* "<template>/<relative path>" */
    const unsigned char *data;  /* len bytes (plus a NUL)       */
    size_t len;
} pcom_embedded_file;

/* Write every file of template `name` ("http") into dir, each atomically,
 * creating subdirectories. Unknown template: FUNCP_EUSAGE naming runtime
 * and the templates there are. */
int pcom_write_template(const funcp_host *host, funcp_call *call, const char *runtime,
                        const pcom_embedded_file *files, size_t n_files,
                        const char *name, const char *dir);

#endif
