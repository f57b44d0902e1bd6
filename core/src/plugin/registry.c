/* The registry of capabilities and the compatibility rules of knative func
 * PR #3560 (pkg/functions/registry.go, compatibility.go) in funcp terms:
 *  - a runtime may claim a name suffix ("-wasi"); every runtime whose name
 *    ends with a claimed suffix gets the claim's builder and deployer
 *    inferred, and builds the claim's artifact kind;
 *  - a builder lists the runtimes it builds: exact names, "*<suffix>", or
 *    "*" meaning every runtime whose suffix nobody claims (the PR's
 *    "not suffix -wasi" post-processor);
 *  - a deployer accepts artifact kinds; it supports a runtime when it
 *    accepts the kind that runtime builds. */
#include "plugin/registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugin/stride.h"
#include "util/error.h"

typedef struct entry {
    const void *cap;   /* funcp_runtime/builder/deployer/runner */
    char *owner;       /* plugin name */
} entry;

typedef struct entry_list {
    entry *items;
    size_t n, cap;
} entry_list;

typedef struct name_list {
    const char **items;
    size_t n;
} name_list;

struct fp_registry {
    entry_list runtimes, builders, deployers, runners;
    /* Caches rebuilt after every fp_registry_add. */
    name_list runtime_names, builder_names, deployer_names;
    const funcp_runner **runners_sorted;
};

#define RUNTIME(e) ((const funcp_runtime *)(e).cap)
#define BUILDER(e) ((const funcp_builder *)(e).cap)
#define DEPLOYER(e) ((const funcp_deployer *)(e).cap)
#define RUNNER(e) ((const funcp_runner *)(e).cap)

fp_registry *fp_registry_new(void)
{
    return calloc(1, sizeof(fp_registry));
}

static void entry_list_free(entry_list *list)
{
    for (size_t i = 0; i < list->n; i++)
        free(list->items[i].owner);
    free(list->items);
}

void fp_registry_free(fp_registry *reg)
{
    if (!reg)
        return;
    entry_list_free(&reg->runtimes);
    entry_list_free(&reg->builders);
    entry_list_free(&reg->deployers);
    entry_list_free(&reg->runners);
    free(reg->runtime_names.items);
    free(reg->builder_names.items);
    free(reg->deployer_names.items);
    free(reg->runners_sorted);
    free(reg);
}

static int entry_push(entry_list *list, const void *cap, const char *owner)
{
    if (list->n == list->cap) {
        size_t cap_new = list->cap ? list->cap * 2 : 8;
        entry *items = realloc(list->items, cap_new * sizeof *items);
        if (!items)
            return fp_error_set(FUNCP_ERROR, "out of memory");
        list->items = items;
        list->cap = cap_new;
    }
    char *copy = strdup(owner ? owner : "");
    if (!copy)
        return fp_error_set(FUNCP_ERROR, "out of memory");
    list->items[list->n].cap = cap;
    list->items[list->n].owner = copy;
    list->n++;
    return FUNCP_OK;
}

/* Index of the first entry whose capability is called `name`, or -1.
 * Every capability struct starts with struct_size then name. */
typedef struct named_head {
    size_t struct_size;
    const char *name;
} named_head;

static const char *cap_name(const void *cap)
{
    return ((const named_head *)cap)->name;
}

static const entry *entry_find(const entry_list *list, const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < list->n; i++)
        if (strcmp(cap_name(list->items[i].cap), name) == 0)
            return &list->items[i];
    return NULL;
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int names_rebuild(name_list *names, const entry_list *list)
{
    const char **items = malloc((list->n ? list->n : 1) * sizeof *items);
    if (!items)
        return fp_error_set(FUNCP_ERROR, "out of memory");
    for (size_t i = 0; i < list->n; i++)
        items[i] = cap_name(list->items[i].cap);
    qsort(items, list->n, sizeof *items, compare_strings);
    size_t n = 0;
    for (size_t i = 0; i < list->n; i++)
        if (n == 0 || strcmp(items[n - 1], items[i]) != 0)
            items[n++] = items[i];
    free(names->items);
    names->items = items;
    names->n = n;
    return FUNCP_OK;
}

