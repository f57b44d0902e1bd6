#include "cli/args.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"

const fp_flag fp_global_flags[] = {
    {"path", 'p', FP_FLAG_STRING, NULL, "Path to the function (default: current directory)",
     NULL, NULL, NULL},
    {"verbose", 'v', FP_FLAG_BOOL, "false", "Print verbose logs", NULL, NULL, NULL},
    {"output", 'o', FP_FLAG_STRING, "text", "Output format for data: text, json or yaml",
     "text|json|yaml|human|plain", NULL, NULL},
    {"help", 'h', FP_FLAG_BOOL, "false", "Show help for the command", NULL, NULL, NULL},
    {0},
};

const fp_flag fp_output_url_flag = {
    "output", 'o', FP_FLAG_STRING, "text", "Output format: text, json, yaml, or url (the URL alone)",
    "text|json|yaml|human|plain|url", NULL, NULL};

void fp_flag_env_name(const char *name, char *buf, size_t size)
{
    size_t n = (size_t)snprintf(buf, size, "FUNC_");
    for (const char *p = name; *p && n + 1 < size; p++)
        buf[n++] = *p == '-' ? '_' : (char)toupper((unsigned char)*p);
    buf[n < size ? n : size - 1] = '\0';
}

int fp_parse_bool(const char *t)
{
    static const char *const yes[] = {"1", "t", "T", "TRUE", "true", "True"};
    static const char *const no[] = {"0", "f", "F", "FALSE", "false", "False"};
    for (size_t i = 0; i < 6; i++) {
        if (!strcmp(t, yes[i]))
            return 1;
        if (!strcmp(t, no[i]))
            return 0;
    }
    return -1;
}

int fp_parse_duration(const char *text, long long *ms)
{
    static const struct {
        const char *unit;
        double ms;
    } units[] = {{"ns", 1e-6}, {"us", 1e-3}, {"\xc2\xb5s", 1e-3}, {"ms", 1},
                 {"h", 3600e3}, {"m", 60e3},  {"s", 1e3}};
    const char *p = text;
    if (!p || !*p)
        return fp_error_set(FUNCP_EUSAGE, "invalid duration \"\" (use e.g. 30s, 2m, 1h)");
    if (!strcmp(p, "0")) {
        *ms = 0;
        return FUNCP_OK;
    }
    double total = 0;
    while (*p) {
        if (!isdigit((unsigned char)*p) && *p != '.')
            goto bad;
        char *end;
        double v = strtod(p, &end);
        if (end == p)
            goto bad;
        p = end;
        size_t i;
        for (i = 0; i < sizeof units / sizeof units[0]; i++) {
            size_t l = strlen(units[i].unit);
            /* "m" must not take the "m" of "ms". */
            if (!strncmp(p, units[i].unit, l)) {
                total += v * units[i].ms;
                p += l;
                break;
            }
        }
        if (i == sizeof units / sizeof units[0])
            goto bad;
    }
    if (total > 9.2e15)
        goto bad;
    *ms = (long long)(total + 0.5);
    return FUNCP_OK;
bad:
    return fp_error_set(FUNCP_EUSAGE, "invalid duration \"%s\" (use e.g. 30s, 2m, 1h30m)", text);
}

static fp_opt *find_opt(fp_args *args, const char *name, size_t len, char short_name)
{
    for (size_t i = 0; i < args->n_opts; i++) {
        const fp_flag *f = args->opts[i].flag;
        if (short_name ? f->short_name == short_name
                       : strlen(f->name) == len && !strncmp(f->name, name, len))
            return &args->opts[i];
    }
    return NULL;
}

