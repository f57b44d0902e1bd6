# Soak: funcp push 200 times through tests/oci/fault_proxy.py injecting
# random faults (503, 429 with Retry-After, dropped connections, slow
# answers; seeded RNG) in front of a real docker-registry, checking after
# each push that the registry holds the manifest and layer funcp reported
# and that func.yaml is intact; then funcp deploy 50 times through
# tcp_cut_proxy.py (connections cut at random points, requests and watch
# streams alike) against tests/kube/fake_apiserver.py, checking after each
# that exactly one WasmModule exists, with the deployed image. Faults and
# cuts are counted by the proxies, so the test proves they happened.
# Loopback only; bounded: SOAK_PUSHES, SOAK_DEPLOYS, SOAK_LIMIT_S.
set -u
: "${FUNCP:?}" "${FUNCP_TEST_SOURCE_DIR:?}" "${FUNCP_TEST_BUILD_DIR:?}"
PUSHES=${SOAK_PUSHES:-200} DEPLOYS=${SOAK_DEPLOYS:-50} SEED=${SOAK_SEED:-13} LIMIT_S=${SOAK_LIMIT_S:-170}
SRC=$FUNCP_TEST_SOURCE_DIR/tests
export FUNCP_PLUGIN_PATH="$FUNCP_TEST_BUILD_DIR/plugins"
WORK=$(mktemp -d /tmp/funcp-soak.XXXXXX)
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
export HOME=$WORK/home DOCKER_CONFIG=$WORK/no-docker XDG_CONFIG_HOME=$WORK/config
unset FUNCP_INSECURE_REGISTRIES FUNC_REGISTRY_INSECURE FUNC_CA_FILE REGISTRY_AUTH_FILE XDG_RUNTIME_DIR
mkdir -p "$HOME"
START=$(date +%s)
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() {
    for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
    echo "FAIL: nothing listens on $1"; exit 1
}
elapsed() { echo $(( $(date +%s) - START )); }
sha() { echo "sha256:$(sha256sum "$1" | cut -d' ' -f1)"; }

# --- pushes through injected faults ---------------------------------------
RP=$(free_port)
printf 'version: 0.1\nlog: {level: error, accesslog: {disabled: true}}\nstorage: {filesystem: {rootdirectory: %s}}\nhttp: {addr: "127.0.0.1:%s", secret: soak}\n' \
    "$WORK/registry" "$RP" > "$WORK/registry.yml"
timeout $((LIMIT_S + 10)) docker-registry serve "$WORK/registry.yml" > "$WORK/registry.log" 2>&1 &
PIDS+=($!)
wait_port "$RP"
PX=$(free_port)
printf '{"random":{"seed":%d,"rate":0.04,"match":"^(GET|HEAD|POST|PATCH|PUT) /v2/","actions":["503","429","drop","slow"]}}' \
    "$SEED" > "$WORK/plan.json"
EV=$WORK/faults.log
: > "$EV"
timeout $((LIMIT_S + 10)) python3 "$SRC/oci/fault_proxy.py" "$PX" "127.0.0.1:$RP" "$WORK/plan.json" "$EV" &
PIDS+=($!)
wait_port "$PX"

FN=$WORK/fn
mkdir -p "$FN"
cat > "$FN/func.yaml" <<'YAML'
specVersion: 0.36.0
name: soak
runtime: go-wasi
labels:
- key: team
  value: soak
