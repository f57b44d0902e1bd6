#!/usr/bin/env bash
# The real funcp with deployer-knative: the wasi incompatibility (before any
# build or cluster call), and a knative func Go func.yaml deployed unchanged
# against tests/knative/fake_knative.py, then listed, described, deleted.
set -u
FUNCP="${FUNCP:?}"
SRC="$FUNCP_TEST_SOURCE_DIR/tests/knative"
work=$(mktemp -d)
SERVER_PID=""
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
failures=0
pass() { echo "ok   - $1"; }
fail() { echo "FAIL - $1"; echo "  rc=$RC"; echo "  stdout: ${OUT:0:800}"; echo "  stderr: ${ERR:0:1500}"; failures=$((failures + 1)); }
has() { [[ "$1" == *"$2"* ]]; }
run() { OUT=$(cd "$work" && timeout 60 "$FUNCP" "$@" 2>"$work/err"); RC=$?; ERR=$(cat "$work/err"); }

python3 "$SRC/fake_knative.py" --port-file "$work/port" --scenario ready --namespace team-b \
    --preload "$SRC/fixtures/cluster-go-complete.json" >/dev/null 2>"$work/server.log" &
SERVER_PID=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
API="http://127.0.0.1:$(cat "$work/port")"
TOKEN="sup3r-s3cret-t0ken-$$"
cat >"$work/kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters:
- name: fake
  cluster:
    server: $API
contexts:
- name: fake
  context:
    cluster: fake
    namespace: default
    user: u
current-context: fake
users:
- name: u
  user:
    token: $TOKEN
KC
export KUBECONFIG="$work/kubeconfig"
requests() { curl -s "$API/fake/requests" | jq '[.requests[] | select(.path | startswith("/fake/") | not)] | length'; }

# --- wasi runtimes cannot use the knative deployer ----------------------------
installed=$("$FUNCP" plugins -o json 2>/dev/null)
for rt in rust-wasi go-wasi; do
    if ! has "$installed" "\"$rt\""; then
        echo "skip - $rt: its runtime plugin is not built"
        continue
    fi
    mkdir -p "$work/$rt"
    printf 'specVersion: 0.36.0\nname: hello\nruntime: %s\nregistry: registry.example.com/u\n' "$rt" >"$work/$rt/func.yaml"
    before=$(requests)
    run deploy --deployer knative -p "$work/$rt"
    if [ $RC -eq 3 ] &&
       has "$ERR" "deployer \"knative\" does not support runtime \"$rt\": incompatible runtime/builder/deployer combination" &&
       [ "$(requests)" = "$before" ] && [ "$(ls "$work/$rt")" = func.yaml ]; then
        pass "$rt with --deployer knative: refused before any build or cluster call, exit 3"
    else fail "$rt with --deployer knative"; fi
done

# --- FUNC_DEPLOYER / FUNC_DEPLOY_TYPE are not explicit (as in func) ----------
# Another runtime gets the environment's deployer (wasm refuses node, before
# any cluster call); a *-wasi runtime still gets the inferred wasm.
mkdir -p "$work/envnode"
printf 'specVersion: 0.36.0\nname: envnode\nruntime: node\nnamespace: default\n' >"$work/envnode/func.yaml"
for var in FUNC_DEPLOYER FUNC_DEPLOY_TYPE; do
    before=$(requests)
    OUT=$(cd "$work" && env "$var=wasm" timeout 60 "$FUNCP" deploy -p "$work/envnode" --build=false \
        --image "registry.example.com/u/envnode@sha256:$(printf '%064d' 1)" 2>"$work/err"); RC=$?; ERR=$(cat "$work/err")
    if [ $RC -eq 3 ] && has "$ERR" 'deployer "wasm" does not support runtime "node"' &&
       [ "$(requests)" = "$before" ]; then
        pass "$var=wasm is used for runtime node (refused as incompatible, nothing sent)"
    else fail "$var=wasm with runtime node"; fi
