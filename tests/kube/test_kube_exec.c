/* Exec credential plugins: a shell script plays the plugin. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>

#include "kube/kube_client.h"
#include "kube/kube_exec.h"
#include "kube_test_util.h"
#include "util/error.h"

#define SECRET "exec-sekrit-987654"

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
    return 0;
}

/* A plugin that counts its runs, records its environment and prints an
 * ExecCredential expiring at $EXPIRY (or never). */
static char *write_plugin(const char *name, const char *api, const char *expiry, int exit_code)
{
    char text[4096];
    snprintf(text, sizeof text,
             "#!/bin/sh\n"
             "echo run >> \"%s/runs\"\n"
             "printf '%%s\\n' \"$KUBERNETES_EXEC_INFO\" > \"%s/info\"\n"
             "printf '%%s %%s\\n' \"$FOO\" \"$1\" > \"%s/env\"\n"
             "echo 'plugin says hi' >&2\n"
             "cat <<EOF\n"
             "{\"apiVersion\":\"%s\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"" SECRET "\"%s%s%s}}\n"
             "EOF\n"
             "exit %d\n",
             dir, dir, dir, api, expiry ? ",\"expirationTimestamp\":\"" : "", expiry ? expiry : "",
             expiry ? "\"" : "", exit_code);
    char *p = kt_write(dir, name, text);
    chmod(p, 0755);
    return p;
}

static int count_runs(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/runs", dir);
    FILE *f = fopen(path, "r");
    int n = 0;
    char line[64];
    while (f && fgets(line, sizeof line, f))
        n++;
    if (f)
        fclose(f);
    return n;
}

static void reset_runs(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/runs", dir);
    remove(path);
}

static fp_kube_client *client_for(const char *command, const char *api)
{
    char text[4096];
    snprintf(text, sizeof text,
             "current-context: x\n"
             "clusters: [{name: c, cluster: {server: 'https://cluster.example:6443'}}]\n"
             "contexts: [{name: x, context: {cluster: c, user: u}}]\n"
             "users:\n- name: u\n  user:\n    exec:\n"
             "      apiVersion: %s\n      command: %s\n      args: [token-arg]\n"
             "      env: [{name: FOO, value: from-kubeconfig}]\n      provideClusterInfo: true\n",
             api, command);
    char *kc = kt_write(dir, "kubeconfig", text);
    fp_kube_options opts = {sizeof opts, NULL, kc, NULL, NULL};
    fp_kube_client *c = NULL;
    int rc = fp_kube_client_new(&opts, &c);
    free(kc);
    return rc == FUNCP_OK ? c : NULL;
}

static void test_runs_plugin_and_caches(void **state)
{
    (void)state;
    reset_runs();
    char *p = write_plugin("cred-v1", "client.authentication.k8s.io/v1", "2999-01-01T00:00:00Z", 0);
    fp_kube_client *c = client_for(p, "client.authentication.k8s.io/v1");
    assert_non_null(c);
    fp_kube_auth auth;
    assert_int_equal(fp_kube_auth_get(c, &auth), FUNCP_OK);
    assert_string_equal(auth.token, SECRET);
    fp_kube_auth_free(&auth);
    assert_int_equal(fp_kube_auth_get(c, &auth), FUNCP_OK);
    fp_kube_auth_free(&auth);
    assert_int_equal(count_runs(), 1); /* cached until it expires */
    /* The plugin saw its args, the kubeconfig's env and the exec info. */
    char path[1024], line[2048];
    snprintf(path, sizeof path, "%s/env", dir);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    assert_non_null(fgets(line, sizeof line, f));
    fclose(f);
    assert_string_equal(line, "from-kubeconfig token-arg\n");
    snprintf(path, sizeof path, "%s/info", dir);
    f = fopen(path, "r");
    assert_non_null(fgets(line, sizeof line, f));
    fclose(f);
    assert_non_null(strstr(line, "\"apiVersion\":\"client.authentication.k8s.io/v1\""));
    assert_non_null(strstr(line, "\"kind\":\"ExecCredential\""));
    assert_non_null(strstr(line, "\"interactive\":false"));
    assert_non_null(strstr(line, "\"server\":\"https://cluster.example:6443\""));
    /* After a 401 the cache is dropped and the plugin runs again. */
    assert_int_equal(fp_kube_auth_invalidate(c), 1);
    assert_int_equal(fp_kube_auth_get(c, &auth), FUNCP_OK);
    fp_kube_auth_free(&auth);
    assert_int_equal(count_runs(), 2);
    fp_kube_client_free(c);
    free(p);
}

