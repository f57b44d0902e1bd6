/* The build stamp: a hash over the relative path, size and mtime of every
 * source file, what func.yaml says about the build (the caller's `extra`)
 * and the builder's toolchain files, so `build`, `deploy --build auto` and
 * `run --build auto` skip a build that is up to date. FNV-1a rather than
 * SHA-256: this is change detection, not security, and it keeps libcrypto
 * out of the start-up path. */
#include <dirent.h>
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/build_stamp.h"
#include "cli/common.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/process.h"

static void fnv(uint64_t *h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        *h ^= p[i];
        *h *= 1099511628211ULL;
    }
}

/* Outputs and tool caches, not sources. */
static int skipped(const char *rel, const char *name, int is_dir)
{
    int top = strchr(rel, '/') == NULL;
    if (is_dir && (!strcmp(name, ".git") || !strcmp(name, "node_modules")))
        return 1;
    if (!top)
        return 0;
    if (is_dir)
        return !strcmp(name, ".funcp") || !strcmp(name, "target") || !strcmp(name, "gen");
    return !strcmp(name, "module.wasm") || !strcmp(name, FP_FUNCYAML_FILE);
}

static int hash_dir(uint64_t *h, const char *root, const char *rel, int depth)
{
    if (depth > 64)
        return fp_error_set(FUNCP_EIO, "%s: directories nested too deep", root);
    char *dir = *rel ? fp_path_join(root, rel) : strdup(root);
    if (!dir)
        return fp_error_set(FUNCP_ERROR, "out of memory");
    struct dirent **list;
    int n = scandir(dir, &list, NULL, alphasort);
    if (n < 0) {
        int rc = fp_error_set(FUNCP_EIO, "read directory %s", dir);
        free(dir);
        return rc;
    }
    int rc = FUNCP_OK;
    for (int i = 0; i < n; i++) {
        const char *name = list[i]->d_name;
        if (rc == FUNCP_OK && strcmp(name, ".") && strcmp(name, "..")) {
            char *child_rel = *rel ? fp_path_join(rel, name) : strdup(name);
            char *child = child_rel ? fp_path_join(root, child_rel) : NULL;
            struct stat st;
            if (!child) {
                rc = fp_error_set(FUNCP_ERROR, "out of memory");
            } else if (lstat(child, &st) == 0 && !skipped(child_rel, name, S_ISDIR(st.st_mode))) {
                fnv(h, child_rel, strlen(child_rel) + 1);
                if (S_ISDIR(st.st_mode)) {
                    rc = hash_dir(h, root, child_rel, depth + 1);
                } else {
                    int64_t facts[3] = {(int64_t)st.st_size, (int64_t)st.st_mtim.tv_sec,
                                        (int64_t)st.st_mtim.tv_nsec};
                    fnv(h, facts, sizeof facts);
                }
            }
            free(child);
            free(child_rel);
        }
        free(list[i]);
    }
    free(list);
    free(dir);
    return rc;
}

/* A toolchain program as its file: a new version is a new file (size,
 * mtime) or a new target of the PATH symlink (path). Nothing is run, so an
 * up-to-date check costs a few stat calls. */
static void hash_program(uint64_t *h, const char *program)
{
    fnv(h, program, strlen(program) + 1);
    char *found = fp_which(program);
    char *real = found ? realpath(found, NULL) : NULL;
    struct stat st;
    if (real && stat(real, &st) == 0) {
        fnv(h, real, strlen(real) + 1);
        int64_t facts[3] = {(int64_t)st.st_size, (int64_t)st.st_mtim.tv_sec,
                            (int64_t)st.st_mtim.tv_nsec};
        fnv(h, facts, sizeof facts);
    } else {
        fnv(h, "missing", sizeof "missing");
    }
    free(real);
    free(found);
}

int fp_build_stamp_builder_hash(const char *root, const char *extra,
                                const funcp_builder *builder, char hex[17])
{
    uint64_t h = 14695981039346656037ULL;
    if (extra)
        fnv(&h, extra, strlen(extra) + 1);
    if (builder && FUNCP_HAS_MEMBER(funcp_builder, builder->struct_size, toolchain) &&
        builder->toolchain) {
        for (size_t i = 0; builder->toolchain[i]; i++)
            hash_program(&h, builder->toolchain[i]);
    }
    int rc = hash_dir(&h, root, "", 0);
    if (rc != FUNCP_OK)
        return rc;
    snprintf(hex, 17, "%016llx", (unsigned long long)h);
    return FUNCP_OK;
}

int fp_build_stamp_hash(const char *root, const char *extra, char hex[17])
{
    return fp_build_stamp_builder_hash(root, extra, NULL, hex);
}

/* st_mtim as one comparable number. */
static long double mtime_of(const struct stat *st)
{
    return (long double)st->st_mtim.tv_sec + (long double)st->st_mtim.tv_nsec / 1e9L;
}

/* The digest of the manifest tagged "latest" in an index.json, or NULL. */
static const char *latest_digest(json_object *index)
{
    json_object *manifests, *annotations, *name, *digest;
    if (!json_object_object_get_ex(index, "manifests", &manifests) ||
        !json_object_is_type(manifests, json_type_array))
        return NULL;
    for (size_t i = 0; i < json_object_array_length(manifests); i++) {
        json_object *m = json_object_array_get_idx(manifests, i);
        if (json_object_object_get_ex(m, "annotations", &annotations) &&
            json_object_object_get_ex(annotations, "org.opencontainers.image.ref.name", &name) &&
            json_object_is_type(name, json_type_string) &&
            !strcmp(json_object_get_string(name), "latest") &&
            json_object_object_get_ex(m, "digest", &digest) &&
            json_object_is_type(digest, json_type_string))
            return json_object_get_string(digest);
    }
    return NULL;
}

int fp_build_stamp_layout_current(const char *root, const char *artifact,
                                  funcp_oci_result *result)
{
    char *dir = fp_path_join(root, ".funcp/oci");
    char *index_path = dir ? fp_path_join(dir, "index.json") : NULL;
    char *text = NULL;
    json_object *index = NULL;
    int current = 0;
    struct stat art, idx;
    if (index_path && stat(artifact, &art) == 0 && stat(index_path, &idx) == 0 &&
        mtime_of(&idx) >= mtime_of(&art) && fp_read_file(index_path, &text, NULL) == FUNCP_OK &&
        (index = json_tokener_parse(text)) != NULL) {
        const char *digest = latest_digest(index);
        char blob[160];
        if (digest && !strncmp(digest, "sha256:", 7) && strlen(digest) == 71 &&
            !strchr(digest + 7, '/')) {
            snprintf(blob, sizeof blob, "blobs/sha256/%s", digest + 7);
            char *blob_path = fp_path_join(dir, blob);
            current = blob_path && fp_exists(blob_path);
            free(blob_path);
        }
        if (current) {
            memset(result, 0, sizeof *result);
            result->struct_size = sizeof *result;
            snprintf(result->digest, sizeof result->digest, "%s", digest);
            snprintf(result->image, sizeof result->image, "oci:%s:latest", dir);
            result->size = (uint64_t)art.st_size;
        }
    }
    fp_error_clear();
    json_object_put(index);
    free(text);
    free(index_path);
    free(dir);
    return current;
}
