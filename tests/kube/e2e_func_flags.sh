#!/usr/bin/env bash
# func's deploy flags on funcp deploy, against the fake Kubernetes API
# server: -e/--env merged into run.envs as func's applyEnvs does (and what
# the WasmModule received), --domain/--service-account/--image-pull-secret
# kept in func.yaml, an --image pinned by digest deploys without build or
# push, the compatibility flags named, the namespaces func records.
set -u
. "$(dirname "$0")/lib.sh"
TOKEN="e2e-flags-token"
IMAGE="registry.example.com/hello@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

timeout 120 python3 "$SERVER" --port-file "$WORK/port" --token "$TOKEN" --namespace prod \
    --scenario ready --ready-delay 50 > /dev/null 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do [ -s "$WORK/port" ] && break; sleep 0.05; done
[ -s "$WORK/port" ] || { echo "fake server did not start"; exit 1; }
PORT=$(cat "$WORK/port")
KC="$WORK/kubeconfig"
cat > "$KC" <<YAML
current-context: fake
clusters: [{name: fake, cluster: {server: "http://127.0.0.1:$PORT"}}]
users: [{name: u, user: {token: $TOKEN}}]
contexts: [{name: fake, context: {cluster: fake, user: u, namespace: default}}]
YAML
FN="$WORK/fn"
mkdir -p "$FN"
cat > "$FN/func.yaml" <<'YAML'
specVersion: 0.36.0
name: hello
runtime: go-wasi
run:
  envs:
  - name: KEEP
    value: "1"
  - name: GONE
    value: old
  - name: CHANGE
    value: before
YAML

# The object the API server holds for the function, as JSON.
module() {
    curl -sf -H "Authorization: Bearer $TOKEN" \
        "http://127.0.0.1:$PORT/apis/wasm.serving.knative.dev/v1alpha1/namespaces/${1:-default}/wasmmodules/hello"
}

# 1. -e: update in place, append in order, remove; pinned image, no build.
export FLAGS_TEST_LOCAL=from-local
timeout 60 "$FUNCP" deploy -p "$FN" --kubeconfig "$KC" --image "$IMAGE" \
    -e CHANGE=after -e NEW1=a -e GONE- -e NEW2='{{ env:FLAGS_TEST_LOCAL }}' -e NEW1=b \
    --service-account runner --image-pull-secret regcred --domain example.org \
    > "$WORK/out" 2> "$WORK/err" </dev/null
rc=$?
if [ $rc -ne 0 ]; then
    fail "deploy with func flags exited $rc: $(cat "$WORK/err")"
else
    ok "deploy with -e, --service-account, --image-pull-secret, --domain and a pinned image"
fi
[ -e "$FN/module.wasm" ] && fail "a pinned --image was built"
envs=$(python3 - "$FN/func.yaml" <<'PY'
import sys, re
text = open(sys.argv[1]).read()
names = re.findall(r"- name: (\S+)\n\s+value: (.*)", text)
print(" ".join(f"{n}={v.strip()}" for n, v in names))
PY
)
[ "$envs" = "KEEP=\"1\" CHANGE=after NEW1=b NEW2='{{ env:FLAGS_TEST_LOCAL }}'" ] \
    || fail "run.envs after -e: [$envs]"
grep -q "serviceAccountName: runner" "$FN/func.yaml" || fail "--service-account not kept"
grep -q "imagePullSecret: regcred" "$FN/func.yaml" || fail "--image-pull-secret not kept"
grep -q "^domain: example.org" "$FN/func.yaml" || fail "--domain not kept"
grep -q "^namespace: default" "$FN/func.yaml" || fail "namespace not recorded: $(cat "$FN/func.yaml")"
grep -q "^  namespace: default" "$FN/func.yaml" || fail "deploy.namespace not recorded"

# 2. An unset {{ env:VAR }} stops the deploy before anything is sent.
unset FLAGS_TEST_LOCAL
cp "$FN/func.yaml" "$WORK/before.yaml"
if timeout 60 "$FUNCP" deploy -p "$FN" --kubeconfig "$KC" --image "$IMAGE" > "$WORK/out" 2> "$WORK/err"; then
    fail "deploy with an unset {{ env:FLAGS_TEST_LOCAL }} succeeded"