YAML
cp "$FN/func.yaml" "$WORK/func.yaml.orig"
IMAGE=127.0.0.1:$PX/soak/fn:latest
ACCEPT='Accept: application/vnd.oci.image.manifest.v1+json'
pushed=0
push_failures=0
for i in $(seq 1 "$PUSHES"); do
    [ "$(elapsed)" -lt "$LIMIT_S" ] || { fail "time limit reached after $pushed pushes"; break; }
    # a new small module each time (a custom section of random bytes)
    { printf '\0asm\1\0\0\0\0\275\027\004soak'; head -c 3000 /dev/urandom; } > "$FN/module.wasm"
    chunk=""
    [ $((i % 2)) -eq 1 ] && chunk=1024 # every other push: PATCH chunks, exercising resumes
    if ! FUNCP_OCI_CHUNK_SIZE=$chunk "$FUNCP" push -p "$FN" --image "$IMAGE" > "$WORK/out" 2> "$WORK/err"; then
        push_failures=$((push_failures + 1))
        fail "push $i: $(tail -3 "$WORK/err")"
        continue
    fi
    pushed=$((pushed + 1))
    # func.yaml: unchanged but for image (the tag pushed) and deploy.image
    # (pinned to the digest pushed)
    pinned=$(sed -n 's/^  image: //p' "$FN/func.yaml")
    digest=${pinned##*@}
    [ "$pinned" = "127.0.0.1:$PX/soak/fn@$digest" ] || fail "push $i: func.yaml deploy.image is '$pinned'"
    [ "$(sed -n 's/^image: //p' "$FN/func.yaml")" = "$IMAGE" ] || fail "push $i: func.yaml image is not $IMAGE"
    rest() { grep -v '^image: \|^deploy:$\|^  image: ' "$FN/func.yaml"; }
    diff <(rest) "$WORK/func.yaml.orig" > /dev/null || fail "push $i: func.yaml changed: $(diff <(rest) "$WORK/func.yaml.orig")"
    # the registry (asked directly, not through the proxy) holds that manifest and this layer
    curl -sf -H "$ACCEPT" "http://127.0.0.1:$RP/v2/soak/fn/manifests/latest" -o "$WORK/manifest.json" ||
        { fail "push $i: no manifest in the registry"; continue; }
    [ "$(sha "$WORK/manifest.json")" = "$digest" ] || fail "push $i: the registry's tag is not the manifest pushed"
    grep -qF "\"digest\":\"$(sha "$FN/module.wasm")\"" "$WORK/manifest.json" || fail "push $i: layer digest differs"
    curl -sf "http://127.0.0.1:$RP/v2/soak/fn/blobs/$(sha "$FN/module.wasm")" -o "$WORK/layer" &&
        cmp -s "$WORK/layer" "$FN/module.wasm" || fail "push $i: stored layer differs from module.wasm"
done
push_time=$(elapsed)
n503=$(grep -c '^503 ' "$EV"); n429=$(grep -c '^429 ' "$EV")
ndrop=$(grep -c '^drop ' "$EV"); nslow=$(grep -c '^slow ' "$EV")
faults=$((n503 + n429 + ndrop + nslow))
[ "$pushed" -eq "$PUSHES" ] || fail "$pushed of $PUSHES pushes done"
[ "$faults" -gt 0 ] && [ "$n503" -gt 0 ] && [ "$n429" -gt 0 ] && [ "$ndrop" -gt 0 ] && [ "$nslow" -gt 0 ] ||
    fail "not every kind of fault was injected: 503 $n503, 429 $n429, drop $ndrop, slow $nslow"
echo "soak pushes: $pushed/$PUSHES ok, faults injected $faults (503: $n503, 429: $n429, drop: $ndrop, slow: $nslow), failures $push_failures, ${push_time} s"

# --- deploys through cut connections --------------------------------------
TOKEN=soak-token-not-secret
timeout $((LIMIT_S + 10)) python3 "$SRC/kube/fake_apiserver.py" --port-file "$WORK/api.port" --token "$TOKEN" \
    --scenario ready --ready-delay 20 --bookmark-interval 0.2 > "$WORK/api.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do [ -s "$WORK/api.port" ] && break; sleep 0.05; done
API=$(cat "$WORK/api.port")
CP=$(free_port)
timeout $((LIMIT_S + 10)) python3 "$SRC/soak/tcp_cut_proxy.py" "$CP" "$API" "$SEED" 0.12 "$WORK/cuts.json" &
PIDS+=($!)
wait_port "$CP"
cat > "$WORK/kubeconfig" <<YAML
current-context: soak
clusters: [{name: soak, cluster: {server: "http://127.0.0.1:$CP"}}]
users: [{name: u, user: {token: $TOKEN}}]
contexts: [{name: soak, context: {cluster: soak, user: u, namespace: default}}]
YAML
DFN=$WORK/dfn
mkdir -p "$DFN"
printf 'specVersion: 0.36.0\nname: soak\nruntime: go-wasi\n' > "$DFN/func.yaml"
LIST="http://127.0.0.1:$API/apis/wasm.serving.knative.dev/v1alpha1/namespaces/default/wasmmodules"
deployed=0
deploy_failures=0
for j in $(seq 1 "$DEPLOYS"); do
    [ "$(elapsed)" -lt "$LIMIT_S" ] || { fail "time limit reached after $deployed deploys"; break; }
    img="registry.example.com/soak@sha256:$(printf 'deploy-%d' "$j" | sha256sum | cut -d' ' -f1)"
    if ! timeout 60 "$FUNCP" deploy -p "$DFN" --kubeconfig "$WORK/kubeconfig" --image "$img" --build=false \
        --push=false > "$WORK/out" 2> "$WORK/err"; then
        deploy_failures=$((deploy_failures + 1))
        fail "deploy $j: $(tail -3 "$WORK/err")"
        continue
    fi
    deployed=$((deployed + 1))
    curl -sf -H "Authorization: Bearer $TOKEN" "$LIST" -o "$WORK/list.json" || { fail "deploy $j: cannot list"; continue; }
    python3 - "$WORK/list.json" "$img" <<'PY' || fail "deploy $j: $(cat "$WORK/list.json" | head -c 300)"
import json, sys
items = json.load(open(sys.argv[1]))["items"]
assert len(items) == 1, f"{len(items)} WasmModules"
assert items[0]["spec"]["image"] == sys.argv[2], "image " + items[0]["spec"]["image"]
PY
done
connections=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["connections"])' "$WORK/cuts.json")
cuts=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["cuts"])' "$WORK/cuts.json")
[ "$deployed" -eq "$DEPLOYS" ] || fail "$deployed of $DEPLOYS deploys done"
[ "$cuts" -gt 0 ] || fail "no connection was cut"
total=$(elapsed)
echo "soak deploys: $deployed/$DEPLOYS ok, connections $connections, cut $cuts, failures $deploy_failures, $((total - push_time)) s"
echo "soak total: ${total} s, failures $failures"
[ "$failures" -eq 0 ]
