#!/usr/bin/env bash
# funcp deploy/list/describe/delete with deployer "wasm" against the fake
# Kubernetes API server. Every server started here is killed on exit.
set -u
. "$(dirname "$0")/lib.sh"
TOKEN="e2e-sekrit-token-31337"
IMAGE="registry.example.com/hello@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

# start_server <name> <args...>: a fake server and a kubeconfig for it.
start_server() {
    local name=$1; shift
    local dir="$WORK/$name"
    mkdir -p "$dir"
    timeout 120 python3 "$SERVER" --port-file "$dir/port" --token "$TOKEN" "$@" > /dev/null 2>&1 &
    PIDS+=($!)
    for _ in $(seq 100); do [ -s "$dir/port" ] && break; sleep 0.05; done
    [ -s "$dir/port" ] || { echo "fake server did not start"; exit 1; }
    PORT=$(cat "$dir/port")
    cat > "$dir/kubeconfig" <<YAML
current-context: fake
clusters: [{name: fake, cluster: {server: "http://127.0.0.1:$PORT"}}]
users: [{name: u, user: {token: ${USER_TOKEN:-$TOKEN}}}]
contexts: [{name: fake, context: {cluster: fake, user: u, namespace: default}}]
YAML
    KC="$dir/kubeconfig"
    mkdir -p "$dir/fn"
    printf 'specVersion: 0.36.0\nname: hello\nruntime: go-wasi\n' > "$dir/fn/func.yaml"
    FN="$dir/fn"
}

deploy() {
    timeout 60 "$FUNCP" deploy -p "$FN" --kubeconfig "$KC" --image "$IMAGE" --build=false --push=false "$@" \
        > "$WORK/out" 2> "$WORK/err"
}

json_check() { python3 -c "import json,sys; d=json.load(open('$WORK/out')); sys.exit(0 if ($1) else 1)"; }

# 1. deploy, list, describe, delete
start_server main --scenario ready --ready-delay 200
deploy || fail "deploy: $(cat "$WORK/err")"
grep -q "http://hello.default.example.com" "$WORK/out" || fail "deploy printed no URL"
grep -q 'Function deployed in namespace "default" and exposed at URL:' "$WORK/out" \
    || fail "first deploy: $(cat "$WORK/out")"
grep -q "image: $IMAGE" "$FN/func.yaml" || fail "func.yaml lacks the deployed image"
# Deploying again replaces the WasmModule: func's "updated" wording and JSON.
deploy || fail "second deploy: $(cat "$WORK/err")"
grep -q 'Function updated in namespace "default" and exposed at URL:' "$WORK/out" \
    || fail "second deploy did not say updated: $(cat "$WORK/out")"
deploy -o json || fail "third deploy: $(cat "$WORK/err")"
json_check "d['updated'] is True and d['namespace']=='default'" || fail "deploy -o json updated: $(cat "$WORK/out")"
"$FUNCP" list --kubeconfig "$KC" -o json > "$WORK/out" 2> "$WORK/err" || fail "list: $(cat "$WORK/err")"
json_check "any(i['name']=='hello' and i['ready']=='True' and i['deployer']=='wasm' for i in d)" || fail "list -o json"
json_check "all(sorted(i) == ['deployer','image','name','namespace','ready','runtime','url'] for i in d)" \
    || fail "list -o json keys: $(cat "$WORK/out")"
"$FUNCP" list --kubeconfig "$KC" -o yaml > "$WORK/out" 2> "$WORK/err" || fail "list -o yaml: $(cat "$WORK/err")"
keys=$(grep -o '^[- ] [a-z]*:' "$WORK/out" | tr -d ' -' | sort | tr '\n' ' ')
[ "$keys" = "deployer: image: name: namespace: ready: runtime: url: " ] || fail "list -o yaml keys: $keys"
"$FUNCP" list --kubeconfig "$KC" -A > "$WORK/out" 2> "$WORK/err" || fail "list -A: $(cat "$WORK/err")"
grep -q "^hello .*http://hello.default.example.com" "$WORK/out" || fail "list -A text: $(cat "$WORK/out")"
# func's columns, order and layout (cmd/list.go: tabwriter, padding 2):
# NAME NAMESPACE RUNTIME DEPLOYER URL READY, each column its widest cell + 2.
printf '%s\n' "NAME   NAMESPACE  RUNTIME  DEPLOYER  URL                               READY" \
    "hello  default    go-wasi  wasm      http://hello.default.example.com  True" > "$WORK/want"