fi
grep -q "FLAGS_TEST_LOCAL" "$WORK/err" || fail "unset local env not named: $(cat "$WORK/err")"
cmp -s "$FN/func.yaml" "$WORK/before.yaml" || fail "failed deploy changed func.yaml"

# 3. The WasmModule got the merged environment.
export FLAGS_TEST_LOCAL=from-local
timeout 60 "$FUNCP" deploy -p "$FN" --kubeconfig "$KC" --image "$IMAGE" -e NEW1- \
    > "$WORK/out" 2> "$WORK/err" || fail "redeploy: $(cat "$WORK/err")"
module > "$WORK/module.json" || fail "no WasmModule on the server"
got=$(python3 - "$WORK/module.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
print(" ".join(f"{e['name']}={e.get('value')}" for e in m["spec"].get("env", []) if e["name"] != "BUILT"))
PY
)
[ "$got" = "KEEP=1 CHANGE=after NEW2=from-local ADDRESS=0.0.0.0" ] || fail "WasmModule env: [$got]"

# 4. Removing a name that is not there: func's error, exit 2, nothing changed.
cp "$FN/func.yaml" "$WORK/before.yaml"
timeout 60 "$FUNCP" deploy -p "$FN" --kubeconfig "$KC" --image "$IMAGE" -e NOPE- > "$WORK/out" 2> "$WORK/err"
rc=$?
[ $rc -eq 2 ] || fail "removing an absent env: exit $rc (want 2)"
grep -q 'environment variable "NOPE" does not exist' "$WORK/err" || fail "absent env message: $(cat "$WORK/err")"
timeout 60 "$FUNCP" deploy -p "$FN" --kubeconfig "$KC" --image "$IMAGE" -e JUSTNAME > "$WORK/out" 2> "$WORK/err"
rc=$?
[ $rc -eq 2 ] || fail "-e without '=': exit $rc (want 2)"
grep -q 'requires a value that contains the "=" character; got "JUSTNAME"' "$WORK/err" \
    || fail "-e without '=' message: $(cat "$WORK/err")"
timeout 60 "$FUNCP" deploy -p "$FN" --kubeconfig "$KC" --image "$IMAGE" -e 'BAD={{ bogus }}' > "$WORK/out" 2> "$WORK/err"
rc=$?
[ $rc -eq 5 ] || fail "-e with a value func refuses: exit $rc (want 5)"
grep -q "env entry #3 with name 'BAD' has invalid value field set" "$WORK/err" \
    || fail "-e with a bad template: func's validation text missing: $(cat "$WORK/err")"
grep -q "func.yaml:0:0" "$WORK/err" && fail "a flag's entry was given a position in the file"
cmp -s "$FN/func.yaml" "$WORK/before.yaml" || fail "refused -e changed func.yaml"

# 5. func's rules for a digest image and its compatibility flags.
timeout 60 "$FUNCP" deploy -p "$FN" --kubeconfig "$KC" --image "$IMAGE" --build=true > "$WORK/out" 2> "$WORK/err"
[ $? -eq 2 ] && grep -q "building can not be enabled when using an image with digest" "$WORK/err" \
    || fail "--build=true with a digest: $(cat "$WORK/err")"
timeout 60 "$FUNCP" deploy -p "$FN" --kubeconfig "$KC" --image "$IMAGE" --push > "$WORK/out" 2> "$WORK/err"
[ $? -eq 2 ] && grep -q "pushing is not valid when specifying an image with digest" "$WORK/err" \
    || fail "--push with a digest: $(cat "$WORK/err")"
timeout 60 "$FUNCP" deploy -p "$FN" --kubeconfig "$KC" --image "$IMAGE" -c --platform linux/amd64 \
    > "$WORK/out" 2> "$WORK/err" || fail "deploy -c --platform: $(cat "$WORK/err")"
grep -q -- "--platform: a WebAssembly component runs on any platform" "$WORK/err" \
    || fail "--platform not named: $(cat "$WORK/err")"
