/* funcp create -l js-wasi: write the template's files into the new
 * function's directory. */
#include "jswasi.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int jswasi_create(const funcp_host *host, funcp_call *call, const char *template_name,
                  const char *dir)
{
    size_t plen = strlen(template_name);
    int found = 0;
    for (const jswasi_file *f = jswasi_files; f->name; f++) {
        if (strncmp(f->name, template_name, plen) || f->name[plen] != '/')
            continue;
        found = 1;
        char *path = jswasi_strf("%s/%s", dir, f->name + plen + 1);
        if (!path)
            return host->error(call, FUNCP_ERROR, "out of memory");
        if (jswasi_write_file(path, f->data, f->size) != 0) {
            int rc = host->error(call, FUNCP_EIO, "write %s: %s", path, strerror(errno));
            free(path);
            return rc;
        }
        free(path);
    }
    if (!found)
        return host->error(call, FUNCP_ENOTFOUND,
                           "runtime %s has no template \"%s\" (it has: http)", JSWASI_RUNTIME,
                           template_name);
    return FUNCP_OK;
}
