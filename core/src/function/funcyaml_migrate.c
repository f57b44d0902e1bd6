/* knative func's func.yaml migrations, applied in order to a tree read
 * from an older specVersion (or none): each one that is newer than the
 * file's specVersion runs, then specVersion is the last one's. They work
 * on the node tree, so moved keys keep their comments and source
 * positions and every key no migration touches stays where it was. The
 * document is not marked changed: a migrated file is written only when a
 * command writes func.yaml anyway, as func does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <yaml.h>

#include "function/funcyaml_internal.h"
#include "util/error.h"

typedef struct {
    fp_funcyaml *doc;
    const char *file;
    const char *name; /* func's name for the running migration */
} migration_ctx;

/* -- versions ----------------------------------------------------------- */

static int parse_semver(const char *s, unsigned long v[3], int *pre)
{
    for (int i = 0; i < 3; i++) {
        if (*s < '0' || *s > '9')
            return 0;
        char *end;
        v[i] = strtoul(s, &end, 10);
        s = end;
        if (i < 2 && *s++ != '.')
            return 0;
    }
    *pre = *s == '-';
    return *s == '\0' || *s == '-' || *s == '+';
}

int fy_semver_cmp(const char *a, const char *b, int *ok)
{
    unsigned long va[3], vb[3];
    int pa, pb;
    *ok = parse_semver(a, va, &pa) && parse_semver(b, vb, &pb);
    if (!*ok)
        return 0;
    for (int i = 0; i < 3; i++)
        if (va[i] != vb[i])
            return va[i] < vb[i] ? -1 : 1;
    return pb - pa; /* 1.0.0-rc < 1.0.0 */
}

/* -- tree helpers ------------------------------------------------------- */

static int fail_at(const migration_ctx *m, const fy_node *node, const char *fmt, const char *a,
                   const char *b)
{
    char what[512];
    snprintf(what, sizeof what, fmt, a, b);
    return fp_error_set(FUNCP_EPARSE, "%s:%zu:%zu: migration '%s' error: %s", m->file, node->line,
                        node->col, m->name, what);
}

static const char *kind_name(const fy_node *node)
{
    return node->kind == FY_MAP ? "a mapping" : node->kind == FY_SEQ ? "a sequence" : "a scalar";
}

static fy_node *value_of(const fy_node *map, const char *key)
{
    long i = fy_map_find(map, key);
    return i >= 0 ? map->items[i + 1] : NULL;
}

/* Null, "", [] and {}: what func's omitempty drops and its appends ignore. */
static int is_empty(const fy_node *node)
{
    if (!node || fy_scalar_is_null(node))
        return 1;
    return node->kind == FY_SCALAR ? node->len == 0 : node->n == 0;
}

static const char *text_of(const fy_node *node)
{
    return node && node->kind == FY_SCALAR && !fy_scalar_is_null(node) ? node->value : "";
}

static int oom(void) { return fp_error_set(FUNCP_ERROR, "out of memory"); }

static void drop(fy_node *map, const char *key)
{
    long i = fy_map_find(map, key);
    if (i >= 0)
        fy_node_remove_slots(map, (size_t)i, 2);
}

/* Set map[key] to a plain string scalar, replacing a value or appending. */
static int put_string(fy_node *map, const char *key, const char *value)
{
    fy_node *v = fy_string_scalar(value);
    if (!v)
        return oom();
    long i = fy_map_find(map, key);
    if (i >= 0) {
        fy_node_free(map->items[i + 1]);
        map->items[i + 1] = v;
        return FUNCP_OK;
    }
    fy_node *k = fy_string_scalar(key);
    if (!k || fy_map_insert(map, map->n, k, v) != FUNCP_OK) {
        fy_node_free(k);
        fy_node_free(v);
        return oom();
    }
    return FUNCP_OK;
}

/* The mapping root[key], made at the end of the root when absent (or
 * null); NULL with an error when it is something else. */
