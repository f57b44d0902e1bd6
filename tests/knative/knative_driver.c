/* Drives the deployer-knative plugin (.so, loaded like funcp loads it)
 * through a fake host against a fake API server:
 *   knative_driver API_URL FUNC_DIR VERB [ARG] [-n NS] [--opt NAME=VALUE]...
 * VERB: deploy IMAGE | list | list-all | describe NAME | delete NAME.
 * deploy prints the URL; list/describe print one JSON object per
 * instance. Errors go to stderr as "Error: <message>" with funcp's exit
 * codes. Log lines go to stderr. */
#include <curl/curl.h>
#include <dlfcn.h>
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_host.h"
#include "util/error.h"

static void print_instance(void *user, const funcp_instance *i)
{
    (void)user;
    json_object *o = json_object_new_object();
    const char *keys[] = {"name", "namespace", "runtime", "url", "ready", "image", "deployer"};
    const char *vals[] = {i->name, i->namespace_, i->runtime, i->url, i->ready, i->image, i->deployer};
    for (int k = 0; k < 7; k++)
        json_object_object_add(o, keys[k], vals[k] ? json_object_new_string(vals[k]) : NULL);
    if (i->detail_json)
        json_object_object_add(o, "detail", json_tokener_parse(i->detail_json));
    printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(o);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: %s API_URL FUNC_DIR VERB [ARG] [-n NS] [--opt NAME=VALUE]...\n", argv[0]);
        return 2;
    }
    const char *plugin = getenv("KNATIVE_PLUGIN");
    void *so = dlopen(plugin ? plugin : "deployer-knative.so", RTLD_NOW | RTLD_LOCAL);
    if (!so) {
        fprintf(stderr, "Error: %s\n", dlerror());
        return 1;
    }
    funcp_plugin_get_fn get = (funcp_plugin_get_fn)(uintptr_t)dlsym(so, FUNCP_PLUGIN_ENTRY);
    const funcp_deployer *d = &get()->deployers[0];
    funcp_host h;
    fake_host_init(&h);
    fake_host_init_kube(&h);
    funcp_call c;
    char yaml[4096];
    snprintf(yaml, sizeof yaml, "%s/func.yaml", argv[2]);
    if (fake_call_init(&c, yaml) != 0) {
        fprintf(stderr, "Error: %s\n", fp_error_message());
        return 1;
    }
    c.api = argv[1];
    c.echo = 1;
    const char *verb = argv[3], *arg = NULL;
    int i = 4;
    if (i < argc && argv[i][0] != '-')
        arg = argv[i++];
    for (; i < argc; i++) {
        if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) {
            c.ns = argv[++i];
        } else if (strcmp(argv[i], "--opt") == 0 && i + 1 < argc) {
            char *eq = strchr(argv[++i], '=');
            if (eq) {
                *eq = '\0';
                fake_call_set(&c, argv[i], eq + 1);
            }
        }
    }
    int rc;
    if (strcmp(verb, "deploy") == 0) {
        char *url = NULL;
        rc = d->deploy(&h, &c, arg, &url);
        if (rc == FUNCP_OK)
            printf("%s\n", url);
        free(url);
    } else if (strcmp(verb, "list") == 0 || strcmp(verb, "list-all") == 0) {
        rc = d->list(&h, &c, strcmp(verb, "list") == 0 ? c.ns : NULL, print_instance, NULL);
    } else if (strcmp(verb, "describe") == 0) {
        rc = d->describe(&h, &c, arg, print_instance, NULL);
    } else if (strcmp(verb, "delete") == 0) {
        rc = d->remove(&h, &c, arg);
    } else {
        fprintf(stderr, "unknown verb %s\n", verb);
        rc = FUNCP_EUSAGE;
    }
    if (rc != FUNCP_OK)
        fprintf(stderr, "Error: %s\n", c.err);
    fake_call_free(&c);
    dlclose(so);
    curl_global_cleanup();
    return rc == FUNCP_OK ? 0 : fp_exit_code(rc);
}
