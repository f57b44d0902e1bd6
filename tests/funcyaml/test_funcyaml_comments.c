/* Comments survive: func's "# $schema:" header, full-line and trailing
 * comments, blank lines, through load/save, edits and migrations. */
#include "fy_test.h"

static char *dump_of(const char *text)
{
    fp_funcyaml *doc = fp_funcyaml_parse(text, strlen(text), "c.yaml");
    assert_non_null(doc);
    char *out = fp_funcyaml_dump(doc);
    assert_non_null(out);
    fp_funcyaml_free(doc);
    return out;
}

/* A commented file in our emitter's style comes back byte for byte,
 * through a real save and load as well. */
static void round_trip_keeps_every_comment(void **state)
{
    (void)state;
    char *orig = read_text(fixture("commented.yaml"));
    assert_non_null(orig);
    char *out = dump_of(orig);
    assert_string_equal(out, orig);
    free(out);
    char *dir = make_temp_dir();
    char path[4200];
    snprintf(path, sizeof path, "%s/func.yaml", dir);
    write_text(path, orig);
    fp_funcyaml *doc = fp_funcyaml_load(path);
    assert_non_null(doc);
    assert_int_equal(fp_funcyaml_save(doc, path), FUNCP_OK);
    char *saved = read_text(path);
    assert_string_equal(saved, orig);
    free(saved);
    fp_funcyaml_free(doc);
    rm_tree(dir);
    free(orig);
}

/* Setting a value keeps the comments of its key; new keys come without;
 * removing a key takes its own comments only; the header stays even when
 * the first key goes. */
static void edits_keep_comments_in_place(void **state)
{
    (void)state;
    const char *text = "# $schema: https://example.com/func_yaml-schema.json\n"
                       "specVersion: 0.36.0\n"
                       "# the function\n"
                       "name: a # short\n"
                       "# goes away with its key\n"
                       "registry: r # also\n"
                       "run:\n"
                       "  envs:\n"
                       "  # first\n"
                       "  - name: A\n"
                       "    value: b\n";
    fp_funcyaml *doc = fp_funcyaml_parse(text, strlen(text), "c.yaml");
    assert_non_null(doc);
    assert_int_equal(fp_funcyaml_set(doc, "name", "b"), FUNCP_OK);
    assert_int_equal(fp_funcyaml_remove(doc, "registry"), FUNCP_OK);
    assert_int_equal(fp_funcyaml_remove(doc, "specVersion"), FUNCP_OK);
    assert_int_equal(fp_funcyaml_set(doc, "run.envs[1].name", "C"), FUNCP_OK);
    assert_int_equal(fp_funcyaml_set(doc, "run.envs[1].value", "d"), FUNCP_OK);
    char *out = fp_funcyaml_dump(doc);
    assert_string_equal(out, "# $schema: https://example.com/func_yaml-schema.json\n"
                             "# the function\n"
                             "name: b # short\n"
                             "run:\n"
                             "  envs:\n"
                             "  # first\n"
                             "  - name: A\n"
                             "    value: b\n"
                             "  - name: C\n"
                             "    value: d\n");
    free(out);
    fp_funcyaml_free(doc);
}

/* What is not a comment stays text; odd places still come back valid
 * and stable (dump, load, dump gives the same text). */
