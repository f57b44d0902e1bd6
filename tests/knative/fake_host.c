#include "fake_host.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "util/error.h"

static void fake_log(funcp_call *c, funcp_log_level level, const char *fmt, ...)
{
    char line[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&c->mu);
    size_t n = strlen(line);
    char *grown = realloc(c->log, c->log_len + n + 2);
    if (grown) {
        c->log = grown;
        memcpy(c->log + c->log_len, line, n);
        c->log[c->log_len + n] = '\n';
        c->log[c->log_len + n + 1] = '\0';
        c->log_len += n + 1;
    }
    pthread_mutex_unlock(&c->mu);
    if (c->echo)
        fprintf(stderr, "%s%s\n", level == FUNCP_LOG_WARN ? "warning: " : "", line);
}

static int fake_error(funcp_call *c, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err, sizeof c->err, fmt, ap);
    va_end(ap);
    c->err_code = code;
    return code;
}

static int fake_error_wrap(funcp_call *c, const char *fmt, ...)
{
    char ctx[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx, sizeof ctx, fmt, ap);
    va_end(ap);
    size_t cl = strlen(ctx), ol = strlen(c->err);
    if (cl + 2 + ol >= sizeof c->err)
        ol = sizeof c->err - cl - 3;
    memmove(c->err + cl + 2, c->err, ol);
    memcpy(c->err, ctx, cl);
    memcpy(c->err + cl, ": ", 2);
    c->err[cl + 2 + ol] = '\0';
    if (!c->err_code)
        c->err_code = FUNCP_ERROR;
    return c->err_code;
}

static void fake_free(void *p) { free(p); }
static int fake_cancelled(funcp_call *c) { (void)c; return 0; }

static const char *fake_fy_get(funcp_call *c, const char *path) { return fp_funcyaml_get(c->doc, path); }
static size_t fake_fy_count(funcp_call *c, const char *path) { return fp_funcyaml_count(c->doc, path); }
static const char *fake_fy_key(funcp_call *c, const char *path, size_t i) { return fp_funcyaml_key(c->doc, path, i); }
static char *fake_fy_json(funcp_call *c, const char *path) { return fp_funcyaml_json(c->doc, path); }

static const char *fake_option(funcp_call *c, const char *name)
{
    /* As the core does: "timeout-ms" is --timeout parsed, NULL when unset
     * or not a duration (the core refuses those before a plugin runs). */
    if (strcmp(name, "timeout-ms") == 0) {
        const char *t = fake_option(c, "timeout");
        long long ms;
        if (!t || fp_parse_duration(t, &ms) != FUNCP_OK) {
            fp_error_clear();
            return NULL;
        }
        snprintf(c->timeout_ms, sizeof c->timeout_ms, "%lld", ms);
        return c->timeout_ms;
    }
    for (int i = 0; i < c->n_opts; i++)
        if (strcmp(c->opt_name[i], name) == 0)
            return c->opt_value[i];
    return NULL;
}

static const char *fake_namespace(funcp_call *c) { return c->ns; }

void fake_host_init(funcp_host *h)
{
    memset(h, 0, sizeof *h);
    h->struct_size = sizeof *h;
    h->abi_major = FUNCP_PLUGIN_ABI_MAJOR;
    h->abi_minor = FUNCP_PLUGIN_ABI_MINOR;
    h->funcp_version = "test";
    h->log = fake_log;
    h->error = fake_error;
    h->error_wrap = fake_error_wrap;
    h->cancelled = fake_cancelled;
    h->free = fake_free;
    h->fy_get = fake_fy_get;
    h->fy_count = fake_fy_count;
    h->fy_key = fake_fy_key;
    h->fy_json = fake_fy_json;
    h->option = fake_option;
    h->kube_namespace = fake_namespace;
}

int fake_call_init(funcp_call *c, const char *yaml_path)
{
    memset(c, 0, sizeof *c);
    pthread_mutex_init(&c->mu, NULL);
    c->ns = "default";
    c->doc = fp_funcyaml_load(yaml_path);
    return c->doc ? 0 : -1;
}

int fake_call_init_text(funcp_call *c, const char *yaml)
{
    memset(c, 0, sizeof *c);
    pthread_mutex_init(&c->mu, NULL);
    c->ns = "default";
    c->doc = fp_funcyaml_parse(yaml, strlen(yaml), "func.yaml");
    return c->doc ? 0 : -1;
}

void fake_call_set(funcp_call *c, const char *name, const char *value)
{
    if (c->n_opts < FAKE_MAX_OPTS) {
        c->opt_name[c->n_opts] = name;
        c->opt_value[c->n_opts++] = value;
    }
}

void fake_call_free(funcp_call *c)
{
    fp_funcyaml_free(c->doc);
    free(c->log);
    pthread_mutex_destroy(&c->mu);
}
