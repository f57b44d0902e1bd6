/* kubeconfig: load and merge files like kubectl, then resolve one context
 * into what a client needs (server, TLS, credentials, namespace). */
#ifndef FUNCP_KUBE_KUBECONFIG_H
#define FUNCP_KUBE_KUBECONFIG_H

#include <stddef.h>

#include <json-c/json.h>

/* An exec credential plugin (users[].user.exec). */
typedef struct fp_kube_exec {
    char *api_version;   /* client.authentication.k8s.io/v1 or v1beta1 */
    char *command;       /* relative paths with a '/' are made absolute  */
    char **args;         /* NULL-terminated                            */
    char **env;          /* "NAME=VALUE", NULL-terminated              */
    int provide_cluster_info;
} fp_kube_exec;

/* One resolved context. Every string is malloc'ed or NULL. Blobs hold
 * decoded PEM (the -data fields); files are absolute or as written. */
typedef struct fp_kube_config {
    char *context;          /* context name ("in-cluster" for in-cluster) */
    char *source;           /* file(s) it came from, for messages         */
    char *server;           /* https://host:port, no trailing slash        */
    char *namespace_;       /* option, context, else "default"            */
    int insecure;           /* insecure-skip-tls-verify                   */
    char *ca_file;
    char *ca_data; size_t ca_len;
    char *cert_file;
    char *cert_data; size_t cert_len;
    char *key_file;
    char *key_data; size_t key_len;
    char *token;            /* bearer token from the file itself          */
    char *token_file;       /* re-read on each request (rotated tokens)   */
    char *username, *password; /* basic auth                              */
    fp_kube_exec *exec;
} fp_kube_config;

/* The parsed, merged files: clusters/contexts/users are name -> object
 * (the first file naming an entry wins), current is the first file's
 * current-context. Relative paths are already resolved against the
 * directory of the file that held them. */
typedef struct fp_kubeconfig {
    json_object *clusters;
    json_object *contexts;
    json_object *users;
    char *current;
    char *files;            /* "a, b" for messages */
} fp_kubeconfig;

void fp_kubeconfig_init(fp_kubeconfig *kc);
void fp_kubeconfig_free(fp_kubeconfig *kc);

/* Parse one document from memory and merge it into kc (entries already
 * present win). `file` names it in messages; `dir` resolves relative paths
 * (NULL: leave them). FUNCP_EPARSE naming file:line:column on bad YAML. */
int fp_kubeconfig_merge_buffer(fp_kubeconfig *kc, const char *data, size_t len,
                               const char *file, const char *dir);
/* Read and merge one file; FUNCP_ENOTFOUND naming it when it is missing. */
int fp_kubeconfig_merge_file(fp_kubeconfig *kc, const char *path);
/* `list` is $KUBECONFIG: colon separated; missing entries are skipped like
 * kubectl does unless none exist at all. */
int fp_kubeconfig_merge_list(fp_kubeconfig *kc, const char *list);

/* Resolve a context (NULL: current-context) into cfg. namespace_ overrides
 * the context's. Errors: no current context, unknown context (lists the
 * known ones), missing cluster/user entries, bad base64 (names the field
 * and file). */
int fp_kubeconfig_resolve(const fp_kubeconfig *kc, const char *context,
                          const char *namespace_, fp_kube_config *cfg);

/* In-cluster configuration from the service account directory (normally
 * FP_KUBE_SA_DIR) and KUBERNETES_SERVICE_HOST/PORT given as host, port. */
#define FP_KUBE_SA_DIR "/var/run/secrets/kubernetes.io/serviceaccount"
int fp_kube_config_in_cluster(const char *sa_dir, const char *host, const char *port,
                              const char *namespace_, fp_kube_config *cfg);

/* Whole configuration as kubectl finds it: `kubeconfig` (a path), else
 * $KUBECONFIG, else ~/.kube/config, else in-cluster. */
int fp_kube_config_load(const char *kubeconfig, const char *context, const char *namespace_,
                        fp_kube_config *cfg);

void fp_kube_config_free(fp_kube_config *cfg);
void fp_kube_exec_free(fp_kube_exec *exec);

/* Standard base64 (newlines tolerated) into a malloc'ed, NUL-terminated
 * buffer. FUNCP_EPARSE (message left to the caller) when invalid. */
int fp_kube_base64_decode(const char *in, char **out, size_t *out_len);

/* Read a whole file (NUL-terminated); FUNCP_EIO/ENOTFOUND naming `what`. */
int fp_kube_read_file(const char *path, const char *what, char **out, size_t *len);

#endif
