/* Where the configuration comes from, in kubectl's order: --kubeconfig,
 * $KUBECONFIG, ~/.kube/config, then the in-cluster service account. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kube/kubeconfig.h"
#include "util/error.h"
#include "util/fs.h"

int fp_kube_config_in_cluster(const char *sa_dir, const char *host, const char *port,
                              const char *namespace_, fp_kube_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    char *token_file = fp_path_join(sa_dir, "token");
    char *ca_file = fp_path_join(sa_dir, "ca.crt");
    char *ns_file = fp_path_join(sa_dir, "namespace");
    char *ns = NULL, *probe = NULL;
    int rc = FUNCP_OK;
    if (!token_file || !ca_file || !ns_file) {
        rc = fp_error_set(FUNCP_ERROR, "out of memory");
        goto out;
    }
    /* The token must exist now; it is re-read per request because the
     * kubelet rotates it. */
    rc = fp_kube_read_file(token_file, "in-cluster service account token", &probe, NULL);
    if (rc < 0)
        goto out;
    if (!namespace_ || !*namespace_) {
        if (fp_kube_read_file(ns_file, "namespace file", &ns, NULL) < 0) {
            fp_error_clear();
            ns = NULL;
        } else {
            ns[strcspn(ns, " \t\r\n")] = '\0';
        }
    }
    size_t n = strlen(host) + strlen(port) + 16;
    cfg->server = malloc(n);
    if (cfg->server)
        snprintf(cfg->server, n, strchr(host, ':') ? "https://[%s]:%s" : "https://%s:%s", host, port);
    cfg->context = strdup("in-cluster");
    cfg->source = strdup("in-cluster service account");
    cfg->namespace_ = strdup(namespace_ && *namespace_ ? namespace_ : ns && *ns ? ns : "default");
    cfg->token_file = token_file;
    cfg->ca_file = ca_file;
    token_file = ca_file = NULL;
    if (!cfg->server || !cfg->context || !cfg->namespace_ || !cfg->source) {
        fp_kube_config_free(cfg);
        rc = fp_error_set(FUNCP_ERROR, "out of memory");
    }
out:
    free(probe);
    free(ns);
    free(token_file);
    free(ca_file);
    free(ns_file);
    return rc;
}

int fp_kube_config_load(const char *kubeconfig, const char *context, const char *namespace_,
                        fp_kube_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    fp_kubeconfig kc;
    int rc;
    const char *env = getenv("KUBECONFIG");
    if (kubeconfig && *kubeconfig) {
        fp_kubeconfig_init(&kc);
        rc = fp_kubeconfig_merge_file(&kc, kubeconfig);
    } else if (env && *env) {
        fp_kubeconfig_init(&kc);
        rc = fp_kubeconfig_merge_list(&kc, env);
    } else {
        const char *home = getenv("HOME");
        char *def = home ? fp_path_join(home, ".kube/config") : NULL;
        struct stat st;
        if (def && stat(def, &st) == 0) {
            fp_kubeconfig_init(&kc);
            rc = fp_kubeconfig_merge_file(&kc, def);
            free(def);
        } else {
            free(def);
            const char *host = getenv("KUBERNETES_SERVICE_HOST");
            const char *port = getenv("KUBERNETES_SERVICE_PORT");
            if (host && *host && port && *port)
                return fp_kube_config_in_cluster(FP_KUBE_SA_DIR, host, port, namespace_, cfg);
            return fp_error_set(FUNCP_ENOTFOUND,
                                "no Kubernetes configuration: KUBECONFIG is unset, ~/.kube/config "
                                "does not exist and funcp is not running inside a cluster");
        }
    }
    if (rc == FUNCP_OK)
        rc = fp_kubeconfig_resolve(&kc, context, namespace_, cfg);
    fp_kubeconfig_free(&kc);
    return rc;
}
