/* The three lists `funcp config` edits, each as knative func keeps it in
 * func.yaml: run.envs, deploy.labels, run.volumes. Each edit checks its
 * input with func's rules and words before anything changes. */
#ifndef FUNCP_CLI_CONFIG_LISTS_H
#define FUNCP_CLI_CONFIG_LISTS_H

#include <json-c/json.h>

struct funcp_call;

typedef struct fp_config_list {
    const char *name;      /* "envs", as typed after `funcp config`       */
    const char *alias;     /* "env"                                      */
    const char *path;      /* func.yaml path of the list                  */
    const char *empty;     /* func's line for an empty list               */
    const char *heading;   /* func's line above the items                 */
    /* One item as func's String() describes it, into buf. */
    void (*describe)(json_object *item, char *buf, size_t size);
    /* Build the item to add from the flags; FUNCP_EUSAGE naming the flag. */
    int (*make)(struct funcp_call *call, json_object *list, json_object **item);
    /* Index of the item the remove flags name; -1 with the error set, -2
     * when no item matches. */
    int (*find)(struct funcp_call *call, json_object *list);
    const char *added;     /* printed after an add (NULL: nothing, as func) */
    const char *removed;   /* printed (stderr) after a remove, or NULL      */
} fp_config_list;

extern const fp_config_list fp_config_envs, fp_config_labels, fp_config_volumes;

/* The string member `key` of item, or NULL. */
const char *fp_config_str(json_object *item, const char *key);

#endif
