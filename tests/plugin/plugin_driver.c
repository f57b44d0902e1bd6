/* Loads plugins the way funcp does (fp_plugins_load: FUNCP_PLUGIN_PATH,
 * the build tree, the installed dir) and prints them as JSON:
 *   {"plugins":[{"name":..,"version":..,"path":..,"runtimes":[..]}],
 *    "refused":[{"path":..,"reason":..,"message":..}], "warnings":[..]}
 * Used by the out-of-tree SDK test and the start-up benchmark to measure
 * loading alone. */
#include <json-c/json.h>
#include <stdio.h>

#include "plugin/loader.h"
#include "util/error.h"

int main(void)
{
    static const funcp_host host = {.struct_size = sizeof(funcp_host),
                                    .abi_major = FUNCP_PLUGIN_ABI_MAJOR,
                                    .abi_minor = FUNCP_PLUGIN_ABI_MINOR,
                                    .funcp_version = FUNCP_VERSION};
    fp_plugin_set set;
    if (fp_plugins_load(&set, &host) < 0) {
        fprintf(stderr, "error: %s\n", fp_error_message());
        return 1;
    }
    json_object *root = json_object_new_object();
    json_object *plugins = json_object_new_array();
    for (size_t i = 0; i < set.n_loaded; i++) {
        const funcp_plugin *p = set.loaded[i].plugin;
        json_object *o = json_object_new_object();
        json_object_object_add(o, "name", json_object_new_string(p->name));
        json_object_object_add(o, "version", json_object_new_string(p->version));
        json_object_object_add(o, "path", json_object_new_string(set.loaded[i].path));
        json_object *runtimes = json_object_new_array();
        for (size_t r = 0; r < p->n_runtimes; r++)
            json_object_array_add(runtimes, json_object_new_string(p->runtimes[r].name));
        json_object_object_add(o, "runtimes", runtimes);
        json_object_array_add(plugins, o);
    }
    json_object *refused = json_object_new_array();
    for (size_t i = 0; i < set.n_refused; i++) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "path", json_object_new_string(set.refused[i].path));
        json_object_object_add(o, "reason",
                               json_object_new_string(fp_refusal_name(set.refused[i].reason)));
        json_object_object_add(o, "message", json_object_new_string(set.refused[i].message));
        json_object_array_add(refused, o);
    }
    json_object *warnings = json_object_new_array();
    for (size_t i = 0; i < set.n_warnings; i++)
        json_object_array_add(warnings, json_object_new_string(set.warnings[i]));
    json_object_object_add(root, "plugins", plugins);
    json_object_object_add(root, "refused", refused);
    json_object_object_add(root, "warnings", warnings);
    puts(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY));
    json_object_put(root);
    fp_plugins_unload(&set);
    return 0;
}
