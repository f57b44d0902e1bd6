/* The one error a refused (or missing) credential gets, whatever the
 * scheme: "authentication failed for <registry> (user u): <server's words>",
 * and, with no credentials, where funcp looked and how to give them. */
#include "oci/registry_internal.h"

#include <stdio.h>
#include <string.h>

#include "util/error.h"

int fp_registry_auth_failed(fp_registry *reg, const char *said)
{
    if (reg->have_creds && reg->creds.username[0])
        return fp_error_set(FUNCP_EAUTH, "authentication failed for %s (user %s): %s", reg->ref.registry,
                            reg->creds.username, said);
    if (reg->have_creds)
        return fp_error_set(FUNCP_EAUTH, "authentication failed for %s (identity token): %s", reg->ref.registry,
                            said);
    char paths[FP_AUTH_PATHS_MAX][4096], looked[2048] = "";
    int n = fp_auth_search_paths(reg->authfile[0] ? reg->authfile : NULL, paths, FP_AUTH_PATHS_MAX);
    size_t used = 0;
    for (int i = 0; i < n && used < sizeof looked; i++) {
        int w = snprintf(looked + used, sizeof looked - used, "%s%s", i ? ", " : "", paths[i]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    fp_error_set(FUNCP_EAUTH, "authentication failed for %s (no credentials): %s; no credentials for %s were "
                 "given (--username) or found in %s", reg->ref.registry, said, reg->ref.registry,
                 n ? looked : "any auth file (HOME is not set)");
    fp_error_hint("log in with 'docker login %s' (or podman/skopeo login), or pass --username with --password or "
                  "--password-stdin", reg->ref.registry);
    return FUNCP_EAUTH;
}
