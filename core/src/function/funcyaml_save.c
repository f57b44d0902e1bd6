/* Saving func.yaml atomically: the new text goes to a temp file next to
 * the old one, is synced, and renamed over it. Any failure removes the
 * temp file and leaves the old file as it was. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "function/funcyaml_internal.h"
#include "util/error.h"
#include "util/fs.h"

/* "<dir>/.<base>.XXXXXX" for path "<dir>/<base>". */
static char *temp_template(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
    const char *base = path + dir_len;
    size_t size = strlen(path) + 16;
    char *tmpl = malloc(size);
    if (tmpl)
        snprintf(tmpl, size, "%.*s.%s.XXXXXX", (int)dir_len, path, base);
    return tmpl;
}

/* The new file keeps the old one's permission bits; a new file gets
 * 0666 less the umask, like any file the user creates. */
static mode_t wanted_mode(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0)
        return st.st_mode & 07777;
    mode_t mask = umask(0);
    umask(mask);
    return 0666 & ~mask;
}

/* Best effort: make the rename itself durable. */
static void sync_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, (size_t)(slash - path) + 1) : strdup(".");
    if (!dir)
        return;
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(dir);
}

int fp_funcyaml_save(const fp_funcyaml *doc, const char *path)
{
    if (!doc || !path || !*path)
        return fp_error_set(FUNCP_EUSAGE, "func.yaml: nothing to save");
    char *text = fy_emit_doc(doc);
    if (!text)
        return fp_error_wrap("%s", path);
    /* A func.yaml that is a symlink is written through: the file it points
     * to is replaced (as an ordinary write would), the link stays. */
    char *target = realpath(path, NULL);
    const char *user_path = path;
    if (target)
        path = target;
    char *tmp = temp_template(path);
    if (!tmp) {
        free(text);
        return fp_error_set(FUNCP_ERROR, "out of memory");
    }
    int rc = FUNCP_OK;
    const char *step = NULL;
    int fd = mkstemp(tmp);
    if (fd < 0) {
        step = "cannot create a temporary file";
    } else if (fp_write_all(fd, text, strlen(text)) != 0) {
        step = "cannot write";
    } else if (fchmod(fd, wanted_mode(path)) != 0) {
        step = "cannot set permissions";
    } else if (fsync(fd) != 0) {
        step = "cannot sync";
    }
    int saved_errno = errno;
    if (fd >= 0 && close(fd) != 0 && !step) {
        step = "cannot write";
        saved_errno = errno;
    }
    if (!step && rename(tmp, path) != 0) {
        step = "cannot replace";
        saved_errno = errno;
    }
    if (step) {
        if (fd >= 0)
            unlink(tmp);
        rc = fp_error_set(FUNCP_EIO, "%s: %s: %s (file left unchanged)", user_path, step,
                          strerror(saved_errno));
    } else {
        sync_dir(path);
    }
    free(tmp);
    free(text);
    free(target);
    return rc;
}
