/* Reading members of parsed JSON (json-c) the way every client of the
 * network module does: a missing or mistyped member is simply absent. */
#ifndef FUNCP_NET_JSON_GET_H
#define FUNCP_NET_JSON_GET_H

#include <json-c/json.h>

/* obj[key] when obj is an object and the member is a string; else NULL. */
const char *fp_json_string(json_object *obj, const char *key);

#endif
