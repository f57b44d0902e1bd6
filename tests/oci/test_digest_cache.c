/* The artifact digest cache: a hit only for the very file it was taken
 * from, unchanged; every changed field, a recent write, another path or a
 * damaged cache file is a miss. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "oci/digest_cache.h"
#include "util/fs.h"

static const char *D1 = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

typedef struct fixture {
    char dir[64], file[128], cache[128];
} fixture;

static void pause_ms(long ms)
{
    struct timespec ts = {0, ms * 1000000L};
    nanosleep(&ts, NULL);
}

/* Write `text` with an old mtime; the ctime is now, so wait past the
 * cache's 100 ms "too recent" window before storing. */
static void write_old(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    struct timespec times[2] = {{1700000000, 123456789}, {1700000000, 123456789}};
    assert_int_equal(utimensat(AT_FDCWD, path, times, 0), 0);
}

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/funcp-dcache.XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    snprintf(fx->file, sizeof fx->file, "%s/module.wasm", fx->dir);
    snprintf(fx->cache, sizeof fx->cache, "%s/artifact-digest", fx->dir);
    write_old(fx->file, "abcd");
    pause_ms(150);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    fp_remove_tree(fx->dir);
    free(fx);
    return 0;
}

static void test_hit_and_misses(void **state)
{
    fixture *fx = *state;
    struct stat st;
    char d[FP_DIGEST_LEN + 1];
    assert_int_equal(stat(fx->file, &st), 0);
    assert_int_equal(fp_digest_cache_get(fx->cache, fx->file, &st, d), 0); /* no cache yet */
    assert_int_equal(fp_digest_cache_put(fx->cache, fx->file, &st, D1), 0);
    assert_int_equal(fp_digest_cache_get(fx->cache, fx->file, &st, d), 1);
    assert_string_equal(d, D1);
    assert_int_equal(fp_digest_cache_get(fx->cache, "/elsewhere/module.wasm", &st, d), 0);
    assert_int_equal(fp_digest_cache_get(NULL, fx->file, &st, d), 0);

    /* same size, same mtime (restored), same inode: the ctime tells */
    write_old(fx->file, "abce");
    assert_int_equal(fp_digest_cache_put(fx->cache, fx->file, &st, D1), -1); /* changed since `st` */
    struct stat st2;
    assert_int_equal(stat(fx->file, &st2), 0);
    assert_int_equal(st2.st_mtim.tv_nsec, st.st_mtim.tv_nsec);
    assert_int_equal(st2.st_ino, st.st_ino);
    assert_int_equal(fp_digest_cache_get(fx->cache, fx->file, &st2, d), 0);

    /* each field of the key on its own */
    struct stat alt = st;
    alt.st_size++;
    assert_int_equal(fp_digest_cache_get(fx->cache, fx->file, &alt, d), 0);
    alt = st;
    alt.st_mtim.tv_nsec++;
    assert_int_equal(fp_digest_cache_get(fx->cache, fx->file, &alt, d), 0);
    alt = st;
    alt.st_ino++;
    assert_int_equal(fp_digest_cache_get(fx->cache, fx->file, &alt, d), 0);
}

static void test_not_stored(void **state)
{
    fixture *fx = *state;
    struct stat st, before;
    char d[FP_DIGEST_LEN + 1];
    /* changed while it was hashed */
    assert_int_equal(stat(fx->file, &before), 0);
    write_old(fx->file, "abcdef");
    assert_int_equal(fp_digest_cache_put(fx->cache, fx->file, &before, D1), -1);
    /* written a moment ago: a rewrite could keep the same mtime */
    FILE *f = fopen(fx->file, "wb");
    fputs("fresh", f);
    fclose(f);
    assert_int_equal(stat(fx->file, &st), 0);
    assert_int_equal(fp_digest_cache_put(fx->cache, fx->file, &st, D1), -1);
    assert_int_equal(fp_digest_cache_get(fx->cache, fx->file, &st, d), 0);
    /* an old mtime set with touch -d: the fresh ctime still counts */
    write_old(fx->file, "abcd");
    assert_int_equal(stat(fx->file, &st), 0);
    assert_int_equal(fp_digest_cache_put(fx->cache, fx->file, &st, D1), -1);
    /* not a digest */
    pause_ms(150);
    assert_int_equal(fp_digest_cache_put(fx->cache, fx->file, &st, "sha256:12"), -1);
}

static void test_damaged_cache(void **state)
{
    fixture *fx = *state;
    struct stat st;
    char d[FP_DIGEST_LEN + 1];
    assert_int_equal(stat(fx->file, &st), 0);
    assert_int_equal(fp_digest_cache_put(fx->cache, fx->file, &st, D1), 0);
    char *data;
    size_t len;
    assert_int_equal(fp_read_file(fx->cache, &data, &len), 0);
    data[len - 3] = 'x'; /* not hex */
    assert_int_equal(fp_write_file_atomic(fx->cache, data, len), 0);
    assert_int_equal(fp_digest_cache_get(fx->cache, fx->file, &st, d), 0);
    assert_int_equal(fp_write_file_atomic(fx->cache, data, len - 5), 0); /* cut short */
    assert_int_equal(fp_digest_cache_get(fx->cache, fx->file, &st, d), 0);
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_hit_and_misses, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_stored, setup, teardown),
        cmocka_unit_test_setup_teardown(test_damaged_cache, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
