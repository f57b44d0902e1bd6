#!/usr/bin/env bash
# bench/deploy/wasmmodule.sh: the wasm deployer (WasmModule) against
# tests/kube/fake_apiserver.py over HTTPS with a bearer token:
#  1. readiness: time from the fake controller marking the WasmModule Ready
#     (its --ready-file timestamp, taken just before the write) to
#     `funcp deploy` exiting, over RUNS deploys (the first creates, the
#     others update with a new image digest); Ready comes 150-250 ms after
#     each write (random), so a timer in the client shows as spread;
#  2. `funcp list -o json -n bench` over 2,000 WasmModules against curl of
#     the same collection (pages of 500 as funcp does, and one GET), with
#     hyperfine, and peak RSS with GNU time.
# usage: bench/deploy/wasmmodule.sh [build-dir]   env: RUNS=20 LIST_RUNS=20 LIST_ROUNDS=5
set -euo pipefail
BUILD=$(cd "${1:-build}" && pwd)
FUNCP=$BUILD/funcp
[ -x "$FUNCP" ] || { echo "build funcp and its plugins first: $FUNCP" >&2; exit 1; }
SRC=$(cd "$(dirname "$0")/../.." && pwd)
source "$SRC/bench/deploy/lib.sh"
export FUNCP_PLUGIN_PATH="$BUILD/plugins"
RUNS=${RUNS:-20}
W=$BD_WORK
TOKEN="bench-$RANDOM$RANDOM"

bd_certs "$W/tls"
bd_server "$W/port" python3 "$SRC/tests/kube/fake_apiserver.py" --port-file "$W/port" --token "$TOKEN" \
    --tls-cert "$W/tls/srv.crt" --tls-key "$W/tls/srv.key" --namespace bench \
    --scenario ready --ready-delay 150 --ready-jitter 100 --ready-file "$W/ready"
API="https://127.0.0.1:$BD_PORT"
bd_kubeconfig "$W/kubeconfig" "$API" "$TOKEN" "$W/tls/ca.crt"
export KUBECONFIG="$W/kubeconfig"
mkdir -p "$W/fn"
printf 'specVersion: 0.36.0\nname: hello\nruntime: go-wasi\n' >"$W/fn/func.yaml"

wasm_deploy() {
    "$FUNCP" deploy -p "$W/fn" --build=false --push=false \
        --image "registry.example.com/bench/hello@sha256:$(printf '%064x' "$1")"
}
bd_readiness "funcp deploy (wasm)" "$W/ready" "$RUNS" wasm_deploy

curl -sf --cacert "$W/tls/ca.crt" -H "Authorization: Bearer $TOKEN" -X POST \
    "$API/fake/seed?count=2000&namespace=bench" >/dev/null || bd_die "seeding failed"
printf 'Authorization: Bearer %s\n' "$TOKEN" >"$W/auth.hdr"
listed=$("$FUNCP" list -o json -n bench | jq length)
[ "$listed" -eq 2000 ] || bd_die "funcp list found $listed functions, not 2000"
bd_list "$API/apis/wasm.serving.knative.dev/v1alpha1/namespaces/bench/wasmmodules" "$W/auth.hdr" "$W/tls/ca.crt" \
    "funcp list -o json -n bench" "$FUNCP list -o json -n bench"
echo "funcp list requests for 2,000 WasmModules: $("$FUNCP" list -o json -n bench -v 2>&1 >/dev/null |
    grep -c 'GET /apis/wasm' || true)" >&2
bd_report
