/* WIT provisioning: fetch the WIT packages listed in func.yaml
 * build.builderImages (OCI references) into wit/deps/<pkg>/, as knative
 * func's wasm builder does. */
#ifndef PCOM_WIT_H
#define PCOM_WIT_H

#include <stddef.h>
#include <funcp/plugin.h>

#define PCOM_WIT_MODE_KEY "__WASI_WIT_PROVIDER_MODE"

/* Provision every changed builderImages entry under <root>/wit. Nothing to
 * do (no entries, or all recorded in wit/.versions) is FUNCP_OK. Errors are
 * wrapped "WIT provisioning failed: ...". */
int pcom_wit_provision(const funcp_host *host, funcp_call *call, const char *root);

/* One WIT package cut out of a multi-package text. */
typedef struct pcom_wit_package {
    char *name;   /* "wasi:http@0.2.3" (namespace:name[@version]) */
    char *text;   /* a single-package WIT file: "package ...;" + body */
} pcom_wit_package;

/* Split WIT text holding a main package ("package a:b;" then items) and
 * nested "package c:d { ... }" blocks into one text per package; the main
 * package comes first. Returns the count, or -1 when the text has no
 * package declaration or unbalanced braces. Free with pcom_wit_packages_free. */
int pcom_wit_split(const char *text, pcom_wit_package **out);
void pcom_wit_packages_free(pcom_wit_package *pkgs, int n);

/* File stem wasm-tools uses for a package: its name ("http"), or on a
 * collision with another package of the list, "http@0.2.3", then
 * "wasi:http", then the full name. Malloc'ed. */
char *pcom_wit_stem(const pcom_wit_package *pkgs, int n, int index);

/* 1 when stem is safe as a single directory name under wit/deps. */
int pcom_wit_stem_ok(const char *stem);

/* wit/.versions: key -> OCI reference. */
typedef struct pcom_versions pcom_versions;
/* Missing or unparsable file: empty. NULL only on out of memory. */
pcom_versions *pcom_versions_load(const char *path);
const char *pcom_versions_get(const pcom_versions *v, const char *key);
int pcom_versions_set(pcom_versions *v, const char *key, const char *ref);
/* JSON object, keys sorted, 2-space indent, trailing newline; atomic. */
int pcom_versions_save(const pcom_versions *v, const char *path);
void pcom_versions_free(pcom_versions *v);

#endif