static fy_node *section(const migration_ctx *m, const char *key, const fy_node *moved)
{
    fy_node *root = m->doc->root;
    long i = fy_map_find(root, key);
    if (i >= 0 && !fy_scalar_is_null(root->items[i + 1])) {
        fy_node *s = root->items[i + 1];
        if (s->kind == FY_MAP)
            return s;
        fail_at(m, s, "%s must be a mapping to take %s", key, moved->value);
        return NULL;
    }
    fy_node *s = fy_node_new(FY_MAP);
    if (!s) {
        oom();
        return NULL;
    }
    if (i >= 0) {
        fy_node_free(root->items[i + 1]);
        root->items[i + 1] = s;
        return s;
    }
    fy_node *k = fy_string_scalar(key);
    if (!k || fy_map_insert(root, root->n, k, s) != FUNCP_OK) {
        fy_node_free(k);
        fy_node_free(s);
        oom();
        return NULL;
    }
    return s;
}

/* The old layout's build type (`build: local`), a string where build is
 * now a mapping; func's Function no longer has it. */
static void drop_old_build_type(fy_node *root)
{
    fy_node *build = value_of(root, "build");
    if (build && build->kind == FY_SCALAR)
        drop(root, "build");
}

/* -- the migrations, in func's order --------------------------------------- */

/* 0.19.0 migrateToCreationStamp: a function from before versioning (it
 * has a name and a runtime but no created stamp) gets one. */
