#!/usr/bin/env bash
# The js-wasi toolchain cache under concurrent first use: two builds start
# with an empty cache at the same time; both must succeed and leave exactly
# one complete toolchain and no temporary directories. npm is told to prefer
# its own download cache (~/.npm), so this reuses what earlier runs fetched.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
require_tools node npm cmake
e2e_setup jswasi-cache
export XDG_CACHE_HOME=$work/cache npm_config_prefer_offline=true
cd "$work"
"$funcp" create -l js-wasi a >/dev/null
"$funcp" create -l js-wasi b >/dev/null
"$funcp" build -p a >a.log 2>&1 &
pa=$!
"$funcp" build -p b >b.log 2>&1 &
pb=$!
pids+=("$pa" "$pb")
rc_a=0; wait "$pa" || rc_a=$?
rc_b=0; wait "$pb" || rc_b=$?
[ "$rc_a" -eq 0 ] || { cat a.log; fail "build a failed ($rc_a)"; }
[ "$rc_b" -eq 0 ] || { cat b.log; fail "build b failed ($rc_b)"; }
for f in a b; do
    [ "$(head -c 8 $f/module.wasm | od -An -tx1 | tr -d ' \n')" = "0061736d0d000100" ] ||
        fail "$f/module.wasm is not a component"
done
entries=$(ls -A "$XDG_CACHE_HOME/funcp/js-wasi")
[ "$(echo "$entries" | wc -l)" -eq 1 ] || fail "expected one toolchain directory, found: $entries"
case "$entries" in *.tmp-*) fail "a temporary toolchain directory was left: $entries" ;; esac
dir=$XDG_CACHE_HOME/funcp/js-wasi/$entries
[ -f "$dir/.funcp-complete" ] || fail "the toolchain has no completion marker"
[ -d "$dir/node_modules/@bytecodealliance/componentize-js" ] || fail "componentize-js is not installed"
grep -q "include wasi:http/proxy@" "$dir/wit/world.wit" || fail "world.wit is missing"
[ -f "$dir/wit/deps/wasi-http/package.wit" ] || fail "the wasi:http WIT was not prepared"
ls "$dir"/serve-* >/dev/null 2>&1 && fail "a jco output directory was left behind"
echo "ok: concurrent first builds share one complete toolchain"
