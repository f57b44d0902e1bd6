/* The build stamp's toolchain part and the no-op build's layout check
 * (core/src/cli/build_stamp.c), on temp directories. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "cli/build_stamp.h"
#include "cli/common.h"

static char dir[256];
static char fn_root[300], bin[300];
static char *saved_path;

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Set a file's modification time to `sec` seconds since the epoch. */
static void set_mtime(const char *path, long sec)
{
    struct timeval tv[2] = {{sec, 0}, {sec, 0}};
    assert_int_equal(utimes(path, tv), 0);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/funcp-stamp-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(fn_root, sizeof fn_root, "%s/fn", dir);
    snprintf(bin, sizeof bin, "%s/bin", dir);
    char path[400];
    snprintf(path, sizeof path, "%s/.funcp/oci/blobs/sha256", fn_root);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' '%s'", path, bin);
    if (system(cmd) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/main.go", fn_root);
    write_text(path, "package main\n");
    const char *old = getenv("PATH");
    saved_path = strdup(old ? old : "/usr/bin:/bin");
    setenv("PATH", bin, 1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    setenv("PATH", saved_path, 1);
    free(saved_path);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *const tools[] = {"stamp-tool", NULL};

static funcp_builder builder_of_size(size_t size)
{
    funcp_builder b;
    memset(&b, 0, sizeof b);
    b.struct_size = size;
    b.name = "wasm";
    b.artifact_path = "module.wasm";
    b.toolchain = tools;
    return b;
}

static void hash(const funcp_builder *b, char hex[17])
{
    assert_int_equal(fp_build_stamp_builder_hash(fn_root, "go-wasi\nwasm\n", b, hex), FUNCP_OK);
}

/* A program missing, appearing, changing mtime, size or symlink target:
 * each a different stamp; the same state, the same stamp. */
static void toolchain_changes_change_the_stamp(void **state)
{
    (void)state;
    funcp_builder b = builder_of_size(sizeof(funcp_builder));
    char missing[17], v1[17], v1_again[17], newer[17], bigger[17], linked[17];
    hash(&b, missing);

    char tool[400];
    snprintf(tool, sizeof tool, "%s/stamp-tool", bin);
    write_text(tool, "#!/bin/sh\necho 1.0\n");
    assert_int_equal(chmod(tool, 0755), 0);
    set_mtime(tool, 1000000000);
    hash(&b, v1);
    assert_string_not_equal(v1, missing);
    hash(&b, v1_again);
    assert_string_equal(v1, v1_again);

    set_mtime(tool, 1000000001);
    hash(&b, newer);
    assert_string_not_equal(newer, v1);

    write_text(tool, "#!/bin/sh\necho 1.1 upgraded\n");
    set_mtime(tool, 1000000001);
    hash(&b, bigger);
    assert_string_not_equal(bigger, newer);

    /* same bytes and mtime, but PATH now resolves through a symlink to
     * another file: the resolved path differs */
    char other[400];
    snprintf(other, sizeof other, "%s/stamp-tool-2", dir);
    assert_int_equal(rename(tool, other), 0);
    assert_int_equal(symlink(other, tool), 0);
    hash(&b, linked);
    assert_string_not_equal(linked, bigger);

    /* gone from PATH: "missing" again */
    assert_int_equal(unlink(tool), 0);
    char gone[17];
    hash(&b, gone);
    assert_string_equal(gone, missing);
}

/* A builder from before the member (struct_size too small) is never read
 * past its size, and NULL or an empty list adds nothing. */
static void old_or_empty_builders_add_nothing(void **state)
{
    (void)state;
    char tool[400];
    snprintf(tool, sizeof tool, "%s/stamp-tool", bin);
    write_text(tool, "#!/bin/sh\n");
    assert_int_equal(chmod(tool, 0755), 0);

    char plain[17], old[17], none[17], empty[17], full[17];
    assert_int_equal(fp_build_stamp_hash(fn_root, "go-wasi\nwasm\n", plain), FUNCP_OK);
    funcp_builder b = builder_of_size(offsetof(funcp_builder, toolchain));
    hash(&b, old);
    assert_string_equal(old, plain);
    hash(NULL, none);
    assert_string_equal(none, plain);
    static const char *const nothing[] = {NULL};
    b = builder_of_size(sizeof(funcp_builder));
    b.toolchain = nothing;
    hash(&b, empty);
    assert_string_equal(empty, plain);
    b.toolchain = tools;
    hash(&b, full);
    assert_string_not_equal(full, plain);
}

#define DIGEST "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void write_index(const char *digest)
{
    char path[400], text[700];
    snprintf(path, sizeof path, "%s/.funcp/oci/index.json", fn_root);
    snprintf(text, sizeof text,
             "{\"schemaVersion\":2,\"manifests\":[{\"digest\":\"sha256:ffff\",\"size\":1},"
             "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"%s\","
             "\"size\":367,\"annotations\":{\"org.opencontainers.image.ref.name\":\"latest\"}}]}",
             digest);
    write_text(path, text);
    set_mtime(path, 2000000000);
}

static void layout_current_only_when_complete_and_newer(void **state)
{
    (void)state;
    char artifact[400], blob[400], index[400], want[400];
    snprintf(artifact, sizeof artifact, "%s/module.wasm", fn_root);
    snprintf(blob, sizeof blob, "%s/.funcp/oci/blobs/sha256/%s", fn_root, &DIGEST[7]);
    snprintf(index, sizeof index, "%s/.funcp/oci/index.json", fn_root);
    write_text(artifact, "12345678");
    set_mtime(artifact, 1900000000);
    funcp_oci_result r;

    /* no layout yet */
    assert_int_equal(fp_build_stamp_layout_current(fn_root, artifact, &r), 0);
    write_index(DIGEST);
    /* the manifest blob is missing */
    assert_int_equal(fp_build_stamp_layout_current(fn_root, artifact, &r), 0);
    write_text(blob, "{}");
    assert_int_equal(fp_build_stamp_layout_current(fn_root, artifact, &r), 1);
    assert_string_equal(r.digest, DIGEST);
    snprintf(want, sizeof want, "oci:%s/.funcp/oci:latest", fn_root);
    assert_string_equal(r.image, want);
    assert_int_equal(r.size, 8);
    assert_int_equal(r.struct_size, sizeof r);

    /* module.wasm newer than the index: lay it out again */
    set_mtime(artifact, 2000000001);
    assert_int_equal(fp_build_stamp_layout_current(fn_root, artifact, &r), 0);
    set_mtime(artifact, 1900000000);

    /* a digest that is not sha256:<64> or would leave blobs/ */
    char outside[400];
    /* exists, but outside blobs/ */
    snprintf(outside, sizeof outside,
             "%s/.funcp/escape0000000000000000000000000000000000000000000000000", fn_root);
    write_text(outside, "{}");
    write_index("sha256:../../../escape0000000000000000000000000000000000000000000000000");
    assert_int_equal(fp_build_stamp_layout_current(fn_root, artifact, &r), 0);
    write_index("sha256:0123");
    assert_int_equal(fp_build_stamp_layout_current(fn_root, artifact, &r), 0);
    /* not JSON, or no "latest" */
    write_text(index, "{\"manifests\": [");
    set_mtime(index, 2000000000);
    assert_int_equal(fp_build_stamp_layout_current(fn_root, artifact, &r), 0);
    write_text(index, "{\"manifests\":[{\"digest\":\"" DIGEST "\"}]}");
    set_mtime(index, 2000000000);
    assert_int_equal(fp_build_stamp_layout_current(fn_root, artifact, &r), 0);
    /* the artifact itself missing */
    write_index(DIGEST);
    unlink(artifact);
    assert_int_equal(fp_build_stamp_layout_current(fn_root, artifact, &r), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(toolchain_changes_change_the_stamp, setup, teardown),
        cmocka_unit_test_setup_teardown(old_or_empty_builders_add_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(layout_current_only_when_complete_and_newer, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
