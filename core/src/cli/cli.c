/* fp_main: find the command, parse its flags, run it, report errors. */
#include "cli/cli.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "call.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "util/cancel.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/output.h"

const fp_command *const fp_commands[] = {
    &fp_cmd_create,  &fp_cmd_build,     &fp_cmd_push,      &fp_cmd_deploy,  &fp_cmd_run,
    &fp_cmd_invoke,  &fp_cmd_list,      &fp_cmd_describe,  &fp_cmd_delete,  &fp_cmd_config,
    &fp_cmd_plugins,
    &fp_cmd_languages, &fp_cmd_templates, &fp_cmd_version, &fp_cmd_completion, NULL,
};

const fp_command *fp_command_find(const char *name)
{
    size_t len = strlen(name);
    for (size_t i = 0; fp_commands[i]; i++) {
        const fp_command *c = fp_commands[i];
        if (!strcmp(c->name, name))
            return c;
        for (const char *a = c->aliases; a && *a;) {
            const char *sp = strchr(a, ' ');
            size_t l = sp ? (size_t)(sp - a) : strlen(a);
            if (l == len && !strncmp(a, name, l))
                return c;
            a += l + (sp ? 1 : 0);
        }
    }
    return NULL;
}

/* Global flags that take a value, to skip them while looking for the verb. */
static int global_takes_value(const char *arg)
{
    return !strcmp(arg, "-p") || !strcmp(arg, "--path") || !strcmp(arg, "-o") ||
           !strcmp(arg, "--output");
}

static int is_global_flag(const char *arg)
{
    static const char *const names[] = {"-p", "--path", "-o", "--output", "-v", "--verbose",
                                        "-h", "--help"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t l = strlen(names[i]);
        if (!strncmp(arg, names[i], l) && (arg[l] == '\0' || arg[l] == '=' ||
                                          (names[i][1] != '-' && names[i][1] != 'v' &&
                                           names[i][1] != 'h')))
            return 1;
    }
    return 0;
}

static int usage_error(const char *cmd, const char *message)
{
    fprintf(stderr, "%s%s: %s\n", cmd ? "funcp " : "funcp", cmd ? cmd : "", message);
    fprintf(stderr, "Run 'funcp%s%s --help' for usage.\n", cmd ? " " : "", cmd ? cmd : "");
    return fp_exit_code(FUNCP_EUSAGE);
}

static void print_error(const funcp_call *call, int rc)
{
    const char *msg = fp_error_message();
    const char *hint = fp_error_hint_text();
    if (!*msg)
        msg = fp_status_name(rc);
    if (call->format == FP_FORMAT_JSON || call->format == FP_FORMAT_YAML) {
        json_object *err = json_object_new_object();
        json_object_object_add(err, "code", json_object_new_string(fp_status_name(rc)));
        json_object_object_add(err, "message", json_object_new_string(msg));
        if (*hint)
            json_object_object_add(err, "hint", json_object_new_string(hint));
        json_object *root = json_object_new_object();
        json_object_object_add(root, "error", err);
        fp_output_data(stderr, call->format, root);
        json_object_put(root);
        return;
    }
    fp_log(FUNCP_LOG_ERROR, "%s", msg);
    if (*hint)
        fprintf(stderr, "%s\n", hint);
    else if (rc == FUNCP_EUSAGE && call->cmd)
        fprintf(stderr, "Run 'funcp %s --help' for usage.\n", call->cmd->name);
}

/* --password-stdin: the first line of stdin, kept out of argv and env. */
static int read_password_stdin(funcp_call *call)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, stdin);
    if (n < 0) {
        free(line);
        return fp_error_set(FUNCP_EUSAGE, "--password-stdin: nothing to read on stdin");
    }
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    call->password = line;
    return FUNCP_OK;
}

