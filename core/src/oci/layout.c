#include "oci/layout.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "oci/config_blob.h"
#include "net/json_get.h"
#include "util/error.h"
#include "util/fs.h"

#define REF_NAME "org.opencontainers.image.ref.name"

static int mkdir_p(const char *path)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
        return fp_error_set(FUNCP_EIO, "%s: path too long", path);
    for (char *p = buf + 1;; p++) {
        if (*p == '/' || !*p) {
            char c = *p;
            *p = '\0';
            if (mkdir(buf, 0755) != 0 && errno != EEXIST)
                return fp_error_set(FUNCP_EIO, "%s: cannot create directory: %s", buf, strerror(errno));
            *p = c;
            if (!c)
                break;
        }
    }
    return FUNCP_OK;
}

int fp_layout_blob_path(const char *dir, const char *digest, char *buf, size_t size)
{
    if (strncmp(digest, "sha256:", 7) != 0)
        return fp_error_set(FUNCP_EPARSE, "%s: unsupported digest %s", dir, digest);
    if (snprintf(buf, size, "%s/blobs/sha256/%s", dir, digest + 7) >= (int)size)
        return fp_error_set(FUNCP_EIO, "%s: path too long", dir);
    return FUNCP_OK;
}

/* Write `len` bytes, or copy the file `src` when data is NULL, to `path`
 * through a temporary file in the same directory. */
static int write_atomic(const char *path, const void *data, size_t len, const char *src)
{
    char *tmp;
    int fd = fp_temp_beside(path, &tmp);
    if (fd < 0)
        return fp_error_set(FUNCP_EIO, "%s: %s", path, strerror(errno));
    int rc = FUNCP_OK;
    if (data) {
        if (fp_write_all(fd, data, len) != 0)
            rc = fp_error_set(FUNCP_EIO, "%s: %s", tmp, strerror(errno));
    } else {
        int in = open(src, O_RDONLY | O_CLOEXEC);
        if (in < 0)
            rc = fp_error_set(FUNCP_EIO, "%s: %s", src, strerror(errno));
        char *buf = rc ? NULL : malloc(256 * 1024);
        if (!rc && !buf)
            rc = fp_error_set(FUNCP_ERROR, "out of memory");
        ssize_t n;
        while (!rc && (n = read(in, buf, 256 * 1024)) != 0) {
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0) {
                rc = fp_error_set(FUNCP_EIO, "%s: %s", src, strerror(errno));
                break;
            }
            if (fp_write_all(fd, buf, (size_t)n) != 0)
                rc = fp_error_set(FUNCP_EIO, "%s: %s", tmp, strerror(errno));
        }
        free(buf);
        if (in >= 0)
            close(in);
    }
    if (!rc && fsync(fd) != 0)
        rc = fp_error_set(FUNCP_EIO, "%s: %s", tmp, strerror(errno));
    if (!rc && fchmod(fd, 0644) != 0)
        rc = fp_error_set(FUNCP_EIO, "%s: %s", tmp, strerror(errno));
    close(fd);
    if (!rc && rename(tmp, path) != 0)
        rc = fp_error_set(FUNCP_EIO, "%s: %s", path, strerror(errno));
    if (rc)
        unlink(tmp);
    free(tmp);
    return rc;
}

static int store_blob(const char *dir, const char *digest, const void *data, size_t len, const char *src)
{
    char path[4200];
    int rc = fp_layout_blob_path(dir, digest, path, sizeof path);
    if (rc)
        return rc;
    if (access(path, F_OK) == 0) /* content addressed: already there */
        return FUNCP_OK;
    return write_atomic(path, data, len, src);
}

static int read_small(const char *path, char **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return fp_error_set(errno == ENOENT ? FUNCP_ENOTFOUND : FUNCP_EIO, "%s: %s", path, strerror(errno));
    int rc = fp_read_stream(f, 4u << 20, data, len);
    fclose(f);
    if (rc == -ENOMEM)
        return fp_error_set(FUNCP_ERROR, "out of memory");
    if (rc == -EFBIG)
        return fp_error_set(FUNCP_EPARSE, "%s: larger than 4 MiB", path);
    if (rc < 0)
        return fp_error_set(FUNCP_EIO, "%s: %s", path, strerror(-rc));
    return FUNCP_OK;
}

