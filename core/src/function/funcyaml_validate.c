/* knative func's Function.Validate for the parts funcp reads: run.envs,
 * build.buildEnvs, run.volumes and deploy.labels, with func's texts
 * ("env entry #0 is missing value field, only name 'A' is set") after
 * "file:LINE:COL: <path>:". A field that is absent or null is what func
 * calls unset (a nil pointer). */
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "function/funcyaml_internal.h"
#include "function/funcyaml_k8s_names.h"
#include "util/buf.h"
#include "util/error.h"

/* func's patterns (pkg/functions/function.go), in POSIX ERE. */
#define W "[A-Za-z0-9_]"
#define SP "[[:space:]]*"
#define RES_NAME "(" W "|['-]" W ")+"
#define KEY "[-._a-zA-Z0-9]+"
#define RE_WHOLE_SECRET "^\\{\\{" SP "secret:" RES_NAME SP "\\}\\}$"
#define RE_KEY_SECRET "^\\{\\{" SP "secret:" RES_NAME ":" KEY SP "\\}\\}$"
#define RE_WHOLE_CONFIGMAP "^\\{\\{" SP "configMap:" RES_NAME SP "\\}\\}$"
#define RE_KEY_CONFIGMAP "^\\{\\{" SP "configMap:" RES_NAME ":" KEY SP "\\}\\}$"
#define RE_LOCAL_ENV "^\\{\\{" SP "env:(" W "+)" SP "\\}\\}$"

typedef struct {
    const char *file;
    fp_buf out;
    int count, oom;
} report;

static void add(report *r, const fy_node *at, const char *path, const char *fmt, ...)
    FUNCP_PRINTF(4, 5);

