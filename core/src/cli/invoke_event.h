/* Pieces of funcp invoke: the request body from --file, and the CloudEvents
 * 1.0 binary-mode headers (ce-id, ce-source, ce-type, ce-specversion and
 * extensions), and the request format. */
#ifndef FUNCP_CLI_INVOKE_EVENT_H
#define FUNCP_CLI_INVOKE_EVENT_H

#include <stddef.h>

#define FP_UUID_LEN 36

/* A random (version 4) UUID in `out` (FP_UUID_LEN + 1 bytes), from
 * /dev/urandom so that no crypto library is needed; FUNCP_EIO when it
 * cannot be read. */
int fp_invoke_uuid4(char *out);

/* The whole of `path`, malloc'ed and NUL-terminated, for --file; FUNCP_EIO
 * naming the flag and the file when it cannot be read. */
int fp_invoke_read_body(const char *path, char **data, size_t *len);

/* The CloudEvents headers: "ce-specversion", "ce-id", "ce-source",
 * "ce-type", then one "ce-<name>" per extension ("name=value", from -e;
 * names lower-cased as the CloudEvents SDK does), as malloc'ed "Name: value"
 * lines in a NULL-terminated array (free with fp_invoke_event_free). An id
 * of NULL or "" gets a random UUID. FUNCP_EUSAGE when a value holds a
 * control character (it would split the header), or an extension is not
 * name=value, its name not [a-z0-9]+ or a CloudEvents context attribute. */
int fp_invoke_event_headers(const char *id, const char *source, const char *type,
                            char *const *extensions, size_t n_extensions, char ***lines);
void fp_invoke_event_free(char **lines);

/* func's -f/--format and func.yaml `invoke:` spellings: "http", and
 * "cloudevent" or "cloudevents" in any case (func lower-cases them).
 * Returns "http" or "cloudevent", or NULL for anything else. */
const char *fp_invoke_format(const char *text);

#endif
