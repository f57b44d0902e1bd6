/* Writing a template compiled into the plugin into a new function. */
#include "pcom/embedded.h"
#include "pcom/fs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Path of a file within template `name`, or NULL if it belongs to another. */
static const char *relative_to(const char *path, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(path, name, n) != 0 || path[n] != '/')
        return NULL;
    return path + n + 1;
}

static int write_one(const funcp_host *host, funcp_call *call, const char *dir,
                     const char *rel, const pcom_embedded_file *f)
{
    char *dst = pcom_path_join(dir, rel);
    if (!dst)
        return host->error(call, FUNCP_ERROR, "out of memory");
    char *slash = strrchr(dst, '/');
    int rc = 0;
    *slash = '\0';
    if (pcom_mkdir_p(dst) != 0)
        rc = host->error(call, FUNCP_EIO, "create directory %s: %s", dst, strerror(errno));
    *slash = '/';
    if (rc == 0 && pcom_write_file_atomic(dst, f->data, f->len, 0644) != 0)
        rc = host->error(call, FUNCP_EIO, "write %s: %s", dst, strerror(errno));
    free(dst);
    return rc;
}

int pcom_write_template(const funcp_host *host, funcp_call *call, const char *runtime,
                        const pcom_embedded_file *files, size_t n_files,
                        const char *name, const char *dir)
{
    size_t written = 0;
    for (size_t i = 0; i < n_files; i++) {
        const char *rel = relative_to(files[i].path, name);
        if (!rel)
            continue;
        int rc = write_one(host, call, dir, rel, &files[i]);
        if (rc != 0)
            return rc;
        written++;
    }
    if (written == 0)
        return host->error(call, FUNCP_EUSAGE, "unknown template \"%s\" for runtime %s",
                           name, runtime);
    return FUNCP_OK;
}