done
help=$("$FUNCP" deploy --help 2>&1)
if has "$help" '$FUNC_DEPLOYER' && has "$help" '$FUNC_DEPLOY_TYPE'; then
    pass "deploy --help names both FUNC_DEPLOYER and FUNC_DEPLOY_TYPE"
else fail "deploy --help env names"; fi
# One --force, two meanings: rebuild, and take over a foreign Service.
force_help=$(grep -e '--force' <<<"$help")
if has "$force_help" "Build even when the function is up to date" &&
   has "$force_help" "take over an existing Service that funcp or func did not create"; then
    pass "deploy --help documents both meanings of --force"
else fail "deploy --help --force: $force_help"; fi
if has "$installed" '"deployer-wasmmodule"' && has "$installed" '"go-wasi"'; then
    mkdir -p "$work/envwasi"
    printf 'specVersion: 0.36.0\nname: envwasi\nruntime: go-wasi\nnamespace: default\n' >"$work/envwasi/func.yaml"
    for var in FUNC_DEPLOYER FUNC_DEPLOY_TYPE; do
        OUT=$(cd "$work" && env "$var=knative" timeout 60 "$FUNCP" deploy -p "$work/envwasi" --build=false \
            --push=false --image "registry.example.com/u/envwasi@sha256:$(printf '%064d' 2)" 2>"$work/err"); RC=$?
        ERR=$(cat "$work/err")
        # This fake cluster has no WasmModule API: reaching it proves "wasm" was chosen.
        if [ $RC -ne 0 ] && ! has "$ERR" incompatible && has "$ERR" "WasmModule resource not installed" &&
           ! grep -q deployer "$work/envwasi/func.yaml"; then
            pass "$var=knative with go-wasi: inference wins (wasm), nothing written to func.yaml"
        else fail "$var=knative with go-wasi"; fi
    done
else echo "skip - env deployer with go-wasi: deployer-wasmmodule or runtime-go-wasi not built"; fi

# --- a knative func Go func.yaml deploys unchanged ---------------------------
cp -r "$SRC/fixtures/go" "$work/go"
IMG="registry.example.com/alice/hello-go@sha256:5e0a8c8f2e4b5b1c2a9f8d7e6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b"
export FUNC_REGION="region-$$-value" FUNC_TEAM=payments
run deploy -p "$work/go" --build=false --image "$IMG" -n prod --verbose
svc=$(curl -s "$API/fake/object?resource=services&namespace=prod&name=hello-go")
if [ $RC -eq 0 ] && has "$OUT" 'Function deployed in namespace "prod" and exposed at URL:' &&
   has "$OUT" "http://hello-go.prod.example.com" &&
   [ "$(jq -r '.spec.template.spec.containers[0].image' <<<"$svc")" = "$IMG" ] &&
   [ "$(jq -r '.metadata.labels["function.knative.dev/runtime"]' <<<"$svc")" = go ] &&
   [ "$(jq -r '.spec.template.metadata.annotations["autoscaling.knative.dev/max-scale"]' <<<"$svc")" = 10 ]; then
    pass "funcp deploy: knative func Go func.yaml deployed as a Knative Service"
else fail "funcp deploy of the Go func.yaml"; fi
if ! has "$OUT$ERR" "$TOKEN" && ! has "$OUT$ERR" "region-$$-value"; then
    pass "--verbose shows no token and no env values"
else fail "secrets in --verbose output"; fi

cp -r "$SRC/fixtures/node" "$work/node"
NODE_IMG="registry.example.com/u/hello@sha256:9b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c"
run deploy -p "$work/node" --build=false --image "$NODE_IMG"
svc=$(curl -s "$API/fake/object?resource=services&namespace=default&name=hello")
if [ $RC -eq 0 ] && has "$OUT" "http://hello.default.example.com" &&
   [ "$(jq -c '.metadata.labels' <<<"$svc")" = '{"function.knative.dev/name":"hello","function.knative.dev/runtime":"node","boson.dev/function":"true"}' ] &&
   [ "$(jq -r '.spec.template.spec.containers[0].readinessProbe.httpGet.path' <<<"$svc")" = /health/readiness ]; then
    pass "funcp deploy: knative func Node func.yaml deployed as func would"
