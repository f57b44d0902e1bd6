/* Credentials from docker/containers auth files and credential helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "oci/auth_file.h"
#include "util/error.h"

static char dir[256];

static void write_file(const char *name, const char *text, int mode)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    chmod(path, (mode_t)mode);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/funcp-auth-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    char path[512];
    snprintf(path, sizeof path, "%s/docker", dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/run", dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/run/containers", dir);
    mkdir(path, 0700);
    /* A fake helper: knows one host, echoes the protocol's not-found
     * answer for others, and fails for "broken.example". */
    write_file("docker-credential-test",
               "#!/bin/sh\n"
               "[ \"$1\" = get ] || exit 3\n"
               "read -r host\n"
               "case \"$host\" in\n"
               "helper.example) echo '{\"ServerURL\":\"helper.example\",\"Username\":\"hu\",\"Secret\":\"hs\"}';;\n"
               "token.example) echo '{\"ServerURL\":\"token.example\",\"Username\":\"<token>\",\"Secret\":\"idt\"}';;\n"
               "broken.example) echo 'not json';;\n"
               "https://index.docker.io/v1/) echo '{\"Username\":\"hub\",\"Secret\":\"hubpw\"}';;\n"
               "*) echo 'credentials not found in native keychain'; exit 1;;\n"
               "esac\n",
               0755);
    char newpath[4096];
    snprintf(newpath, sizeof newpath, "%s:%s", dir, getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
    setenv("PATH", newpath, 1);
    setenv("HOME", dir, 1);
    unsetenv("XDG_CONFIG_HOME");
    unsetenv("XDG_RUNTIME_DIR");
    unsetenv("REGISTRY_AUTH_FILE");
    snprintf(path, sizeof path, "%s/docker", dir);
    setenv("DOCKER_CONFIG", path, 1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_auths_base64(void **state)
{
    (void)state;
    /* dXNlcjpwYTpzcw== is base64("user:pa:ss"): the password may hold ':'. */
    static const char doc[] = "{\"auths\":{\"https://reg.example:5000/v1/\":{\"auth\":\"dXNlcjpwYTpzcw==\"},"
                              "\"other.example\":{\"username\":\"u2\",\"password\":\"p2\"}}}";
    fp_credentials c;
    char helper[64];
    assert_int_equal(fp_auth_config_parse(doc, strlen(doc), "t", "reg.example:5000", &c, helper), 1);
    assert_string_equal(c.username, "user");
    assert_string_equal(c.password, "pa:ss");
    assert_int_equal(fp_auth_config_parse(doc, strlen(doc), "t", "other.example", &c, helper), 1);
    assert_string_equal(c.username, "u2");
    assert_string_equal(c.password, "p2");
    assert_int_equal(fp_auth_config_parse(doc, strlen(doc), "t", "reg.example", &c, helper), 0);
    assert_string_equal(c.password, "");
}

static void test_bad_documents(void **state)
{
    (void)state;
    fp_credentials c;
    char helper[64];
    static const char notb64[] = "{\"auths\":{\"r.io\":{\"auth\":\"!!!\"}}}";
    assert_int_equal(fp_auth_config_parse(notb64, strlen(notb64), "cfg.json", "r.io", &c, helper), FUNCP_EPARSE);
    assert_non_null(strstr(fp_error_message(), "cfg.json"));
    assert_non_null(strstr(fp_error_message(), "base64"));
    static const char nocolon[] = "{\"auths\":{\"r.io\":{\"auth\":\"dXNlcg==\"}}}"; /* "user" */
    assert_int_equal(fp_auth_config_parse(nocolon, strlen(nocolon), "cfg.json", "r.io", &c, helper), FUNCP_EPARSE);
    assert_non_null(strstr(fp_error_message(), "user:password"));
    assert_int_equal(fp_auth_config_parse("{\"auths\":", 9, "cfg.json", "r.io", &c, helper), FUNCP_EPARSE);
    assert_non_null(strstr(fp_error_message(), "cfg.json"));
    static const char badhelper[] = "{\"credsStore\":\"../../bin/sh\"}";
    assert_int_equal(fp_auth_config_parse(badhelper, strlen(badhelper), "cfg.json", "r.io", &c, helper),
                     FUNCP_EPARSE);
}

static void test_docker_hub_key(void **state)
{
    (void)state;
    static const char doc[] = "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"aHViOnB3\"}}}";
    fp_credentials c;
    char helper[64];
    assert_int_equal(fp_auth_config_parse(doc, strlen(doc), "t", "docker.io", &c, helper), 1);
    assert_string_equal(c.username, "hub");
    assert_string_equal(c.password, "pw");
}

static void test_helpers(void **state)
{
    (void)state;
    write_file("docker/config.json",
               "{\"auths\":{\"plain.example\":{\"auth\":\"YTpi\"}},\"credsStore\":\"test\","
               "\"credHelpers\":{\"helper.example\":\"test\",\"missing.example\":\"nosuchhelper\"}}",
               0600);
    fp_credentials c;
    assert_int_equal(fp_auth_lookup("helper.example", NULL, &c), 1);
    assert_string_equal(c.username, "hu");
    assert_string_equal(c.password, "hs");
    /* credsStore for a host with no auths entry; <token> → identity token */
    assert_int_equal(fp_auth_lookup("token.example", NULL, &c), 1);
    assert_string_equal(c.identity_token, "idt");
    assert_string_equal(c.username, "");
    /* auths entry wins over credsStore */
    assert_int_equal(fp_auth_lookup("plain.example", NULL, &c), 1);
    assert_string_equal(c.username, "a");
    assert_string_equal(c.password, "b");
    /* helper says "not found": anonymous */
    assert_int_equal(fp_auth_lookup("unknown.example", NULL, &c), 0);
    /* helper prints garbage: an error naming the helper and the host */
    assert_int_equal(fp_auth_lookup("broken.example", NULL, &c), FUNCP_EAUTH);
    assert_non_null(strstr(fp_error_message(), "docker-credential-test"));
    assert_non_null(strstr(fp_error_message(), "broken.example"));
    /* a helper that is not installed */
    assert_int_equal(fp_auth_lookup("missing.example", NULL, &c), FUNCP_EAUTH);
    assert_non_null(strstr(fp_error_message(), "docker-credential-nosuchhelper"));
    /* Docker Hub asks the helper for the index URL */
    assert_int_equal(fp_auth_lookup("docker.io", NULL, &c), 1);
    assert_string_equal(c.username, "hub");
}

static void test_precedence(void **state)
{
    (void)state;
    write_file("docker/config.json", "{\"auths\":{\"p.example\":{\"auth\":\"ZG9ja2VyOmQ=\"}}}", 0600); /* docker:d */
    write_file("run/containers/auth.json", "{\"auths\":{\"p.example\":{\"auth\":\"cnVuOnI=\"}}}", 0600); /* run:r */
    write_file("regauth.json", "{\"auths\":{\"p.example\":{\"auth\":\"cmVnOnI=\"}}}", 0600);          /* reg:r */
    write_file("explicit.json", "{\"auths\":{\"p.example\":{\"auth\":\"ZXhwOmU=\"}}}", 0600);         /* exp:e */
    fp_credentials c;
    assert_int_equal(fp_auth_lookup("p.example", NULL, &c), 1);
    assert_string_equal(c.username, "docker");
    char path[512];
    snprintf(path, sizeof path, "%s/run", dir);
    setenv("XDG_RUNTIME_DIR", path, 1);
    assert_int_equal(fp_auth_lookup("p.example", NULL, &c), 1);
    assert_string_equal(c.username, "run");
    snprintf(path, sizeof path, "%s/regauth.json", dir);
    setenv("REGISTRY_AUTH_FILE", path, 1);
    assert_int_equal(fp_auth_lookup("p.example", NULL, &c), 1);
    assert_string_equal(c.username, "reg");
    snprintf(path, sizeof path, "%s/explicit.json", dir);
    assert_int_equal(fp_auth_lookup("p.example", path, &c), 1);
    assert_string_equal(c.username, "exp");
    /* a named file that does not exist is an error naming it */
    assert_int_equal(fp_auth_lookup("p.example", "/nonexistent/auth.json", &c), FUNCP_ENOTFOUND);
    assert_non_null(strstr(fp_error_message(), "/nonexistent/auth.json"));
    /* a file without the host falls through to the next one */
    assert_int_equal(fp_auth_lookup("q.example", path, &c), 0);
    unsetenv("REGISTRY_AUTH_FILE");
    unsetenv("XDG_RUNTIME_DIR");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_auths_base64),
        cmocka_unit_test(test_bad_documents),
        cmocka_unit_test(test_docker_hub_key),
        cmocka_unit_test(test_helpers),
        cmocka_unit_test(test_precedence),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
