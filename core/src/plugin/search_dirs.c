#include "plugin/search_dirs.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/error.h"

typedef struct dir_list {
    char **dirs;
    size_t n, cap;
} dir_list;

/* The directory a path names, symlinks resolved when it exists. */
static char *canonical(const char *dir)
{
    char *real = realpath(dir, NULL);
    return real ? real : strdup(dir);
}

static int push_unique(dir_list *list, const char *dir, size_t len)
{
    char *raw = strndup(dir, len);
    if (!raw)
        return fp_error_set(FUNCP_ERROR, "out of memory");
    char *canon = canonical(raw);
    free(raw);
    if (!canon)
        return fp_error_set(FUNCP_ERROR, "out of memory");
    for (size_t i = 0; i < list->n; i++) {
        if (strcmp(list->dirs[i], canon) == 0) {
            free(canon);
            return FUNCP_OK;
        }
    }
    if (list->n == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 8;
        char **dirs = realloc(list->dirs, cap * sizeof *dirs);
        if (!dirs) {
            free(canon);
            return fp_error_set(FUNCP_ERROR, "out of memory");
        }
        list->dirs = dirs;
        list->cap = cap;
    }
    list->dirs[list->n++] = canon;
    return FUNCP_OK;
}

/* The running executable, resolved; NULL when /proc is unavailable. */
static char *self_exe(void)
{
    return realpath("/proc/self/exe", NULL);
}

int fp_running_from(const char *build_root)
{
    if (!build_root || !*build_root)
        return 0;
    char *exe = self_exe();
    char *root = realpath(build_root, NULL);
    int inside = 0;
    if (exe && root) {
        size_t len = strlen(root);
        inside = strncmp(exe, root, len) == 0 && exe[len] == '/';
    }
    free(exe);
    free(root);
    return inside;
}

static int push_relative_to_exe(dir_list *list, const char *relative)
{
    char *exe = self_exe();
    if (!exe)
        return FUNCP_OK;
    /* exe = <prefix>/bin/funcp: strip the file, then the bin directory. */
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = '\0';
    slash = strrchr(exe, '/');
    if (slash)
        *slash = '\0';
    size_t len = strlen(exe) + 1 + strlen(relative) + 1;
    char *dir = malloc(len);
    int rc = FUNCP_OK;
    if (!dir) {
        rc = fp_error_set(FUNCP_ERROR, "out of memory");
    } else {
        strcpy(dir, exe);
        strcat(dir, "/");
        strcat(dir, relative);
        rc = push_unique(list, dir, strlen(dir));
    }
    free(dir);
    free(exe);
    return rc;
}

int fp_search_dirs(const char *env_var, const char *build_root, const char *build_dir,
                   const char *relative, const char *installed, char ***dirs, size_t *n)
{
    dir_list list = {0};
    int rc = FUNCP_OK;
    const char *env = env_var ? getenv(env_var) : NULL;
    for (const char *p = env; p && *p && rc == FUNCP_OK;) {
        const char *colon = strchr(p, ':');
        size_t len = colon ? (size_t)(colon - p) : strlen(p);
        if (len > 0)
            rc = push_unique(&list, p, len);
        p = colon ? colon + 1 : NULL;
    }
    if (rc == FUNCP_OK && build_dir && fp_running_from(build_root))
        rc = push_unique(&list, build_dir, strlen(build_dir));
    if (rc == FUNCP_OK && relative)
        rc = push_relative_to_exe(&list, relative);
    if (rc == FUNCP_OK && installed)
        rc = push_unique(&list, installed, strlen(installed));
    if (rc < 0) {
        fp_search_dirs_free(list.dirs, list.n);
        return rc;
    }
    *dirs = list.dirs;
    *n = list.n;
    return FUNCP_OK;
}

void fp_search_dirs_free(char **dirs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(dirs[i]);
    free(dirs);
}
