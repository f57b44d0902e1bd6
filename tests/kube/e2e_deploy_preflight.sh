#!/usr/bin/env bash
# funcp deploy checks the cluster before it builds or pushes: with no API
# server, a missing WasmModule CRD, a missing namespace or context, the
# function is not built (fake toolchain never runs, module.wasm and the build
# stamp unchanged) and nothing reaches a running docker-registry. A reachable
# cluster then builds, pushes (to a loopback registry, no
# --registry-insecure) and deploys, so the same checks would see a build and
# a push. Every server started here listens on 127.0.0.1 and is killed on exit.
set -u
command -v docker-registry >/dev/null || { echo "skipped: docker-registry not installed"; exit 77; }
. "$(dirname "$0")/lib.sh"
"$FUNCP" plugins 2>/dev/null | grep -q "go-wasi" || { echo "skipped: runtime-go-wasi not built"; exit 77; }
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
TOKEN="preflight-token-4711"
unset KUBECONFIG FUNCP_INSECURE_REGISTRIES FUNC_REGISTRY_INSECURE FUNC_NAMESPACE FUNC_CONTEXT
export HOME="$WORK/home" DOCKER_CONFIG="$WORK/no-docker"
mkdir -p "$HOME"

# A plain docker-registry on a loopback port.
RPORT=$(free_port)
printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' \
    "$WORK/registry" "$RPORT" > "$WORK/registry.yml"
docker-registry serve "$WORK/registry.yml" > "$WORK/registry.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$RPORT/v2/" > /dev/null 2>&1 && break; sleep 0.1; done
REG="127.0.0.1:$RPORT"
catalog() { curl -fsS "http://$REG/v2/_catalog"; }
[ "$(catalog)" = '{"repositories":[]}' ] || { echo "registry did not start"; exit 1; }

# kubeconfig <file> <server url>
kubeconfig() {
    cat > "$1" <<YAML
current-context: fake
clusters: [{name: fake, cluster: {server: "$2"}}]
users: [{name: u, user: {token: $TOKEN}}]
contexts: [{name: fake, context: {cluster: fake, user: u, namespace: default}}]
YAML
}

# start_server <name> <args...>: a fake API server; sets KC to its kubeconfig.
start_server() {
    local name=$1; shift
    mkdir -p "$WORK/$name"
    timeout 120 python3 "$SERVER" --port-file "$WORK/$name/port" --token "$TOKEN" "$@" > /dev/null 2>&1 &
    PIDS+=($!)
    for _ in $(seq 100); do [ -s "$WORK/$name/port" ] && break; sleep 0.05; done
    [ -s "$WORK/$name/port" ] || { echo "fake server did not start"; exit 1; }
    KC="$WORK/$name/kubeconfig"
    kubeconfig "$KC" "http://127.0.0.1:$(cat "$WORK/$name/port")"
}

# A go-wasi function built once with the fake toolchain (tests/runtimes/shims).
export SHIM_LOG="$WORK/shim.log"
export PATH="$FUNCP_TEST_SOURCE_DIR/tests/runtimes/shims:$PATH"
FN="$WORK/fn"
mkdir -p "$FN"
printf 'specVersion: 0.36.0\nname: hello\nruntime: go-wasi\n' > "$FN/func.yaml"
"$FUNCP" build -p "$FN" > /dev/null 2>&1 || { echo "build with the fake toolchain failed"; exit 1; }
[ -s "$FN/module.wasm" ] && [ -s "$FN/.funcp/built" ] || { echo "no module.wasm or build stamp"; exit 1; }
state() { stat -c '%n %Y.%y %s' "$FN/module.wasm" "$FN/.funcp/built"; sha256sum "$FN/module.wasm" "$FN/.funcp/built"; }
BEFORE=$(state)
: > "$SHIM_LOG"

