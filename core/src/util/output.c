#include "util/output.h"

#include <json-c/json.h>
#include <regex.h>
#include <string.h>
#include <yaml.h>

#include "util/error.h"
#include "util/term.h"

int fp_format_parse(const char *name, fp_format *format)
{
    if (!name || !strcmp(name, "text") || !strcmp(name, "human") || !strcmp(name, "plain"))
        *format = FP_FORMAT_TEXT;
    else if (!strcmp(name, "json"))
        *format = FP_FORMAT_JSON;
    else if (!strcmp(name, "yaml"))
        *format = FP_FORMAT_YAML;
    else
        return fp_error_set(FUNCP_EUSAGE, "invalid output format \"%s\" (use text, json or yaml)",
                            name);
    return FUNCP_OK;
}

int fp_output_json(FILE *f, struct json_object *obj)
{
    const char *text = json_object_to_json_string_ext(
        obj, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
    if (!text)
        return fp_error_set(FUNCP_ERROR, "out of memory");
    fputs(text, f);
    fputc('\n', f);
    return ferror(f) ? fp_error_set(FUNCP_EIO, "write output failed") : FUNCP_OK;
}

/* A string that a YAML reader would take for something else (bool, null,
 * number) must be quoted to stay a string. */
static int yaml_needs_quotes(const char *s)
{
    static const char *const words[] = {"", "~", "null", "Null", "NULL", "true", "True", "TRUE",
                                        "false", "False", "FALSE", "yes", "Yes", "YES", "no",
                                        "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "y",
                                        "Y", "n", "N"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(s, words[i]) == 0)
            return 1;
    static regex_t number;
    static int compiled;
    if (!compiled) {
        if (regcomp(&number,
                    "^[-+]?(0x[0-9a-fA-F_]+|0o?[0-7_]+|[0-9][0-9_]*(\\.[0-9_]*)?([eE][-+]?[0-9]+)?|"
                    "\\.[0-9]+([eE][-+]?[0-9]+)?|\\.(inf|Inf|INF|nan|NaN|NAN)|[0-9:]+)$",
                    REG_EXTENDED | REG_NOSUB) != 0)
            return 1;
        compiled = 1;
    }
    return regexec(&number, s, 0, NULL, 0) == 0;
}

static int emit_scalar(yaml_emitter_t *em, const char *value, int is_string)
{
    yaml_event_t ev;
    yaml_scalar_style_t style = YAML_ANY_SCALAR_STYLE;
    if (is_string && yaml_needs_quotes(value))
        style = YAML_DOUBLE_QUOTED_SCALAR_STYLE;
    if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)value, (int)strlen(value),
                                      1, 1, style))
        return -1;
    return yaml_emitter_emit(em, &ev) ? 0 : -1;
}

static int emit_node(yaml_emitter_t *em, struct json_object *obj)
{
    yaml_event_t ev;
    switch (json_object_get_type(obj)) {
    case json_type_object:
        if (!yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE) ||
            !yaml_emitter_emit(em, &ev))
            return -1;
        json_object_object_foreach(obj, key, val)
        {
            if (emit_scalar(em, key, 1) || emit_node(em, val))
                return -1;
        }
        if (!yaml_mapping_end_event_initialize(&ev) || !yaml_emitter_emit(em, &ev))
            return -1;
        return 0;
    case json_type_array:
        if (!yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE) ||
            !yaml_emitter_emit(em, &ev))
            return -1;
        for (size_t i = 0; i < json_object_array_length(obj); i++)
            if (emit_node(em, json_object_array_get_idx(obj, i)))
                return -1;
        if (!yaml_sequence_end_event_initialize(&ev) || !yaml_emitter_emit(em, &ev))
            return -1;
        return 0;
    case json_type_null:
        return emit_scalar(em, "null", 0);
    case json_type_string:
        return emit_scalar(em, json_object_get_string(obj), 1);
    default:
        return emit_scalar(em, json_object_get_string(obj), 0);
    }
}

int fp_output_yaml(FILE *f, struct json_object *obj)
{
    yaml_emitter_t em;
    yaml_event_t ev;
    if (!yaml_emitter_initialize(&em))
        return fp_error_set(FUNCP_ERROR, "out of memory");
    yaml_emitter_set_output_file(&em, f);
    yaml_emitter_set_unicode(&em, 1);
    yaml_emitter_set_width(&em, -1);
    int ok = yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) &&
             yaml_emitter_emit(&em, &ev) &&
             yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1) &&
             yaml_emitter_emit(&em, &ev) && emit_node(&em, obj) == 0 &&
             yaml_document_end_event_initialize(&ev, 1) && yaml_emitter_emit(&em, &ev) &&
             yaml_stream_end_event_initialize(&ev) && yaml_emitter_emit(&em, &ev) &&
             yaml_emitter_flush(&em);
    const char *problem = em.problem;
    yaml_emitter_delete(&em);
    if (!ok)
        return fp_error_set(FUNCP_ERROR, "write YAML: %s", problem ? problem : "emitter error");
    return FUNCP_OK;
}

int fp_output_data(FILE *f, fp_format format, struct json_object *obj)
{
    switch (format) {
    case FP_FORMAT_JSON:
        return fp_output_json(f, obj);
    case FP_FORMAT_YAML:
        return fp_output_yaml(f, obj);
    default:
        return fp_error_set(FUNCP_EUSAGE, "text output is printed by the command");
    }
}

void fp_output_table(FILE *f, const char *const *header, size_t n_cols,
                     const char *const *cells, size_t n_rows)
{
    size_t width[16] = {0};
    if (n_cols > 16)
        n_cols = 16;
    for (size_t c = 0; c < n_cols; c++) {
        width[c] = strlen(header[c]);
        for (size_t r = 0; r < n_rows; r++) {
            const char *s = cells[r * n_cols + c];
            size_t l = s ? strlen(s) : 0;
            if (l > width[c])
                width[c] = l;
        }
    }
    const char *bold = fp_term_sgr(f, "1"), *reset = *bold ? "\033[0m" : "";
    for (size_t c = 0; c < n_cols; c++) {
        if (c + 1 < n_cols)
            fprintf(f, "%s%-*s%s  ", bold, (int)width[c], header[c], reset);
        else
            fprintf(f, "%s%s%s\n", bold, header[c], reset);
    }
    for (size_t r = 0; r < n_rows; r++)
        for (size_t c = 0; c < n_cols; c++) {
            const char *s = cells[r * n_cols + c];
            if (c + 1 < n_cols)
                fprintf(f, "%-*s  ", (int)width[c], s ? s : "");
            else
                fprintf(f, "%s\n", s ? s : "");
        }
}