static int creation_stamp(migration_ctx *m)
{
    fy_node *root = m->doc->root;
    if (!is_empty(value_of(root, "created")) || !*text_of(value_of(root, "name")) ||
        !*text_of(value_of(root, "runtime")))
        return FUNCP_OK;
    char created[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return put_string(root, "created", created);
}

/* The default pack builder image when builderImages was introduced. */
#define OLD_DEFAULT_PACK_BUILDER "gcr.io/paketo-buildpacks/builder:base"

/* 0.23.0 migrateToBuilderImages: the top-level `builder` named an image
 * (and `builders` some named ones); a custom image becomes
 * build.builderImages.pack. func also copies that image into
 * build.builder at 0.34.0, which then names no builder; here a value that
 * reads as an image (holds '/', ':' or '.') is used up by this migration,
 * and a builder name (pack, s2i) is left for 0.34.0 to move. */
static int builder_images(migration_ctx *m)
{
    fy_node *root = m->doc->root;
    drop_old_build_type(root);
    drop(root, "builders");
    fy_node *b = value_of(root, "builder");
    if (!b || fy_scalar_is_null(b))
        return FUNCP_OK;
    if (b->kind != FY_SCALAR)
        return fail_at(m, b, "builder must be a string (a builder image), found %s", kind_name(b),
                       "");
    if (!strpbrk(b->value, "/:."))
        return FUNCP_OK;
    if (strcmp(b->value, OLD_DEFAULT_PACK_BUILDER) != 0) {
        fy_node *build = section(m, "build", root->items[fy_map_find(root, "builder")]);
        if (!build)
            return FUNCP_EPARSE;
        fy_node *images = value_of(build, "builderImages");
        if (images && !fy_scalar_is_null(images) && images->kind != FY_MAP)
            return fail_at(m, images, "build.builderImages must be a mapping, found %s",
                           kind_name(images), "");
        if (!images || fy_scalar_is_null(images)) {
            drop(build, "builderImages");
            if (!(images = fy_node_new(FY_MAP)))
                return oom();
            fy_node *k = fy_string_scalar("builderImages");
            if (!k || fy_map_insert(build, build->n, k, images) != FUNCP_OK) {
                fy_node_free(k);
                fy_node_free(images);
                return oom();
            }
        }
        int rc = put_string(images, "pack", b->value);
        if (rc != FUNCP_OK)
            return rc;
    }
    drop(root, "builder");
    return FUNCP_OK;
}

/* 0.25.0 migrateToSpecVersion: `version` gave way to specVersion. */
static int spec_version(migration_ctx *m)
{
    drop(m->doc->root, "version");
    return FUNCP_OK;
}

enum { MOVE_APPEND, MOVE_MERGE, MOVE_MERGE_SET, MOVE_SCALAR, MOVE_COPY_SCALAR };

/* 0.34.0 migrateToSpecsStructure: the top-level keys below moved under
 * build, run and deploy. */
static const struct {
    const char *key, *section;
    int how;
} MOVES[] = {
    {"git", "build", MOVE_MERGE_SET},         {"builderImages", "build", MOVE_MERGE},
    {"buildpacks", "build", MOVE_APPEND},     {"builder", "build", MOVE_SCALAR},
    {"buildEnvs", "build", MOVE_APPEND},      {"volumes", "run", MOVE_APPEND},
    {"envs", "run", MOVE_APPEND},             {"annotations", "deploy", MOVE_MERGE},
    {"options", "deploy", MOVE_MERGE},        {"labels", "deploy", MOVE_APPEND},
    {"healthEndpoints", "deploy", MOVE_MERGE_SET}, {"namespace", "deploy", MOVE_COPY_SCALAR},
};

/* Put moved entries of `from` (a mapping or sequence, emptied) into `to`. */
static int merge_into(fy_node *to, fy_node *from)
{
    while (from->n > 0) {
        if (from->kind == FY_SEQ) {
            if (fy_node_push(to, from->items[0]) != FUNCP_OK)
                return oom();
            memmove(from->items, from->items + 1, --from->n * sizeof *from->items);
            continue;
        }
        fy_node *k, *v;
        fy_map_detach(from, 0, &k, &v);
        long at = fy_map_find(to, k->value);
        if (at >= 0) {
            fy_node_free(to->items[at + 1]);
            to->items[at + 1] = v;
            fy_node_free(k);
        } else if (fy_map_insert(to, to->n, k, v) != FUNCP_OK) {
            fy_node_free(k);
            fy_node_free(v);
            return oom();
        }
    }
    return FUNCP_OK;
}

static int move_key(migration_ctx *m, const char *key, const char *sect, int how)
{
    fy_node *root = m->doc->root;
    long i = fy_map_find(root, key);
    if (i < 0)
        return FUNCP_OK;
    fy_node *k = root->items[i], *v = root->items[i + 1];
    int want_seq = how == MOVE_APPEND;
    int want_scalar = how == MOVE_SCALAR || how == MOVE_COPY_SCALAR;
    if (!fy_scalar_is_null(v) && (want_scalar ? v->kind != FY_SCALAR
                                  : v->kind != (want_seq ? FY_SEQ : FY_MAP))) {
        char where[128];
        snprintf(where, sizeof where, "%s (moved to %s.%s)", key, sect, key);
        return fail_at(m, v, "%s must be %s", where,
                       want_scalar ? "a string" : want_seq ? "a sequence" : "a mapping");
    }
    if (how == MOVE_MERGE_SET) /* func copies the fields that are set */
        for (size_t j = v->n; j >= 2; j -= 2)
            if (is_empty(v->items[j - 1]))
                fy_node_remove_slots(v, j - 2, 2);
    if (is_empty(v)) {
        if (how != MOVE_COPY_SCALAR)
            fy_node_remove_slots(root, (size_t)i, 2);
        return FUNCP_OK;
    }
    fy_node *to = section(m, sect, k);
    if (!to)
        return FUNCP_EPARSE;
    if (how == MOVE_COPY_SCALAR) /* func keeps the top-level namespace too */
        return put_string(to, key, v->value);
    i = fy_map_find(root, key); /* section() may have grown the root */
    long there = fy_map_find(to, key);
    fy_node *existing = there >= 0 ? to->items[there + 1] : NULL;
    if (!existing || fy_scalar_is_null(existing) || how == MOVE_SCALAR) {
        /* The whole pair moves, with its comments. */
        fy_map_detach(root, (size_t)i, &k, &v);
        if (existing)
            fy_node_remove_slots(to, (size_t)there, 2);
        if (fy_map_insert(to, to->n, k, v) != FUNCP_OK) {
            fy_node_free(k);
            fy_node_free(v);
            return oom();
        }
        return FUNCP_OK;
    }
    if (existing->kind != v->kind)
        return fail_at(m, existing, "%s.%s must be a mapping or sequence like the old key", sect,
                       key);
    int rc = merge_into(existing, v);
    if (rc == FUNCP_OK)
        fy_node_remove_slots(root, (size_t)fy_map_find(root, key), 2);
    return rc;
}

static int specs_structure(migration_ctx *m)
{
    fy_node *root = m->doc->root;
    /* Keys of the old layout func's Function no longer has. */
    drop_old_build_type(root);
    drop(root, "imageDigest");
    for (size_t i = 0; i < sizeof MOVES / sizeof *MOVES; i++) {
        int rc = move_key(m, MOVES[i].key, MOVES[i].section, MOVES[i].how);
        if (rc != FUNCP_OK)
            return rc;
    }
    return FUNCP_OK;
}

/* 0.35.0 migrateFromInvokeStructure: invocation.format became invoke,
 * written only when it is not the default http. */
static int invoke_structure(migration_ctx *m)
{
    fy_node *root = m->doc->root;
    long i = fy_map_find(root, "invocation");
    if (i < 0)
        return FUNCP_OK;
    fy_node *inv = root->items[i + 1];
    if (!fy_scalar_is_null(inv) && inv->kind != FY_MAP)
        return fail_at(m, inv, "invocation must be a mapping, found %s", kind_name(inv), "");
    fy_node *format = inv->kind == FY_MAP ? value_of(inv, "format") : NULL;
    if (format && format->kind != FY_SCALAR)
        return fail_at(m, format, "invocation.format must be a string, found %s",
                       kind_name(format), "");
    const char *f = text_of(format);
    if (!*f || !strcmp(f, "http")) {
        fy_node_remove_slots(root, (size_t)i, 2);
        return FUNCP_OK;
    }
    /* invoke takes invocation's place (and its comments). */
    fy_node *value = fy_string_scalar(f);
    char *name = strdup("invoke");
    if (!value || !name) {
        fy_node_free(value);
        free(name);
        return oom();
    }
    drop(root, "invoke");
    i = fy_map_find(root, "invocation");
    fy_node *key = root->items[i];
    free(key->value);
    key->value = name;
    key->len = strlen(name);
    key->style = YAML_PLAIN_SCALAR_STYLE;
    fy_node_free(root->items[i + 1]);
    root->items[i + 1] = value;
    return FUNCP_OK;
}

/* 0.36.0 migratePersistentVolumeTypoFixup: run.volumes[].presistentVolumeClaim
 * (sic) is persistentVolumeClaim. */
static int pvc_typo(migration_ctx *m)
{
    fy_node *run = value_of(m->doc->root, "run");
    fy_node *volumes = run && run->kind == FY_MAP ? value_of(run, "volumes") : NULL;
    if (!volumes || volumes->kind != FY_SEQ)
        return FUNCP_OK;
    for (size_t i = 0; i < volumes->n; i++) {
        fy_node *vol = volumes->items[i];
        long t = fy_map_find(vol, "presistentVolumeClaim");
        if (t < 0)
            continue;
        long good = fy_map_find(vol, "persistentVolumeClaim");
        if (good >= 0) {
            fy_node *k, *v;
            fy_map_detach(vol, (size_t)t, &k, &v);
            fy_node_free(k);
            good = fy_map_find(vol, "persistentVolumeClaim");
            fy_node_free(vol->items[good + 1]);
            vol->items[good + 1] = v;
            continue;
        }
        char *name = strdup("persistentVolumeClaim");
        if (!name)
            return oom();
        fy_node *key = vol->items[t];
        free(key->value);
        key->value = name;
        key->len = strlen(name);
    }
    return FUNCP_OK;
}

static const struct {
    const char *version, *name;
    int (*run)(migration_ctx *);
} MIGRATIONS[] = {
    {"0.19.0", "migrateToCreationStamp", creation_stamp},
    {"0.23.0", "migrateToBuilderImages", builder_images},
    {"0.25.0", "migrateToSpecVersion", spec_version},
    {"0.34.0", "migrateToSpecsStructure", specs_structure},
    {"0.35.0", "migrateFromInvokeStructure", invoke_structure},
    {"0.36.0", "migratePersistentVolumeTypoFixup", pvc_typo},
};
enum { N_MIGRATIONS = sizeof MIGRATIONS / sizeof *MIGRATIONS };

/* specVersion becomes the last migration's, in place (first when new). */
static int stamp(fp_funcyaml *doc, const char *version)
{
    long i = fy_map_find(doc->root, "specVersion");
    if (i >= 0) {
        fy_node *old = doc->root->items[i + 1];
        fy_node *v = fy_scalar_new(version, strlen(version),
                                   old->kind == FY_SCALAR && !fy_scalar_is_null(old)
                                       ? old->style
                                       : YAML_PLAIN_SCALAR_STYLE);
        if (!v)
            return oom();
        fy_node_free(old);
        doc->root->items[i + 1] = v;
        return FUNCP_OK;
    }
    fy_node *k = fy_string_scalar("specVersion");
    fy_node *v = fy_string_scalar(version);
    if (!k || !v || fy_map_insert(doc->root, 0, k, v) != FUNCP_OK) {
        fy_node_free(k);
        fy_node_free(v);
        return oom();
    }
    return FUNCP_OK;
}

int fy_migrate(fp_funcyaml *doc, const char *file)
{
    if (!doc->root || doc->root->kind != FY_MAP)
        return FUNCP_OK; /* the schema check says what is wrong */
    const fy_node *sv = value_of(doc->root, "specVersion");
    const char *from = "";
    if (sv && !fy_scalar_is_null(sv)) {
        int ok = sv->kind == FY_SCALAR;
        if (ok)
            fy_semver_cmp(sv->value, FP_FUNCYAML_SPEC_VERSION, &ok);
        if (!ok)
            return fp_error_set(FUNCP_EPARSE,
                                "%s:%zu:%zu: specVersion must be a version like \"%s\", found "
                                "%s%s%s",
                                file, sv->line, sv->col, FP_FUNCYAML_SPEC_VERSION,
                                sv->kind == FY_SCALAR ? "\"" : kind_name(sv),
                                sv->kind == FY_SCALAR ? sv->value : "",
                                sv->kind == FY_SCALAR ? "\"" : "");
        from = sv->value;
    }
    const char *last = MIGRATIONS[N_MIGRATIONS - 1].version;
    int ok;
    if (*from && fy_semver_cmp(from, last, &ok) >= 0)
        return FUNCP_OK; /* current, or newer than we know: as it is */
    char *was = strdup(from);
    if (!was)
        return oom();
    migration_ctx m = {doc, file, NULL};
    for (size_t i = 0; i < N_MIGRATIONS; i++) {
        if (*was && fy_semver_cmp(was, MIGRATIONS[i].version, &ok) >= 0)
            continue;
        m.name = MIGRATIONS[i].name;
        int rc = MIGRATIONS[i].run(&m);
        if (rc != FUNCP_OK) {
            free(was);
            return rc;
        }
    }
    int rc = stamp(doc, last);
    if (rc != FUNCP_OK) {
        free(was);
        return rc;
    }
    free(doc->migrated_from);
    doc->migrated_from = was;
    return FUNCP_OK;
}

const char *fp_funcyaml_migrated_from(const fp_funcyaml *doc)
{
    return doc ? doc->migrated_from : NULL;
}