cmp -s "$WORK/out" "$WORK/want" || fail "list table differs from func's layout: $(diff "$WORK/want" "$WORK/out")"
"$FUNCP" describe hello --kubeconfig "$KC" -o json > "$WORK/out" 2> "$WORK/err" || fail "describe: $(cat "$WORK/err")"
json_check "d['detail']['conditions'][0]['type']=='Ready' and any(e['reason']=='Created' for e in d['detail']['events'])" \
    || fail "describe -o json: $(cat "$WORK/out")"
# knative func's describe keys (fn.Instance json tags) beside funcp's own.
json_check "d['route']=='http://hello.default.example.com' and d['routes']==['http://hello.default.example.com'] \
and d['labels'].get('function.knative.dev/runtime')=='go-wasi' and d['subscriptions']==[] \
and d['image']=='$IMAGE' and d['namespace']=='default' and d['name']=='hello' and d['deployer']=='wasm' \
and isinstance(d['generation'], int) and d['url']==d['route'] and d['runtime']=='go-wasi'" \
    || fail "describe -o json lacks func's keys: $(cat "$WORK/out")"
"$FUNCP" describe hello --kubeconfig "$KC" -o yaml > "$WORK/out" 2> "$WORK/err" || fail "describe -o yaml: $(cat "$WORK/err")"
for k in name namespace runtime image route routes labels subscriptions deployer url ready; do
    grep -q "^$k:" "$WORK/out" || fail "describe -o yaml lacks key $k: $(cat "$WORK/out")"
done
# delete -a/--all: func's string flag (default true); a bad value or a bare -a
# is a usage error before anything is sent.
if "$FUNCP" delete hello --kubeconfig "$KC" --all=maybe > "$WORK/out" 2>&1; then fail "delete --all=maybe succeeded"; fi
grep -q 'invalid value "maybe"' "$WORK/out" || fail "delete --all=maybe: $(cat "$WORK/out")"
if "$FUNCP" delete hello --kubeconfig "$KC" -a > "$WORK/out" 2>&1; then fail "delete -a without a value succeeded"; fi
grep -q 'flag needs an argument: -a' "$WORK/out" || fail "delete -a: $(cat "$WORK/out")"
"$FUNCP" describe hello --kubeconfig "$KC" > /dev/null 2>&1 || fail "a refused delete deleted the function"
"$FUNCP" delete hello --kubeconfig "$KC" -a false -v > "$WORK/out" 2>&1 || fail "delete: $(cat "$WORK/out")"
grep -q 'Removed function "hello"' "$WORK/out" || fail "delete -a false: $(cat "$WORK/out")"
if "$FUNCP" delete hello --kubeconfig "$KC" > "$WORK/out" 2>&1; then fail "second delete succeeded"; fi
grep -q "not found" "$WORK/out" || fail "second delete: $(cat "$WORK/out")"

# 2. a crash-looping runner fails fast, naming the pod
start_server crash --scenario crashloop --ready-delay 300
start=$(date +%s)
if deploy --timeout 60s; then fail "crashloop deploy succeeded"; fi
[ $(( $(date +%s) - start )) -lt 10 ] || fail "crashloop was not noticed quickly"
grep -q "pod hello-00001-deployment-.*CrashLoopBackOff" "$WORK/err" || fail "crashloop message: $(cat "$WORK/err")"

# 3. timeout
start_server slow --scenario none
if deploy --timeout 1s; then fail "deploy without a controller succeeded"; fi
grep -q 'to become ready after 1s' "$WORK/err" || fail "timeout message: $(cat "$WORK/err")"