static int runners_rebuild(fp_registry *reg)
{
    size_t n = reg->runners.n;
    const funcp_runner **sorted = malloc((n ? n : 1) * sizeof *sorted);
    if (!sorted)
        return fp_error_set(FUNCP_ERROR, "out of memory");
    /* Insertion sort: stable, so equal priorities keep load order. */
    for (size_t i = 0; i < n; i++) {
        const funcp_runner *r = RUNNER(reg->runners.items[i]);
        size_t j = i;
        while (j > 0 && sorted[j - 1]->priority < r->priority) {
            sorted[j] = sorted[j - 1];
            j--;
        }
        sorted[j] = r;
    }
    free(reg->runners_sorted);
    reg->runners_sorted = sorted;
    return FUNCP_OK;
}

/* Push every element of a plugin's array unless `unique` and a capability
 * of that name exists; every skipped one is named in the error. */
static int add_all(entry_list *list, const void *array, size_t count, int unique,
                   const char *kind, const char *plugin_name, int *skipped)
{
    for (size_t i = 0; i < count; i++) {
        const void *cap = fp_stride_at(array, i);
        const entry *existing = unique ? entry_find(list, cap_name(cap)) : NULL;
        if (existing) {
            char earlier[1024] = "";
            if (*skipped)
                snprintf(earlier, sizeof earlier, "%s; ", fp_error_message());
            else
                snprintf(earlier, sizeof earlier, "plugin \"%s\": ", plugin_name);
            fp_error_set(FUNCP_EEXISTS, "%s%s \"%s\" is already provided by plugin \"%s\"; skipped",
                         earlier, kind, cap_name(cap), existing->owner);
            *skipped = 1;
            continue;
        }
        int rc = entry_push(list, cap, plugin_name);
        if (rc < 0)
            return rc;
    }
    return FUNCP_OK;
}

int fp_registry_add(fp_registry *reg, const funcp_plugin *plugin, const char *plugin_name)
{
    int skipped = 0;
    int rc;
    if (!plugin_name)
        plugin_name = plugin->name;
    if ((rc = add_all(&reg->runtimes, plugin->runtimes, plugin->n_runtimes, 1, "runtime",
                      plugin_name, &skipped)) < 0 ||
        (rc = add_all(&reg->builders, plugin->builders, plugin->n_builders, 0, "builder",
                      plugin_name, &skipped)) < 0 ||
        (rc = add_all(&reg->deployers, plugin->deployers, plugin->n_deployers, 1, "deployer",
                      plugin_name, &skipped)) < 0 ||
        (rc = add_all(&reg->runners, plugin->runners, plugin->n_runners, 1, "runner",
                      plugin_name, &skipped)) < 0)
        return rc;
    if ((rc = names_rebuild(&reg->runtime_names, &reg->runtimes)) < 0 ||
        (rc = names_rebuild(&reg->builder_names, &reg->builders)) < 0 ||
        (rc = names_rebuild(&reg->deployer_names, &reg->deployers)) < 0 ||
        (rc = runners_rebuild(reg)) < 0)
        return rc;
    return skipped ? FUNCP_EEXISTS : FUNCP_OK;
}

/* ------------------------------------------------------------------ */
/* Lookups. */

const funcp_runtime *fp_registry_runtime(const fp_registry *reg, const char *name)
{
    const entry *e = entry_find(&reg->runtimes, name);
    return e ? RUNTIME(*e) : NULL;
}

const funcp_deployer *fp_registry_deployer(const fp_registry *reg, const char *name)
{
    const entry *e = entry_find(&reg->deployers, name);
    return e ? DEPLOYER(*e) : NULL;
}

const char *fp_registry_owner(const fp_registry *reg, const void *capability)
{
    const entry_list *lists[] = {&reg->runtimes, &reg->builders, &reg->deployers,
                                 &reg->runners};
    for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++)
        for (size_t i = 0; i < lists[l]->n; i++)
            if (lists[l]->items[i].cap == capability)
                return lists[l]->items[i].owner;
    return NULL;
}

size_t fp_registry_runtime_names(const fp_registry *reg, const char *const **names)
{
    *names = reg->runtime_names.items;
    return reg->runtime_names.n;
}

size_t fp_registry_builder_names(const fp_registry *reg, const char *const **names)
{
    *names = reg->builder_names.items;
    return reg->builder_names.n;
}

size_t fp_registry_deployer_names(const fp_registry *reg, const char *const **names)
{
    *names = reg->deployer_names.items;
    return reg->deployer_names.n;
}

size_t fp_registry_runners(const fp_registry *reg, const funcp_runner *const **runners)
{
    *runners = reg->runners_sorted;
    return reg->runners.n;
}

/* ------------------------------------------------------------------ */
/* Claims and inference. */

static int ends_with(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    return lx > 0 && ls > lx && strcmp(s + ls - lx, suffix) == 0;
}

