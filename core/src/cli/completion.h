/* Shell completion scripts (bash, zsh, fish), written from the command
 * table so that they never disagree with the flags funcp accepts. They ask
 * nothing of funcp at completion time except `funcp languages`. */
#ifndef FUNCP_CLI_COMPLETION_H
#define FUNCP_CLI_COMPLETION_H

#include <stddef.h>
#include <stdio.h>

#include "cli/args.h"

void fp_completion_bash(FILE *f);
void fp_completion_zsh(FILE *f);
void fp_completion_fish(FILE *f);

/* What a flag's value is, for the shells that complete values. */
typedef enum fp_completion_value {
    FP_COMPLETE_NONE = 0, /* a boolean: no value                     */
    FP_COMPLETE_WORD,     /* free text                               */
    FP_COMPLETE_CHOICE,   /* one of flag->choices (or -o's formats)   */
    FP_COMPLETE_DIR,      /* --path                                  */
    FP_COMPLETE_FILE,     /* --file, --kubeconfig, --registry-authfile */
    FP_COMPLETE_LANGUAGE  /* -l/--language: `funcp languages`         */
} fp_completion_value;

fp_completion_value fp_completion_value_of(const fp_flag *flag);

/* The first sentence of a flag's help (at most size-1 bytes), for the
 * one-line descriptions zsh and fish show beside a flag. */
void fp_completion_summary(const char *help, char *buf, size_t size);

/* Calls fn for the command's name and each alias. */
void fp_completion_each_name(const fp_command *cmd, void (*fn)(void *, const char *, size_t),
                             void *user);

/* The shells `funcp completion` writes a script for: "bash zsh fish". */
extern const char fp_completion_shells[];

#endif
