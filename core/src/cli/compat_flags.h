/* knative func flags that funcp accepts so a func user's command line
 * works, but whose effect does not exist for WebAssembly functions (no
 * prompts, no platforms, no buildpacks, no on-cluster builds). Each one
 * given is named: a warning when funcp can go on without it, a usage
 * error when going on would do something else than the user asked. */
#ifndef FUNCP_CLI_COMPAT_FLAGS_H
#define FUNCP_CLI_COMPAT_FLAGS_H

struct funcp_call;

/* Warn about (or refuse) every compatibility flag the call was given,
 * on the command line or as FUNC_<FLAG>. */
int fp_cli_note_unapplied(struct funcp_call *call);

/* The flags themselves, for the command tables (see commands.h). */
#define FP_COMPAT_CONFIRM                                                                      \
    {"confirm", 'c', FP_FLAG_BOOL, "false",                                                    \
     "Accepted for func compatibility: funcp does not prompt (flags, FUNC_* and func.yaml "    \
     "give every value)", NULL, NULL, NULL}
#define FP_COMPAT_BUILD_FLAGS                                                                  \
    {"platform", 0, FP_FLAG_STRING, NULL,                                                      \
     "Accepted for func compatibility: a WebAssembly component runs on any platform", NULL,    \
     NULL, NULL},                                                                              \
    {"builder-image", 0, FP_FLAG_STRING, NULL,                                                 \
     "Accepted for func compatibility: the wasm builder uses no builder image", NULL, NULL,    \
     NULL},                                                                                    \
    {"base-image", 0, FP_FLAG_STRING, NULL,                                                    \
     "Accepted for func compatibility: the wasm builder uses no base image", NULL, NULL, NULL}, \
    {"build-timestamp", 0, FP_FLAG_BOOL, "false",                                              \
     "Accepted for func compatibility: only buildpacks images carry a build time", NULL, NULL, \
     NULL}
#define FP_COMPAT_REMOTE_FLAGS                                                                 \
    {"remote", 'R', FP_FLAG_BOOL, "false",                                                     \
     "On-cluster (Tekton) build: not supported by funcp, which builds locally", NULL, NULL,    \
     NULL},                                                                                    \
    {"git-url", 'g', FP_FLAG_STRING, NULL, "Repository for an on-cluster build (needs --remote)", \
     NULL, NULL, NULL},                                                                        \
    {"git-branch", 't', FP_FLAG_STRING, NULL, "Git branch for an on-cluster build (needs --remote)", \
     NULL, NULL, NULL},                                                                        \
    {"git-dir", 'd', FP_FLAG_STRING, NULL,                                                     \
     "Directory in the repository for an on-cluster build (needs --remote)", NULL, NULL, NULL}, \
    {"pvc-size", 0, FP_FLAG_STRING, NULL,                                                      \
     "Volume size for an on-cluster build (kept in func.yaml build.pvcSize)", NULL, NULL, NULL}, \
    {"remote-storage-class", 0, FP_FLAG_STRING, NULL,                                          \
     "Storage class for an on-cluster build (kept in func.yaml build.remoteStorageClass)",     \
     NULL, NULL, NULL},                                                                        \
    {"management-disabled", 0, FP_FLAG_BOOL, "false",                                          \
     "Accepted for func compatibility: funcp has no operator to hand the function to", NULL,   \
     NULL, NULL}

#endif