/* The runtime descriptor whose claimed suffix `runtime` ends with: the
 * runtime's own descriptor when it claims one that fits, else the first
 * claim registered (so any "x-wasi" is covered). NULL: unclaimed. */
static const funcp_runtime *claim_of(const fp_registry *reg, const char *runtime)
{
    if (!runtime || !*runtime)
        return NULL;
    const funcp_runtime *own = fp_registry_runtime(reg, runtime);
    if (own && own->suffix && ends_with(runtime, own->suffix))
        return own;
    for (size_t i = 0; i < reg->runtimes.n; i++) {
        const funcp_runtime *rt = RUNTIME(reg->runtimes.items[i]);
        if (rt->suffix && ends_with(runtime, rt->suffix))
            return rt;
    }
    return NULL;
}

unsigned fp_registry_artifact_of(const fp_registry *reg, const char *runtime)
{
    const funcp_runtime *claim = claim_of(reg, runtime);
    if (claim)
        return claim->artifact ? claim->artifact : FUNCP_ARTIFACT_IMAGE;
    const funcp_runtime *own = runtime ? fp_registry_runtime(reg, runtime) : NULL;
    if (own && own->artifact)
        return own->artifact;
    return FUNCP_ARTIFACT_IMAGE;
}

static int builder_supports(const fp_registry *reg, const funcp_builder *b, const char *runtime)
{
    if (!b->runtimes || !runtime)
        return 0;
    for (const char *const *p = b->runtimes; *p; p++) {
        const char *pattern = *p;
        if (strcmp(pattern, "*") == 0) {
            if (!claim_of(reg, runtime))
                return 1;
        } else if (pattern[0] == '*') {
            if (ends_with(runtime, pattern + 1))
                return 1;
        } else if (strcmp(pattern, runtime) == 0) {
            return 1;
        }
    }
    return 0;
}

static int deployer_supports(const fp_registry *reg, const funcp_deployer *d,
                             const char *runtime)
{
    return (d->artifacts & fp_registry_artifact_of(reg, runtime)) != 0;
}

const funcp_builder *fp_registry_builder(const fp_registry *reg, const char *name,
                                         const char *runtime)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < reg->builders.n; i++) {
        const funcp_builder *b = BUILDER(reg->builders.items[i]);
        if (strcmp(b->name, name) == 0 && (!runtime || builder_supports(reg, b, runtime)))
            return b;
    }
    return NULL;
}

static int is_set(const char *s)
{
    return s && *s;
}

/* flag > func.yaml > what the runtime's plugin names (`inferred`). */
static fp_choice resolve_explicit(const char *flag, const char *funcyaml, const char *inferred)
{
    if (is_set(flag))
        return (fp_choice){flag, FP_ORIGIN_FLAG};
    if (is_set(funcyaml))
        return (fp_choice){funcyaml, FP_ORIGIN_FUNCYAML};
    if (is_set(inferred))
        return (fp_choice){inferred, FP_ORIGIN_INFERRED};
    return (fp_choice){NULL, FP_ORIGIN_NONE};
}

fp_choice fp_registry_resolve_builder(const fp_registry *reg, const char *runtime,
                                      const char *flag, const char *funcyaml)
{
    const funcp_runtime *claim = claim_of(reg, runtime);
    return resolve_explicit(flag, funcyaml, claim ? claim->default_builder : NULL);
}

fp_choice fp_registry_resolve_deployer(const fp_registry *reg, const char *runtime,
                                       const char *flag, const char *funcyaml)
{
    const funcp_runtime *claim = claim_of(reg, runtime);
    fp_choice choice = resolve_explicit(flag, funcyaml, claim ? claim->default_deployer : NULL);
    for (size_t i = 0; !choice.value && i < reg->deployers.n; i++) {
        const funcp_deployer *d = DEPLOYER(reg->deployers.items[i]);
        if (d->is_default)
            choice = (fp_choice){d->name, FP_ORIGIN_DEFAULT};
    }
    return choice;
}

/* ------------------------------------------------------------------ */
/* Checks and messages. */

/* "[a b c]", like Go's %v of a string slice. */
static char *bracket_list(const char *const *items, size_t n)
{
    size_t len = 3;
    for (size_t i = 0; i < n; i++)
        len += strlen(items[i]) + 1;
    char *out = malloc(len);
    if (!out)
        return NULL;
    char *p = out;
    *p++ = '[';
    for (size_t i = 0; i < n; i++) {
        if (i)
            *p++ = ' ';
        size_t l = strlen(items[i]);
        memcpy(p, items[i], l);
        p += l;
    }
    *p++ = ']';
    *p = '\0';
    return out;
}