/* Check a value against the flag's kind and choices; normalise booleans. */
static int check_value(const fp_flag *f, const char *value, const char *where, char **out)
{
    if (f->kind == FP_FLAG_BOOL) {
        int b = fp_parse_bool(value);
        if (b < 0)
            return fp_error_set(FUNCP_EUSAGE, "invalid value \"%s\" for %s: expected true or false",
                                value, where);
        value = b ? "true" : "false";
    } else if (f->kind == FP_FLAG_DURATION) {
        long long ms;
        if (fp_parse_duration(value, &ms) != FUNCP_OK)
            return fp_error_wrap("%s", where);
    }
    if (f->choices) {
        int ok = 0;
        size_t vl = strlen(value);
        for (const char *c = f->choices; *c && !ok;) {
            const char *bar = strchr(c, '|');
            size_t l = bar ? (size_t)(bar - c) : strlen(c);
            ok = l == vl && !strncmp(c, value, l);
            c += l + (bar ? 1 : 0);
        }
        if (!ok) {
            char shown[128];
            snprintf(shown, sizeof shown, "%s", f->choices);
            for (char *s = shown; *s; s++)
                if (*s == '|')
                    *s = ',';
            return fp_error_set(FUNCP_EUSAGE, "invalid value \"%s\" for %s (one of: %s)", value,
                                where, shown);
        }
    }
    if (out) {
        *out = strdup(value);
        if (!*out)
            return fp_error_set(FUNCP_ERROR, "out of memory");
    }
    return FUNCP_OK;
}

static int set_opt(fp_opt *o, const char *value, const char *where)
{
    char *copy;
    int rc = check_value(o->flag, value, where, &copy);
    if (rc != FUNCP_OK)
        return rc;
    if (o->flag->kind == FP_FLAG_ARRAY) {
        char **grown = realloc(o->values, (o->n_values + 1) * sizeof *grown);
        if (!grown) {
            free(copy);
            return fp_error_set(FUNCP_ERROR, "out of memory");
        }
        o->values = grown;
        o->values[o->n_values++] = copy;
        o->value = copy; /* the last one, owned by values */
        return FUNCP_OK;
    }
    free(o->value);
    o->value = copy;
    return FUNCP_OK;
}

extern char **environ;

/* Commands have dozens of flags, each with a FUNC_<NAME> fallback that is
 * looked up again and again; most environments hold no FUNC_ variable at
 * all, so one scan spares every lookup. */
static int any_func_env(void)
{
    for (char **e = environ; e && *e; e++)
        if (!strncmp(*e, "FUNC_", 5))
            return 1;
    return 0;
}

int fp_args_parse(fp_args *args, const fp_command *cmd, int argc, char **argv)
{
    memset(args, 0, sizeof *args);
    args->cmd = cmd;
    args->no_func_env = !any_func_env();
    size_t n = 0;
    for (const fp_flag *f = cmd ? cmd->flags : NULL; f && f->name; f++)
        n++;
    for (const fp_flag *f = fp_global_flags; f->name; f++)
        n++;
    args->opts = calloc(n, sizeof *args->opts);
    args->pos = calloc((size_t)argc + 1, sizeof *args->pos);
    if (!args->opts || !args->pos)
        return fp_error_set(FUNCP_ERROR, "out of memory");
    for (const fp_flag *f = cmd ? cmd->flags : NULL; f && f->name; f++)
        args->opts[args->n_opts++].flag = f;
    for (const fp_flag *f = fp_global_flags; f->name; f++)
        args->opts[args->n_opts++].flag =
            cmd && cmd->output_url && !strcmp(f->name, "output") ? &fp_output_url_flag : f;

    int only_args = 0;
    for (int i = 0; i < argc; i++) {
        char *a = argv[i];
        if (only_args || a[0] != '-' || a[1] == '\0') {
            args->pos[args->n_pos++] = a;
            continue;
        }
        if (!strcmp(a, "--")) {
            only_args = 1;
            continue;
        }
        char where[96];
        fp_opt *o;
        const char *value = NULL;
        if (a[1] == '-') {
            const char *name = a + 2, *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            o = find_opt(args, name, len, 0);
            if (!o)
                return fp_error_set(FUNCP_EUSAGE, "unknown flag: --%.*s", (int)len, name);
            snprintf(where, sizeof where, "--%s", o->flag->name);
            if (eq)
                value = eq + 1;
        } else {
            o = find_opt(args, NULL, 0, a[1]);
            if (!o)
                return fp_error_set(FUNCP_EUSAGE, "unknown shorthand flag: '%c' in %s", a[1], a);
            snprintf(where, sizeof where, "-%c", a[1]);
            if (a[2])
                value = a[2] == '=' ? a + 3 : a + 2;
        }
        if (!value) {
            if (o->flag->kind == FP_FLAG_BOOL)
                value = "true";
            else if (o->flag->no_value)
                value = o->flag->no_value;
            else if (i + 1 < argc)
                value = argv[++i];
            else
                return fp_error_set(FUNCP_EUSAGE, "flag needs an argument: %s", where);
        }
        int rc = set_opt(o, value, where);
        if (rc != FUNCP_OK)
            return rc;
    }
    if (fp_args_bool(args, "help"))
        return FUNCP_OK; /* help needs no valid arguments */
    /* A bad environment value is the same mistake as a bad flag. */
    for (size_t i = 0; i < args->n_opts; i++) {
        if (args->opts[i].value)
            continue;
        const char *env = fp_args_env(args, args->opts[i].flag->name);
        if (env) {
            char name[96];
            fp_flag_env_name(args->opts[i].flag->name, name, sizeof name);
            if (args->opts[i].flag->env && !getenv(name))
                snprintf(name, sizeof name, "%s", args->opts[i].flag->env);
            char where[128];
            snprintf(where, sizeof where, "environment variable %s", name);
            int rc = check_value(args->opts[i].flag, env, where, NULL);
            if (rc != FUNCP_OK)
                return rc;
        }
    }
    if (cmd && (int)args->n_pos < cmd->min_args)
        return fp_error_set(FUNCP_EUSAGE, "missing argument (usage: funcp %s)", cmd->usage);
    if (cmd && cmd->max_args >= 0 && (int)args->n_pos > cmd->max_args)
        return fp_error_set(FUNCP_EUSAGE, "unexpected argument \"%s\" (usage: funcp %s)",
                            args->pos[cmd->max_args], cmd->usage);
    return FUNCP_OK;
}

