#!/usr/bin/env bash
# What one ctest run did not test, and why. Usage:
#   skip-summary.sh <stage> <build dir> [<ctest stdout>]
# Reads the "tests did not run" list of ctest's stdout (default:
# <build dir>/ctest.out) and each test's output in
# <build dir>/Testing/Temporary/LastTest.log, where a skipping test prints
# its reason ("skipped: tinygo not found"). Prints one line per skipped
# test, then the passed tests that skipped a part of their checks.
set -euo pipefail
stage=$1 dir=$2 out=${3:-$2/ctest.out}
log=$dir/Testing/Temporary/LastTest.log
[ -f "$out" ] || { echo "$stage: no ctest output ($out)"; exit 0; }

# "  15 - name (Skipped)" -> "name<TAB>Skipped"
not_run=$(sed -n '/^The following tests did not run:/,/^$/p' "$out" |
    sed -n 's/^[[:space:]]*[0-9]\{1,\} - \(.*\) (\(.*\))$/\1\t\2/p')

# name<TAB>reason for every line of a test's output that says it skipped.
reasons=$( [ -f "$log" ] && awk '
    /^[0-9]+\/[0-9]+ Test: / { name = $0; sub(/^[0-9]+\/[0-9]+ Test: /, "", name); next }
    /^Output:$/ { inout = 1; next }
    /^<end of output>$/ { inout = 0; next }
    inout && name != "" && /^skip(ped)?[: ]/ {
        line = $0; sub(/^skipped: /, "", line); print name "\t" line }
' "$log" || true)

if [ -z "$not_run" ] && [ -z "$reasons" ]; then
    echo "$stage: nothing skipped"
    exit 0
fi
while IFS=$'\t' read -r name status; do
    [ -n "$name" ] || continue
    why=$(awk -F'\t' -v n="$name" '$1 == n { sub(/^[^\t]*\t/, ""); print }' <<<"$reasons" | paste -sd ';' -)
    echo "$stage: $name ($status): ${why:-no reason printed}"
done <<<"$not_run"
# Passed, but some checks were skipped (a missing tool for one part).
while IFS=$'\t' read -r name why; do
    [ -n "$name" ] || continue
    grep -qF "$name"$'\t' <<<"$not_run" && continue
    echo "$stage: $name (passed, partly skipped): $why"
done <<<"$reasons"