static int load_index(const char *dir, json_object **index)
{
    char path[4200], *data = NULL;
    size_t len;
    snprintf(path, sizeof path, "%s/index.json", dir);
    int rc = read_small(path, &data, &len);
    if (rc == FUNCP_ENOTFOUND) {
        fp_error_clear();
        *index = json_object_new_object();
        json_object_object_add(*index, "schemaVersion", json_object_new_int(2));
        json_object_object_add(*index, "mediaType", json_object_new_string("application/vnd.oci.image.index.v1+json"));
        json_object_object_add(*index, "manifests", json_object_new_array());
        return FUNCP_OK;
    }
    if (rc)
        return rc;
    *index = json_tokener_parse(data);
    free(data);
    json_object *m;
    if (!*index || !json_object_is_type(*index, json_type_object) ||
        !json_object_object_get_ex(*index, "manifests", &m) || !json_object_is_type(m, json_type_array)) {
        json_object_put(*index);
        *index = NULL;
        return fp_error_set(FUNCP_EPARSE, "%s: not an OCI image index (no manifests array)", path);
    }
    return FUNCP_OK;
}

static const char *entry_tag(json_object *entry)
{
    json_object *ann;
    if (json_object_is_type(entry, json_type_object) && json_object_object_get_ex(entry, "annotations", &ann))
        return fp_json_string(ann, REF_NAME);
    return NULL;
}

int fp_layout_store(const char *dir, const char *layer_path, const fp_artifact *a, const char *tag)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/blobs/sha256", dir);
    int rc = mkdir_p(path);
    if (rc)
        return rc;
    snprintf(path, sizeof path, "%s/oci-layout", dir);
    if (access(path, F_OK) != 0) {
        static const char layout[] = "{\"imageLayoutVersion\":\"1.0.0\"}";
        if ((rc = write_atomic(path, layout, sizeof layout - 1, NULL)))
            return rc;
    }
    if ((rc = store_blob(dir, a->layer.digest, NULL, 0, layer_path)) ||
        (rc = store_blob(dir, a->config.digest, a->config_json, a->config_len, NULL)) ||
        (rc = store_blob(dir, a->manifest_digest, a->manifest, a->manifest_len, NULL)))
        return rc;
    json_object *index = NULL;
    if ((rc = load_index(dir, &index)))
        return rc;
    json_object *old, *manifests = json_object_new_array();
    json_object_object_get_ex(index, "manifests", &old);
    for (size_t i = 0; i < json_object_array_length(old); i++) {
        json_object *e = json_object_array_get_idx(old, i);
        const char *t = entry_tag(e);
        if (!t || strcmp(t, tag) != 0)
            json_object_array_add(manifests, json_object_get(e));
    }
    json_object *entry = json_object_new_object();
    json_object_object_add(entry, "mediaType", json_object_new_string(FP_MEDIA_MANIFEST));
    json_object_object_add(entry, "digest", json_object_new_string(a->manifest_digest));
    json_object_object_add(entry, "size", json_object_new_int64((int64_t)a->manifest_len));
    json_object *ann = json_object_new_object();
    json_object_object_add(ann, REF_NAME, json_object_new_string(tag));
    json_object_object_add(entry, "annotations", ann);
    json_object_array_add(manifests, entry);
    json_object_object_add(index, "manifests", manifests);
    const char *text = json_object_to_json_string_ext(index, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
    snprintf(path, sizeof path, "%s/index.json", dir);
    rc = write_atomic(path, text, strlen(text), NULL);
    json_object_put(index);
    return rc;
}

int fp_layout_find(const char *dir, const char *tag, char digest[FP_DIGEST_LEN + 1])
{
    json_object *index = NULL, *manifests, *dg;
    int rc = load_index(dir, &index);
    if (rc)
        return rc;
    rc = fp_error_set(FUNCP_ENOTFOUND, "%s: no image tagged \"%s\" in the OCI layout", dir, tag);
    json_object_object_get_ex(index, "manifests", &manifests);
    for (size_t i = 0; i < json_object_array_length(manifests); i++) {
        json_object *e = json_object_array_get_idx(manifests, i);
        const char *t = entry_tag(e);
        if (t && !strcmp(t, tag) && json_object_object_get_ex(e, "digest", &dg) &&
            json_object_is_type(dg, json_type_string) && json_object_get_string_len(dg) == FP_DIGEST_LEN) {
            strcpy(digest, json_object_get_string(dg));
            fp_error_clear();
            rc = FUNCP_OK;
            break;
        }
    }
    json_object_put(index);
    return rc;
}

int fp_layout_read_blob(const char *dir, const char *digest, char **data, size_t *len)
{
    char path[4200], got[FP_DIGEST_LEN + 1];
    int rc = fp_layout_blob_path(dir, digest, path, sizeof path);
    if (!rc)
        rc = read_small(path, data, len);
    if (!rc && (rc = fp_digest_buffer(*data, *len, got)) == FUNCP_OK && strcmp(got, digest) != 0) {
        free(*data);
        *data = NULL;
        rc = fp_error_set(FUNCP_EPARSE, "%s: content does not match its digest (got %s)", path, got);
    }
    return rc;
}
