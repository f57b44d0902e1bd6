/* Helpers for the Kubernetes tests: temp dirs and files, and the fake API
 * server (tests/kube/fake_apiserver.py) run as a child on 127.0.0.1. */
#ifndef KUBE_TEST_UTIL_H
#define KUBE_TEST_UTIL_H

#include <sys/types.h>

char *kt_tmpdir(void);
void kt_rmrf(const char *dir);
/* dir/name with content; returns the malloc'ed path. */
char *kt_write(const char *dir, const char *name, const char *content);

typedef struct kt_server {
    pid_t pid;
    int port;
    char *dir;
} kt_server;

/* Start the fake server with extra arguments (NULL-terminated). Waits up to
 * 10 s for its port; 0 on success. The child dies with the test process. */
int kt_server_start(kt_server *s, const char *dir, const char *const *args);
void kt_server_stop(kt_server *s);
/* A test endpoint (/fake/...) of the server; malloc'ed body or NULL. */
char *kt_admin(const kt_server *s, const char *method, const char *path);
/* Count requests in /fake/requests whose method matches and whose path
 * and query contain both substrings (NULL: any). */
int kt_count_requests(const kt_server *s, const char *method, const char *path_part, const char *query_part);

/* Write a kubeconfig for the server: context "fake", user token `token`
 * (NULL: none), namespace `ns` (NULL: none). Returns its path. */
char *kt_kubeconfig(const char *dir, const kt_server *s, const char *token, const char *ns);

#endif
