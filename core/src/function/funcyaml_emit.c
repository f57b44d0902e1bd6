/* Serialising the node tree through libyaml's emitter. */
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "function/funcyaml_internal.h"
#include "util/buf.h"
#include "util/error.h"

typedef struct {
    fp_buf buf;
    int oom;
} buffer;

static int write_out(void *ctx, unsigned char *bytes, size_t size)
{
    buffer *b = ctx;
    if (fp_buf_append(&b->buf, bytes, size, 0) == 0)
        return 1;
    b->oom = 1;
    return 0;
}

static int emit(yaml_emitter_t *e, yaml_event_t *ev, int ok)
{
    /* An event that failed to initialise (invalid UTF-8 in a value) is
     * reported like an emitter problem. */
    if (!ok) {
        e->error = YAML_EMITTER_ERROR;
        e->problem = "invalid UTF-8 or tag in a value";
        return 0;
    }
    return yaml_emitter_emit(e, ev);
}

static int emit_node(yaml_emitter_t *e, const fy_node *node)
{
    yaml_event_t ev;
    yaml_char_t *tag = (yaml_char_t *)node->tag;
    int implicit = tag == NULL;
    switch (node->kind) {
    case FY_SCALAR:
        return emit(e, &ev,
                    yaml_scalar_event_initialize(&ev, NULL, tag, (yaml_char_t *)node->value,
                                                 (int)node->len, implicit, implicit,
                                                 (yaml_scalar_style_t)node->style));
    case FY_SEQ:
        if (!emit(e, &ev,
                  yaml_sequence_start_event_initialize(&ev, NULL, tag, implicit,
                                                       (yaml_sequence_style_t)node->style)))
            return 0;
        break;
    case FY_MAP:
        if (!emit(e, &ev,
                  yaml_mapping_start_event_initialize(&ev, NULL, tag, implicit,
                                                      (yaml_mapping_style_t)node->style)))
            return 0;
        break;
    }
    for (size_t i = 0; i < node->n; i++)
        if (!emit_node(e, node->items[i]))
            return 0;
    if (node->kind == FY_SEQ)
        return emit(e, &ev, yaml_sequence_end_event_initialize(&ev));
    return emit(e, &ev, yaml_mapping_end_event_initialize(&ev));
}

char *fy_emit(const fy_node *root)
{
    yaml_emitter_t e;
    buffer out = {0};
    yaml_event_t ev;
    if (!yaml_emitter_initialize(&e)) {
        fp_error_set(FUNCP_ERROR, "out of memory");
        return NULL;
    }
    yaml_emitter_set_output(&e, write_out, &out);
    yaml_emitter_set_unicode(&e, 1);
    yaml_emitter_set_width(&e, -1); /* never fold long values */
    yaml_emitter_set_indent(&e, 2);
    int ok = emit(&e, &ev, yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING)) &&
             emit(&e, &ev, yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1)) &&
             emit_node(&e, root) &&
             emit(&e, &ev, yaml_document_end_event_initialize(&ev, 1)) &&
             emit(&e, &ev, yaml_stream_end_event_initialize(&ev)) && yaml_emitter_flush(&e);
    if (!ok) {
        if (out.oom || e.error == YAML_MEMORY_ERROR)
            fp_error_set(FUNCP_ERROR, "out of memory writing func.yaml");
        else
            fp_error_set(FUNCP_ERROR, "cannot write func.yaml: %s",
                         e.problem ? e.problem : "emitter error");
        free(out.buf.data);
        out.buf.data = NULL;
    } else if (!out.buf.data) {
        out.buf.data = strdup("");
    }
    yaml_emitter_delete(&e);
    return out.buf.data;
}
