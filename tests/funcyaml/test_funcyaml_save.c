/* Atomic save: the new text replaces the file in one rename; any failure
 * leaves the old bytes in place and no temp file behind. */
#include <errno.h>
#include <signal.h>
#include <sys/resource.h>

#include "fy_test.h"

static char *join(const char *dir, const char *name)
{
    size_t size = strlen(dir) + strlen(name) + 2;
    char *path = malloc(size);
    assert_non_null(path);
    snprintf(path, size, "%s/%s", dir, name);
    return path;
}

/* A failed save left <path> with its old bytes and nothing beside it in <dir>. */
static void assert_left_unchanged(const char *dir, const char *path, const char *old)
{
    char *after = read_text(path);
    assert_string_equal(after, old);
    assert_int_equal(count_entries(dir), 1);
    free(after);
}

/* The error message is exactly "<path><rest>". */
static void assert_error_about(const char *path, const char *rest)
{
    char expected[4200];
    snprintf(expected, sizeof expected, "%s%s", path, rest);
    assert_string_equal(fp_error_message(), expected);
}

static void save_then_load(void **state)
{
    (void)state;
    char *dir = make_temp_dir();
    char *path = join(dir, "func.yaml");
    char *orig = read_text(fixture("go-wasi-function.yaml"));
    write_text(path, orig);
    fp_funcyaml *doc = fp_funcyaml_load(path);
    assert_non_null(doc);
    assert_int_equal(fp_funcyaml_set(doc, "deploy.image", "localhost:5000/dev/x@sha256:ab"),
                     FUNCP_OK);
    assert_int_equal(fp_funcyaml_save(doc, path), FUNCP_OK);
    char *dumped = fp_funcyaml_dump(doc);
    char *saved = read_text(path);
    assert_string_equal(saved, dumped);
    assert_int_equal(count_entries(dir), 1); /* no temp file left */
    fp_funcyaml *again = fp_funcyaml_load(path);
    assert_non_null(again);
    assert_false(fp_funcyaml_dirty(again));
    assert_string_equal(fp_funcyaml_get(again, "deploy.image"), "localhost:5000/dev/x@sha256:ab");
    assert_string_equal(fp_funcyaml_get(again, "created"), "2025-06-01T12:00:00.000000001Z");
    fp_funcyaml_free(again);
    fp_funcyaml_free(doc);
    free(saved);
    free(dumped);
    free(orig);
    free(path);
    rm_tree(dir);
}

/* A func.yaml that is a symlink: the target gets the new text, the link
 * stays a link (the way an ordinary write behaves). */
static void save_through_symlink(void **state)
{
    (void)state;
    char *dir = make_temp_dir();
    char *path = join(dir, "func.yaml");
    char *real = join(dir, "shared.yaml");
    write_text(real, "name: f\nruntime: go-wasi\n");
    assert_int_equal(symlink("shared.yaml", path), 0);
    fp_funcyaml *doc = fp_funcyaml_load(path);
    assert_non_null(doc);
    assert_int_equal(fp_funcyaml_set(doc, "build.builder", "wasm"), FUNCP_OK);
    assert_int_equal(fp_funcyaml_save(doc, path), FUNCP_OK);
    struct stat st;
    assert_int_equal(lstat(path, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    char *saved = read_text(real);
    assert_non_null(strstr(saved, "builder: wasm"));
    assert_int_equal(count_entries(dir), 2); /* no temp file left */
    fp_funcyaml_free(doc);
    free(saved);
    free(real);
    free(path);
    rm_tree(dir);
}

static void save_keeps_permission_bits(void **state)
{
    (void)state;
    char *dir = make_temp_dir();
    char *path = join(dir, "func.yaml");
    fp_funcyaml *doc = fp_funcyaml_new();
    assert_int_equal(fp_funcyaml_set(doc, "name", "f"), FUNCP_OK);
    mode_t old_mask = umask(022);
    assert_int_equal(fp_funcyaml_save(doc, path), FUNCP_OK);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0644); /* a new file: 0666 less the umask */
    assert_int_equal(chmod(path, 0640), 0);
    assert_int_equal(fp_funcyaml_set(doc, "name", "g"), FUNCP_OK);
    assert_int_equal(fp_funcyaml_save(doc, path), FUNCP_OK);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0640);
    umask(old_mask);
    char *saved = read_text(path);
    assert_string_equal(saved, "name: g\n");
    free(saved);
    fp_funcyaml_free(doc);
    free(path);
    rm_tree(dir);
}