else fail "funcp deploy of the Node func.yaml"; fi
if has "$OUT" 'Function deployed in namespace "default" and exposed at URL:'; then
    pass "first deploy of the Node function says deployed"
else fail "first deploy wording"; fi

# Deploying again updates the Service: func's "updated" wording, and in JSON.
run deploy -p "$work/node" --build=false --image "$NODE_IMG"
if [ $RC -eq 0 ] && has "$OUT" 'Function updated in namespace "default" and exposed at URL:' &&
   has "$OUT" "http://hello.default.example.com"; then
    pass "second deploy of the Node function says updated"
else fail "second deploy wording"; fi
run deploy -p "$work/node" --build=false --image "$NODE_IMG" -o json
if [ $RC -eq 0 ] && [ "$(jq -r '.updated' <<<"$OUT")" = true ] && [ "$(jq -r '.deployer' <<<"$OUT")" = knative ]; then
    pass "deploy -o json of an existing Service has \"updated\": true"
else fail "deploy -o json updated"; fi

# --- func's deploy flags on the command line reach the Service ----------------
# -e (literal, {{ env:VAR }}, secret key) with a whole ConfigMap from
# `funcp config envs add`, --domain,
# --service-account and --image-pull-secret: kept in func.yaml and applied.
mkdir -p "$work/flags"
sed 's/^name: hello/name: flags/' "$SRC/fixtures/node/func.yaml" | grep -v '^  image:' >"$work/flags/func.yaml"
kube_post() { curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    -H "Authorization: Bearer $TOKEN" --data "$2" "$API/api/v1/namespaces/default/$1"; }
for obj in 'serviceaccounts {"metadata":{"name":"runner"}}' 'secrets {"metadata":{"name":"regcred"}}' \
           'secrets {"metadata":{"name":"db"},"data":{"password":"cw=="}}' 'configmaps {"metadata":{"name":"settings"}}'; do
    code=$(kube_post "${obj%% *}" "${obj#* }")
    [ "$code" = 201 ] || echo "note: creating ${obj%% *} answered $code"
done
FLAGS_IMG="registry.example.com/u/flags@sha256:$(printf '%064d' 7)"
export E2E_LOCAL_GREETING="hello-from-local"
# A whole ConfigMap has no NAME=VALUE form for -e: func's `config envs add` adds it.
"$FUNCP" config envs add -p "$work/flags" --value '{{ configMap:settings }}' || echo "note: config envs add failed"
run deploy -p "$work/flags" --build=false --image "$FLAGS_IMG" -e MODE=prod \
    -e 'GREETING={{ env:E2E_LOCAL_GREETING }}' -e 'DB_PASSWORD={{ secret:db:password }}' \
    --domain example.org --service-account runner --image-pull-secret regcred
svc=$(curl -s "$API/fake/object?resource=services&namespace=default&name=flags")
spec=$(jq -c '.spec.template.spec' <<<"$svc")
envs=$(jq -c '[.containers[0].env[] | select(.name != "BUILT" and .name != "ADDRESS")]' <<<"$spec")
if [ $RC -eq 0 ] &&
   [ "$envs" = '[{"name":"MODE","value":"prod"},{"name":"GREETING","value":"hello-from-local"},{"name":"DB_PASSWORD","valueFrom":{"secretKeyRef":{"name":"db","key":"password"}}}]' ] &&
   [ "$(jq -c '.containers[0].envFrom' <<<"$spec")" = '[{"configMapRef":{"name":"settings"}}]' ] &&
   [ "$(jq -r '.serviceAccountName' <<<"$spec")" = runner ] &&
   [ "$(jq -c '.imagePullSecrets' <<<"$spec")" = '[{"name":"regcred"}]' ] &&
   [ "$(jq -r '.metadata.labels["func.domain"]' <<<"$svc")" = example.org ] &&
   grep -q '^domain: example.org' "$work/flags/func.yaml" &&
   grep -q 'serviceAccountName: runner' "$work/flags/func.yaml" &&
   grep -q 'imagePullSecret: regcred' "$work/flags/func.yaml"; then
    pass "deploy -e/--domain/--service-account/--image-pull-secret: kept in func.yaml and in the Service"
