/* The knative func func.yaml schema, as far as a value's type goes: what
 * knative func would refuse to load, we refuse too (and never write). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "function/funcyaml_internal.h"
#include "util/error.h"

enum { S_ANY, S_MAP, S_SEQ, S_SCALAR, S_BOOL, S_INT, S_NUMBER, S_NAME };

struct fy_schema {
    const char *key; /* "*": any key of the parent mapping */
    int type;
    const struct fy_schema *children; /* for S_MAP, ended by a NULL key */
    const struct fy_schema *item;     /* for S_SEQ */
};

#define END {NULL, S_ANY, NULL, NULL}
#define STR(k) {k, S_SCALAR, NULL, NULL}
#define MAP(k, c) {k, S_MAP, c, NULL}
#define SEQ(k, i) {k, S_SEQ, NULL, i}

static const struct fy_schema any_str[] = {STR("*"), END};
static const struct fy_schema str_item = STR(NULL);
static const struct fy_schema name_value[] = {STR("name"), STR("value"), END};
static const struct fy_schema name_value_item = MAP(NULL, name_value);
static const struct fy_schema key_value[] = {STR("key"), STR("value"), END};
static const struct fy_schema key_value_item = MAP(NULL, key_value);
static const struct fy_schema git[] = {STR("url"), STR("revision"), STR("contextDir"), END};
static const struct fy_schema host_volume[] = {STR("hostPath"), STR("path"), END};
static const struct fy_schema host_volume_item = MAP(NULL, host_volume);
static const struct fy_schema build[] = {
    STR("builder"), MAP("builderImages", any_str), SEQ("buildpacks", &str_item),
    SEQ("buildEnvs", &name_value_item), MAP("git", git), STR("pvcSize"),
    STR("remoteStorageClass"), STR("baseImage"), SEQ("volumes", &host_volume_item), END};
static const struct fy_schema pvc[] = {STR("claimName"), {"readOnly", S_BOOL, NULL, NULL}, END};
static const struct fy_schema empty_dir[] = {STR("medium"), STR("sizeLimit"), END};
static const struct fy_schema run_volume[] = {STR("secret"), STR("configMap"),
                                              MAP("persistentVolumeClaim", pvc),
                                              MAP("emptyDir", empty_dir), STR("path"), END};
static const struct fy_schema run_volume_item = MAP(NULL, run_volume);
static const struct fy_schema kafka[] = {STR("brokers"), STR("topic"), STR("consumerGroup"),
                                         END};
/* run.args is PR 3560's (WasmModule spec.args). */
static const struct fy_schema run[] = {SEQ("envs", &name_value_item),
                                       SEQ("volumes", &run_volume_item),
                                       SEQ("args", &str_item), STR("startTimeout"),
                                       MAP("kafka", kafka), END};
static const struct fy_schema scale[] = {
    {"min", S_INT, NULL, NULL}, {"max", S_INT, NULL, NULL}, STR("metric"),
    {"target", S_NUMBER, NULL, NULL}, {"utilization", S_NUMBER, NULL, NULL}, END};
static const struct fy_schema requests[] = {STR("cpu"), STR("memory"), END};
static const struct fy_schema limits[] = {STR("cpu"), STR("memory"),
                                          {"concurrency", S_INT, NULL, NULL}, END};
static const struct fy_schema resources[] = {MAP("requests", requests), MAP("limits", limits),
                                             END};
static const struct fy_schema options[] = {MAP("scale", scale), MAP("resources", resources),
                                           END};
static const struct fy_schema health[] = {STR("liveness"), STR("readiness"), END};
static const struct fy_schema subscription[] = {STR("source"), MAP("filters", any_str), END};
static const struct fy_schema subscription_item = MAP(NULL, subscription);
/* deploy.network is PR 3560's; the deployer checks the address lists. */
#define LIST(k) {k, S_ANY, NULL, NULL}
static const struct fy_schema tcp[] = {LIST("bind"), LIST("connect"), END};
static const struct fy_schema udp[] = {LIST("bind"), LIST("connect"), LIST("outgoing"), END};
static const struct fy_schema network[] = {{"inherit", S_BOOL, NULL, NULL},
                                           {"allowIpNameLookup", S_BOOL, NULL, NULL},
                                           MAP("tcp", tcp), MAP("udp", udp), END};
static const struct fy_schema deploy[] = {
    STR("namespace"), STR("image"), MAP("annotations", any_str),
    SEQ("labels", &key_value_item), MAP("options", options),
    MAP("healthEndpoints", health), STR("serviceAccountName"), STR("imagePullSecret"),
    STR("deployer"), SEQ("subscriptions", &subscription_item),
    {"managementDisabled", S_BOOL, NULL, NULL}, MAP("network", network), END};
