#!/bin/bash
# scripts/demo-guard.sh, which keeps scripts/demo.sh from deleting a function
# the user edited: the demo's untouched output (build outputs aside) passes,
# an edited, added or removed file or a directory the demo did not make is
# refused, naming what changed; and demo.sh itself removes no directory.
. "${FUNCP_TEST_SOURCE_DIR:-$(dirname "$0")/../..}/tests/cli/lib.sh"
SRC="${FUNCP_TEST_SOURCE_DIR:-$(dirname "$0")/../..}"
GUARD="$SRC/scripts/demo-guard.sh"

fn="$TMP/_demo/hello"
expect_exit 0 bash "$GUARD" check "$fn" && pass "no function yet: go ahead"

mkdir -p "$fn/sub" && printf 'a\n' >"$fn/index.js" && printf 'b\n' >"$fn/sub/x.txt" && printf 'name: hello\n' >"$fn/func.yaml"
expect_exit 1 bash "$GUARD" check "$fn" && assert_contains "$ERR" "was not made by this demo" &&
    pass "a directory the demo did not make is refused"

expect_exit 0 bash "$GUARD" record "$fn"
# build and run outputs do not count as edits
mkdir -p "$fn/.funcp/oci" && printf 'x' >"$fn/.funcp/oci/index.json" && printf 'w' >"$fn/module.wasm"
expect_exit 0 bash "$GUARD" check "$fn" && pass "the demo's own output, built: reused"

printf 'edited\n' >>"$fn/index.js"
expect_exit 1 bash "$GUARD" check "$fn" && assert_contains "$ERR" "was changed since the demo created it" &&
    assert_contains "$ERR" "index.js" && pass "an edited file is refused, named"
printf 'a\n' >"$fn/index.js"
expect_exit 0 bash "$GUARD" check "$fn" || fail "restored file still refused"
printf 'new\n' >"$fn/extra.js"
expect_exit 1 bash "$GUARD" check "$fn" && assert_contains "$ERR" "extra.js" && pass "an added file is refused"
rm "$fn/extra.js" "$fn/sub/x.txt"
expect_exit 1 bash "$GUARD" check "$fn" && assert_contains "$ERR" "sub/x.txt" && pass "a removed file is refused"
[ -d "$fn" ] || fail "the guard removed the function"

# demo.sh deletes no function directory (rm -rf of the demo dir was the bug)
grep -nE 'rm -(rf|fr|r)' "$SRC/scripts/demo.sh" >"$OUT" && fail "demo.sh removes directories: $(cat "$OUT")"
grep -q 'demo-guard.sh" check' "$SRC/scripts/demo.sh" && grep -q 'demo-guard.sh" record' "$SRC/scripts/demo.sh" ||
    fail "demo.sh does not use demo-guard.sh"
pass "demo.sh guards its function and deletes none"
fp_done