else fail "deploy with func's flags (env: $envs; spec: ${spec:0:600})"; fi
run deploy -p "$work/flags" --build=false --image "$FLAGS_IMG" -e MODE- --image-pull-secret missing
if [ $RC -ne 0 ] && has "$ERR" 'referenced image pull Secret "missing" is not present in namespace "default"' &&
   grep -q 'imagePullSecret: regcred' "$work/flags/func.yaml" && grep -q 'name: MODE' "$work/flags/func.yaml"; then
    pass "a missing --image-pull-secret is refused before anything is sent; func.yaml unchanged"
else fail "missing image pull secret"; fi

# --- a func.yaml in func's 0.25.0 layout deploys as func migrates it ---------
mkdir -p "$work/old"
sed -e 's/^namespace: staging/namespace: default/' \
    "$FUNCP_TEST_SOURCE_DIR/tests/funcyaml/fixtures/migrations/spec-0.25.0.yaml" >"$work/old/func.yaml"
kube_post secrets '{"metadata":{"name":"tokens"},"data":{"api":"eA=="}}' >/dev/null
run deploy -p "$work/old" --build=false --image "registry.example.com/u/specs@sha256:$(printf '%064d' 8)"
svc=$(curl -s "$API/fake/object?resource=services&namespace=default&name=specs")
ctr=$(jq -c '.spec.template.spec.containers[0]' <<<"$svc")
if [ $RC -eq 0 ] &&
   [ "$(jq -c '.env[] | select(.name=="TOKEN") | .valueFrom' <<<"$ctr")" = '{"secretKeyRef":{"name":"tokens","key":"api"}}' ] &&
   [ "$(jq -r '.resources.limits.memory' <<<"$ctr")" = 256Mi ] &&
   [ "$(jq -r '.livenessProbe.httpGet.path' <<<"$ctr")" = /live ] &&
   [ "$(jq -r '.spec.template.metadata.annotations.owner // .metadata.annotations.owner' <<<"$svc")" = team-b ] &&
   grep -q '^specVersion: 0.36.0' "$work/old/func.yaml"; then
    pass "a 0.25.0 func.yaml (top-level envs, options, healthEndpoints, annotations) deploys migrated"
else fail "0.25.0 func.yaml (container: ${ctr:0:700})"; fi

# --- a namespace change: func.yaml namespace (asked) differs from deploy.namespace
# (last deployed): deployed to the asked one, removed from the old, both recorded.
mkdir -p "$work/move"
sed 's/^namespace: default/namespace: team-b/' "$SRC/fixtures/node/func.yaml" >"$work/move/func.yaml"
# Until it is deployed again, describe looks where it runs (deploy.namespace).
run describe -p "$work/move" -o json
if [ $RC -eq 0 ] && [ "$(jq -r .namespace <<<"$OUT")" = default ]; then
    pass "describe of a function asked into team-b but deployed in default looks in default"
else fail "describe before the move"; fi
run deploy -p "$work/move" --build=false --image "$NODE_IMG"
old_svc=$(curl -s -o /dev/null -w '%{http_code}' "$API/fake/object?resource=services&namespace=default&name=hello")
if [ $RC -eq 0 ] && has "$OUT" 'Function deployed in namespace "team-b"' &&
   has "$ERR" 'function "hello" moved from namespace "default" to "team-b"' && [ "$old_svc" = 404 ] &&
   [ "$(curl -s "$API/fake/object?resource=services&namespace=team-b&name=hello" | jq -r .metadata.name)" = hello ] &&
   grep -q '^namespace: team-b' "$work/move/func.yaml" && grep -q '^  namespace: team-b' "$work/move/func.yaml"; then
    pass "namespace: team-b with deploy.namespace: default moves the function; func.yaml records deploy.namespace"