# refused <label> <exit code> <message> <deploy args...>: deploy fails fast
# with that code and message; nothing built, pushed or changed.
refused() {
    local label=$1 code=$2 msg=$3
    shift 3
    local start=$SECONDS rc before=$failures
    # --build=true would rebuild an up-to-date function; --build=false would
    # push the existing module.wasm: neither may happen.
    for build in true false; do
        timeout 60 "$FUNCP" deploy -p "$FN" --registry "$REG/me" --build=$build "$@" > "$WORK/out" 2> "$WORK/err"
        rc=$?
        [ "$rc" -eq "$code" ] || fail "$label (--build=$build): exit $rc, want $code: $(cat "$WORK/err")"
        grep -qF -- "$msg" "$WORK/err" || fail "$label (--build=$build): message: $(cat "$WORK/err")"
        grep -qF 'checking the cluster for deployer "wasm" before building' "$WORK/err" ||
            fail "$label (--build=$build): no preflight context: $(cat "$WORK/err")"
    done
    [ $((SECONDS - start)) -lt 10 ] || fail "$label: not fast ($((SECONDS - start)) s)"
    [ ! -s "$SHIM_LOG" ] || fail "$label: the toolchain ran: $(cat "$SHIM_LOG")"
    [ "$(state)" = "$BEFORE" ] || fail "$label: module.wasm or the build stamp changed"
    [ "$(catalog)" = '{"repositories":[]}' ] || fail "$label: something was pushed: $(catalog)"
    [ "$failures" -eq "$before" ] && ok "$label: exit $code, nothing built or pushed"
}

# 1. no API server: a closed port on 127.0.0.1.
CLOSED=$(free_port)
kubeconfig "$WORK/closed.kubeconfig" "http://127.0.0.1:$CLOSED"
refused "unreachable API server" 9 "cannot talk to the Kubernetes API server http://127.0.0.1:$CLOSED" \
    --kubeconfig "$WORK/closed.kubeconfig"

# 2. the API server answers but does not serve WasmModules.
start_server nocrd --no-crd
refused "WasmModule CRD missing" 6 "WasmModule resource not installed in this cluster: install knative-serving-wasm" \
    --kubeconfig "$KC"

# 3. the namespace does not exist, or is not a valid name (func.yaml), or
#    the context is unknown, or the token is refused.
start_server main --scenario ready --ready-delay 200
refused "missing namespace" 6 'namespace "nosuch" does not exist in the cluster' --kubeconfig "$KC" -n nosuch
refused "unknown context" 6 'context "elsewhere" not found in kubeconfig' --kubeconfig "$KC" --context elsewhere
printf 'deploy:\n  namespace: Bad_NS\n' >> "$FN/func.yaml"
refused "invalid namespace in func.yaml" 2 'invalid namespace "Bad_NS" (from func.yaml or the kubeconfig context)' \
    --kubeconfig "$KC"
sed -i '/^deploy:/d; /namespace: Bad_NS/d' "$FN/func.yaml"
kubeconfig "$WORK/badtoken.kubeconfig" "http://127.0.0.1:$(cat "$WORK/main/port")"
sed -i "s/token: $TOKEN/token: wrong-token/" "$WORK/badtoken.kubeconfig"
refused "refused credentials" 10 'Unauthorized: the cluster refused the credentials of context "fake"' \
    --kubeconfig "$WORK/badtoken.kubeconfig"

# 4. control: a reachable cluster with the CRD builds, pushes and deploys.
echo "// changed" >> "$FN/function.go"
timeout 60 "$FUNCP" deploy -p "$FN" --registry "$REG/me" --kubeconfig "$KC" > "$WORK/out" 2> "$WORK/err" ||
    fail "deploy to a reachable cluster: $(cat "$WORK/err")"
grep -q "tinygo build" "$SHIM_LOG" || fail "control deploy did not build"
[ "$(catalog)" = '{"repositories":["me/hello"]}' ] || fail "control deploy did not push: $(catalog)"
grep -q "image: $REG/me/hello@sha256:" "$FN/func.yaml" || fail "deployed image not pinned in func.yaml"
ok "reachable cluster: built, pushed to $REG without --registry-insecure, deployed"

[ "$failures" -eq 0 ] && echo "all deploy preflight checks passed"
exit "$failures"
