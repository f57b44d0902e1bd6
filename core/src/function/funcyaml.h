/* func.yaml: the knative func schema on a node tree read with libyaml.
 *
 * The document keeps every node it read, so unknown keys, key order,
 * scalar styles and comments (func's "# $schema:" header, full-line and
 * trailing comments, blank lines) survive a load/save round trip; a
 * comment moves and goes with the key or item it precedes or ends the
 * line of (aliases are expanded). Values are addressed by path: "runtime",
 * "build.builderImages.http", "run.envs[0].name", and keys holding dots
 * or slashes quoted in brackets:
 * deploy.annotations["autoscaling.knative.dev/min"]. */
#ifndef FUNCP_FUNCTION_FUNCYAML_H
#define FUNCP_FUNCTION_FUNCYAML_H

#include <stddef.h>

typedef struct fp_funcyaml fp_funcyaml;

/* Name of the file in a function's root. */
#define FP_FUNCYAML_FILE "func.yaml"
/* specVersion written by new functions (knative func's current schema). */
#define FP_FUNCYAML_SPEC_VERSION "0.36.0"

/* An empty document (for create). */
fp_funcyaml *fp_funcyaml_new(void);
/* Load `path` as a function's func.yaml: parsed, migrated from an older
 * specVersion as knative func migrates it (see fp_funcyaml_migrated_from),
 * then checked. On a syntax or schema error returns NULL with
 * FUNCP_EPARSE and the message "<path>:LINE:COL: <what>" (duplicate keys,
 * a top level that is not a mapping, a bad name, a known sequence or
 * mapping field of the wrong kind, a non-bool registryInsecure, a
 * specVersion that is no version, an old key a migration cannot move). A
 * missing file is FUNCP_ENOTFOUND. */
fp_funcyaml *fp_funcyaml_load(const char *path);
/* Parse from memory as it is, without migrations (any YAML mapping kept
 * in func.yaml's model); `name` is used in error messages. */
fp_funcyaml *fp_funcyaml_parse(const char *text, size_t len, const char *name);
/* Parse from memory like fp_funcyaml_load. */
fp_funcyaml *fp_funcyaml_parse_function(const char *text, size_t len, const char *name);
/* The specVersion the file had when migrations ran on load ("" for a file
 * without one), NULL when it was current. A migrated document is not
 * dirty: it is written, with the current specVersion, only when something
 * else changes it and it is saved. */
const char *fp_funcyaml_migrated_from(const fp_funcyaml *doc);
void fp_funcyaml_free(fp_funcyaml *doc);

/* Write atomically (temp file in the same directory, fsync, rename). On
 * failure the old file is untouched. */
int fp_funcyaml_save(const fp_funcyaml *doc, const char *path);
/* Serialise to a malloc'ed string. */
char *fp_funcyaml_dump(const fp_funcyaml *doc);

/* Scalar at path or NULL (absent, null, or not a scalar). Owned by doc;
 * valid until the next change. */
const char *fp_funcyaml_get(const fp_funcyaml *doc, const char *path);
/* Entries in the sequence or mapping at path; 0 when absent. */
size_t fp_funcyaml_count(const fp_funcyaml *doc, const char *path);
/* Key of the index-th pair of the mapping at path, or NULL. */
const char *fp_funcyaml_key(const fp_funcyaml *doc, const char *path, size_t index);
/* Set a scalar, creating mappings (and appending sequence items for
 * "[n]" one past the end) on the way. New keys go after existing ones.
 * A string that would read as a bool, null or number is written quoted,
 * except in fields typed so (registryInsecure: true). value NULL removes
 * the key. FUNCP_EUSAGE for a malformed path or a value the schema
 * refuses. */
int fp_funcyaml_set(fp_funcyaml *doc, const char *path, const char *value);
/* Replace the subtree at path with a JSON value (objects become mappings,
 * arrays sequences), creating the way like fp_funcyaml_set. FUNCP_EPARSE
 * for invalid JSON. */
int fp_funcyaml_set_json(fp_funcyaml *doc, const char *path, const char *json);
/* Remove the key or sequence item at path; FUNCP_OK also when absent. */
int fp_funcyaml_remove(fp_funcyaml *doc, const char *path);
/* The subtree at path ("" for the whole document) as JSON, malloc'ed;
 * NULL when absent. Scalars that look like numbers/bools stay strings
 * unless they were plain YAML ints/bools. */
char *fp_funcyaml_json(const fp_funcyaml *doc, const char *path);
/* True when `doc` was changed since load (save only then). */
int fp_funcyaml_dirty(const fp_funcyaml *doc);

/* One line per key, at any depth, that func.yaml's schema (knative
 * func's, plus funcp's run.args and deploy.network) does not know:
 * "<file>:L:C: unknown key \"envz\" in run; did you mean \"envs\"?" when a
 * known key is within 2 edits, else "...; the nearest known key is
 * \"X\"". Joined by newlines; malloc'ed, NULL when there is none. Keys
 * under an unknown key and in free-key maps (annotations, builderImages)
 * are not reported. Unknown keys stay in the document (func keeps them). */
char *fp_funcyaml_unknown_keys(const fp_funcyaml *doc, const char *file);
/* The "did you mean" lines of fp_funcyaml_unknown_keys only: hints for an
 * error such as a missing runtime. */
char *fp_funcyaml_typo_hints(const fp_funcyaml *doc, const char *file);

/* Check a function name against knative func's pattern
 * ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ ; FUNCP_EUSAGE with a clear message.
 * This is what loading accepts. */
int fp_funcyaml_check_name(const char *name);
/* The stricter rule func applies to a new name at create: a DNS-1035
 * label (a lower case letter first, lower case letters, digits and '-',
 * ending with a letter or digit, at most 63 characters). FUNCP_EUSAGE with
 * func's message: "Function name '1abc' must consist of ...". */
int fp_funcyaml_check_new_name(const char *name);

/* knative func's validation of the entries funcp reads: run.envs and
 * build.buildEnvs (a name and a value, or for run.envs a whole secret or
 * config map; valid names; known {{ }} forms; no duplicates), run.volumes
 * (one volume type, a path, no duplicate path, a claim name, a known
 * emptyDir medium) and deploy.labels (a key; Kubernetes label key and
 * value rules). FUNCP_EPARSE listing every problem, one a line:
 * "<file>:L:C: run.envs: env entry #0 is missing value field, only name
 * 'A' is set" (func's texts). Load does not call it (a broken entry can
 * still be edited away); commands call it before they build or write. */
int fp_funcyaml_validate(const fp_funcyaml *doc, const char *file);

#endif
