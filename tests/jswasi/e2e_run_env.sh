#!/usr/bin/env bash
# funcp run gives the function func.yaml run.envs plus -e/--env (as func
# run does, without writing func.yaml), through the wasmtime runner (fake
# wasmtime on PATH: the guest sees only what --env names): literal values,
# {{ env:VAR }} from funcp's environment, NAME- removing one; secret and
# configMap references are named in a warning; values never reach argv.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
require_tools cmake python3 curl
e2e_setup jswasi-run-env
export PATH="$here/fakes:$PATH" FAKE_WASMTIME_LOG=$work/argv
cd "$work"
"$funcp" create -l js-wasi fn >/dev/null
printf '\0asm\r\0\001\0' >fn/module.wasm   # not built: --build=false serves this file
cat >>fn/func.yaml <<'YAML'
run:
  envs:
  - name: GREETING
    value: hello
  - name: FROM_LOCAL
    value: '{{ env:RUN_ENV_TEST_LOCAL }}'
  - name: DROPPED
    value: x
  - name: DB_PASSWORD
    value: '{{ secret:db:password }}'
YAML
cp fn/func.yaml "$work/before.yaml"
export RUN_ENV_TEST_LOCAL=s3cr3t-local-value

address=127.0.0.1:$(free_port)
(cd fn && exec "$funcp" run -v --build=false --address "$address" -e EXTRA=1 -e DROPPED- \
    -e GREETING=hi) >"$work/run.log" 2>&1 &
run_pid=$!
pids+=("$run_pid")
wait_for 30 grep -q "Running on http://$address/" "$work/run.log" ||
    fail "funcp run did not start: $(cat "$work/run.log")"
got=$(curl -sf "http://$address/env" | sort | tr '\n' ' ')
[ "$got" = "EXTRA=1 FROM_LOCAL=s3cr3t-local-value GREETING=hi " ] || fail "the function's environment: [$got]"
grep -q "secret:db:password.*exists only in the cluster" "$work/run.log" ||
    fail "the secret reference was not named: $(cat "$work/run.log")"
if grep -q "s3cr3t-local-value" "$work/argv"; then fail "a value reached wasmtime's command line"; fi
kill -INT "$run_pid"
wait_for 30 bash -c "! kill -0 $run_pid" || fail "funcp run did not stop on SIGINT"
cmp -s fn/func.yaml "$work/before.yaml" || fail "funcp run -e changed func.yaml: $(diff "$work/before.yaml" fn/func.yaml)"

# An unset {{ env:VAR }} stops the run before the runner starts.
rm -f "$work/argv"
rc=0
env -u RUN_ENV_TEST_LOCAL "$funcp" run -p fn --build=false --address "127.0.0.1:$(free_port)" \
    >"$work/unset.log" 2>&1 || rc=$?
[ "$rc" -eq 2 ] || fail "unset {{ env:VAR }}: exit $rc, want 2"
grep -q 'required local environment variable "RUN_ENV_TEST_LOCAL" is not set' "$work/unset.log" ||
    fail "unset env: unexpected message: $(cat "$work/unset.log")"
[ ! -e "$work/argv" ] || fail "the runner was started although the environment was incomplete"
echo "ok: funcp run passes run.envs and -e to the function"