grep -q -- "--confirm: funcp does not prompt" "$WORK/err" || fail "--confirm not named"
timeout 60 "$FUNCP" deploy -p "$FN" --kubeconfig "$KC" --image "$IMAGE" --remote > "$WORK/out" 2> "$WORK/err"
[ $? -eq 2 ] && grep -q -- "--remote: on-cluster (remote) builds are not supported" "$WORK/err" \
    || fail "--remote: $(cat "$WORK/err")"
timeout 60 "$FUNCP" deploy -p "$FN" --kubeconfig "$KC" --image "$IMAGE" --domain Bad_Domain > "$WORK/out" 2> "$WORK/err"
[ $? -eq 2 ] && grep -q 'invalid domain "Bad_Domain"' "$WORK/err" || fail "bad --domain: $(cat "$WORK/err")"

# 6. namespace (asked for) wins over deploy.namespace (last deployed) on deploy,
#    and func's two keys are recorded.
timeout 60 "$FUNCP" deploy -p "$FN" --kubeconfig "$KC" --image "$IMAGE" -n prod > "$WORK/out" 2> "$WORK/err" \
    || fail "deploy -n prod: $(cat "$WORK/err")"
grep -q "^namespace: prod" "$FN/func.yaml" && grep -q "^  namespace: prod" "$FN/func.yaml" \
    || fail "deploy -n prod did not record both namespaces: $(cat "$FN/func.yaml")"
module prod > /dev/null || fail "no WasmModule in prod"
timeout 60 "$FUNCP" describe hello -p "$FN" --kubeconfig "$KC" -o json > "$WORK/out" 2> "$WORK/err" \
    || fail "describe after deploy -n prod: $(cat "$WORK/err")"
grep -q '"prod"' "$WORK/out" || fail "describe did not look in prod: $(cat "$WORK/out")"

# 7. A func.yaml in func's 0.25.0 layout (top-level envs, annotations,
#    options, healthEndpoints) deploys as func migrates it: the WasmModule
#    gets its envs, annotations and resources; what a WasmModule cannot
#    hold is named; func.yaml is written back as 0.36.0 with its comments.
OLD="$WORK/old"
mkdir -p "$OLD"
sed -e 's/^runtime: go$/runtime: go-wasi/' -e 's/^namespace: staging/namespace: default/' \
    "$FUNCP_TEST_SOURCE_DIR/tests/funcyaml/fixtures/migrations/spec-0.25.0.yaml" > "$OLD/func.yaml"
timeout 60 "$FUNCP" deploy -p "$OLD" --kubeconfig "$KC" \
    --image "registry.example.com/specs@sha256:$(printf '%064d' 3)" > "$WORK/out" 2> "$WORK/err" \
    || fail "deploy of a 0.25.0 func.yaml: $(cat "$WORK/err")"
curl -sf -H "Authorization: Bearer $TOKEN" \
    "http://127.0.0.1:$PORT/apis/wasm.serving.knative.dev/v1alpha1/namespaces/default/wasmmodules/specs" > "$WORK/old.json" \
    || fail "no WasmModule for the 0.25.0 function"
python3 - "$WORK/old.json" > "$WORK/check" 2>&1 <<'PY' || fail "WasmModule from a 0.25.0 func.yaml: $(cat "$WORK/check")"
import json, sys
m = json.load(open(sys.argv[1]))
env = {e["name"]: e for e in m["spec"].get("env", [])}
assert env["TOKEN"].get("valueFrom", {}).get("secretKeyRef") == {"name": "tokens", "key": "api"}, env
assert m["metadata"].get("annotations", {}).get("owner") == "team-b", m["metadata"]
assert m["spec"]["resources"]["limits"]["memory"] == "256Mi", m["spec"].get("resources")
PY
grep -q "deploy.healthEndpoints" "$WORK/err" || fail "healthEndpoints of the old layout not named: $(cat "$WORK/err")"
grep -q "^specVersion: 0.36.0" "$OLD/func.yaml" || fail "migrated func.yaml not written with 0.36.0"
grep -q "# secret key" "$OLD/func.yaml" || fail "migrated func.yaml lost its comment"
grep -q "^run:" "$OLD/func.yaml" && ! grep -q "^envs:" "$OLD/func.yaml" || fail "envs not moved under run"

[ $failures -eq 0 ] && echo "all func flag checks passed"
exit $((failures > 0))