static void add(report *r, const fy_node *at, const char *path, const char *fmt, ...)
{
    char what[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    char line[4096];
    /* An entry set by a flag in this command has no place in the file. */
    int n = at->line ? snprintf(line, sizeof line, "%s%s:%zu:%zu: %s: %s", r->count ? "\n" : "",
                                r->file, at->line, at->col, path, what)
                     : snprintf(line, sizeof line, "%s%s: %s: %s", r->count ? "\n" : "", r->file,
                                path, what);
    if (fp_buf_append(&r->out, line, n < (int)sizeof line ? (size_t)n : sizeof line - 1, 0) != 0)
        r->oom = 1;
    r->count++;
}

/* Capture group 1 of pattern in s (into buf), or whether s matches. */
static int match(const char *pattern, const char *s, char *group, size_t size)
{
    regex_t re;
    if (regcomp(&re, pattern, REG_EXTENDED) != 0)
        return 0;
    regmatch_t m[2];
    int ok = regexec(&re, s, 2, m, 0) == 0;
    if (ok && group && m[1].rm_so >= 0)
        snprintf(group, size, "%.*s", (int)(m[1].rm_eo - m[1].rm_so), s + m[1].rm_so);
    regfree(&re);
    return ok;
}

/* The value at key of an entry, NULL when absent or null (func's nil). */
static const fy_node *field(const fy_node *entry, const char *key)
{
    long i = fy_map_find(entry, key);
    if (i < 0 || fy_scalar_is_null(entry->items[i + 1]))
        return NULL;
    return entry->items[i + 1];
}

static const char *text(const fy_node *n) { return n && n->kind == FY_SCALAR ? n->value : ""; }

static const fy_node *seq_at(const fy_node *root, const char *section, const char *key)
{
    long i = fy_map_find(root, section);
    const fy_node *s = i >= 0 ? root->items[i + 1] : NULL;
    const fy_node *v = s && s->kind == FY_MAP ? field(s, key) : NULL;
    return v && v->kind == FY_SEQ ? v : NULL;
}

static void check_envs(report *r, const fy_node *envs, const char *path, int build)
{
    for (size_t i = 0; envs && i < envs->n; i++) {
        const fy_node *e = envs->items[i];
        const fy_node *name = field(e, "name"), *value = field(e, "value");
        if (name) {
            for (size_t j = 0; j < i; j++) {
                const fy_node *other = field(envs->items[j], "name");
                if (other && !strcmp(text(other), text(name))) {
                    add(r, name, path,
                        "env entry #%zu has duplicate name \"%s\" (first defined at entry #%zu)",
                        i, text(name), j);
                    break;
                }
            }
        }
        char why[2048];
        const char *v = text(value);
        if (!name && !value) {
            add(r, e, path, "env entry #%zu is not properly set", i);
        } else if (!value) {
            add(r, e, path, "env entry #%zu is missing value field, only name '%s' is set", i,
                text(name));
        } else if (!name) {
            if (build)
                add(r, e, path, "env entry #%zu is missing name field, only value '%s' is set", i,
                    v);
            else if (!match(RE_WHOLE_SECRET, v, NULL, 0) && !match(RE_WHOLE_CONFIGMAP, v, NULL, 0))
                add(r, value, path,
                    "env entry #%zu has invalid value field set, it has '%s', but allowed is only "
                    "'{{ secret:secretName }}' or '{{ configMap:configMapName }}'",
                    i, v);
        } else {
            if (!fy_k8s_env_var_name(text(name), why, sizeof why))
                add(r, name, path, "env entry #%zu has invalid name set: \"%s\"; %s", i,
                    text(name), why);
            if (!strncmp(v, "{{", 2) && build && !match(RE_LOCAL_ENV, v, NULL, 0))
                add(r, value, path,
                    "env entry #%zu with name '%s' has invalid value field set, it has '%s', but "
                    "allowed is only '{{ env:MY_ENV }}'",
                    i, text(name), v);
            else if (!strncmp(v, "{{", 2) && !build && !match(RE_LOCAL_ENV, v, NULL, 0) &&
                     !match(RE_KEY_SECRET, v, NULL, 0) && !match(RE_KEY_CONFIGMAP, v, NULL, 0))
                add(r, value, path,
                    "env entry #%zu with name '%s' has invalid value field set, it has '%s', but "
                    "allowed is only '{{ env:MY_ENV }}', '{{ secret:secretName:key }}' or "
                    "'{{ configMap:configMapName:key }}'",
                    i, text(name), v);
        }
    }
}

static void check_labels(report *r, const fy_node *labels, const char *path)
{
    for (size_t i = 0; labels && i < labels->n; i++) {
        const fy_node *l = labels->items[i];
        const fy_node *key = field(l, "key"), *value = field(l, "value");
        char why[2048];
        if (!key && !value) {
            add(r, l, path, "label entry #%zu is not properly set", i);
            continue;
        }
        if (!key) {
            add(r, l, path, "label entry #%zu is missing key field, only value '%s' is set", i,
                text(value));
            continue;
        }
        if (!fy_k8s_label_key(text(key), why, sizeof why))
            add(r, key, path, "label entry #%zu has invalid key set: \"%s\"; %s", i, text(key),
                why);
        if (!value)
            continue;
        const char *v = text(value);
        if (strncmp(v, "{{", 2) != 0) {
            if (!fy_k8s_label_value(v, why, sizeof why))
                add(r, value, path, "label entry #%zu has invalid value set: \"%s\"; %s", i, v,
                    why);
            continue;
        }
        char var[256];
        if (!match(RE_LOCAL_ENV, v, var, sizeof var)) {
            add(r, value, path,
                "label entry #%zu with key '%s' has invalid value field set, it has '%s', but "
                "allowed is only '{{ env:MY_ENV }}'",
                i, text(key), v);
            continue;
        }
        const char *env = getenv(var);
        if (!fy_k8s_label_value(env ? env : "", why, sizeof why))
            add(r, value, path,
                "label entry #%zu with key '%s' has invalid value when the environment is "
                "evaluated: '%s': %s",
                i, text(key), env ? env : "", why);
    }
}

/* Go's path.Clean, for comparing mount paths: "/a//b/../c/" is "/a/c". */
static void clean_path(const char *in, char *out, size_t size)
{
    enum { MAX_PARTS = 128 };
    const char *part[MAX_PARTS];
    size_t len[MAX_PARTS], n = 0;
    int rooted = in[0] == '/';
    for (const char *p = in; *p;) {
        p += strspn(p, "/");
        size_t l = strcspn(p, "/");
        int dotdot = l == 2 && !strncmp(p, "..", 2);
        if (l == 0 || (l == 1 && *p == '.')) {
        } else if (dotdot && n > 0 && !(len[n - 1] == 2 && !strncmp(part[n - 1], "..", 2))) {
            n--;
        } else if (!(dotdot && rooted) && n < MAX_PARTS) {
            part[n] = p;
            len[n++] = l;
        }
        p += l;
    }
    size_t o = 0;
    if (rooted && o + 1 < size)
        out[o++] = '/';
    for (size_t i = 0; i < n; i++) {
        if (o + len[i] + 2 >= size)
            break;
        if (i)
            out[o++] = '/';
        memcpy(out + o, part[i], len[i]);
        o += len[i];
    }
    if (o == 0 && size > 1)
        out[o++] = '.';
    out[o] = '\0';
}

/* func's Volume.String(): `Secret "s" at path: "/p"`. */
static void describe_volume(const fy_node *v, char *out, size_t size)
{
    const fy_node *pvc = field(v, "persistentVolumeClaim"), *dir = field(v, "emptyDir");
    const fy_node *path = field(v, "path");
    size_t n;
    if (field(v, "configMap"))
        n = (size_t)snprintf(out, size, "ConfigMap \"%s\"", text(field(v, "configMap")));
    else if (field(v, "secret"))
        n = (size_t)snprintf(out, size, "Secret \"%s\"", text(field(v, "secret")));
    else if (pvc) {
        n = (size_t)snprintf(out, size, "PersistentVolumeClaim");
        if (field(pvc, "claimName") && n < size)
            n += (size_t)snprintf(out + n, size - n, " \"%s\"", text(field(pvc, "claimName")));
    } else if (dir) {
        n = (size_t)snprintf(out, size, "EmptyDir");
        if (!strcmp(text(field(dir, "medium")), "Memory") && n < size)
            n += (size_t)snprintf(out + n, size - n, " in memory");
        if (field(dir, "sizeLimit") && n < size)
            n += (size_t)snprintf(out + n, size - n, " with size limit \"%s\"",
                                  text(field(dir, "sizeLimit")));
    } else
        n = (size_t)snprintf(out, size, "No volume type");
    if (path && n < size)
        snprintf(out + n, size - n, " at path: \"%s\"", text(path));
}

static void check_volumes(report *r, const fy_node *volumes, const char *path)
{
    for (size_t i = 0; volumes && i < volumes->n; i++) {
        const fy_node *v = volumes->items[i];
        char desc[1024], clean[1024], other[1024];
        describe_volume(v, desc, sizeof desc);
        const fy_node *mount = field(v, "path");
        if (mount) {
            clean_path(text(mount), clean, sizeof clean);
            for (size_t j = 0; j < i; j++) {
                const fy_node *p = field(volumes->items[j], "path");
                if (!p)
                    continue;
                clean_path(text(p), other, sizeof other);
                if (!strcmp(clean, other)) {
                    add(r, mount, path,
                        "volume entry #%zu has duplicate path \"%s\" (first defined at entry "
                        "#%zu)",
                        i, text(mount), j);
                    break;
                }
            }
        }
        int types = (field(v, "secret") != NULL) + (field(v, "configMap") != NULL);
        const fy_node *pvc = field(v, "persistentVolumeClaim"), *dir = field(v, "emptyDir");
        if (pvc) {
            types++;
            if (!field(pvc, "claimName"))
                add(r, pvc, path, "volume entry #%zu (%s) is missing claim name", i, desc);
        }
        if (dir) {
            types++;
            const char *medium = text(field(dir, "medium"));
            if (*medium && strcmp(medium, "Memory") != 0)
                add(r, field(dir, "medium"), path,
                    "volume entry #%zu (%s) has invalid storage medium (%s)", i, desc, medium);
        }
        if (types == 0)
            add(r, v, path, "volume entry #%zu (%s) is missing a volume type", i, desc);
        else if (types > 1)
            add(r, v, path, "volume entry #%zu (%s) may not specify more than one volume type", i,
                desc);
        if (!mount)
            add(r, v, path, "volume entry #%zu (%s) is missing path field", i, desc);
    }
}

int fp_funcyaml_validate(const fp_funcyaml *doc, const char *file)
{
    if (!doc || !doc->root || doc->root->kind != FY_MAP)
        return FUNCP_OK;
    report r = {file ? file : FP_FUNCYAML_FILE, {0}, 0, 0};
    check_volumes(&r, seq_at(doc->root, "run", "volumes"), "run.volumes");
    check_envs(&r, seq_at(doc->root, "build", "buildEnvs"), "build.buildEnvs", 1);
    check_envs(&r, seq_at(doc->root, "run", "envs"), "run.envs", 0);
    check_labels(&r, seq_at(doc->root, "deploy", "labels"), "deploy.labels");
    int rc = FUNCP_OK;
    if (r.oom)
        rc = fp_error_set(FUNCP_ERROR, "out of memory");
    else if (r.count)
        rc = fp_error_set(FUNCP_EPARSE, "%s", r.out.data);
    free(r.out.data);
    return rc;
}