static void test_expired_credentials_rerun(void **state)
{
    (void)state;
    reset_runs();
    char *p = write_plugin("cred-beta", "client.authentication.k8s.io/v1beta1", "2001-01-01T00:00:00Z", 0);
    fp_kube_client *c = client_for(p, "client.authentication.k8s.io/v1beta1");
    assert_non_null(c);
    fp_kube_auth auth;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(fp_kube_auth_get(c, &auth), FUNCP_OK);
        assert_string_equal(auth.token, SECRET);
        fp_kube_auth_free(&auth);
    }
    assert_int_equal(count_runs(), 3);
    fp_kube_client_free(c);
    free(p);
}

static void test_failures_name_command_not_output(void **state)
{
    (void)state;
    char *p = write_plugin("cred-fail", "client.authentication.k8s.io/v1", NULL, 3);
    fp_kube_client *c = client_for(p, "client.authentication.k8s.io/v1");
    fp_kube_auth auth;
    assert_int_equal(fp_kube_auth_get(c, &auth), FUNCP_EAUTH);
    char want[2048];
    snprintf(want, sizeof want, "context \"x\": exec credential plugin %s failed with exit code 3", p);
    assert_string_equal(fp_error_message(), want);
    assert_null(strstr(fp_error_message(), SECRET));
    fp_kube_client_free(c);
    free(p);
    /* apiVersion mismatch */
    p = write_plugin("cred-mismatch", "client.authentication.k8s.io/v1beta1", NULL, 0);
    c = client_for(p, "client.authentication.k8s.io/v1");
    assert_int_equal(fp_kube_auth_get(c, &auth), FUNCP_EAUTH);
    assert_non_null(strstr(fp_error_message(), "answered apiVersion \"client.authentication.k8s.io/v1beta1\""));
    assert_null(strstr(fp_error_message(), SECRET));
    fp_kube_client_free(c);
    free(p);
    /* command not found */
    c = client_for("funcp-no-such-credential-plugin", "client.authentication.k8s.io/v1");
    assert_int_equal(fp_kube_auth_get(c, &auth), FUNCP_ENOTFOUND);
    assert_string_equal(fp_error_message(),
                        "context \"x\": exec credential plugin funcp-no-such-credential-plugin: command not found");
    fp_kube_client_free(c);
}

static void test_parse_credential(void **state)
{
    (void)state;
    fp_kube_exec_cred cred;
    const char *api = "client.authentication.k8s.io/v1";
    assert_int_equal(fp_kube_exec_parse("{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
                                        "\"status\":{\"clientCertificateData\":\"CERT\",\"clientKeyData\":\"KEY\"}}",
                                        api, "p", &cred),
                     FUNCP_OK);
    assert_null(cred.token);
    assert_string_equal(cred.cert, "CERT");
    assert_string_equal(cred.key, "KEY");
    assert_int_equal(cred.expiry, 0);
    fp_kube_exec_cred_free(&cred);
    assert_int_equal(fp_kube_exec_parse("{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
                                        "\"status\":{\"clientCertificateData\":\"CERT\"}}", api, "p", &cred),
                     FUNCP_EAUTH);
    assert_int_equal(fp_kube_exec_parse("not json " SECRET, api, "p", &cred), FUNCP_EAUTH);
    assert_string_equal(fp_error_message(), "exec credential plugin p did not print an ExecCredential JSON object");
    assert_int_equal(fp_kube_exec_parse("{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
                                        "\"status\":{}}", api, "p", &cred),
                     FUNCP_EAUTH);
}

static void test_parse_time(void **state)
{
    (void)state;
    assert_int_equal(fp_kube_parse_time("1970-01-01T00:01:00Z"), 60);
    assert_int_equal(fp_kube_parse_time("1970-01-01T01:00:00.123456Z"), 3600);
    assert_int_equal(fp_kube_parse_time("1970-01-01T02:00:00+01:00"), 3600);
    assert_int_equal(fp_kube_parse_time("1970-01-01T00:00:00-00:30"), 1800);
    assert_int_equal(fp_kube_parse_time("yesterday"), -1);
    assert_int_equal(fp_kube_parse_time("1970-01-01T00:00:00"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_runs_plugin_and_caches),
        cmocka_unit_test(test_expired_credentials_rerun),
        cmocka_unit_test(test_failures_name_command_not_output),
        cmocka_unit_test(test_parse_credential),
        cmocka_unit_test(test_parse_time),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
