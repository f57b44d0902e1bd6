/* docs/exit-codes.md and README.md say the same as fp_exit_code() and
 * fp_status_name(): every status in the docs table maps to its exit code
 * and name, every status the code knows is documented, and README's short
 * list names every exit code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/error.h"

static const struct {
    int status;
    const char *macro;
} statuses[] = {
    {FUNCP_OK, "FUNCP_OK"},
    {FUNCP_ERROR, "FUNCP_ERROR"},
    {FUNCP_EUSAGE, "FUNCP_EUSAGE"},
    {FUNCP_EINCOMPATIBLE, "FUNCP_EINCOMPATIBLE"},
    {FUNCP_ENOPLUGIN, "FUNCP_ENOPLUGIN"},
    {FUNCP_ENOTSUPPORTED, "FUNCP_ENOTSUPPORTED"},
    {FUNCP_EIO, "FUNCP_EIO"},
    {FUNCP_EPARSE, "FUNCP_EPARSE"},
    {FUNCP_ENOTFOUND, "FUNCP_ENOTFOUND"},
    {FUNCP_ETOOLCHAIN, "FUNCP_ETOOLCHAIN"},
    {FUNCP_EBUILD, "FUNCP_EBUILD"},
    {FUNCP_ENETWORK, "FUNCP_ENETWORK"},
    {FUNCP_EAUTH, "FUNCP_EAUTH"},
    {FUNCP_ETIMEOUT, "FUNCP_ETIMEOUT"},
    {FUNCP_EDEPLOY, "FUNCP_EDEPLOY"},
    {FUNCP_EEXISTS, "FUNCP_EEXISTS"},
    {FUNCP_ECANCELED, "FUNCP_ECANCELED"},
};
#define N_STATUSES (sizeof statuses / sizeof statuses[0])

static char *read_doc(const char *relative)
{
    const char *src = getenv("FUNCP_TEST_SOURCE_DIR");
    assert_non_null(src);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", src, relative);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strdup(buf);
}

static int status_of(const char *macro)
{
    for (size_t i = 0; i < N_STATUSES; i++)
        if (!strcmp(statuses[i].macro, macro))
            return statuses[i].status;
    fail_msg("docs/exit-codes.md names an unknown status %s", macro);
    return 0;
}

/* Rows "| exit | `code` | `FUNCP_X` | meaning |". */
static void test_docs_table(void **state)
{
    (void)state;
    char *doc = read_doc("docs/exit-codes.md");
    int seen[N_STATUSES] = {0};
    size_t rows = 0;
    for (char *line = strtok(doc, "\n"); line; line = strtok(NULL, "\n")) {
        int code;
        char name[64], macro[64];
        if (sscanf(line, "| %d | `%63[^`]` | `%63[^`]` |", &code, name, macro) == 3 ||
            (sscanf(line, "| %d | — | `%63[^`]` |", &code, macro) == 2 && strcpy(name, "ok"))) {
            int status = status_of(macro);
            print_message("%s: exit %d, code %s\n", macro, code, name);
            assert_int_equal(fp_exit_code(status), code);
            assert_string_equal(fp_status_name(status), name);
            for (size_t i = 0; i < N_STATUSES; i++)
                if (statuses[i].status == status)
                    seen[i] = 1;
            rows++;
        }
    }
    assert_int_equal(rows, N_STATUSES);
    for (size_t i = 0; i < N_STATUSES; i++)
        if (!seen[i])
            fail_msg("%s is not documented in docs/exit-codes.md", statuses[i].macro);
    free(doc);
}

/* README's summary: "`N` meaning" for every distinct exit code. */
static void test_readme_summary(void **state)
{
    (void)state;
    char *readme = read_doc("README.md");
    const char *section = strstr(readme, "## Exit codes");
    assert_non_null(section);
    const char *end = strstr(section + 1, "\n## ");
    for (size_t i = 0; i < N_STATUSES; i++) {
        char want[32];
        snprintf(want, sizeof want, "`%d` ", fp_exit_code(statuses[i].status));
        const char *hit = strstr(section, want);
        if (!hit || (end && hit > end))
            fail_msg("README.md's exit codes lack %s(%s)", want, statuses[i].macro);
    }
    free(readme);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_docs_table),
        cmocka_unit_test(test_readme_summary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
