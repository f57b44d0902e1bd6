/* libFuzzer target: any input either fails to load with an error message,
 * or loads, and then what we write (comments included) loads again and
 * writes the same text; also after migrations.
 * The input's first line doubles as a path for get/set/remove. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "function/funcyaml.h"
#include "function/funcyaml_internal.h"
#include "util/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *dump_checked(const fp_funcyaml *doc)
{
    char *text = fp_funcyaml_dump(doc);
    if (!text) {
        fprintf(stderr, "dump failed: %s\n", fp_error_message());
        abort();
    }
    return text;
}

/* What we write must load again and come out the same. */
static void check_stable(const fp_funcyaml *doc)
{
    char *first = dump_checked(doc);
    fp_funcyaml *again = fp_funcyaml_parse(first, strlen(first), "func.yaml");
    if (!again) {
        fprintf(stderr, "own output does not load: %s\n---\n%s", fp_error_message(), first);
        abort();
    }
    char *second = dump_checked(again);
    if (strcmp(first, second) != 0) {
        fprintf(stderr, "output not stable:\n---\n%s---\n%s", first, second);
        abort();
    }
    /* Comments woven in change no value: the text without them reads the same. */
    char *bare = fy_emit(doc->root);
    fp_funcyaml *plain = bare ? fp_funcyaml_parse(bare, strlen(bare), "func.yaml") : NULL;
    char *want = plain ? fp_funcyaml_json(plain, "") : NULL;
    char *got = fp_funcyaml_json(again, "");
    if (!want || !got || strcmp(want, got) != 0) {
        fprintf(stderr, "comments changed a value:\n---\n%s---\n%s", bare ? bare : "", first);
        abort();
    }
    free(want);
    free(got);
    fp_funcyaml_free(plain);
    free(bare);
    free(second);
    free(first);
    fp_funcyaml_free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fp_error_clear();
    fp_funcyaml *doc = fp_funcyaml_parse((const char *)data, size, "func.yaml");
    if (!doc) {
        if (fp_error_code() == 0 || !*fp_error_message())
            abort(); /* every failure says why */
        return 0;
    }
    char *json = fp_funcyaml_json(doc, "");
    if (!json)
        abort();
    free(json);
    check_stable(doc);
    free(fp_funcyaml_unknown_keys(doc, "func.yaml"));
    (void)fp_funcyaml_validate(doc, "func.yaml");

    /* The same text as a function's func.yaml: migrated, then as stable. */
    fp_funcyaml *migrated = fp_funcyaml_parse_function((const char *)data, size, "func.yaml");
    if (migrated)
        check_stable(migrated);
    else if (fp_error_code() == 0 || !*fp_error_message())
        abort();
    fp_funcyaml_free(migrated);

    char path[65];
    size_t n = 0;
    while (n < size && n < 64 && data[n] != '\n' && data[n] != '\0') {
        path[n] = (char)data[n];
        n++;
    }
    path[n] = '\0';
    (void)fp_funcyaml_get(doc, path);
    (void)fp_funcyaml_count(doc, path);
    (void)fp_funcyaml_key(doc, path, 0);
    free(fp_funcyaml_json(doc, path));
    if (fp_funcyaml_set(doc, path, "true") == FUNCP_OK)
        check_stable(doc);
    if (fp_funcyaml_set_json(doc, path, "{\"a\":[1,\"2\",null]}") == FUNCP_OK)
        check_stable(doc);
    if (fp_funcyaml_remove(doc, path) == FUNCP_OK)
        check_stable(doc);
    fp_funcyaml_free(doc);
    return 0;
}
