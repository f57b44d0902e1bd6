/* kubeconfig loading like kubectl: merging, contexts, namespaces, paths,
 * decoded data fields, in-cluster, and clear errors that never show a
 * token. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kube/kubeconfig.h"
#include "kube_test_util.h"
#include "util/error.h"

#define SECRET "sekrit-token-0123456789"

static char *dir;

static int setup(void **state)
{
    (void)state;
    dir = kt_tmpdir();
    return dir ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    kt_rmrf(dir);
    free(dir);
    unsetenv("KUBECONFIG");
    return 0;
}

static const char *first =
    "apiVersion: v1\n"
    "kind: Config\n"
    "current-context: alpha\n"
    "clusters:\n"
    "- name: c1\n"
    "  cluster:\n"
    "    server: https://one.example:6443/\n"
    "    certificate-authority: certs/ca.pem\n"
    "- name: shared\n"
    "  cluster:\n"
    "    server: https://first.example\n"
    "contexts:\n"
    "- name: alpha\n"
    "  context: {cluster: c1, user: u1, namespace: team-a}\n"
    "- name: nons\n"
    "  context: {cluster: shared, user: u1}\n"
    "users:\n"
    "- name: u1\n"
    "  user:\n"
    "    token: " SECRET "\n";

static const char *second =
    "current-context: beta\n"
    "clusters:\n"
    "- name: shared\n"
    "  cluster:\n"
    "    server: https://second.example\n"
    "    insecure-skip-tls-verify: true\n"
    "- name: c2\n"
    "  cluster:\n"
    "    server: http://two.example\n"
    "contexts:\n"
    "- name: beta\n"
    "  context: {cluster: c2, user: u2}\n"
    "users:\n"
    "- name: u2\n"
    "  user:\n"
    "    tokenFile: tok\n";

static void test_merge_first_wins(void **state)
{
    (void)state;
    char *a = kt_write(dir, "a.yaml", first), *b = kt_write(dir, "b.yaml", second);
    char list[2048];
    snprintf(list, sizeof list, "%s:%s/missing.yaml:%s", a, dir, b);
    fp_kubeconfig kc;
    fp_kubeconfig_init(&kc);
    assert_int_equal(fp_kubeconfig_merge_list(&kc, list), FUNCP_OK);
    assert_string_equal(kc.current, "alpha"); /* the first file's */
    fp_kube_config cfg;
    /* "shared" comes from the first file, which does not skip TLS checks. */
    assert_int_equal(fp_kubeconfig_resolve(&kc, "nons", NULL, &cfg), FUNCP_OK);
    assert_string_equal(cfg.server, "https://first.example");
    assert_int_equal(cfg.insecure, 0);
    assert_string_equal(cfg.namespace_, "default");
    assert_string_equal(cfg.token, SECRET);
    fp_kube_config_free(&cfg);
    /* Entries only the second file has are there too, paths relative to it. */
    assert_int_equal(fp_kubeconfig_resolve(&kc, "beta", "ops", &cfg), FUNCP_OK);
    assert_string_equal(cfg.server, "http://two.example");
    assert_string_equal(cfg.namespace_, "ops");
    char want[1024];
    snprintf(want, sizeof want, "%s/tok", dir);
    assert_string_equal(cfg.token_file, want);
    assert_null(cfg.token);
    fp_kube_config_free(&cfg);
    fp_kubeconfig_free(&kc);
    free(a);
    free(b);
}

static void test_current_context_namespace_and_paths(void **state)
{
    (void)state;
    char *a = kt_write(dir, "a.yaml", first);
    fp_kube_config cfg;
    assert_int_equal(fp_kube_config_load(a, NULL, NULL, &cfg), FUNCP_OK);
    assert_string_equal(cfg.context, "alpha");
    assert_string_equal(cfg.server, "https://one.example:6443"); /* trailing slash dropped */
    assert_string_equal(cfg.namespace_, "team-a");
    char want[1024];
    snprintf(want, sizeof want, "%s/certs/ca.pem", dir);
    assert_string_equal(cfg.ca_file, want);
    fp_kube_config_free(&cfg);
    /* --namespace beats the context's. */
    assert_int_equal(fp_kube_config_load(a, "alpha", "mine", &cfg), FUNCP_OK);
    assert_string_equal(cfg.namespace_, "mine");
    fp_kube_config_free(&cfg);
    /* $KUBECONFIG is used when no path is given. */
    setenv("KUBECONFIG", a, 1);
    assert_int_equal(fp_kube_config_load(NULL, "nons", NULL, &cfg), FUNCP_OK);
    assert_string_equal(cfg.context, "nons");
    fp_kube_config_free(&cfg);
    unsetenv("KUBECONFIG");
    free(a);
}