# A malformed --timeout is funcp's usage error, before the deployer runs.
if deploy --timeout soon; then fail "deploy --timeout soon succeeded"; fi
grep -q -- '--timeout: invalid duration "soon" (use e.g. 30s, 2m, 1h30m)' "$WORK/err" \
    || fail "bad --timeout message: $(cat "$WORK/err")"

# 4. CRD not installed
start_server nocrd --no-crd
if deploy; then fail "deploy without the CRD succeeded"; fi
grep -q "WasmModule resource not installed in this cluster: install knative-serving-wasm v0.2.0" "$WORK/err" \
    || fail "missing CRD message: $(cat "$WORK/err")"

# 5. refused credentials: a clear message, the token nowhere, even verbose
USER_TOKEN="wrong-$TOKEN" start_server auth --scenario ready
if deploy -v; then fail "deploy with a wrong token succeeded"; fi
grep -q 'Unauthorized: the cluster refused the credentials of context "fake"' "$WORK/err" \
    || fail "401 message: $(cat "$WORK/err")"
if grep -q "$TOKEN" "$WORK/out" "$WORK/err"; then fail "the token was printed"; fi

# 6. no Kubernetes configuration at all: the real reason, with no
#    "namespace required" in front of it
mkdir -p "$WORK/nohome" "$WORK/nokc"
printf 'specVersion: 0.36.0\nname: hello\nruntime: go-wasi\n' > "$WORK/nokc/func.yaml"
REASON="no Kubernetes configuration: KUBECONFIG is unset"
nokc() { env -u KUBECONFIG -u KUBERNETES_SERVICE_HOST HOME="$WORK/nohome" timeout 30 "$FUNCP" "$@" \
    -p "$WORK/nokc" > "$WORK/out" 2> "$WORK/err"; }
if nokc deploy --image "$IMAGE" --build=false --push=false; then fail "deploy without kubeconfig succeeded"; fi
grep -q "checking the cluster for deployer \"wasm\" before building: $REASON" "$WORK/err" ||
    fail "deploy without kubeconfig: $(cat "$WORK/err")"
if nokc describe hello; then fail "describe without kubeconfig succeeded"; fi
grep -q "describe: $REASON" "$WORK/err" || fail "describe without kubeconfig: $(cat "$WORK/err")"
if nokc delete hello; then fail "delete without kubeconfig succeeded"; fi
grep -q "delete: $REASON" "$WORK/err" || fail "delete without kubeconfig: $(cat "$WORK/err")"
if grep -q "namespace required" "$WORK/err"; then fail "namespace blamed without a kubeconfig: $(cat "$WORK/err")"; fi

# 7. func.yaml keys a WasmModule cannot hold: one warning each, by name; what
#    it can hold is in the WasmModule the API server received
module() {  # module NAMESPACE: the stored WasmModule "hello" as JSON, or {}
    python3 -c "import urllib.request,sys
try: print(urllib.request.urlopen('http://127.0.0.1:$PORT/fake/object?resource=wasmmodules&namespace=$1&name=hello').read().decode())
except Exception: print('{}')"
}
mcheck() { module "$1" > "$WORK/mod"; python3 -c "import json,sys; d=json.load(open('$WORK/mod')); sys.exit(0 if ($2) else 1)"; }
start_server keys --scenario ready --ready-delay 100
cat > "$FN/func.yaml" <<'YAML'
specVersion: 0.36.0
name: hello
runtime: go-wasi
domain: example.com
run:
  args:
  - --flag
  envs:
  - name: A
    value: "1"
  - value: '{{ configMap:settings }}'
  volumes:
  - secret: certs
    path: /certs
  - configMap: settings
    path: /etc/settings
deploy:
  serviceAccountName: fn-runner
  imagePullSecret: regcred
  healthEndpoints:
    liveness: /l
  options:
    scale:
      min: 1
    resources:
      limits:
        memory: 64Mi
        concurrency: 4
  subscriptions:
  - source: default
  labels:
  - key: team
    value: wasm