char *fp_format_list(const char *const *items, size_t n)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(items[i]) + 2 /* quotes */ + 6 /* ", and " */;
    char *out = malloc(len);
    if (!out)
        return NULL;
    size_t off = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        const char *sep = "";
        if (i > 0 && i == n - 1)
            sep = n == 2 ? " and " : ", and ";
        else if (i > 0)
            sep = ", ";
        off += (size_t)snprintf(out + off, len - off, "%s\"%s\"", sep, items[i]);
    }
    return out;
}

static int unknown(const char *kind, const char *name, const name_list *names)
{
    char *list = bracket_list(names->items, names->n);
    int rc = fp_error_set(FUNCP_EUSAGE, "unknown %s \"%s\"; registered %ss: %s", kind, name,
                          kind, list ? list : "[]");
    free(list);
    return rc;
}

/* Set the incompatibility error and a hint naming the names in `all` for
 * which `ok` holds. */
static int incompatible(const fp_registry *reg, const char *kind, const char *name,
                        const char *runtime, const name_list *all,
                        int (*ok)(const fp_registry *, const char *, const char *))
{
    int rc = fp_error_set(FUNCP_EINCOMPATIBLE,
                          "%s \"%s\" does not support runtime \"%s\": incompatible "
                          "runtime/builder/deployer combination",
                          kind, name, runtime);
    const char **good = malloc((all->n ? all->n : 1) * sizeof *good);
    if (!good)
        return rc;
    size_t n = 0;
    for (size_t i = 0; i < all->n; i++)
        if (ok(reg, all->items[i], runtime))
            good[n++] = all->items[i];
    if (n == 0) {
        fp_error_hint("no installed %s supports runtime \"%s\"", kind, runtime);
    } else {
        char *list = fp_format_list(good, n);
        if (list)
            fp_error_hint("compatible %ss for runtime \"%s\": %s", kind, runtime, list);
        free(list);
    }
    free(good);
    return rc;
}

static int builder_name_ok(const fp_registry *reg, const char *name, const char *runtime)
{
    return fp_registry_builder(reg, name, runtime) != NULL;
}

static int deployer_name_ok(const fp_registry *reg, const char *name, const char *runtime)
{
    const funcp_deployer *d = fp_registry_deployer(reg, name);
    return d && deployer_supports(reg, d, runtime);
}

/* knative func's container builders and deployers, which func registers
 * with the rule "not suffix -wasi". funcp may have no plugin for them, but
 * naming one for a WASI runtime is still the incompatibility func reports
 * (same words, same exit status), not an unknown name. */
static const char *const func_container_builders[] = {"host", "pack", "s2i", NULL};
static const char *const func_container_deployers[] = {"keda", "knative", "raw", NULL};

static int func_container_name(const char *const *names, const char *name,
                               const fp_registry *reg, const char *runtime)
{
    if (!ends_with(runtime, "-wasi") && !claim_of(reg, runtime))
        return 0;
    for (; *names; names++)
        if (strcmp(*names, name) == 0)
            return 1;
    return 0;
}

/* The check both kinds share: a func container name is incompatible, any
 * other unregistered name unknown, a registered one must support the runtime. */
static int check_component(const fp_registry *reg, const char *kind, const char *name,
                           const char *runtime, const entry_list *registered,
                           const name_list *names, const char *const *container_names,
                           int (*ok)(const fp_registry *, const char *, const char *))
{
    /* As in the PR, validation only runs when both are known. */
    if (!is_set(runtime) || !is_set(name))
        return FUNCP_OK;
    if (!entry_find(registered, name)) {
        if (func_container_name(container_names, name, reg, runtime))
            return incompatible(reg, kind, name, runtime, names, ok);
        return unknown(kind, name, names);
    }
    if (ok(reg, name, runtime))
        return FUNCP_OK;
    return incompatible(reg, kind, name, runtime, names, ok);
}

int fp_registry_check_builder(const fp_registry *reg, const char *runtime,
                              const char *builder)
{
    return check_component(reg, "builder", builder, runtime, &reg->builders,
                           &reg->builder_names, func_container_builders, builder_name_ok);
}

int fp_registry_check_deployer(const fp_registry *reg, const char *runtime,
                               const char *deployer)
{
    return check_component(reg, "deployer", deployer, runtime, &reg->deployers,
                           &reg->deployer_names, func_container_deployers, deployer_name_ok);
}
