#include "util/fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/error.h"

char *fp_path_join(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    int slash = la > 0 && a[la - 1] != '/';
    char *out = malloc(la + lb + 2);
    if (!out)
        return NULL;
    memcpy(out, a, la);
    if (slash)
        out[la++] = '/';
    memcpy(out + la, b, lb + 1);
    return out;
}

char *fp_path_absolute(const char *path)
{
    char *joined;
    if (path[0] == '/') {
        joined = strdup(path);
    } else {
        char cwd[PATH_MAX];
        if (!getcwd(cwd, sizeof cwd))
            return NULL;
        joined = fp_path_join(cwd, path);
    }
    if (!joined)
        return NULL;
    /* Normalise in place: drop "." and empty components, resolve "..". */
    char *out = malloc(strlen(joined) + 2);
    if (!out) {
        free(joined);
        return NULL;
    }
    size_t n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(joined, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
        if (strcmp(tok, ".") == 0)
            continue;
        if (strcmp(tok, "..") == 0) {
            while (n > 0 && out[n - 1] != '/')
                n--;
            if (n > 0)
                n--;
            continue;
        }
        out[n++] = '/';
        size_t l = strlen(tok);
        memcpy(out + n, tok, l);
        n += l;
    }
    if (n == 0)
        out[n++] = '/';
    out[n] = '\0';
    free(joined);
    return out;
}

char *fp_path_basename(const char *path)
{
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/')
        len--;
    size_t start = len;
    while (start > 0 && path[start - 1] != '/')
        start--;
    return strndup(path + start, len - start);
}

char *fp_path_dirname(const char *path)
{
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/')
        len--;
    while (len > 0 && path[len - 1] != '/')
        len--;
    while (len > 1 && path[len - 1] == '/')
        len--;
    if (len == 0)
        return strdup(".");
    return strndup(path, len);
}

int fp_mkdir_p(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return fp_error_set(FUNCP_ERROR, "out of memory");
    for (char *p = copy + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(copy, 0755) != 0 && errno != EEXIST) {
            int rc = fp_error_set(FUNCP_EIO, "create directory %s: %s", copy, strerror(errno));
            free(copy);
            return rc;
        }
        *p = '/';
    }
    int rc = FUNCP_OK;
    if (mkdir(copy, 0755) != 0 && errno != EEXIST)
        rc = fp_error_set(FUNCP_EIO, "create directory %s: %s", copy, strerror(errno));
    free(copy);
    return rc;
}

int fp_write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

int fp_temp_beside(const char *path, char **tmp)
{
    size_t size = strlen(path) + 16;
    *tmp = malloc(size);
    if (!*tmp) {
        errno = ENOMEM;
        return -1;
    }
    snprintf(*tmp, size, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(*tmp);
    if (fd < 0) {
        int e = errno;
        free(*tmp);
        *tmp = NULL;
        errno = e;
    }
    return fd;
}

int fp_write_file_atomic(const char *path, const void *data, size_t len)
{
    char *tmp;
    int fd = fp_temp_beside(path, &tmp);
    if (fd < 0 && errno == ENOMEM)
        return fp_error_set(FUNCP_ERROR, "out of memory");
    if (fd < 0)
        return fp_error_set(FUNCP_EIO, "write %s: %s", path, strerror(errno));
    if (fp_write_all(fd, data, len) != 0 || fchmod(fd, 0644) != 0 || fsync(fd) != 0)
        goto fail;
    if (close(fd) != 0) {
        fd = -1;
        goto fail;
    }
    fd = -1;
    if (rename(tmp, path) != 0)
        goto fail;
    free(tmp);
    return FUNCP_OK;
fail:;
    int rc = fp_error_set(FUNCP_EIO, "write %s: %s", path, strerror(errno));
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    free(tmp);
    return rc;
}

int fp_read_stream(FILE *f, size_t max, char **data, size_t *len)
{
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    if (!buf)
        return -ENOMEM;
    for (;;) {
        if (n + 1 >= cap) {
            if (max && n > max)
                break;
            char *bigger = realloc(buf, cap * 2);
            if (!bigger) {
                free(buf);
                return -ENOMEM;
            }
            buf = bigger;
            cap *= 2;
        }
        size_t r = fread(buf + n, 1, cap - n - 1, f);
        n += r;
        if (r == 0)
            break;
    }
    int rc = ferror(f) ? -(errno ? errno : EIO) : max && n > max ? -EFBIG : 0;
    if (rc < 0) {
        free(buf);
        return rc;
    }
    buf[n] = '\0';
    *data = buf;
    if (len)
        *len = n;
    return 0;
}

int fp_read_file(const char *path, char **data, size_t *len)
{
    *data = NULL;
    if (len)
        *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return fp_error_set(errno == ENOENT ? FUNCP_ENOTFOUND : FUNCP_EIO, "read %s: %s", path,
                            strerror(errno));
    int rc = fp_read_stream(f, 0, data, len);
    fclose(f);
    if (rc == -ENOMEM)
        return fp_error_set(FUNCP_ERROR, "out of memory");
    if (rc < 0)
        return fp_error_set(FUNCP_EIO, "read %s: I/O error", path);
    return FUNCP_OK;
}

int fp_dir_is_empty(const char *path, int *exists)
{
    DIR *d = opendir(path);
    if (!d) {
        *exists = errno != ENOENT;
        return errno == ENOENT;
    }
    *exists = 1;
    struct dirent *e;
    int empty = 1;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            empty = 0;
            break;
        }
    }
    closedir(d);
    return empty;
}

int fp_remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? FUNCP_OK
                               : fp_error_set(FUNCP_EIO, "remove %s: %s", path, strerror(errno));
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (!d)
            return fp_error_set(FUNCP_EIO, "remove %s: %s", path, strerror(errno));
        struct dirent *e;
        int rc = FUNCP_OK;
        while (rc == FUNCP_OK && (e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            char *child = fp_path_join(path, e->d_name);
            rc = child ? fp_remove_tree(child) : fp_error_set(FUNCP_ERROR, "out of memory");
            free(child);
        }
        closedir(d);
        if (rc != FUNCP_OK)
            return rc;
        if (rmdir(path) != 0)
            return fp_error_set(FUNCP_EIO, "remove %s: %s", path, strerror(errno));
        return FUNCP_OK;
    }
    if (unlink(path) != 0)
        return fp_error_set(FUNCP_EIO, "remove %s: %s", path, strerror(errno));
    return FUNCP_OK;
}

int fp_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

int fp_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}