static const struct fy_schema top[] = {
    STR("specVersion"), {"name", S_NAME, NULL, NULL}, STR("domain"), STR("runtime"),
    STR("registry"), {"registryInsecure", S_BOOL, NULL, NULL}, STR("image"),
    STR("namespace"), STR("deployer"), STR("created"), STR("invoke"), MAP("build", build),
    MAP("run", run),
    MAP("deploy", deploy), END};
static const struct fy_schema root = MAP(NULL, top);

const fy_schema *fy_schema_root(void) { return &root; }

const fy_schema *fy_schema_child(const fy_schema *schema, const char *key)
{
    if (!schema)
        return NULL;
    if (!key)
        return schema->type == S_SEQ ? schema->item : NULL;
    if (schema->type != S_MAP || !schema->children)
        return NULL;
    for (const fy_schema *c = schema->children; c->key; c++)
        if (!strcmp(c->key, "*") || !strcmp(c->key, key))
            return c;
    return NULL;
}

/* Edit distance of a and b, or max+1 once it is sure to exceed max. */
static size_t edit_distance(const char *a, const char *b, size_t max)
{
    size_t la = strlen(a), lb = strlen(b);
    if ((la > lb ? la - lb : lb - la) > max || lb >= 64)
        return max + 1;
    size_t row[64];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *fy_schema_nearest_key(const fy_schema *schema, const char *key, size_t max_dist)
{
    if (!schema || schema->type != S_MAP || !schema->children || !key)
        return NULL;
    const char *best = NULL;
    size_t best_dist = max_dist + 1;
    for (const fy_schema *c = schema->children; c->key; c++) {
        if (!strcmp(c->key, "*") || !strcmp(c->key, key))
            continue;
        size_t d = edit_distance(key, c->key, max_dist);
        /* "ab" is 2 edits from many keys: a guess needs more than the edits. */
        if (d < best_dist && d < strlen(c->key) - 1) {
            best = c->key;
            best_dist = d;
        }
    }
    return best;
}

const char *fy_schema_closest_key(const fy_schema *schema, const char *key)
{
    if (!schema || schema->type != S_MAP || !schema->children || !key)
        return NULL;
    const char *best = NULL;
    size_t best_dist = (size_t)-1;
    for (const fy_schema *c = schema->children; c->key; c++) {
        if (!strcmp(c->key, "*"))
            continue;
        size_t d = edit_distance(key, c->key, 64);
        if (d < best_dist) {
            best = c->key;
            best_dist = d;
        }
    }
    return best;
}

int fy_schema_has_keys(const fy_schema *schema)
{
    return schema && schema->type == S_MAP && schema->children &&
           strcmp(schema->children[0].key ? schema->children[0].key : "*", "*") != 0;
}

int fp_funcyaml_check_name(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    int ok = n > 0;
    for (size_t i = 0; ok && i < n; i++) {
        char c = name[i];
        int alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        ok = alnum || (c == '-' && i != 0 && i != n - 1);
    }
    if (ok)
        return FUNCP_OK;
    return fp_error_set(FUNCP_EUSAGE,
                        "invalid function name \"%s\": use lower case letters, digits and '-', "
                        "starting and ending with a letter or digit "
                        "(^[a-z0-9]([-a-z0-9]*[a-z0-9])?$)",
                        name ? name : "");
}

static int is_int(const char *s)
{
    if (*s == '-' || *s == '+')
        s++;
    if (!*s)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

static int is_number(const char *s)
{
    char *end;
    if (!*s || is_int(s))
        return *s != '\0';
    (void)strtod(s, &end);
    return *end == '\0' && strspn(s, "+-.0123456789eE") == strlen(s);
}

int fy_schema_wants_plain(const fy_schema *schema, const char *value)
{
    if (!schema)
        return 0;
    switch (schema->type) {
    case S_BOOL: return fy_bool_core(value) >= 0;
    case S_INT: return is_int(value);
    case S_NUMBER: return is_number(value);
    default: return 0;
    }
}

int fy_schema_kind_ok(const fy_schema *schema, fy_kind kind)
{
    if (!schema)
        return 1;
    switch (schema->type) {
    case S_MAP: return kind == FY_MAP;
    case S_SEQ: return kind == FY_SEQ;
    case S_ANY: return 1;
    default: return kind == FY_SCALAR;
    }
}

static const char *kind_name(const fy_node *node)
{
    if (node->kind == FY_MAP)
        return "a mapping";
    if (node->kind == FY_SEQ)
        return "a sequence";
    return node->style == YAML_PLAIN_SCALAR_STYLE ? "a scalar" : "a quoted string";
}

static const char *type_name(int type)
{
    switch (type) {
    case S_MAP: return "a mapping";
    case S_SEQ: return "a sequence";
    case S_BOOL: return "a bool (true or false)";
    case S_INT: return "an integer";
    case S_NUMBER: return "a number";
    default: return "a string";
    }
}

static int fail(const fy_node *node, const char *file, const char *what)
{
    if (file)
        return fp_error_set(FUNCP_EPARSE, "%s:%zu:%zu: %s", file, node->line, node->col, what);
    return fp_error_set(FUNCP_EUSAGE, "%s", what);
}

/* Display path of a child: keys with '.', '[' or '"' are bracket-quoted. */
char *fy_where_child(const char *where, const char *key, size_t index)
{
    size_t size = strlen(where) + (key ? strlen(key) * 2 : 0) + 32;
    char *out = malloc(size);
    if (!out)
        return NULL;
    if (!key)
        snprintf(out, size, "%s[%zu]", where, index);
    else if (strpbrk(key, ".[]\"\\") || !*key) {
        size_t n = (size_t)snprintf(out, size, "%s[\"", where);
        for (const char *k = key; *k; k++) {
            if (*k == '"' || *k == '\\')
                out[n++] = '\\';
            out[n++] = *k;
        }
        snprintf(out + n, size - n, "\"]");
    } else
        snprintf(out, size, "%s%s%s", where, *where ? "." : "", key);
    return out;
}

static int check_scalar(const fy_schema *schema, const fy_node *node, const char *where,
                        const char *file)
{
    if (fy_scalar_is_null(node))
        return FUNCP_OK;
    int plain = node->style == YAML_PLAIN_SCALAR_STYLE && !node->tag;
    switch (schema->type) {
    case S_BOOL:
        if (plain && fy_bool_any(node->value) >= 0)
            return FUNCP_OK;
        break;
    case S_INT:
        if (plain && is_int(node->value))
            return FUNCP_OK;
        break;
    case S_NUMBER:
        if (plain && is_number(node->value))
            return FUNCP_OK;
        break;
    case S_NAME:
        if (fp_funcyaml_check_name(node->value) == FUNCP_OK)
            return FUNCP_OK;
        if (file) {
            char what[1024];
            snprintf(what, sizeof what, "%s", fp_error_message());
            return fail(node, file, what);
        }
        return FUNCP_EUSAGE;
    default:
        return FUNCP_OK;
    }
    char what[1024];
    snprintf(what, sizeof what, "%s must be %s, found %s\"%.200s\"", where,
             type_name(schema->type), file && !plain ? "the quoted string " : "", node->value);
    return fail(node, file, what);
}

int fy_schema_check(const fy_schema *schema, const fy_node *node, const char *where,
                    const char *file)
{
    if (!schema || schema->type == S_ANY)
        return FUNCP_OK;
    if (!fy_schema_kind_ok(schema, node->kind)) {
        if (fy_scalar_is_null(node))
            return FUNCP_OK; /* knative func reads null as the zero value */
        char what[1024];
        if (!*where)
            snprintf(what, sizeof what, "top level must be %s, found %s",
                     type_name(schema->type), kind_name(node));
        else
            snprintf(what, sizeof what, "%s must be %s, found %s", where,
                     type_name(schema->type), kind_name(node));
        return fail(node, file, what);
    }
    if (node->kind == FY_SCALAR)
        return check_scalar(schema, node, where, file);
    for (size_t i = 0; i < node->n; i += node->kind == FY_MAP ? 2 : 1) {
        const char *key = node->kind == FY_MAP ? node->items[i]->value : NULL;
        const fy_node *child = node->kind == FY_MAP ? node->items[i + 1] : node->items[i];
        const fy_schema *sub = fy_schema_child(schema, key);
        if (!sub)
            continue;
        char *child_path = fy_where_child(where, key, i);
        if (!child_path)
            return fp_error_set(FUNCP_ERROR, "out of memory");
        int rc = fy_schema_check(sub, child, child_path, file);
        free(child_path);
        if (rc != FUNCP_OK)
            return rc;
    }
    return FUNCP_OK;
}

const char *fy_schema_type_name(const fy_schema *schema)
{
    return schema ? type_name(schema->type) : "anything";
}