else fail "namespace move (old Service: $old_svc; func.yaml: $(tr '\n' ' ' <"$work/move/func.yaml"))"; fi
run deploy -p "$work/move" --build=false --image "$NODE_IMG"
if [ $RC -eq 0 ] && has "$OUT" 'Function updated in namespace "team-b"' && ! has "$ERR" "moved"; then
    pass "the next deploy updates it in team-b, nothing more to move"
else fail "deploy after the move"; fi

# --timeout is parsed by funcp: a malformed one is a usage error before the
# deployer runs; the deployer refuses a zero one.
before=$(requests)
run deploy -p "$work/node" --build=false --image "$NODE_IMG" --timeout soon
if [ $RC -eq 2 ] && has "$ERR" '--timeout: invalid duration "soon" (use e.g. 30s, 2m, 1h30m)' &&
   [ "$(requests)" = "$before" ]; then
    pass "deploy --timeout soon: usage error naming the flag and value, nothing sent"
else fail "deploy --timeout soon"; fi
run deploy -p "$work/node" --build=false --image "$NODE_IMG" --timeout 0
if [ $RC -eq 2 ] && has "$ERR" 'invalid --timeout "0": use a duration longer than zero, such as 90s or 2m'; then
    pass "deploy --timeout 0: refused by the deployer as a usage error"
else fail "deploy --timeout 0"; fi

run deploy -p "$work/go" --build=false --image "registry.example.com/alice/hello-go@sha256:broken" -n prod
if [ $RC -eq 12 ] && has "$ERR" 'revision "hello-go-00002" failed: ExitCode1: Container failed with: panic: DATABASE_URL is not set' &&
   has "$ERR" "panic: DATABASE_URL is not set"; then
    pass "funcp deploy of a crashing revision: exit 12 with the revision's cause"
else fail "funcp deploy of a crashing revision"; fi

run list -A -o json
if [ $RC -eq 0 ] && [ "$(jq -r '.[] | select(.name=="hello-go") | .deployer + " " + .runtime + " " + .ready' <<<"$OUT")" = "knative go False" ]; then
    pass "funcp list -A -o json shows the function with deployer, runtime and Ready=False after the failed revision"
else fail "funcp list"; fi

run delete hello-go -n prod
gone=$(curl -s -o /dev/null -w '%{http_code}' "$API/fake/object?resource=services&namespace=prod&name=hello-go")
policy=$(curl -s "$API/fake/requests" | jq -r '[.requests[] | select(.method=="DELETE")][0].body.propagationPolicy')
if [ $RC -eq 0 ] && [ "$gone" = 404 ] && [ "$policy" = Foreground ]; then
    pass "funcp delete: foreground propagation, the Service is gone when the command returns"
else fail "funcp delete"; fi

# --- delete --force: a Service neither funcp nor func created ------------------
curl -s -o /dev/null -X POST -H 'Content-Type: application/json' \
    "$API/apis/serving.knative.dev/v1/namespaces/prod/services" \
    -d '{"apiVersion":"serving.knative.dev/v1","kind":"Service","metadata":{"name":"hello","namespace":"prod","annotations":{"serving.knative.dev/creator":"bob"}},"spec":{"template":{"spec":{"containers":[{"image":"registry.example.com/bob/hello:1"}]}}}}'
foreign() { curl -s -o /dev/null -w '%{http_code}' "$API/fake/object?resource=services&namespace=prod&name=hello"; }
run delete -p "$work/node" -n prod
if [ $RC -ne 0 ] && has "$ERR" 'Knative Service "hello" in namespace "prod" was not created by funcp or func; refusing to delete it without --force' &&
   [ "$(foreign)" = 200 ]; then
    pass "delete of a foreign Service refused, naming --force; the Service is kept"
