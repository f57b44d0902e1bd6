#include "cli/instances.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/common.h"
#include "util/error.h"
#include "util/output.h"

#define INSTANCE_FIELD(in, m) \
    (FUNCP_HAS_MEMBER(funcp_instance, (in)->struct_size, m) ? (in)->m : NULL)

static json_object *str_or_null(const char *s)
{
    return s ? json_object_new_string(s) : NULL;
}

void fp_instances_collect(void *user, const funcp_instance *in)
{
    fp_instances *set = user;
    if (!in)
        return;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "name", str_or_null(INSTANCE_FIELD(in, name)));
    json_object_object_add(o, "namespace", str_or_null(INSTANCE_FIELD(in, namespace_)));
    json_object_object_add(o, "runtime", str_or_null(INSTANCE_FIELD(in, runtime)));
    json_object_object_add(o, "url", str_or_null(INSTANCE_FIELD(in, url)));
    json_object_object_add(o, "ready", str_or_null(INSTANCE_FIELD(in, ready)));
    json_object_object_add(o, "image", str_or_null(INSTANCE_FIELD(in, image)));
    json_object_object_add(o, "deployer", str_or_null(set->deployer));
    const char *detail = INSTANCE_FIELD(in, detail_json);
    if (detail) {
        json_object *d = json_tokener_parse(detail);
        /* A plugin's malformed detail is kept as text rather than lost. */
        json_object_object_add(o, "detail", d ? d : json_object_new_string(detail));
    }
    json_object_array_add(set->items, o);
}

static void add_route(json_object *routes, const char *url)
{
    if (!url || !*url)
        return;
    for (size_t i = 0; i < json_object_array_length(routes); i++)
        if (!strcmp(json_object_get_string(json_object_array_get_idx(routes, i)), url))
            return;
    json_object_array_add(routes, json_object_new_string(url));
}

void fp_instance_func_keys(json_object *o)
{
    json_object *detail = NULL, *v;
    if (json_object_object_get_ex(o, "detail", &detail)) {
        json_object_get(detail);
        json_object_object_del(o, "detail");
    }
    json_object *url = json_object_object_get(o, "url");
    const char *u = url ? json_object_get_string(url) : NULL;
    json_object_object_add(o, "route", json_object_new_string(u ? u : ""));
    /* The primary URL first, then any other a deployer reports (Knative
     * traffic targets with a tag have their own). */
    json_object *routes = json_object_new_array();
    add_route(routes, u);
    json_object *traffic = detail ? json_object_object_get(detail, "routes") : NULL;
    for (size_t i = 0; json_object_is_type(traffic, json_type_array) &&
                       i < json_object_array_length(traffic); i++)
        if (json_object_object_get_ex(json_object_array_get_idx(traffic, i), "url", &v) &&
            json_object_is_type(v, json_type_string))
            add_route(routes, json_object_get_string(v));
    json_object_object_add(o, "routes", routes);
    v = detail ? json_object_object_get(detail, "labels") : NULL;
    json_object_object_add(o, "labels", json_object_is_type(v, json_type_object)
                                            ? json_object_get(v) : json_object_new_object());
    v = detail ? json_object_object_get(detail, "subscriptions") : NULL;
    json_object_object_add(o, "subscriptions", json_object_is_type(v, json_type_array)
                                                   ? json_object_get(v) : json_object_new_array());
    /* func leaves generation out when it is not known (omitempty). */
    if (detail && json_object_object_get_ex(detail, "generation", &v) &&
        json_object_is_type(v, json_type_int))
        json_object_object_add(o, "generation", json_object_get(v));
    if (detail)
        json_object_object_add(o, "detail", detail);
}

static const char *field(json_object *o, const char *key)
{
    json_object *v = json_object_object_get(o, key);
    return v ? json_object_get_string(v) : "";
}

