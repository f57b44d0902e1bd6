/* The docker credential-helper protocol: `docker-credential-<name> get`,
 * the server on stdin, JSON {"ServerURL","Username","Secret"} on stdout. */
#include "oci/auth_file.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <openssl/crypto.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/error.h"

extern char **environ;

enum { HELPER_OUTPUT_MAX = 64 * 1024 };

/* Run the helper; its output (which holds the secret) goes to out. */
static int run(const char *program, const char *input, char *out, size_t out_size, size_t *out_len, int *status)
{
    int in_pair[2], out_pipe[2];
    /* stdin is a socket so that a helper exiting early costs an EPIPE
     * (MSG_NOSIGNAL), not a SIGPIPE in funcp. */
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in_pair) != 0)
        return fp_error_set(FUNCP_ERROR, "%s: socketpair: %s", program, strerror(errno));
    if (pipe(out_pipe) != 0 || fcntl(out_pipe[0], F_SETFD, FD_CLOEXEC) != 0 ||
        fcntl(out_pipe[1], F_SETFD, FD_CLOEXEC) != 0) {
        close(in_pair[0]);
        close(in_pair[1]);
        return fp_error_set(FUNCP_ERROR, "%s: pipe: %s", program, strerror(errno));
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in_pair[1], 0);
    posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    char *argv[] = {(char *)program, (char *)"get", NULL};
    pid_t pid;
    int err = posix_spawnp(&pid, program, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(in_pair[1]);
    close(out_pipe[1]);
    if (err != 0) {
        close(in_pair[0]);
        close(out_pipe[0]);
        return fp_error_set(FUNCP_EAUTH, "credential helper %s: cannot run it: %s", program, strerror(err));
    }
    size_t ilen = strlen(input);
    (void)!send(in_pair[0], input, ilen, MSG_NOSIGNAL);
    close(in_pair[0]);
    size_t n = 0;
    ssize_t got;
    while ((got = read(out_pipe[0], out + n, out_size - 1 - n)) != 0) {
        if (got < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        n += (size_t)got;
        if (n >= out_size - 1)
            break;
    }
    out[n] = '\0';
    close(out_pipe[0]);
    int ws = 0;
    while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
        ;
    *status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + (WIFSIGNALED(ws) ? WTERMSIG(ws) : 0);
    *out_len = n;
    return FUNCP_OK;
}

int fp_auth_run_helper(const char *helper, const char *registry, fp_credentials *creds)
{
    memset(creds, 0, sizeof *creds);
    char program[128];
    snprintf(program, sizeof program, "docker-credential-%s", helper);
    /* Docker Hub credentials live under the index URL. */
    const char *server = !strcmp(registry, "docker.io") ? "https://index.docker.io/v1/" : registry;
    char *out = malloc(HELPER_OUTPUT_MAX);
    if (!out)
        return fp_error_set(FUNCP_ERROR, "out of memory");
    size_t len = 0;
    int status = 0;
    int rc = run(program, server, out, HELPER_OUTPUT_MAX, &len, &status);
    if (rc == FUNCP_OK && status != 0) {
        /* The protocol's "not found" answer is a normal outcome. */
        rc = strstr(out, "credentials not found") ? 0
                                                  : fp_error_set(FUNCP_EAUTH, "credential helper %s failed "
                                                                 "for %s (exit status %d)", program, registry, status);
    } else if (rc == FUNCP_OK) {
        json_object *root = json_tokener_parse(out);
        json_object *user = NULL, *secret = NULL;
        if (!root || !json_object_object_get_ex(root, "Username", &user) ||
            !json_object_object_get_ex(root, "Secret", &secret) || !json_object_is_type(user, json_type_string) ||
            !json_object_is_type(secret, json_type_string)) {
            rc = fp_error_set(FUNCP_EAUTH, "credential helper %s: output for %s is not "
                              "{\"Username\",\"Secret\"} JSON", program, registry);
        } else {
            const char *u = json_object_get_string(user), *s = json_object_get_string(secret);
            int is_token = !strcmp(u, "<token>");
            char *dst = is_token ? creds->identity_token : creds->password;
            size_t dst_size = is_token ? sizeof creds->identity_token : sizeof creds->password;
            if (strlen(u) >= sizeof creds->username || strlen(s) >= dst_size) {
                rc = fp_error_set(FUNCP_EAUTH, "credential helper %s: credentials too long", program);
            } else {
                if (!is_token)
                    strcpy(creds->username, u);
                strcpy(dst, s);
                rc = 1;
            }
        }
        json_object_put(root);
    }
    OPENSSL_cleanse(out, HELPER_OUTPUT_MAX);
    free(out);
    if (rc <= 0)
        fp_credentials_clear(creds);
    return rc;
}