static void save_into_missing_directory_fails(void **state)
{
    (void)state;
    char *dir = make_temp_dir();
    char *path = join(dir, "no/such/dir/func.yaml");
    fp_funcyaml *doc = fp_funcyaml_new();
    assert_int_equal(fp_funcyaml_save(doc, path), FUNCP_EIO);
    assert_error_about(path, ": cannot create a temporary file: No such file or directory (file "
                             "left unchanged)");
    assert_int_equal(count_entries(dir), 0);
    fp_funcyaml_free(doc);
    free(path);
    rm_tree(dir);
}

/* A file name just short of NAME_MAX: the file exists, but the temp name
 * ".<name>.XXXXXX" is too long, so creating the temp file fails. */
static void temp_file_failure_leaves_old_file(void **state)
{
    (void)state;
    char *dir = make_temp_dir();
    char name[251];
    memset(name, 'f', 250);
    name[250] = '\0';
    char *path = join(dir, name);
    const char *old = "name: old\n# the user's comment\n";
    write_text(path, old);
    fp_funcyaml *doc = fp_funcyaml_new();
    assert_int_equal(fp_funcyaml_set(doc, "name", "new"), FUNCP_OK);
    assert_int_equal(fp_funcyaml_save(doc, path), FUNCP_EIO);
    assert_non_null(strstr(fp_error_message(), ": cannot create a temporary file: File name too "
                                               "long (file left unchanged)"));
    assert_left_unchanged(dir, path, old);
    fp_funcyaml_free(doc);
    free(path);
    rm_tree(dir);
}

/* The temp file is created but the write fails (file size limit): the temp
 * file is removed and the old file keeps its bytes. */
static void write_failure_leaves_old_file(void **state)
{
    (void)state;
    char *dir = make_temp_dir();
    char *path = join(dir, "func.yaml");
    const char *old = "name: old\n";
    write_text(path, old);
    fp_funcyaml *doc = fp_funcyaml_load(fixture("go-function.yaml"));
    assert_non_null(doc);
    struct rlimit saved, small;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
    small = saved;
    small.rlim_cur = 64;
    void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
    int rc = fp_funcyaml_save(doc, path);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &saved), 0);
    signal(SIGXFSZ, prev);
    assert_int_equal(rc, FUNCP_EIO);
    char rest[256];
    snprintf(rest, sizeof rest, ": cannot write: %s (file left unchanged)", strerror(EFBIG));
    assert_error_about(path, rest);
    assert_left_unchanged(dir, path, old);
    fp_funcyaml_free(doc);
    free(path);
    rm_tree(dir);
}

/* Renaming over a directory fails after the temp file was written. */
static void rename_failure_removes_temp(void **state)
{
    (void)state;
    char *dir = make_temp_dir();
    char *path = join(dir, "func.yaml");
    assert_int_equal(mkdir(path, 0755), 0);
    fp_funcyaml *doc = fp_funcyaml_new();
    assert_int_equal(fp_funcyaml_save(doc, path), FUNCP_EIO);
    assert_non_null(strstr(fp_error_message(), ": cannot replace: "));
    assert_int_equal(count_entries(dir), 1);
    assert_int_equal(count_entries(path), 0);
    fp_funcyaml_free(doc);
    free(path);
    rm_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(save_then_load),
        cmocka_unit_test(save_keeps_permission_bits),
        cmocka_unit_test(save_through_symlink),
        cmocka_unit_test(save_into_missing_directory_fails),
        cmocka_unit_test(temp_file_failure_leaves_old_file),
        cmocka_unit_test(write_failure_leaves_old_file),
        cmocka_unit_test(rename_failure_removes_temp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
