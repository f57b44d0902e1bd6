/* Image references in the docker grammar:
 *   [host[:port]/]path[/path...][:tag][@sha256:<64 hex>]
 * with docker's normalisation: no host → docker.io (API host
 * registry-1.docker.io), a one-component path on docker.io → library/<x>. */
#ifndef FUNCP_OCI_REFERENCE_H
#define FUNCP_OCI_REFERENCE_H

#include <stddef.h>

typedef struct fp_oci_ref {
    char registry[256];   /* as the user names it: "docker.io", "localhost:5000" */
    char api_host[256];   /* where requests go: "registry-1.docker.io"           */
    char repository[256]; /* "library/alpine", "user/app/fn"                     */
    char tag[129];        /* "" when only a digest was given                     */
    char digest[72];      /* "sha256:<64 hex>" or ""                             */
} fp_oci_ref;

/* Parse and normalise; with neither tag nor digest the tag is "latest".
 * FUNCP_EUSAGE with a message naming the reference and the problem. */
int fp_oci_ref_parse(const char *text, fp_oci_ref *ref);

/* "registry/repository:tag" or "registry/repository@digest" (digest wins). */
int fp_oci_ref_format(const fp_oci_ref *ref, char *buf, size_t size);
/* "registry/repository@<digest>": the reference pinned to a manifest. */
int fp_oci_ref_pinned(const fp_oci_ref *ref, const char *digest, char *buf, size_t size);
/* The tag if any, else the digest: what goes after /manifests/. */
const char *fp_oci_ref_target(const fp_oci_ref *ref);

/* True for "sha256:" followed by 64 lowercase hex digits. */
int fp_oci_digest_valid(const char *digest);

#endif