static void test_data_fields_decoded(void **state)
{
    (void)state;
    /* "-----BEGIN TEST-----\nabc\n" and a key, base64 encoded. */
    const char *text =
        "current-context: x\n"
        "clusters: [{name: c, cluster: {server: 'https://h', certificate-authority-data: "
        "'LS0tLS1CRUdJTiBDQS0tLS0tCg=='}}]\n"
        "contexts: [{name: x, context: {cluster: c, user: u}}]\n"
        "users:\n- name: u\n  user:\n"
        "    client-certificate-data: LS0tLS1CRUdJTiBURVNULS0tLS0KYWJjCg==\n"
        "    client-key-data: a2V5LWRhdGE=\n";
    char *p = kt_write(dir, "d.yaml", text);
    fp_kube_config cfg;
    assert_int_equal(fp_kube_config_load(p, NULL, NULL, &cfg), FUNCP_OK);
    assert_int_equal(cfg.cert_len, strlen("-----BEGIN TEST-----\nabc\n"));
    assert_memory_equal(cfg.cert_data, "-----BEGIN TEST-----\nabc\n", cfg.cert_len);
    assert_int_equal(cfg.key_len, 8);
    assert_memory_equal(cfg.key_data, "key-data", 8);
    assert_string_equal(cfg.ca_data, "-----BEGIN CA-----\n");
    fp_kube_config_free(&cfg);
    free(p);
}

static void test_bad_base64_names_field_and_file(void **state)
{
    (void)state;
    const char *text =
        "current-context: x\n"
        "clusters: [{name: c, cluster: {server: 'https://h'}}]\n"
        "contexts: [{name: x, context: {cluster: c, user: u}}]\n"
        "users: [{name: u, user: {token: " SECRET ", client-key-data: 'not base64 !!'}}]\n";
    char *p = kt_write(dir, "bad64.yaml", text);
    fp_kube_config cfg;
    assert_int_equal(fp_kube_config_load(p, NULL, NULL, &cfg), FUNCP_EPARSE);
    char want[1024];
    snprintf(want, sizeof want, "kubeconfig %s: users[\"u\"].client-key-data is not valid base64", p);
    assert_string_equal(fp_error_message(), want);
    assert_null(strstr(fp_error_message(), SECRET));
    free(p);
}

static void test_missing_file_named(void **state)
{
    (void)state;
    char path[1024];
    snprintf(path, sizeof path, "%s/nope/config", dir);
    fp_kube_config cfg;
    assert_int_equal(fp_kube_config_load(path, NULL, NULL, &cfg), FUNCP_ENOTFOUND);
    char want[1100];
    snprintf(want, sizeof want, "kubeconfig file %s: not found", path);
    assert_string_equal(fp_error_message(), want);
    /* A $KUBECONFIG list where nothing exists names the list. */
    setenv("KUBECONFIG", path, 1);
    assert_int_equal(fp_kube_config_load(NULL, NULL, NULL, &cfg), FUNCP_ENOTFOUND);
    snprintf(want, sizeof want, "no kubeconfig file found: none of KUBECONFIG=%s exists", path);
    assert_string_equal(fp_error_message(), want);
    unsetenv("KUBECONFIG");
}

static void test_unknown_context_lists_known(void **state)
{
    (void)state;
    char *a = kt_write(dir, "a.yaml", first);
    fp_kube_config cfg;
    assert_int_equal(fp_kube_config_load(a, "prod", NULL, &cfg), FUNCP_ENOTFOUND);
    char want[1100];
    snprintf(want, sizeof want, "context \"prod\" not found in kubeconfig %s (known contexts: alpha, nons)", a);
    assert_string_equal(fp_error_message(), want);
    assert_null(strstr(fp_error_message(), SECRET));
    free(a);
}

static void test_no_current_context(void **state)
{
    (void)state;
    char *p = kt_write(dir, "nocur.yaml", "contexts: [{name: only, context: {cluster: c}}]\n"
                                          "clusters: [{name: c, cluster: {server: 'http://x'}}]\n");
    fp_kube_config cfg;
    assert_int_equal(fp_kube_config_load(p, NULL, NULL, &cfg), FUNCP_EUSAGE);
    assert_non_null(strstr(fp_error_message(), "sets no current-context: pass --context (known contexts: only)"));
    /* The cluster entry missing is named too. */
    char *q = kt_write(dir, "nocluster.yaml", "current-context: k\ncontexts: [{name: k, context: {cluster: gone}}]\n");
    assert_int_equal(fp_kube_config_load(q, NULL, NULL, &cfg), FUNCP_ENOTFOUND);
    assert_non_null(strstr(fp_error_message(), "names cluster \"gone\", which is not defined"));
    free(p);
    free(q);
}

