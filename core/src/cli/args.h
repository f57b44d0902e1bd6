/* Command-line flags in the style of knative func (cobra/pflag): long
 * --name[=value], short -x [value] / -xvalue, booleans --name / --name=false,
 * "--" ends flags, and every flag falls back to the FUNC_<NAME> environment
 * variable. */
#ifndef FUNCP_CLI_ARGS_H
#define FUNCP_CLI_ARGS_H

#include <stddef.h>

typedef enum fp_flag_kind {
    FP_FLAG_STRING = 0,
    FP_FLAG_BOOL,      /* "true"/"false"                              */
    FP_FLAG_DURATION,  /* Go duration: 30s, 2m, 1h30m, 500ms          */
    FP_FLAG_ARRAY      /* repeatable string (pflag StringArray): -e A=1 -e B=2;
                          command line only, never from FUNC_<NAME>      */
} fp_flag_kind;

typedef struct fp_flag {
    const char *name;       /* long name without dashes                     */
    char short_name;        /* 0 when none                                  */
    fp_flag_kind kind;
    const char *def;        /* default shown in help and used when unset    */
    const char *help;
    const char *choices;    /* "auto|true|false": values accepted, or NULL  */
    const char *no_value;   /* value of a string flag given bare (--build)  */
    const char *env;        /* extra env name (func's FUNC_DEPLOY_TYPE)     */
} fp_flag;

struct funcp_call;

typedef struct fp_command {
    const char *name;
    const char *aliases;     /* space separated, or NULL                   */
    const char *usage;       /* "create [path]"                             */
    const char *summary;     /* one line                                    */
    const char *description; /* paragraphs                                  */
    const char *examples;
    const fp_flag *flags;    /* terminated by a zero entry                  */
    int min_args, max_args;
    int (*run)(struct funcp_call *call);
    int output_url;          /* -o also takes "url" (describe, as in func)   */
} fp_command;

typedef struct fp_opt {
    const fp_flag *flag;
    char *value;   /* given on the command line; NULL when not (an array
                      flag: its last value)                               */
    char **values; /* FP_FLAG_ARRAY: every value in order                 */
    size_t n_values;
} fp_opt;

typedef struct fp_args {
    const fp_command *cmd;
    fp_opt *opts;      /* the command's flags, then the global ones        */
    size_t n_opts;
    char **pos;        /* positional arguments (borrowed from argv)        */
    size_t n_pos;
    int no_func_env;   /* no FUNC_* variable was set at parse: skip lookups */
} fp_args;

/* The global flags (-p, -v, -o, -h). */
extern const fp_flag fp_global_flags[];
/* -o as a command with output_url sees it: the global formats plus url. */
extern const fp_flag fp_output_url_flag;

/* Parse argv (without the program and the command word). FUNCP_EUSAGE
 * with "<what>" on a bad flag or argument count; env values are checked
 * too (a bad FUNC_TIMEOUT is a usage error naming the variable). */
int fp_args_parse(fp_args *args, const fp_command *cmd, int argc, char **argv);
void fp_args_free(fp_args *args);

const fp_opt *fp_args_find(const fp_args *args, const char *name);
/* Value given on the command line (explicit), or NULL. */
const char *fp_args_flag(const fp_args *args, const char *name);
/* Every value of a repeatable flag, in command-line order (*n = 0 and
 * NULL when not given). */
char *const *fp_args_list(const fp_args *args, const char *name, size_t *n);
/* Value from the environment (FUNC_<NAME>, or the flag's extra env), or NULL. */
const char *fp_args_env(const fp_args *args, const char *name);
/* Flag, else environment, else default (NULL when none). */
const char *fp_args_get(const fp_args *args, const char *name);
/* Boolean value of fp_args_get (unset and no default: 0). */
int fp_args_bool(const fp_args *args, const char *name);

/* "FUNC_REGISTRY_INSECURE" for "registry-insecure", into buf. */
void fp_flag_env_name(const char *name, char *buf, size_t size);
/* Go strconv.ParseBool: 1 t T TRUE true True / 0 f F FALSE false False.
 * Returns 0 or 1, or -1 when not a boolean. */
int fp_parse_bool(const char *text);
/* Go time.ParseDuration subset (h, m, s, ms, us, ns; fractions; "0").
 * FUNCP_EUSAGE on anything else, negative values included. */
int fp_parse_duration(const char *text, long long *ms);

#endif