else fail "delete of a foreign Service without --force (server: $(foreign))"; fi
run delete --help
if [ $RC -eq 0 ] && has "$OUT" "--force" && has "$OUT" "did not create"; then
    pass "delete --help documents --force"
else fail "delete --help --force"; fi
run delete -p "$work/node" -n prod --force
if [ $RC -eq 0 ] && has "$OUT" 'Removed function "hello"' && [ "$(foreign)" = 404 ]; then
    pass "delete --force removes a Service funcp or func did not create"
else fail "delete --force (server: $(foreign))"; fi

# --- deploy checks the cluster before anything else (deployer knative) -------
CLOSED=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
sed "s#server: $API#server: http://127.0.0.1:$CLOSED#" "$work/kubeconfig" >"$work/closed.kubeconfig"
start=$SECONDS
run deploy -p "$work/node" --build=false --image "$NODE_IMG" --kubeconfig "$work/closed.kubeconfig"
if [ $RC -eq 9 ] && [ $((SECONDS - start)) -lt 10 ] &&
   has "$ERR" "checking the cluster for deployer \"knative\" before building: cannot talk to the Kubernetes API server http://127.0.0.1:$CLOSED"; then
    pass "deploy with an unreachable API server: exit 9 at once, naming the server"
else fail "deploy with an unreachable API server"; fi
python3 "$SRC/fake_knative.py" --port-file "$work/port2" --no-serving >/dev/null 2>>"$work/server.log" &
NOSERVING_PID=$!
for _ in $(seq 100); do [ -s "$work/port2" ] && break; sleep 0.05; done
API2="http://127.0.0.1:$(cat "$work/port2")"
sed "s#server: $API#server: $API2#" "$work/kubeconfig" >"$work/noserving.kubeconfig"
run deploy -p "$work/node" --build=false --image "$NODE_IMG" --kubeconfig "$work/noserving.kubeconfig"
writes=$(curl -s "$API2/fake/requests" | jq '[.requests[] | select(.method!="GET")] | length')
kill "$NOSERVING_PID" 2>/dev/null; wait "$NOSERVING_PID" 2>/dev/null
if [ $RC -eq 6 ] && [ "$writes" = 0 ] &&
   has "$ERR" "checking the cluster for deployer \"knative\" before building: Knative Serving is not installed in this cluster"; then
    pass "deploy without Knative Serving: exit 6 from the preflight, nothing written"
else fail "deploy without Knative Serving (writes: $writes)"; fi

# --- no Kubernetes configuration at all: the host's reason is kept, no
#     namespace blamed --------------------------------------------------------
mkdir -p "$work/nohome" "$work/nokc"
printf 'specVersion: 0.36.0\nname: hello\nruntime: node\n' >"$work/nokc/func.yaml"
REASON="no Kubernetes configuration: KUBECONFIG is unset"
nokc() { OUT=$(cd "$work" && env -u KUBECONFIG -u KUBERNETES_SERVICE_HOST HOME="$work/nohome" \
    timeout 60 "$FUNCP" "$@" -p "$work/nokc" 2>"$work/err"); RC=$?; ERR=$(cat "$work/err"); }
nokc deploy --build=false --image "$NODE_IMG"
if [ $RC -ne 0 ] && has "$ERR" "checking the cluster for deployer \"knative\" before building: $REASON" &&
   ! has "$ERR" "namespace"; then
    pass "deploy without a kubeconfig names the missing configuration"
else fail "deploy without a kubeconfig"; fi
nokc describe hello
if [ $RC -ne 0 ] && has "$ERR" "knative deployer: $REASON" && ! has "$ERR" "namespace"; then
    pass "describe without a kubeconfig names the missing configuration"
else fail "describe without a kubeconfig"; fi
nokc delete hello
if [ $RC -ne 0 ] && has "$ERR" "knative deployer: $REASON" && ! has "$ERR" "namespace required"; then
    pass "delete without a kubeconfig names the missing configuration"
else fail "delete without a kubeconfig"; fi

echo "$failures failure(s)"
[ $failures -eq 0 ]
