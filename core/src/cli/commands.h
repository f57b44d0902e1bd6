/* The funcp commands: one file each (cmd_<verb>.c), found through this table. */
#ifndef FUNCP_CLI_COMMANDS_H
#define FUNCP_CLI_COMMANDS_H

#include <stdio.h>

#include "cli/args.h"

extern const fp_command fp_cmd_create, fp_cmd_build, fp_cmd_push, fp_cmd_deploy, fp_cmd_run,
    fp_cmd_invoke, fp_cmd_list, fp_cmd_describe, fp_cmd_delete, fp_cmd_plugins,
    fp_cmd_languages, fp_cmd_templates, fp_cmd_version, fp_cmd_completion, fp_cmd_config;

/* Every command in help order, NULL-terminated. */
extern const fp_command *const fp_commands[];

/* The command called `name` or one of its aliases, or NULL. */
const fp_command *fp_command_find(const char *name);

/* `funcp --version`: prints the version, returns the exit code. */
int fp_main_version(void);

/* Help screens. */
void fp_help_root(FILE *f);
void fp_help_command(FILE *f, const fp_command *cmd);

/* -e/--env as func has it on deploy and run; `where` ends its help. */
#define FP_ENV_FLAG(where)                                                                    \
    {"env", 'e', FP_FLAG_ARRAY, NULL,                                                         \
     "Environment variable to set in the form NAME=VALUE (repeatable; NAME- unsets it), " where, \
     NULL, NULL, NULL}

/* Flags shared by build, deploy and run (a macro: C has no array concat). */
#define FP_BUILD_FLAGS FP_BUILD_FLAGS_FORCE("Build even when the function is up to date")
/* The same, with the command's own help for --force (deploy gives it a
 * second meaning). */
#define FP_BUILD_FLAGS_FORCE(force_help)                                                       \
    {"builder", 'b', FP_FLAG_STRING, NULL,                                                     \
     "Builder to use (inferred from the runtime when unset, e.g. wasm for *-wasi)", NULL, NULL,  \
     NULL},                                                                                    \
    {"image", 'i', FP_FLAG_STRING, NULL,                                                       \
     "Full image name (e.g. quay.io/me/hello:latest); overrides --registry", NULL, NULL, NULL}, \
    {"registry", 'r', FP_FLAG_STRING, NULL,                                                    \
     "Container registry and namespace (e.g. ghcr.io/me); image is <registry>/<name>:latest",  \
     NULL, NULL, NULL},                                                                        \
    {"registry-insecure", 0, FP_FLAG_BOOL, "false",                                            \
     "Allow plain HTTP and skip TLS verification for the registry", NULL, NULL, NULL},         \
    {"registry-authfile", 0, FP_FLAG_STRING, NULL,                                             \
     "Path to a registry authentication file (docker config.json or containers auth.json)",    \
     NULL, NULL, NULL},                                                                        \
    {"ca-file", 0, FP_FLAG_STRING, NULL,                                                       \
     "PEM file of CA certificates trusted for the registry's TLS, besides the system's", NULL,  \
     NULL, NULL},                                                                              \
    {"username", 0, FP_FLAG_STRING, NULL, "Username for the registry", NULL, NULL, NULL},      \
    {"password", 0, FP_FLAG_STRING, NULL, "Password for the registry", NULL, NULL, NULL},      \
    {"password-stdin", 0, FP_FLAG_BOOL, "false", "Read the registry password from stdin",      \
     NULL, NULL, NULL},                                                                        \
    {"token", 0, FP_FLAG_STRING, NULL, "Token (bearer/identity) for the registry", NULL, NULL, \
     NULL},                                                                                    \
    {"force", 0, FP_FLAG_BOOL, "false", force_help, NULL, NULL, NULL}

#endif