void fp_args_free(fp_args *args)
{
    for (size_t i = 0; i < args->n_opts; i++) {
        fp_opt *o = &args->opts[i];
        if (o->flag->kind == FP_FLAG_ARRAY) {
            for (size_t j = 0; j < o->n_values; j++)
                free(o->values[j]);
            free(o->values);
        } else {
            free(o->value);
        }
    }
    free(args->opts);
    free(args->pos);
    memset(args, 0, sizeof *args);
}

const fp_opt *fp_args_find(const fp_args *args, const char *name)
{
    for (size_t i = 0; i < args->n_opts; i++)
        if (!strcmp(args->opts[i].flag->name, name))
            return &args->opts[i];
    return NULL;
}

const char *fp_args_flag(const fp_args *args, const char *name)
{
    const fp_opt *o = fp_args_find(args, name);
    return o ? o->value : NULL;
}

char *const *fp_args_list(const fp_args *args, const char *name, size_t *n)
{
    const fp_opt *o = fp_args_find(args, name);
    *n = o ? o->n_values : 0;
    return *n ? o->values : NULL;
}

const char *fp_args_env(const fp_args *args, const char *name)
{
    const fp_opt *o = fp_args_find(args, name);
    if (!strcmp(name, "help"))
        return NULL; /* FUNC_HELP would turn every command into its help */
    if (o && o->flag->kind == FP_FLAG_ARRAY)
        return NULL; /* as in func: repeatable flags come from the command line only */
    if (args->no_func_env)
        return NULL;
    char env[96];
    fp_flag_env_name(name, env, sizeof env);
    const char *v = getenv(env);
    if ((!v || !*v) && o && o->flag->env)
        v = getenv(o->flag->env);
    if (v && *v && o && o->flag->kind == FP_FLAG_BOOL) {
        int b = fp_parse_bool(v);
        return b < 0 ? v : b ? "true" : "false";
    }
    return v && *v ? v : NULL;
}

const char *fp_args_get(const fp_args *args, const char *name)
{
    const fp_opt *o = fp_args_find(args, name);
    if (o && o->value)
        return o->value;
    const char *env = fp_args_env(args, name);
    if (env)
        return env;
    return o ? o->flag->def : NULL;
}

int fp_args_bool(const fp_args *args, const char *name)
{
    const char *v = fp_args_get(args, name);
    return v && fp_parse_bool(v) == 1;
}