static int setup_call(funcp_call *call)
{
    call->verbose = fp_args_bool(&call->args, "verbose");
    fp_log_setup(call->verbose);
    /* The network module logs each request, retry and watch resume. */
    call->hooks.verbose = call->verbose;
    const char *output = fp_args_get(&call->args, "output");
    /* describe -o url prints the URL alone, as func does; text otherwise. */
    if (output && !strcmp(output, "url") && call->cmd->output_url)
        output = "text";
    int rc = fp_format_parse(output, &call->format);
    if (rc == FUNCP_OK)
        rc = fp_cli_check_namespace(&call->args);
    if (rc != FUNCP_OK)
        return rc;
    const char *path = fp_args_get(&call->args, "path");
    call->root = fp_path_absolute(path && *path ? path : ".");
    if (!call->root)
        return fp_error_set(FUNCP_EIO, "cannot determine the function directory");
    call->funcyaml_path = fp_path_join(call->root, FP_FUNCYAML_FILE);
    if (!call->funcyaml_path)
        return fp_error_set(FUNCP_ERROR, "out of memory");
    if (fp_args_bool(&call->args, "password-stdin")) {
        if (fp_args_flag(&call->args, "password"))
            return fp_error_set(FUNCP_EUSAGE,
                                "--password and --password-stdin are mutually exclusive");
        return read_password_stdin(call);
    }
    return FUNCP_OK;
}

int fp_main(int argc, char **argv)
{
    fp_error_clear();
    fp_cancel_install();

    /* The verb is the first word that is not a global flag or its value. */
    int verb = -1, want_help = 0, want_version = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            break;
        } else if (!strcmp(a, "--version")) {
            want_version = 1;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            want_help = 1;
        } else if (a[0] == '-' && a[1]) {
            if (!is_global_flag(a)) {
                char msg[256];
                snprintf(msg, sizeof msg, "unknown flag: %s (before the command)", a);
                return usage_error(NULL, msg);
            }
            if (global_takes_value(a))
                i++;
        } else {
            verb = i;
            break;
        }
    }
    if (verb < 0) {
        if (want_version && !want_help)
            return fp_main_version();
        fp_help_root(stdout);
        return want_help || argc == 1 ? 0 : usage_error(NULL, "no command given");
    }
    /* "funcp help [command]", as func (cobra) has it. */
    if (!strcmp(argv[verb], "help")) {
        if (verb + 1 >= argc) {
            fp_help_root(stdout);
            return 0;
        }
        const fp_command *topic = fp_command_find(argv[verb + 1]);
        if (!topic || verb + 2 < argc) {
            char msg[256];
            snprintf(msg, sizeof msg, "unknown help topic \"%s\"", argv[verb + 1]);
            return usage_error(NULL, !topic ? msg : "help takes one command name");
        }
        fp_help_command(stdout, topic);
        return 0;
    }
    const fp_command *cmd = fp_command_find(argv[verb]);
    if (!cmd) {
        char msg[256];
        snprintf(msg, sizeof msg, "unknown command \"%s\"", argv[verb]);
        return usage_error(NULL, msg);
    }

    /* The command's arguments: everything except the verb. */
    char **rest = calloc((size_t)argc, sizeof *rest);
    if (!rest) {
        fprintf(stderr, "Error: out of memory\n");
        return 1;
    }
    int n_rest = 0;
    for (int i = 1; i < argc; i++)
        if (i != verb)
            rest[n_rest++] = argv[i];

    funcp_call call;
    fp_call_init(&call);
    call.cmd = cmd;
    int rc = fp_args_parse(&call.args, cmd, n_rest, rest);
    int exit_code;
    if (rc == FUNCP_EUSAGE) {
        exit_code = usage_error(cmd->name, fp_error_message());
    } else if (rc == FUNCP_OK && fp_args_bool(&call.args, "help")) {
        fp_help_command(stdout, cmd);
        exit_code = 0;
    } else {
        if (rc == FUNCP_OK)
            rc = setup_call(&call);
        if (rc == FUNCP_OK)
            rc = cmd->run(&call);
        /* func.yaml changes are kept only when the whole command worked. */
        if (rc == FUNCP_OK)
            rc = fp_call_save_function(&call);
        if (rc == FUNCP_OK && fp_cancelled())
            rc = fp_error_set(FUNCP_ECANCELED, "canceled");
        if (rc != FUNCP_OK)
            print_error(&call, rc);
        exit_code = fp_exit_code(rc);
    }
    fflush(stdout);
    fp_call_cleanup(&call);
    free(rest);
    return exit_code;
}