void fp_instances_print_table(json_object *items)
{
    enum { COLS = 6 };
    /* func's column order (issue 9). */
    static const char *const header[COLS] = {"NAME", "NAMESPACE", "RUNTIME", "DEPLOYER", "URL",
                                             "READY"};
    static const char *const keys[COLS] = {"name", "namespace", "runtime", "deployer", "url",
                                           "ready"};
    size_t n = json_object_array_length(items);
    const char **cells = calloc(n ? n * COLS : 1, sizeof *cells);
    if (!cells)
        return;
    for (size_t r = 0; r < n; r++)
        for (size_t c = 0; c < COLS; c++)
            cells[r * COLS + c] = field(json_object_array_get_idx(items, r), keys[c]);
    fp_output_table(stdout, header, COLS, cells, n);
    free(cells);
}

int fp_instances_name(funcp_call *call, const char **name)
{
    if (call->args.n_pos > 0) {
        *name = call->args.pos[0];
        if (fp_call_load_function(call) != FUNCP_OK)
            fp_error_clear(); /* a name needs no function directory */
        return FUNCP_OK;
    }
    int rc = fp_call_load_function(call);
    if (rc != FUNCP_OK) {
        fp_error_wrap("no name given and no function here");
        return rc;
    }
    *name = fp_funcyaml_get(call->fy, "name");
    if (!*name || !**name)
        return fp_error_set(FUNCP_EPARSE, "%s: no name is set", call->funcyaml_path);
    return FUNCP_OK;
}

static int describe_with(funcp_call *call, fp_registry *reg, const funcp_deployer *d,
                         const char *name, fp_instances *out)
{
    const char *owner = fp_registry_owner(reg, d);
    if (!d->describe)
        return fp_cli_unsupported(owner, "describe");
    out->deployer = d->name;
    fp_call_enter(call, owner);
    int rc = d->describe(fp_host(), call, name, fp_instances_collect, out);
    fp_call_enter(call, NULL);
    return fp_cli_plugin_result(rc, owner, "describe");
}

int fp_instances_find(funcp_call *call, const char *name, const funcp_deployer **deployer,
                      fp_instances *out)
{
    fp_registry *reg = call->plugins.registry;
    const char *own = call->fy ? fp_funcyaml_get(call->fy, "name") : NULL;
    const char *runtime = call->fy ? fp_funcyaml_get(call->fy, "runtime") : NULL;
    if (own && runtime && !strcmp(own, name)) {
        int rc = fp_cli_deployer(call, reg, runtime, deployer);
        if (rc != FUNCP_OK)
            return rc;
        return describe_with(call, reg, *deployer, name, out);
    }
    const char *const *names;
    size_t n = fp_registry_deployer_names(reg, &names);
    if (n == 0)
        return fp_cli_no_deployer();
    /* Deployers that could not be asked are named in the hint, so "not
     * found" never hides a cluster that could not be reached. */
    char unasked[1024] = "";
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        const funcp_deployer *d = fp_registry_deployer(reg, names[i]);
        if (!d || !d->describe)
            continue;
        size_t before = json_object_array_length(out->items);
        int rc = describe_with(call, reg, d, name, out);
        if (rc == FUNCP_OK && json_object_array_length(out->items) > before) {
            *deployer = d;
            return FUNCP_OK;
        }
        if (rc != FUNCP_OK && rc != FUNCP_ENOTFOUND && used < sizeof unasked)
            used += (size_t)snprintf(unasked + used, sizeof unasked - used, "%sdeployer \"%s\": %s",
                                     used ? "; " : "", d->name, fp_error_message());
        fp_error_clear();
    }
    /* Deployers on a cluster report a missing kubeconfig as "not found"
     * too: say so rather than let it pass for an absent function. */
    const char *ns = fp_call_namespace(call) ? NULL : fp_host()->kube_namespace(call);
    char cluster[512] = "";
    if (!fp_call_namespace(call) && !ns && fp_error_code() != FUNCP_OK)
        snprintf(cluster, sizeof cluster, "%s", fp_error_message());
    fp_error_set(FUNCP_ENOTFOUND, "function \"%s\" not found by any deployer", name);
    if (unasked[0] || cluster[0])
        fp_error_hint("not checked: %s%s%s", cluster, cluster[0] && unasked[0] ? "; " : "",
                      unasked);
    return FUNCP_ENOTFOUND;
}