static void not_comments_and_odd_places(void **state)
{
    (void)state;
    const char *text = "a: 'x # y'\n"
                       "b: \"#no\"\n"
                       "c: d#e\n"
                       "l: |\n"
                       "  # text\n"
                       "m: [1, # one\n"
                       "  2]\n"
                       "n:    # null value\n"
                       "    # indented more\n"
                       "o: 1\n";
    char *out = dump_of(text);
    assert_string_equal(out, "a: 'x # y'\n"
                             "b: \"#no\"\n"
                             "c: d#e\n"
                             "l: |\n"
                             "  # text\n"
                             "m: [1, 2] # one\n"
                             "n:    # null value\n"
                             "    # indented more\n"
                             "o: 1\n");
    char *again = dump_of(out);
    assert_string_equal(again, out);
    free(again);
    free(out);
    /* indentation is re-applied relative to the node's line */
    out = dump_of("run:\n    # four\n    envs:\n    -   name: A\n        value: b\n");
    assert_string_equal(out, "run:\n  # four\n  envs:\n  - name: A\n    value: b\n");
    free(out);
    /* blank lines inside a quoted value are the value's (a fuzzer find) */
    const char *quoted = "created: '2023-0\n\n\n  eventk' # c\r\nname: x\n";
    fp_funcyaml *doc = fp_funcyaml_parse(quoted, strlen(quoted), "q.yaml");
    assert_non_null(doc);
    assert_int_equal(fp_funcyaml_set(doc, "runtime", "go"), FUNCP_OK);
    out = fp_funcyaml_dump(doc);
    assert_string_equal(out, "created: '2023-0\n\n\n  eventk' # c\nname: x\nruntime: go\n");
    again = dump_of(out);
    assert_string_equal(again, out);
    free(again);
    free(out);
    fp_funcyaml_free(doc);
    /* a comment never lands inside a value spread over lines */
    const char *spread = "m: {a: 'x\n\n  y',\n  # about b\n  b: 1, c: [d, 'e\n\n  f'] # after\n}\n";
    doc = fp_funcyaml_parse(spread, strlen(spread), "s.yaml");
    assert_non_null(doc);
    out = fp_funcyaml_dump(doc);
    assert_non_null(strstr(out, "# about b\n"));
    assert_non_null(strstr(out, "# after\n"));
    fp_funcyaml *reread = fp_funcyaml_parse(out, strlen(out), "s.yaml");
    assert_non_null(reread);
    char *want = fp_funcyaml_json(doc, ""), *got = fp_funcyaml_json(reread, "");
    assert_string_equal(got, want);
    free(want);
    free(got);
    fp_funcyaml_free(reread);
    fp_funcyaml_free(doc);
    free(out);
    /* an alias is expanded; the comment stays with the anchor's line */
    out = dump_of("# about a\na: &x v # c\nb: *x\n# about l\nl: [*x]\n");
    assert_string_equal(out, "# about a\na: v # c\nb: v\n# about l\nl: [v]\n");
    free(out);
    /* after a block scalar's text a comment is never indented into it */
    out = dump_of("x:\n    a: |\n        text\n      # c\n\n    b: 1\n   # foot\n");
    assert_string_equal(out, "x:\n  a: |\n    text\n  # c\n  b: 1\n   # foot\n");
    free(out);
    out = dump_of("  s: |\n    t\n   # foot\n");
    assert_string_equal(out, "s: |\n  t\n# foot\n");
    free(out);
    /* a file of comments alone */
    out = dump_of("# only\n# comments\n");
    assert_string_equal(out, "# only\n# comments\n{}\n");
    free(out);
    /* ... or emptied by edits: the foot leads too (a fuzzer find) */
    doc = fp_funcyaml_parse("a: 1\n# foot\n", 12, "e.yaml");
    assert_non_null(doc);
    assert_int_equal(fp_funcyaml_remove(doc, "a"), FUNCP_OK);
    out = fp_funcyaml_dump(doc);
    assert_string_equal(out, "# foot\n{}\n");
    free(out);
    fp_funcyaml_free(doc);
}

/* A migrated file keeps its comments on the keys that moved. */
static void migration_moves_comments_along(void **state)
{
    (void)state;
    fp_funcyaml *doc = fp_funcyaml_load(fixture("migrations/spec-0.25.0.yaml"));
    assert_non_null(doc);
    char *out = fp_funcyaml_dump(doc);
    assert_non_null(strstr(out, "run:\n"
                                "  envs:\n"
                                "  # comes from the cluster\n"
                                "  - name: TOKEN\n"
                                "    value: '{{ secret:tokens:api }}' # secret key\n"));
    assert_non_null(strstr(out, "# a key func never knew stays where it is\nx-owner: team-b\n"));
    free(out);
    fp_funcyaml_free(doc);
    doc = fp_funcyaml_load(fixture("migrations/unversioned.yaml"));
    assert_non_null(doc);
    out = fp_funcyaml_dump(doc);
    assert_true(strncmp(out, "# Layout from before versioning", 31) == 0);
    assert_non_null(strstr(out, "top level.\nspecVersion: 0.36.0\nname: legacy-fn\n"));
    free(out);
    fp_funcyaml_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip_keeps_every_comment),
        cmocka_unit_test(edits_keep_comments_in_place),
        cmocka_unit_test(not_comments_and_odd_places),
        cmocka_unit_test(migration_moves_comments_along),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
