#!/bin/bash
# scripts/skip-summary.sh on a recorded ctest run: every test ctest did not
# run is listed with the reason its output gave (or "no reason printed"),
# and a passed test that skipped a part is listed as partly skipped.
. "${FUNCP_TEST_SOURCE_DIR:-$(dirname "$0")/../..}/tests/cli/lib.sh"
SUMMARY="${FUNCP_TEST_SOURCE_DIR:-$(dirname "$0")/../..}/scripts/skip-summary.sh"

mkdir -p "$TMP/b/Testing/Temporary"
cat >"$TMP/b/ctest.out" <<'OUT'
100% tests passed, 0 tests failed out of 4

The following tests did not run:
	 15 - funcp_jswasi_run_go-wasi_test (Skipped)
	 16 - quiet_test (Skipped)
	 17 - needs_file (Not Run)
OUT
cat >"$TMP/b/Testing/Temporary/LastTest.log" <<'LOG'
15/57 Testing: funcp_jswasi_run_go-wasi_test
15/57 Test: funcp_jswasi_run_go-wasi_test
Output:
----------------------------------------------------------
skipped: tinygo not found
<end of output>
Test Passed.
16/57 Test: quiet_test
Output:
----------------------------------------------------------
<end of output>
3/57 Test: funcp_e2e_workflow
Output:
----------------------------------------------------------
ok: build
skipped: skopeo not found (README's skopeo command not checked)
<end of output>
Test Passed.
4/57 Test: all_good
Output:
----------------------------------------------------------
ok: everything
<end of output>
Test Passed.
LOG
expect_exit 0 bash "$SUMMARY" gcc "$TMP/b" || fp_done
cat >"$TMP/want" <<'WANT'
gcc: funcp_jswasi_run_go-wasi_test (Skipped): tinygo not found
gcc: quiet_test (Skipped): no reason printed
gcc: needs_file (Not Run): no reason printed
gcc: funcp_e2e_workflow (passed, partly skipped): skopeo not found (README's skopeo command not checked)
WANT
diff -u "$TMP/want" "$OUT" >"$TMP/diff" && pass "skip summary of a recorded run" ||
    fail "skip summary: $(cat "$TMP/diff")"

# a run that skipped nothing says so
printf '100%% tests passed, 0 tests failed out of 1\n' >"$TMP/b/ctest.out"
sed -i '/skopeo/d' "$TMP/b/Testing/Temporary/LastTest.log"
sed -i '/tinygo/d' "$TMP/b/Testing/Temporary/LastTest.log"
expect_exit 0 bash "$SUMMARY" asan "$TMP/b" && assert_eq "$(cat "$OUT")" "asan: nothing skipped" "no skips" &&
    pass "nothing skipped"
fp_done
