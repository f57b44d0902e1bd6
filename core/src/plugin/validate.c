#include "plugin/validate.h"

#include <stdio.h>
#include <string.h>

#include "plugin/stride.h"

/* The v1 size of each struct: up to and including its last v1 member, so
 * that these stay right when later members are appended. */
#define V1_SIZE(type, last) (offsetof(type, last) + sizeof(((type *)0)->last))
#define PLUGIN_V1 V1_SIZE(funcp_plugin, fini)
#define RUNTIME_V1 V1_SIZE(funcp_runtime, create)
#define TEMPLATE_V1 V1_SIZE(funcp_template, description)
#define BUILDER_V1 V1_SIZE(funcp_builder, artifact_path)
#define DEPLOYER_V1 V1_SIZE(funcp_deployer, remove)
#define RUNNER_V1 V1_SIZE(funcp_runner, priority)

int fp_valid_name(const char *name)
{
    if (!name || !*name)
        return 0;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
            return 0;
    return 1;
}

static const char *shown(const char *s)
{
    return s ? s : "(null)";
}

/* Checks an array of capability structs: present when counted, every
 * element at least v1-sized, all of one size (the stride), each named
 * validly. Returns 0 or writes `why`. */
static int check_array(const void *array, size_t count, size_t v1_size, const char *kind,
                       char *why, size_t why_len)
{
    if (count == 0)
        return 0;
    if (!array) {
        snprintf(why, why_len, "invalid descriptor: %zu %ss declared but the array is NULL",
                 count, kind);
        return -1;
    }
    size_t stride = *(const size_t *)array;
    for (size_t i = 0; i < count; i++) {
        const void *item = (const char *)array + i * (stride >= v1_size ? stride : v1_size);
        size_t size = *(const size_t *)item;
        if (size < v1_size) {
            snprintf(why, why_len,
                     "invalid descriptor: %s #%zu: struct_size %zu is smaller than the ABI 1 size %zu",
                     kind, i, size, v1_size);
            return -1;
        }
        if (size != stride) {
            snprintf(why, why_len,
                     "invalid descriptor: %s #%zu: struct_size %zu differs from the first %s's %zu",
                     kind, i, size, kind, stride);
            return -1;
        }
        /* Every capability struct has `name` right after struct_size. */
        const char *name = *(const char *const *)((const char *)item + sizeof(size_t));
        if (!fp_valid_name(name)) {
            snprintf(why, why_len, "invalid descriptor: %s #%zu: name \"%s\" must match [a-z0-9-]+",
                     kind, i, shown(name));
            return -1;
        }
    }
    return 0;
}

static int check_runtime(const funcp_runtime *rt, char *why, size_t why_len)
{
    if (rt->suffix && (rt->suffix[0] != '-' || !fp_valid_name(rt->suffix + 1))) {
        snprintf(why, why_len,
                 "invalid descriptor: runtime \"%s\": suffix \"%s\" must be '-' followed by [a-z0-9-]+",
                 rt->name, rt->suffix);
        return -1;
    }
    const char *defaults[] = {rt->default_builder, rt->default_deployer};
    for (size_t i = 0; i < 2; i++) {
        if (defaults[i] && !fp_valid_name(defaults[i])) {
            snprintf(why, why_len, "invalid descriptor: runtime \"%s\": default %s \"%s\" is not a valid name",
                     rt->name, i == 0 ? "builder" : "deployer", defaults[i]);
            return -1;
        }
    }
    if (check_array(rt->templates, rt->n_templates, TEMPLATE_V1, "template", why, why_len) < 0) {
        size_t used = strlen(why);
        snprintf(why + used, why_len - used, " (runtime \"%s\")", rt->name);
        return -1;
    }
    return 0;
}

static int check_builder(const funcp_builder *b, char *why, size_t why_len)
{
    if (!b->runtimes) {
        snprintf(why, why_len, "invalid descriptor: builder \"%s\": runtimes list is NULL", b->name);
        return -1;
    }
    for (const char *const *p = b->runtimes; *p; p++) {
        if (!**p) {
            snprintf(why, why_len, "invalid descriptor: builder \"%s\": empty runtime pattern",
                     b->name);
            return -1;
        }
    }
    return 0;
}

fp_refusal fp_plugin_validate(const funcp_plugin *p, char *why, size_t why_len)
{
    if (p->struct_size < V1_SIZE(funcp_plugin, abi_major)) {
        snprintf(why, why_len, "incompatible ABI: descriptor struct_size %zu is too small to be read",
                 p->struct_size);
        return FP_REFUSED_ABI;
    }
    if (p->abi_major != FUNCP_PLUGIN_ABI_MAJOR) {
        snprintf(why, why_len, "incompatible ABI: plugin built for ABI %u, funcp speaks ABI %d",
                 p->abi_major, FUNCP_PLUGIN_ABI_MAJOR);
        return FP_REFUSED_ABI;
    }
    if (p->struct_size < PLUGIN_V1) {
        snprintf(why, why_len,
                 "incompatible ABI: descriptor struct_size %zu is smaller than the ABI %d size %zu",
                 p->struct_size, FUNCP_PLUGIN_ABI_MAJOR, (size_t)PLUGIN_V1);
        return FP_REFUSED_ABI;
    }
    if (!fp_valid_name(p->name)) {
        snprintf(why, why_len, "invalid descriptor: plugin name \"%s\" must match [a-z0-9-]+",
                 shown(p->name));
        return FP_REFUSED_INVALID;
    }
    if (!p->version || !*p->version) {
        snprintf(why, why_len, "invalid descriptor: plugin \"%s\" has an empty version", p->name);
        return FP_REFUSED_INVALID;
    }
    if (check_array(p->runtimes, p->n_runtimes, RUNTIME_V1, "runtime", why, why_len) < 0 ||
        check_array(p->builders, p->n_builders, BUILDER_V1, "builder", why, why_len) < 0 ||
        check_array(p->deployers, p->n_deployers, DEPLOYER_V1, "deployer", why, why_len) < 0 ||
        check_array(p->runners, p->n_runners, RUNNER_V1, "runner", why, why_len) < 0)
        return FP_REFUSED_INVALID;
    for (size_t i = 0; i < p->n_runtimes; i++)
        if (check_runtime(fp_stride_at(p->runtimes, i), why, why_len) < 0)
            return FP_REFUSED_INVALID;
    for (size_t i = 0; i < p->n_builders; i++)
        if (check_builder(fp_stride_at(p->builders, i), why, why_len) < 0)
            return FP_REFUSED_INVALID;
    for (size_t i = 0; i < p->n_deployers; i++) {
        const funcp_deployer *d = fp_stride_at(p->deployers, i);
        if (d->artifacts == 0) {
            snprintf(why, why_len, "invalid descriptor: deployer \"%s\" accepts no artifact kind",
                     d->name);
            return FP_REFUSED_INVALID;
        }
    }
    return 0;
}
