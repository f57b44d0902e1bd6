/* json-c helpers for reading Kubernetes objects and building them: dotted
 * paths that tolerate any shape (a server object may lack anything). */
#ifndef PCOM_JSON_H
#define PCOM_JSON_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

/* Value at a dotted path ("status.url") through objects; NULL when absent. */
json_object *pcom_jget(json_object *o, const char *path);
/* String at a dotted path, NULL when absent or not a string. */
const char *pcom_jstr(json_object *o, const char *path);
/* Integer at a dotted path, `def` when absent or not an integer. */
int64_t pcom_jint(json_object *o, const char *path, int64_t def);
/* Length of an array; 0 for NULL or anything else (json-c asserts). */
size_t pcom_jlen(json_object *a);
/* Element i of an array, NULL when `a` is not an array or i is past the end. */
json_object *pcom_jidx(json_object *a, size_t i);
/* Get-or-create the object member `key` of `o`. */
json_object *pcom_jobj(json_object *o, const char *key);
void pcom_jset_str(json_object *o, const char *key, const char *value);

/* The condition of `type` in o.status.conditions, or NULL. */
json_object *pcom_condition(json_object *o, const char *type);

/* Percent-encode a query value (all but A-Z a-z 0-9 - _ . ~) into buf,
 * stopping short rather than overflowing. */
void pcom_urlenc_into(char *buf, size_t size, const char *value);
/* The same, malloc'ed (NULL on out of memory). */
char *pcom_urlenc(const char *value);

#endif
