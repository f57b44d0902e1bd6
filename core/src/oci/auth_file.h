/* Registry credentials from the files docker, podman and skopeo use:
 * an explicit --registry-authfile, $REGISTRY_AUTH_FILE,
 * ${XDG_RUNTIME_DIR}/containers/auth.json,
 * ${XDG_CONFIG_HOME:-~/.config}/containers/auth.json, then
 * ${DOCKER_CONFIG:-~/.docker}/config.json. The first file with an entry
 * for the registry wins. In a file: credHelpers[host], then auths[host]
 * (base64 "auth" or username/password, identitytoken), then credsStore;
 * helpers run as `docker-credential-<name> get` with the host on stdin. */
#ifndef FUNCP_OCI_AUTH_FILE_H
#define FUNCP_OCI_AUTH_FILE_H

#include <stddef.h>

typedef struct fp_credentials {
    char username[256];
    char password[1024];
    char identity_token[4096]; /* refresh token for the Bearer flow */
} fp_credentials;

/* Look in one config document. Returns 1 and fills `creds` when it holds
 * credentials for `registry`, 2 with `helper` set when a credential helper
 * must be asked, 0 when the document has nothing for it, or a negative
 * status (FUNCP_EPARSE naming `source`) when it is malformed. */
int fp_auth_config_parse(const char *json, size_t len, const char *source, const char *registry,
                         fp_credentials *creds, char helper[64]);

/* Ask docker-credential-<helper> for `registry`: 1 found, 0 not found. */
int fp_auth_run_helper(const char *helper, const char *registry, fp_credentials *creds);

/* The files the search reads, in order (those that exist or not), for
 * messages that say where funcp looked. Returns how many. */
enum { FP_AUTH_PATHS_MAX = 6 };
int fp_auth_search_paths(const char *authfile, char paths[][4096], int max);

/* The whole search. 1 found, 0 anonymous, negative on error. */
int fp_auth_lookup(const char *registry, const char *authfile, fp_credentials *creds);

/* Wipe credentials from memory. */
void fp_credentials_clear(fp_credentials *creds);

#endif
