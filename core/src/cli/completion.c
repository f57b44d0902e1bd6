/* What the completion scripts of every shell share. */
#include "cli/completion.h"

#include <string.h>

const char fp_completion_shells[] = "bash zsh fish";

fp_completion_value fp_completion_value_of(const fp_flag *flag)
{
    if (flag->kind == FP_FLAG_BOOL)
        return FP_COMPLETE_NONE;
    if (flag->choices)
        return FP_COMPLETE_CHOICE;
    if (!strcmp(flag->name, "path"))
        return FP_COMPLETE_DIR;
    if (!strcmp(flag->name, "file") || !strcmp(flag->name, "kubeconfig") ||
        !strcmp(flag->name, "registry-authfile"))
        return FP_COMPLETE_FILE;
    if (!strcmp(flag->name, "language") || !strcmp(flag->name, "runtime"))
        return FP_COMPLETE_LANGUAGE;
    return FP_COMPLETE_WORD;
}

void fp_completion_summary(const char *help, char *buf, size_t size)
{
    size_t n = 0;
    for (const char *p = help ? help : ""; *p && n + 1 < size; p++) {
        /* "e.g. wasm" goes on; ". Default: ..." starts a new sentence. */
        if (*p == '.' && (!p[1] || (p[1] == ' ' && p[2] >= 'A' && p[2] <= 'Z')))
            break;
        buf[n++] = *p == '\n' ? ' ' : *p;
    }
    buf[n] = '\0';
}

void fp_completion_each_name(const fp_command *cmd, void (*fn)(void *, const char *, size_t),
                             void *user)
{
    fn(user, cmd->name, strlen(cmd->name));
    for (const char *a = cmd->aliases; a && *a;) {
        const char *sp = strchr(a, ' ');
        size_t l = sp ? (size_t)(sp - a) : strlen(a);
        fn(user, a, l);
        a += l + (sp ? 1 : 0);
    }
}
