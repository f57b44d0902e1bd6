/* Printing data for scripts and people: JSON (json-c, pretty, keys in
 * insertion order), YAML (libyaml emitter) and aligned text tables. */
#ifndef FUNCP_UTIL_OUTPUT_H
#define FUNCP_UTIL_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

#include "funcp/plugin.h"

struct json_object;

/* Output format asked for by -o. Plugins see it as option "output". */
typedef enum fp_format {
    FP_FORMAT_TEXT = 0,
    FP_FORMAT_JSON = 1,
    FP_FORMAT_YAML = 2
} fp_format;

/* Parse "text", "json", "yaml" (func's "human"/"plain" mean text). */
int fp_format_parse(const char *name, fp_format *format);

/* Print `obj` as pretty JSON or YAML followed by a newline. */
int fp_output_json(FILE *f, struct json_object *obj);
int fp_output_yaml(FILE *f, struct json_object *obj);
/* JSON or YAML by format; FUNCP_EUSAGE for text (the caller prints text). */
int fp_output_data(FILE *f, fp_format format, struct json_object *obj);

/* A table with a header row laid out as func's (Go tabwriter: minwidth 0,
 * padding 2): each column but the last as wide as its widest cell plus 2
 * spaces; the header bold when colour is allowed. cells is row-major, NULL = "". */
void fp_output_table(FILE *f, const char *const *header, size_t n_cols,
                     const char *const *cells, size_t n_rows);

#endif