YAML
deploy || fail "deploy with unapplicable keys: $(cat "$WORK/err")"
for key in "deploy.options.scale (WasmModule has no scaling settings)" \
           "deploy.options.resources.limits.concurrency (WasmModule has no concurrency limit)" \
           "deploy.healthEndpoints (WasmModule has no probes)" \
           "deploy.serviceAccountName (WasmModule has no service account)" \
           "deploy.imagePullSecret (WasmModule has no image pull secrets; its runner pulls anonymously)" \
           "deploy.subscriptions (the wasm deployer creates no Knative Eventing Triggers)"; do
    [ "$(grep -cF "Warning: deployer \"wasm\" cannot apply func.yaml $key; ignored" "$WORK/err")" = 1 ] \
        || fail "no single warning for $key: $(cat "$WORK/err")"
done
grep -qF 'cannot apply func.yaml run.envs[1] ({{ configMap:settings }}: ' "$WORK/err" || fail "no envFrom warning: $(cat "$WORK/err")"
grep -q 'cannot apply func.yaml domain\|cannot apply func.yaml run.args\|cannot apply func.yaml run.volumes\|cannot apply func.yaml deploy.labels' "$WORK/err" \
    && fail "warned about a key the WasmModule holds: $(cat "$WORK/err")"
mcheck default "d['spec']['args']==['--flag'] and d['metadata']['labels']['func.domain']=='example.com'
 and d['metadata']['labels']['team']=='wasm' and d['spec']['resources']=={'limits':{'memory':'64Mi'}}
 and [e['name'] for e in d['spec']['env']]==['BUILT','A','ADDRESS'] and 'serviceAccountName' not in json.dumps(d)
 and 'regcred' not in json.dumps(d)
 and d['spec']['volumes']==[{'name':'secret-certs','secret':{'secretName':'certs'}},{'name':'config-map-settings','configMap':{'name':'settings'}}]
 and d['spec']['volumeMounts']==[{'name':'secret-certs','mountPath':'/certs'},{'name':'config-map-settings','mountPath':'/etc/settings'}]" \
    || fail "WasmModule received: $(cat "$WORK/mod")"
# func.yaml drops the label and the domain: the next deploy removes them.
printf 'specVersion: 0.36.0\nname: hello\nruntime: go-wasi\n' > "$FN/func.yaml"
deploy || fail "redeploy without the label: $(cat "$WORK/err")"
grep -q "cannot apply" "$WORK/err" && fail "warnings without the keys: $(cat "$WORK/err")"
mcheck default "'team' not in d['metadata']['labels'] and 'func.domain' not in d['metadata']['labels']
 and d['metadata']['labels']['function.knative.dev/name']=='hello'" || fail "dropped label kept: $(cat "$WORK/mod")"

# 8. a namespace change moves the module: deployed to func.yaml's namespace,
#    removed from deploy.namespace, both recorded
start_server move --scenario ready --ready-delay 100 --namespace team-b
deploy || fail "deploy before the move: $(cat "$WORK/err")"
grep -q '^  namespace: default' "$FN/func.yaml" || fail "deploy.namespace not recorded: $(cat "$FN/func.yaml")"
sed -i 's/^namespace: default/namespace: team-b/' "$FN/func.yaml"
deploy || fail "deploy to team-b: $(cat "$WORK/err")"
grep -q 'function "hello" moved from namespace "default" to "team-b"' "$WORK/err" || fail "no moved line: $(cat "$WORK/err")"
grep -q 'Function deployed in namespace "team-b"' "$WORK/out" || fail "move output: $(cat "$WORK/out")"
mcheck default "d=={}" || fail "WasmModule left in default: $(cat "$WORK/mod")"
mcheck team-b "d['metadata']['namespace']=='team-b'" || fail "no WasmModule in team-b"
grep -q '^  namespace: team-b' "$FN/func.yaml" || fail "deploy.namespace after the move: $(cat "$FN/func.yaml")"

[ "$failures" -eq 0 ] && echo "all wasmmodule e2e checks passed"
exit "$failures"
