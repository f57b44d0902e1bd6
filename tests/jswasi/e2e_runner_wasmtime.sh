#!/usr/bin/env bash
# The js-wasi plugin's wasmtime runner, with fake `wasmtime` and `wasm-tools`
# on PATH (no wasmtime package exists for Debian bookworm): funcp run prefers
# it over jco, passes `serve -S cli --addr <address> <artifact>`, reports the
# URL once the port answers, passes output through, stops the whole process
# group on SIGINT, and reports a server that dies before answering and a
# component without the HTTP handler export.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
require_tools cmake python3 curl
e2e_setup jswasi-wasmtime
export PATH="$here/fakes:$PATH" FAKE_WASMTIME_LOG=$work/argv
cd "$work"
"$funcp" create -l js-wasi fn >/dev/null
# git ignores what funcp (and func) write in the function: state and outputs
for l in .funcp/ .func/ module.wasm node_modules/; do
    grep -qxF "$l" fn/.gitignore || fail "js-wasi .gitignore lacks $l"
done
printf '\0asm\r\0\001\0' >fn/module.wasm   # not built: --build=false serves this file

address=127.0.0.1:$(free_port)
(cd fn && exec "$funcp" run -v --build=false --address "$address") >"$work/run.log" 2>&1 &
run_pid=$!
pids+=("$run_pid")
wait_for 30 grep -q "Running on http://$address/" "$work/run.log" ||
    fail "funcp run did not report http://$address/"
grep -q 'runner "wasmtime"' "$work/run.log" || fail "funcp run did not choose the wasmtime runner"
expected=$(printf '%s\n' serve -S cli --addr "$address" "$work/fn/module.wasm")
[ "$(cat "$work/argv")" = "$expected" ] || fail "wasmtime argv: $(tr '\n' ' ' <"$work/argv")"
body=$("$funcp" invoke --target "http://$address/x" --request-type GET)
[ "$body" = "fake wasmtime: /x" ] || fail "invoke returned: $body"
wait_for 10 grep -q "served /x" "$work/run.log" || fail "the server's output was not passed through"
kids=$(descendants "$run_pid")
[ "$(echo "$kids" | wc -w)" -ge 2 ] || fail "expected the server and its helper child, got: $kids"
kill -INT "$run_pid"
wait_for 30 bash -c "! kill -0 $run_pid" || fail "funcp run did not stop on SIGINT"
rc=0; wait "$run_pid" || rc=$?
[ "$rc" -eq 0 ] || fail "funcp run exited $rc after SIGINT"
for k in $kids; do
    if alive "$k"; then fail "process $k ($(ps -o args= -p "$k")) outlived funcp run"; fi
done

# without -v and with no terminal, the URL is still said on stderr
address=127.0.0.1:$(free_port)
(cd fn && exec "$funcp" run --build=false --address "$address") >"$work/quiet.out" 2>"$work/quiet.err" &
quiet_pid=$!
pids+=("$quiet_pid")
wait_for 30 grep -q "Running on http://$address/" "$work/quiet.err" ||
    fail "funcp run without -v, piped, did not say where it runs: $(cat "$work/quiet.err")"
grep -q "Running on" "$work/quiet.out" && fail "Running on went to stdout"
kill -INT "$quiet_pid"
wait_for 30 bash -c "! kill -0 $quiet_pid" || fail "funcp run did not stop on SIGINT"

# a server that exits before answering
if FAKE_WASMTIME_EXIT=3 "$funcp" run -p fn --build=false --address "127.0.0.1:$(free_port)" \
    >"$work/exit.log" 2>&1; then
    fail "funcp run succeeded although wasmtime exited"
fi
grep -q "wasmtime serve exited (status 3) before serving" "$work/exit.log" ||
    fail "early exit: unexpected message: $(cat "$work/exit.log")"

# a component without the HTTP handler export: refused, nothing started
rm -f "$work/argv"
if FAKE_WIT_NO_HANDLER=1 "$funcp" run -p fn --build=false --address "127.0.0.1:$(free_port)" \
    >"$work/nohandler.log" 2>&1; then
    fail "funcp run served a component without wasi:http/incoming-handler"
fi
grep -q "does not export wasi:http/incoming-handler" "$work/nohandler.log" ||
    fail "no handler: unexpected message: $(cat "$work/nohandler.log")"
[ ! -e "$work/argv" ] || fail "wasmtime was started for a component it cannot serve"

# a bad --address is a usage error (exit 2) naming the value, caught by funcp
# before the runner starts
rc=0
"$funcp" run -p fn --build=false --address "127.0.0.1" >"$work/addr.log" 2>&1 || rc=$?
[ "$rc" -eq 2 ] || fail "funcp run --address without a port: exit $rc, want 2"
grep -q -- '--address "127.0.0.1": expected host:port' "$work/addr.log" ||
    fail "bad address: unexpected message: $(cat "$work/addr.log")"
echo "ok: wasmtime runner"
