#!/usr/bin/env bash
# Serves a component built by another WASI runtime's real toolchain through
# `funcp run` (the js-wasi plugin's runners) and calls it with funcp invoke.
#   JSWASI_RUNTIME=go-wasi|rust-wasi e2e_run_wasi.sh
# Exits 77 (skipped) when the runtime's toolchain is not installed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
runtime=${JSWASI_RUNTIME:-${1:?runtime}}

case "$runtime" in
go-wasi)
    for t in tinygo go wasm-tools; do command -v "$t" >/dev/null || skip "$t not found"; done ;;
rust-wasi)
    command -v cargo >/dev/null || skip "cargo not found"
    command -v rustup >/dev/null || skip "rustup not found (needed to check for wasm32-wasip2)"
    rustup target list --installed | grep -qx wasm32-wasip2 ||
        skip "wasm32-wasip2 target not installed (rustup target add wasm32-wasip2)" ;;
*) fail "unknown runtime $runtime" ;;
esac
require_tools node npm cmake python3 curl
e2e_setup "jswasi-$runtime"
cd "$work"
"$funcp" create -l "$runtime" fn >/dev/null
"$funcp" build -p fn -v

address=127.0.0.1:$(free_port)
(cd fn && exec "$funcp" run -v --build=false --address "$address") >"$work/run.log" 2>&1 &
run_pid=$!
pids+=("$run_pid")
wait_for 300 grep -q "Running on http://$address/" "$work/run.log" ||
    fail "funcp run did not report http://$address/"
body=$("$funcp" invoke --target "http://$address/" --request-type GET) ||
    fail "invoke of the $runtime function failed"
[ -n "$body" ] || fail "the $runtime function answered with an empty body"
kids=$(descendants "$run_pid")
kill -INT "$run_pid"
wait_for 30 bash -c "! kill -0 $run_pid" || fail "funcp run did not stop on SIGINT"
for k in $kids; do
    if alive "$k"; then fail "process $k ($(ps -o args= -p "$k")) outlived funcp run"; fi
done
echo "ok: $runtime component served by funcp run: $body"
