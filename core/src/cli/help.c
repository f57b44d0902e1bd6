/* Help screens in the shape of knative func's (cobra): description, usage,
 * aliases, examples, flags with defaults and their FUNC_* variables. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"

static void print_flags(FILE *f, const fp_flag *flags)
{
    for (const fp_flag *fl = flags; fl && fl->name; fl++) {
        char left[96];
        const char *type = fl->kind == FP_FLAG_BOOL       ? ""
                           : fl->kind == FP_FLAG_DURATION ? " duration"
                           : fl->kind == FP_FLAG_ARRAY    ? " stringArray"
                                                          : " string";
        if (fl->short_name)
            snprintf(left, sizeof left, "-%c, --%s%s", fl->short_name, fl->name, type);
        else
            snprintf(left, sizeof left, "    --%s%s", fl->name, type);
        fprintf(f, "  %-34s %s", left, fl->help);
        if (fl->def && !(fl->kind == FP_FLAG_BOOL && !strcmp(fl->def, "false")))
            fprintf(f, " (default \"%s\")", fl->def);
        if (strcmp(fl->name, "help") && fl->kind != FP_FLAG_ARRAY) {
            char env[96];
            fp_flag_env_name(fl->name, env, sizeof env);
            fprintf(f, " ($%s)", fl->env ? fl->env : env);
        }
        fputc('\n', f);
    }
}

void fp_help_command(FILE *f, const fp_command *cmd)
{
    fprintf(f, "%s\n\n", cmd->description ? cmd->description : cmd->summary);
    fprintf(f, "Usage:\n  funcp %s [flags]\n", cmd->usage);
    if (cmd->aliases) {
        fprintf(f, "\nAliases:\n  %s", cmd->name);
        const char *a = cmd->aliases;
        while (*a) {
            const char *sp = strchr(a, ' ');
            size_t l = sp ? (size_t)(sp - a) : strlen(a);
            fprintf(f, ", %.*s", (int)l, a);
            a += l + (sp ? 1 : 0);
        }
        fputc('\n', f);
    }
    if (cmd->examples)
        fprintf(f, "\nExamples:\n%s\n", cmd->examples);
    if (cmd->flags && cmd->flags->name) {
        fprintf(f, "\nFlags:\n");
        print_flags(f, cmd->flags);
    }
    fprintf(f, "\nGlobal Flags:\n");
    for (const fp_flag *fl = fp_global_flags; fl->name; fl++) {
        const fp_flag one[2] = {
            cmd->output_url && !strcmp(fl->name, "output") ? fp_output_url_flag : *fl, {0}};
        print_flags(f, one);
    }
}

void fp_help_root(FILE *f)
{
    fprintf(f,
            "funcp: WebAssembly functions from create to Kubernetes.\n\n"
            "Create, build, run and deploy functions with the commands and func.yaml of\n"
            "Knative func. Runtimes, builders, deployers and runners come from plugins:\n"
            "'funcp plugins' shows which are installed.\n\n"
            "Usage:\n  funcp [command] [flags]\n\nCommands:\n");
    for (size_t i = 0; fp_commands[i]; i++)
        fprintf(f, "  %-12s %s\n", fp_commands[i]->name, fp_commands[i]->summary);
    fprintf(f, "\nFlags:\n  %-34s %s\n", "    --version", "Print the version");
    print_flags(f, fp_global_flags);
    fprintf(f, "\nExit codes are listed in docs/exit-codes.md.\n"
               "Use 'funcp [command] --help' for more information about a command.\n");
}
