#define _XOPEN_SOURCE 700 /* nftw */
#include "kube_test_util.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <json-c/json.h>

char *kt_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    char tmpl[512];
    snprintf(tmpl, sizeof tmpl, "%s/funcp-kube-XXXXXX", base && *base ? base : "/tmp");
    char *d = mkdtemp(tmpl);
    return d ? strdup(d) : NULL;
}

static int rm_cb(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void kt_rmrf(const char *dir)
{
    if (dir)
        nftw(dir, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

char *kt_write(const char *dir, const char *name, const char *content)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = malloc(n);
    snprintf(path, n, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) {
        free(path);
        return NULL;
    }
    fputs(content, f);
    fclose(f);
    return path;
}

int kt_server_start(kt_server *s, const char *dir, const char *const *args)
{
    memset(s, 0, sizeof *s);
    s->dir = strdup(dir);
    const char *src = getenv("FUNCP_TEST_SOURCE_DIR");
    char script[1024], port_file[1024];
    snprintf(script, sizeof script, "%s/tests/kube/fake_apiserver.py", src ? src : ".");
    snprintf(port_file, sizeof port_file, "%s/port", dir);
    unlink(port_file);
    const char *argv[40] = {"python3", script, "--port-file", port_file};
    size_t n = 4;
    for (size_t i = 0; args && args[i] && n < 38; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0)
            dup2(devnull, 1);
        execvp("python3", (char *const *)argv);
        _exit(127);
    }
    s->pid = pid;
    for (int i = 0; i < 200; i++) { /* 10 s */
        FILE *f = fopen(port_file, "r");
        if (f) {
            int ok = fscanf(f, "%d", &s->port) == 1;
            fclose(f);
            if (ok && s->port > 0)
                return 0;
        }
        if (waitpid(pid, NULL, WNOHANG) == pid) {
            s->pid = 0;
            return -1;
        }
        struct timespec ts = {0, 50 * 1000000L};
        nanosleep(&ts, NULL);
    }
    kt_server_stop(s);
    return -1;
}

void kt_server_stop(kt_server *s)
{
    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        for (int i = 0; i < 100 && waitpid(s->pid, NULL, WNOHANG) == 0; i++) {
            struct timespec ts = {0, 20 * 1000000L};
            nanosleep(&ts, NULL);
        }
        kill(s->pid, SIGKILL);
        waitpid(s->pid, NULL, 0);
    }
    s->pid = 0;
    free(s->dir);
    s->dir = NULL;
}

typedef struct buf {
    char *d;
    size_t n;
} buf;

static size_t wcb(char *p, size_t sz, size_t nm, void *u)
{
    buf *b = u;
    char *d = realloc(b->d, b->n + sz * nm + 1);
    if (!d)
        return 0;
    memcpy(d + b->n, p, sz * nm);
    b->n += sz * nm;
    d[b->n] = '\0';
    b->d = d;
    return sz * nm;
}

char *kt_admin(const kt_server *s, const char *method, const char *path)
{
    char url[1024];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", s->port, path);
    CURL *c = curl_easy_init();
    buf b = {0};
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, wcb);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    CURLcode rc = curl_easy_perform(c);
    curl_easy_cleanup(c);
    if (rc != CURLE_OK) {
        free(b.d);
        return NULL;
    }
    return b.d;
}

int kt_count_requests(const kt_server *s, const char *method, const char *path_part, const char *query_part)
{
    char *body = kt_admin(s, "GET", "/fake/requests");
    json_object *o = body ? json_tokener_parse(body) : NULL;
    free(body);
    json_object *reqs = NULL;
    int count = 0;
    if (o && json_object_object_get_ex(o, "requests", &reqs)) {
        for (size_t i = 0; i < json_object_array_length(reqs); i++) {
            json_object *r = json_object_array_get_idx(reqs, i), *m, *p, *q;
            json_object_object_get_ex(r, "method", &m);
            json_object_object_get_ex(r, "path", &p);
            json_object_object_get_ex(r, "query", &q);
            if (method && strcmp(json_object_get_string(m), method) != 0)
                continue;
            if (path_part && !strstr(json_object_get_string(p), path_part))
                continue;
            if (query_part && !strstr(json_object_get_string(q), query_part))
                continue;
            count++;
        }
    }
    json_object_put(o);
    return count;
}

char *kt_kubeconfig(const char *dir, const kt_server *s, const char *token, const char *ns)
{
    char text[2048];
    snprintf(text, sizeof text,
             "apiVersion: v1\nkind: Config\ncurrent-context: fake\n"
             "clusters:\n- name: fake\n  cluster:\n    server: http://127.0.0.1:%d\n"
             "users:\n- name: tester\n  user:\n%s%s%s"
             "contexts:\n- name: fake\n  context:\n    cluster: fake\n    user: tester\n%s%s%s",
             s->port, token ? "    token: " : "    {}\n", token ? token : "", token ? "\n" : "",
             ns ? "    namespace: " : "", ns ? ns : "", ns ? "\n" : "");
    return kt_write(dir, "kubeconfig", text);
}