static void test_yaml_error_names_position(void **state)
{
    (void)state;
    char *p = kt_write(dir, "broken.yaml", "clusters:\n- name: [unclosed\n  token: " SECRET "\n");
    fp_kube_config cfg;
    assert_int_equal(fp_kube_config_load(p, NULL, NULL, &cfg), FUNCP_EPARSE);
    char prefix[1100];
    snprintf(prefix, sizeof prefix, "%s:", p);
    assert_memory_equal(fp_error_message(), prefix, strlen(prefix));
    assert_null(strstr(fp_error_message(), SECRET));
    free(p);
}

static void test_exec_section(void **state)
{
    (void)state;
    const char *text =
        "current-context: x\n"
        "clusters: [{name: c, cluster: {server: 'https://h'}}]\n"
        "contexts: [{name: x, context: {cluster: c, user: u}}]\n"
        "users:\n- name: u\n  user:\n    exec:\n"
        "      apiVersion: client.authentication.k8s.io/v1beta1\n"
        "      command: ./bin/cred\n"
        "      args: [get, --x]\n"
        "      env: [{name: FOO, value: bar}]\n"
        "      provideClusterInfo: true\n";
    char *p = kt_write(dir, "exec.yaml", text);
    fp_kube_config cfg;
    assert_int_equal(fp_kube_config_load(p, NULL, NULL, &cfg), FUNCP_OK);
    assert_non_null(cfg.exec);
    char want[1024];
    snprintf(want, sizeof want, "%s/./bin/cred", dir);
    assert_string_equal(cfg.exec->command, want);
    assert_string_equal(cfg.exec->api_version, "client.authentication.k8s.io/v1beta1");
    assert_string_equal(cfg.exec->args[0], "get");
    assert_string_equal(cfg.exec->args[1], "--x");
    assert_null(cfg.exec->args[2]);
    assert_string_equal(cfg.exec->env[0], "FOO=bar");
    assert_int_equal(cfg.exec->provide_cluster_info, 1);
    fp_kube_config_free(&cfg);
    free(p);
}

static void test_in_cluster(void **state)
{
    (void)state;
    char sa[1024];
    snprintf(sa, sizeof sa, "%s/sa", dir);
    char *cmd = malloc(2048);
    snprintf(cmd, 2048, "mkdir -p %s", sa);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    fp_kube_config cfg;
    /* No token: a clear error naming the file. */
    assert_int_equal(fp_kube_config_in_cluster(sa, "10.0.0.1", "443", NULL, &cfg), FUNCP_ENOTFOUND);
    assert_non_null(strstr(fp_error_message(), "in-cluster service account token"));
    free(kt_write(sa, "token", SECRET "\n"));
    free(kt_write(sa, "namespace", "apps\n"));
    assert_int_equal(fp_kube_config_in_cluster(sa, "10.0.0.1", "443", NULL, &cfg), FUNCP_OK);
    assert_string_equal(cfg.server, "https://10.0.0.1:443");
    assert_string_equal(cfg.namespace_, "apps");
    assert_string_equal(cfg.context, "in-cluster");
    assert_non_null(strstr(cfg.token_file, "/sa/token"));
    assert_non_null(strstr(cfg.ca_file, "/sa/ca.crt"));
    fp_kube_config_free(&cfg);
    assert_int_equal(fp_kube_config_in_cluster(sa, "fd00::1", "6443", "mine", &cfg), FUNCP_OK);
    assert_string_equal(cfg.server, "https://[fd00::1]:6443");
    assert_string_equal(cfg.namespace_, "mine");
    fp_kube_config_free(&cfg);
}

static void test_base64_decoder(void **state)
{
    (void)state;
    char *out;
    size_t len;
    assert_int_equal(fp_kube_base64_decode("aGVsbG8=", &out, &len), FUNCP_OK);
    assert_int_equal(len, 5);
    assert_string_equal(out, "hello");
    free(out);
    assert_int_equal(fp_kube_base64_decode("aGVs\nbG8=\n", &out, &len), FUNCP_OK);
    assert_string_equal(out, "hello");
    free(out);
    assert_int_equal(fp_kube_base64_decode("a$b%", &out, &len), FUNCP_EPARSE);
    assert_null(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merge_first_wins),
        cmocka_unit_test(test_current_context_namespace_and_paths),
        cmocka_unit_test(test_data_fields_decoded),
        cmocka_unit_test(test_bad_base64_names_field_and_file),
        cmocka_unit_test(test_missing_file_named),
        cmocka_unit_test(test_unknown_context_lists_known),
        cmocka_unit_test(test_no_current_context),
        cmocka_unit_test(test_yaml_error_names_position),
        cmocka_unit_test(test_exec_section),
        cmocka_unit_test(test_in_cluster),
        cmocka_unit_test(test_base64_decoder),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
