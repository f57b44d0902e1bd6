#!/usr/bin/env bash
# deployer-knative against tests/knative/fake_knative.py: every deploy,
# readiness, list, describe and delete rule, through the plugin .so and a
# fake host (knative_driver). Servers listen on 127.0.0.1, free port; all
# are killed on exit.
set -u
SRC="$FUNCP_TEST_SOURCE_DIR/tests/knative"
FIX="$SRC/fixtures"
DRIVER="$KNATIVE_DRIVER"
export KNATIVE_PLUGIN
work=$(mktemp -d)
SERVER_PID=""
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
failures=0
pass() { echo "ok   - $1"; }
fail() { echo "FAIL - $1"; echo "  rc=$RC"; echo "  stdout: ${OUT:0:600}"; echo "  stderr: $ERR" | head -20; failures=$((failures + 1)); }

start_server() {
    stop_server
    rm -f "$work/port"
    python3 "$SRC/fake_knative.py" --port-file "$work/port" "$@" >/dev/null 2>"$work/server.log" &
    SERVER_PID=$!
    for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
    API="http://127.0.0.1:$(cat "$work/port")"
}
stop_server() {
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=""; fi
}
# run DIR VERB [ARG] [driver options]: sets OUT, ERR, RC, MS (elapsed ms)
run() {
    local t0 t1
    t0=$(date +%s%N)
    OUT=$(timeout 60 "$DRIVER" "$API" "$@" 2>"$work/err")
    RC=$?
    t1=$(date +%s%N)
    MS=$(( (t1 - t0) / 1000000 ))
    ERR=$(cat "$work/err")
}
object() { curl -s "$API/fake/object?resource=$1&namespace=$2&name=$3"; }
requests() { curl -s "$API/fake/requests"; }
has() { [[ "$1" == *"$2"* ]]; }

NODE="$FIX/node"
GO="$FIX/go"
IMG="registry.example.com/u/hello@sha256:9b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c"
export FUNC_REGION=eu-west-1 FUNC_TEAM=payments

# --- create -------------------------------------------------------------
start_server --scenario ready
run "$NODE" deploy "$IMG"
obj=$(object services default hello)
if [ $RC -eq 0 ] && [ "$OUT" = "http://hello.default.example.com" ] &&
   [ "$(jq -r '.metadata.annotations["function.knative.dev/deployer"]' <<<"$obj")" = knative ] &&
   [ "$(jq -r '.spec.template.spec.containers[0].securityContext.runAsNonRoot' <<<"$obj")" = true ] &&
   [ "$(requests | jq '[.requests[] | select(.method=="POST")] | length')" = 1 ] &&
   [ "$(requests | jq '[.requests[] | select(.method=="PUT")] | length')" = 0 ]; then
    pass "create: POST, waits for Ready, prints the URL"
else fail "create"; fi

# --- update of our own Service, keeping other tools' metadata -------------
start_server --scenario ready --preload "$FIX/cluster-existing.json"
run "$NODE" deploy "$IMG"
obj=$(object services default hello)
put=$(requests | jq -c '[.requests[] | select(.method=="PUT")][0].body.metadata')
if [ $RC -eq 0 ] && [ "$(jq -r .metadata.generation <<<"$obj")" = 2 ] &&
   [ "$(jq -r '.metadata.annotations["example.com/owner"]' <<<"$obj")" = team-a ] &&
   [ "$(jq -r '.metadata.annotations["serving.knative.dev/creator"]' <<<"$obj")" = alice ] &&
   [ "$(jq -r '.metadata.labels["argocd.argoproj.io/instance"]' <<<"$obj")" = shop ] &&
   [ "$(jq -r '.spec.template.spec.timeoutSeconds' <<<"$obj")" = 300 ] &&
   [ "$(jq -r '.spec.template.metadata.name // "none"' <<<"$obj")" = none ] &&
   [ "$(jq -r '.spec.template.spec.containers[0].securityContext // "none"' <<<"$obj")" = none ] &&
   [ "$(jq -r .resourceVersion <<<"$put")" != null ]; then
    pass "update: PUT with resourceVersion, others' labels/annotations kept, no security context added"
else fail "update"; fi

# --- 409 Conflict is retried on a fresh GET ------------------------------
start_server --scenario ready,conflict --preload "$FIX/cluster-existing.json"
run "$NODE" deploy "$IMG"
obj=$(object services default hello)
if [ $RC -eq 0 ] && [ "$(requests | jq '[.requests[] | select(.method=="PUT")] | length')" = 2 ] &&
   [ "$(jq -r '.metadata.annotations["other.example.com/touched"]' <<<"$obj")" = yes ]; then
    pass "conflict: one 409, retried on the new resourceVersion, the other writer's change kept"
else fail "conflict retry"; fi

# --- status of an older generation is ignored ------------------------------
# The preloaded Service is Ready at generation 1; after our PUT (generation 2)
# the controller never catches up, so the deploy must not report success.
start_server --scenario stuck --preload "$FIX/cluster-existing.json"
run "$NODE" deploy "$IMG" --opt timeout=1s
if [ $RC -eq 11 ] && has "$ERR" 'not ready after 1 seconds'; then
    pass "Ready=True of an older generation is not taken for the new one"
else fail "observedGeneration"; fi

# --- pre-flight on update too; permission problems explained -----------------
mkdir -p "$work/upd"
cp "$NODE/func.yaml" "$work/upd/func.yaml"
printf 'run:\n  envs:\n  - name: TOKEN\n    value: "{{ secret:api-token:token }}"\n' >>"$work/upd/func.yaml"
start_server --scenario ready --preload "$FIX/cluster-existing.json"
run "$work/upd" deploy "$IMG"
if [ $RC -eq 6 ] && has "$ERR" 'referenced Secret "api-token" is not present in namespace "default"' &&
   [ "$(requests | jq '[.requests[] | select(.method=="PUT")] | length')" = 0 ]; then
    pass "missing Secret reported before an update"
else fail "pre-flight on update"; fi
start_server --scenario ready --forbid secrets
run "$work/upd" deploy "$IMG"
if [ $RC -eq 6 ] && has "$ERR" 'cannot check Secret "api-token" in namespace "default": permission denied'; then
    pass "a 403 on a referenced Secret gives a permissions hint"
else fail "403 on Secret"; fi

# --- Dapr annotations only where Dapr runs ------------------------------------
start_server --scenario ready --dapr
run "$NODE" deploy "$IMG"
obj=$(object services default hello)
if [ $RC -eq 0 ] && [ "$(jq -r '.metadata.annotations["dapr.io/app-id"]' <<<"$obj")" = hello ] &&
   [ "$(jq -r '.spec.template.metadata.annotations["dapr.io/enabled"]' <<<"$obj")" = true ]; then
    pass "Dapr annotations when the cluster has dapr-system"
else fail "dapr"; fi

# --- a Service funcp/func did not create --------------------------------
start_server --scenario ready --preload "$FIX/cluster-foreign.json"
run "$NODE" deploy "$IMG"
if [ $RC -eq 13 ] && has "$ERR" 'Knative Service "hello" in namespace "default" was not created by funcp or func' &&
   has "$ERR" "--force" && [ "$(requests | jq '[.requests[] | select(.method=="PUT")] | length')" = 0 ]; then
    pass "foreign Service refused without --force"
else fail "foreign Service refused"; fi
run "$NODE" deploy "$IMG" --opt force=true
if [ $RC -eq 0 ] && [ "$(object services default hello | jq -r '.metadata.labels.app')" = hello ]; then
    pass "foreign Service taken over with --force, its labels kept"
else fail "foreign Service with --force"; fi

start_server --scenario ready --preload "$FIX/cluster-owned.json"
run "$NODE" deploy "$IMG"
if [ $RC -eq 13 ] && has "$ERR" 'Knative Service "hello" in namespace "default" is managed by WasmModule "hello"' &&
   [ "$(requests | jq '[.requests[] | select(.method=="PUT")] | length')" = 0 ]; then
    pass "a Service owned by a WasmModule is not taken over"
else fail "WasmModule-owned Service"; fi

# --- a Service being deleted --------------------------------------------
start_server --scenario ready --preload "$FIX/cluster-deleting.json"
run "$NODE" deploy "$IMG"
if [ $RC -ne 0 ] && has "$ERR" "can't update service hello because it has been marked for deletion"; then
    pass "Service being deleted refused"
else fail "Service being deleted"; fi

# --- a Ready=False that Serving takes back is not a failure --------------------
start_server --scenario transient-false
run "$NODE" deploy "$IMG"
if [ $RC -eq 0 ] && [ "$OUT" = "http://hello.default.example.com" ]; then
    pass "transient Ready=False (revision healthy) waited out"
else fail "transient Ready=False"; fi

# --- Ready=False: the revision's real cause, not RevisionMissing ----------
start_server --scenario revision-failed
run "$NODE" deploy "$IMG"
if [ $RC -eq 12 ] && has "$ERR" 'revision "hello-00001" failed: ExitCode1: Container failed with: panic: DATABASE_URL is not set' &&
   ! has "$ERR" "Error: knative deployer failed to wait for the Knative Service to become ready: RevisionMissing" &&
   has "$ERR" "last output of pod hello-00001-deployment-5d7f9c-abcde" && has "$ERR" "  connecting to database"; then
    pass "revision failed: exit code and message from the Revision, function logs printed"
else fail "revision failed"; fi

start_server --scenario container-missing
run "$NODE" deploy "$IMG"
if [ $RC -eq 12 ] && has "$ERR" 'failed: ContainerMissing: Unable to fetch image'; then
    pass "container missing reported from the Revision"
else fail "container missing"; fi

start_server --scenario revision-unreadable --forbid revisions
run "$NODE" deploy "$IMG"
if [ $RC -eq 12 ] && has "$ERR" 'RevisionFailed: Revision "hello-00001" failed with message: quota exceeded.' &&
   [ $MS -ge 1900 ] && [ $MS -lt 6000 ]; then
    pass "Ready=False with an unreadable Revision: the Configuration's reason after the 2 s window"
else fail "revision unreadable"; fi

# --- pods fail fast, on create and on update ------------------------------
for reason in ImagePullBackOff ErrImagePull; do
    start_server --scenario "$(tr 'A-Z' 'a-z' <<<"$reason")" --ready-delay 200
    run "$NODE" deploy "$IMG" --opt timeout=30s
    if [ $RC -eq 12 ] && has "$ERR" "pod \"hello-00001-deployment-5d7f9c-abcde\" of revision \"hello-00001\": container user-container is waiting: $reason: Back-off pulling image" &&
       [ $MS -lt 5000 ]; then
        pass "$reason: the pod, the reason and the kubelet's message, in ${MS} ms"
    else fail "$reason"; fi
done
start_server --scenario imagepullbackoff --preload "$FIX/cluster-existing.json"
run "$NODE" deploy "$IMG" --opt timeout=30s
if [ $RC -eq 12 ] && has "$ERR" 'of revision "hello-00002": container user-container is waiting: ImagePullBackOff' && [ $MS -lt 5000 ]; then
    pass "ImagePullBackOff also caught on update"
else fail "ImagePullBackOff on update"; fi

start_server --scenario crashloop
run "$NODE" deploy "$IMG" --opt timeout=30s
if [ $RC -eq 12 ] && has "$ERR" "CrashLoopBackOff: back-off 10s restarting failed container" &&
   has "$ERR" "last exit code 2: listen tcp :8080: bind: address already in use" &&
   has "$ERR" "panic: DATABASE_URL is not set" && [ $MS -lt 5000 ]; then
    pass "CrashLoopBackOff with the last exit code and the function's logs"
else fail "crashloop"; fi

# --- pods the account may not read: the Service wait carries on --------------
start_server --scenario ready --forbid pods
run "$NODE" deploy "$IMG"
if [ $RC -eq 0 ] && [ "$OUT" = "http://hello.default.example.com" ] &&
   [ "$(requests | jq '[.requests[] | select(.path | endswith("/pods"))] | length')" -le 4 ]; then
    pass "pods forbidden: deploy still waits for Ready, the pod watch gives up"
else fail "pods forbidden"; fi

# --- timeout ----------------------------------------------------------------
start_server --scenario never
run "$NODE" deploy "$IMG" --opt timeout=1s
if [ $RC -eq 11 ] && has "$ERR" 'timeout: Knative Service "hello" not ready after 1 seconds (last status RevisionMissing: waiting for a Revision)' &&
   [ $MS -lt 3000 ]; then
    pass "timeout after --timeout 1s (${MS} ms), with the last status"
else fail "timeout"; fi
# (A malformed --timeout never reaches the plugin: funcp_e2e.sh checks the
# core refuses it.)
run "$NODE" deploy "$IMG" --opt timeout=0
if [ $RC -eq 2 ] && has "$ERR" 'invalid --timeout "0": use a duration longer than zero'; then
    pass "zero --timeout refused"
else fail "zero --timeout"; fi

# --- pre-flight: missing Secret and service account -----------------------
start_server --scenario ready --preload "$FIX/cluster-go.json"
run "$GO" deploy "registry.example.com/alice/hello-go@sha256:5e0a" -n prod
if [ $RC -eq 6 ] && has "$ERR" "error(s) while validating resources:" &&
   has "$ERR" 'referenced Secret "extra-env" is not present in namespace "prod"' &&
   has "$ERR" 'referenced ServiceAccount "fn-runner" is not present in namespace "prod"' &&
   ! has "$ERR" '"api-keys" is not present' &&
   [ "$(requests | jq '[.requests[] | select(.method=="POST")] | length')" = 0 ]; then
    pass "missing Secret and ServiceAccount reported before deploying"
else fail "missing Secret"; fi

# --- a knative func Go function deploys unchanged; nothing secret printed --
start_server --scenario ready --preload "$FIX/cluster-go-complete.json"
FUNC_REGION=s3cr3t-region-value run "$GO" deploy "registry.example.com/alice/hello-go@sha256:5e0a" -n prod --opt verbose=true
obj=$(object services prod hello-go)
if [ $RC -eq 0 ] && [ "$OUT" = "http://hello-go.prod.example.com" ] &&
   [ "$(jq -r '.spec.template.spec.containers[0].env[] | select(.name=="REGION") | .value' <<<"$obj")" = s3cr3t-region-value ] &&
   ! has "$ERR$OUT" "s3cr3t" && ! has "$ERR$OUT" "c2VjcmV0"; then
    pass "knative func Go func.yaml deployed unchanged; env values not in output with --verbose"
else fail "go func.yaml deploy"; fi
post=$(requests | jq -c '[.requests[] | select(.method=="POST" and (.path | endswith("/services")))][0].body')
if [ "$(jq -r '.metadata.labels["func.domain"]' <<<"$post")" = example.com ] &&
   [ "$(jq -r '.spec.template.metadata.labels["func.domain"]' <<<"$post")" = example.com ] &&
   [ "$(jq -r '.spec.template.spec.serviceAccountName' <<<"$post")" = fn-runner ] &&
   [ "$(jq -c '.spec.template.spec.imagePullSecrets' <<<"$post")" = '[{"name":"registry-creds"}]' ] &&
   [ "$(jq -c '[.spec.template.spec.containers[0].env[] | select(.name=="LOG_LEVEL" or .name=="API_TOKEN" or .name=="DB_HOST")]' <<<"$post")" = '[{"name":"LOG_LEVEL","value":"debug"},{"name":"API_TOKEN","valueFrom":{"secretKeyRef":{"name":"api-keys","key":"token"}}},{"name":"DB_HOST","valueFrom":{"configMapKeyRef":{"name":"app-config","key":"db.host"}}}]' ] &&
   [ "$(jq -c '.spec.template.spec.containers[0].envFrom' <<<"$post")" = '[{"configMapRef":{"name":"app-config"}},{"secretRef":{"name":"extra-env"}}]' ]; then
    pass "received Service: func.domain label, service account, image pull Secret, every env form"
else fail "received Go Service fields: $post"; fi

# --- deploy.subscriptions -> Triggers: created, updated, pruned --------------
mkdir -p "$work/subs"
cp "$NODE/func.yaml" "$work/subs/func.yaml"
cat >>"$work/subs/func.yaml" <<'YAML'
  subscriptions:
  - source: default
    filters:
      type: com.example.order.created
  - source: audit
    filters:
      type: com.example.order.paid
      source: /shop
YAML
start_server --scenario ready
run "$work/subs" deploy "$IMG"
t0=$(object triggers default hello-function-trigger-0)
t1=$(object triggers default hello-function-trigger-1)
svc_uid=$(object services default hello | jq -r .metadata.uid)
if [ $RC -eq 0 ] && [ "$(jq -r .spec.broker <<<"$t0")" = default ] &&
   [ "$(jq -r .spec.filter.attributes.type <<<"$t0")" = com.example.order.created ] &&
   [ "$(jq -r .spec.broker <<<"$t1")" = audit ] && [ "$(jq -r .spec.filter.attributes.source <<<"$t1")" = /shop ] &&
   [ "$(jq -r .spec.subscriber.ref.name <<<"$t1")" = hello ] &&
   [ "$(jq -r '.metadata.ownerReferences[0].uid' <<<"$t0")" = "$svc_uid" ]; then
    pass "subscriptions: one Trigger each, func's names, owned by the Service"
else fail "subscriptions create"; fi
# describe shows them as func does: {source, type, broker} per Trigger
run "$work/subs" describe hello
if [ $RC -eq 0 ] && [ "$(jq -c '.detail.subscriptions' <<<"$OUT")" = \
    '[{"source":"","type":"com.example.order.created","broker":"default"},{"source":"/shop","type":"com.example.order.paid","broker":"audit"}]' ]; then
    pass "describe: the Triggers as func's subscriptions"
else fail "describe subscriptions: $OUT"; fi
cp "$NODE/func.yaml" "$work/subs/func.yaml"
printf '  subscriptions:\n  - source: default\n    filters:\n      type: com.example.order.shipped\n' >>"$work/subs/func.yaml"
run "$work/subs" deploy "$IMG"
if [ $RC -eq 0 ] && [ "$(object triggers default hello-function-trigger-0 | jq -r .spec.filter.attributes.type)" = com.example.order.shipped ] &&
   [ "$(curl -s -o /dev/null -w '%{http_code}' "$API/fake/object?resource=triggers&namespace=default&name=hello-function-trigger-1")" = 404 ]; then
    pass "subscriptions: changed Trigger updated, removed one deleted"
else fail "subscriptions update"; fi
start_server --scenario ready --no-eventing
run "$work/subs" deploy "$IMG"
if [ $RC -eq 6 ] && has "$ERR" "Knative Eventing is not installed in this cluster; deploy.subscriptions need its Triggers" &&
   [ "$(requests | jq '[.requests[] | select(.method=="POST")] | length')" = 0 ]; then
    pass "subscriptions without Knative Eventing: a clear error before deploying"
else fail "subscriptions without Eventing"; fi
run "$NODE" deploy "$IMG"
if [ $RC -eq 0 ]; then
    pass "no subscriptions: Knative Eventing is not needed"
else fail "deploy without Eventing"; fi

# --- deploy.imagePullSecret: checked to exist on create and update, then sent
mkdir -p "$work/pull"
cp "$NODE/func.yaml" "$work/pull/func.yaml"
printf '  imagePullSecret: regcred\n' >>"$work/pull/func.yaml"
start_server --scenario ready
run "$work/pull" deploy "$IMG"
if [ $RC -eq 6 ] && has "$ERR" 'referenced image pull Secret "regcred" is not present in namespace "default"' &&
   [ "$(requests | jq '[.requests[] | select(.method=="POST")] | length')" = 0 ]; then
    pass "missing image pull Secret: func's error before the Service is created"
else fail "missing image pull Secret on create"; fi
start_server --scenario ready --preload "$FIX/cluster-existing.json"
run "$work/pull" deploy "$IMG"
if [ $RC -eq 6 ] && has "$ERR" 'referenced image pull Secret "regcred" is not present in namespace "default"' &&
   [ "$(requests | jq '[.requests[] | select(.method=="PUT")] | length')" = 0 ]; then
    pass "missing image pull Secret: refused before an update too"
else fail "missing image pull Secret on update"; fi
curl -s -o /dev/null -X POST -H 'Content-Type: application/json' "$API/api/v1/namespaces/default/secrets" \
    -d '{"metadata":{"name":"regcred"},"type":"kubernetes.io/dockerconfigjson","data":{".dockerconfigjson":"e30="}}'
run "$work/pull" deploy "$IMG"
put=$(requests | jq -c '[.requests[] | select(.method=="PUT")][0].body.spec.template.spec.imagePullSecrets')
if [ $RC -eq 0 ] && [ "$put" = '[{"name":"regcred"}]' ] &&
   [ "$(object services default hello | jq -c .spec.template.spec.imagePullSecrets)" = '[{"name":"regcred"}]' ]; then
    pass "image pull Secret present: imagePullSecrets sent on update"
else fail "imagePullSecrets on update: $put"; fi
start_server --scenario ready
curl -s -o /dev/null -X POST -H 'Content-Type: application/json' "$API/api/v1/namespaces/default/secrets" \
    -d '{"metadata":{"name":"regcred"},"type":"kubernetes.io/dockerconfigjson","data":{".dockerconfigjson":"e30="}}'
run "$work/pull" deploy "$IMG"
post=$(requests | jq -c '[.requests[] | select(.method=="POST" and (.path | endswith("/services")))][0].body.spec.template.spec.imagePullSecrets')
if [ $RC -eq 0 ] && [ "$post" = '[{"name":"regcred"}]' ]; then
    pass "image pull Secret present: imagePullSecrets sent on create"
else fail "imagePullSecrets on create: $post"; fi

# --- redeploy: labels/annotations func.yaml dropped are removed, others kept ---
mkdir -p "$work/keys"
cp "$NODE/func.yaml" "$work/keys/func.yaml"
cat >>"$work/keys/func.yaml" <<'YAML'
  labels:
  - key: team
    value: payments
  annotations:
    prometheus.io/scrape: "true"
  options:
    scale:
      min: 2
YAML
start_server --scenario ready
run "$work/keys" deploy "$IMG"
first=$(object services default hello)
# Another tool labels and annotates the Service meanwhile.
jq '.metadata.labels["argocd.argoproj.io/instance"]="shop" | .metadata.annotations["example.com/owner"]="team-a"' <<<"$first" |
    curl -s -o /dev/null -X PUT -H 'Content-Type: application/json' \
        "$API/apis/serving.knative.dev/v1/namespaces/default/services/hello" -d @-
cp "$NODE/func.yaml" "$work/keys/func.yaml"
run "$work/keys" deploy "$IMG"
obj=$(object services default hello)
if [ $RC -eq 0 ] &&
   [ "$(jq -r '.spec.template.metadata.annotations["autoscaling.knative.dev/min-scale"]' <<<"$first")" = 2 ] &&
   [ "$(jq -r '.metadata.labels.team // "gone"' <<<"$obj")" = gone ] &&
   [ "$(jq -r '.spec.template.metadata.labels.team // "gone"' <<<"$obj")" = gone ] &&
   [ "$(jq -r '.metadata.annotations["prometheus.io/scrape"] // "gone"' <<<"$obj")" = gone ] &&
   [ "$(jq -r '.spec.template.metadata.annotations["prometheus.io/scrape"] // "gone"' <<<"$obj")" = gone ] &&
   [ "$(jq -r '.spec.template.metadata.annotations["autoscaling.knative.dev/min-scale"] // "gone"' <<<"$obj")" = gone ] &&
   [ "$(jq -r '.metadata.labels["argocd.argoproj.io/instance"]' <<<"$obj")" = shop ] &&
   [ "$(jq -r '.metadata.annotations["example.com/owner"]' <<<"$obj")" = team-a ] &&
   [ "$(jq -r '.metadata.annotations["funcp.dev/managed-labels"]' <<<"$obj")" = "boson.dev/function,function.knative.dev/name,function.knative.dev/runtime" ]; then
    pass "redeploy removes the label, annotation and scale func.yaml dropped; other tools' keys stay"
else fail "managed keys on redeploy"; fi

# A Service knative func deployed (no funcp record): func's own keys are
# funcp's to remove (domain, Dapr, scale), everything else stays.
start_server --scenario ready --preload "$FIX/cluster-func-deployed.json"
run "$NODE" deploy "$IMG"
obj=$(object services default hello)
if [ $RC -eq 0 ] && [ "$(jq -r '.metadata.labels["func.domain"] // "gone"' <<<"$obj")" = gone ] &&
   [ "$(jq -r '.spec.template.metadata.labels["func.domain"] // "gone"' <<<"$obj")" = gone ] &&
   [ "$(jq -r '.metadata.annotations["dapr.io/enabled"] // "gone"' <<<"$obj")" = gone ] &&
   [ "$(jq -r '.spec.template.metadata.annotations["dapr.io/app-id"] // "gone"' <<<"$obj")" = gone ] &&
   [ "$(jq -r '.spec.template.metadata.annotations["autoscaling.knative.dev/min-scale"] // "gone"' <<<"$obj")" = gone ] &&
   [ "$(jq -r '.spec.template.metadata.annotations["sidecar.istio.io/inject"]' <<<"$obj")" = false ] &&
   [ "$(jq -r '.metadata.labels["argocd.argoproj.io/instance"]' <<<"$obj")" = shop ] &&
   [ "$(jq -r '.metadata.annotations["serving.knative.dev/creator"]' <<<"$obj")" = alice ]; then
    pass "redeploy of a func-deployed Service: func's stale domain, Dapr and scale keys removed, others kept"
else fail "func-deployed Service redeploy"; fi

# --- namespace move: deployed to the new namespace, removed from the old ----
mkdir -p "$work/move"
sed 's/^namespace: default/namespace: team-b/' "$NODE/func.yaml" >"$work/move/func.yaml"
start_server --scenario ready --namespace team-b --preload "$FIX/cluster-existing.json"
run "$work/move" deploy "$IMG" -n team-b
if [ $RC -eq 0 ] && [ "$OUT" = "http://hello.team-b.example.com" ] &&
   [ "$(object services team-b hello | jq -r '.metadata.labels["function.knative.dev/name"]')" = hello ] &&
   [ "$(curl -s -o /dev/null -w '%{http_code}' "$API/fake/object?resource=services&namespace=default&name=hello")" = 404 ] &&
   [ "$(requests | jq -r '[.requests[] | select(.method=="DELETE")][0].path')" = /apis/serving.knative.dev/v1/namespaces/default/services/hello ] &&
   has "$ERR" 'function "hello" moved from namespace "default" to "team-b"'; then
    pass "namespace change: deployed to team-b, then the Service in default removed; one line says so"
else fail "namespace move"; fi
start_server --scenario ready --namespace team-b
run "$work/move" deploy "$IMG" -n team-b
if [ $RC -eq 0 ] && has "$ERR" 'cannot remove function "hello" from namespace "default": its Knative Service was not found'; then
    pass "namespace change with nothing left in the old namespace: a warning, as func"
else fail "namespace move without old Service"; fi
start_server --scenario ready,revision-failed --namespace team-b --preload "$FIX/cluster-existing.json"
run "$work/move" deploy "$IMG" -n team-b
if [ $RC -ne 0 ] &&
   [ "$(curl -s -o /dev/null -w '%{http_code}' "$API/fake/object?resource=services&namespace=default&name=hello")" = 200 ]; then
    pass "namespace change that fails to deploy leaves the old Service serving"
else fail "failed move kept the old Service"; fi

# --- keys only the wasm deployer applies are named, not silently dropped ----
mkdir -p "$work/wasmkeys"
cp "$NODE/func.yaml" "$work/wasmkeys/func.yaml"
printf '  network:\n    inherit: true\nrun:\n  args:\n  - --verbose\n' >>"$work/wasmkeys/func.yaml"
start_server --scenario ready
run "$work/wasmkeys" deploy "$IMG"
if [ $RC -eq 0 ] &&
   has "$ERR" 'deployer "knative" cannot apply func.yaml run.args (' &&
   has "$ERR" 'deployer "knative" cannot apply func.yaml deploy.network (' &&
   [ "$(object services default hello | jq -r '.spec.template.spec.containers[0].args // "none"')" = none ]; then
    pass "run.args and deploy.network: one warning each, by name"
else fail "knative unapplied keys"; fi

# --- Knative Serving not installed -----------------------------------------
start_server --no-serving
run "$NODE" deploy "$IMG"
if [ $RC -eq 6 ] && has "$ERR" "Error: Knative Serving is not installed in this cluster"; then
    pass "deploy without Knative Serving"
else fail "deploy without Serving"; fi
run "$NODE" list-all
if [ $RC -eq 0 ] && [ -z "$OUT" ] && has "$ERR" "Knative Serving is not installed in this cluster"; then
    pass "list without Knative Serving: a warning, no error"
else fail "list without Serving"; fi
run "$NODE" describe hello
if [ $RC -eq 6 ] && has "$ERR" "Knative Serving is not installed in this cluster"; then
    pass "describe without Knative Serving"
else fail "describe without Serving"; fi

# --- list: functions only, paged -------------------------------------------
start_server --scenario ready
curl -s "$API/fake/seed?count=1100" >/dev/null
run "$NODE" list-all
if [ $RC -eq 0 ] && [ "$(wc -l <<<"$OUT")" = 979 ] &&
   [ "$(jq -s '[.[] | select(.deployer=="knative" and .runtime=="go" and .ready=="True")] | length' <<<"$OUT")" = 979 ] &&
   ! has "$OUT" '"fn-00098"' && ! has "$OUT" '"fn-00009"' &&
   [ "$(requests | jq '[.requests[] | select(.path=="/apis/serving.knative.dev/v1/services")] | length')" = 2 ]; then
    pass "list: 979 functions of 1100 Services (plain and WasmModule-owned left out), 2 pages of 500"
else fail "list"; fi

# --- describe: the latest READY revision's image ----------------------------
start_server --scenario ready
run "$NODE" deploy "$IMG"
run "$NODE" deploy "registry.example.com/u/hello@sha256:broken"
run "$NODE" describe hello
if [ $RC -eq 0 ] && [ "$(jq -r .image <<<"$OUT")" = "$IMG" ] &&
   [ "$(jq -r .detail.latestReadyRevision <<<"$OUT")" = hello-00001 ] &&
   [ "$(jq -r .detail.latestCreatedRevision <<<"$OUT")" = hello-00002 ] &&
   [ "$(jq -r '.detail.conditions[] | select(.type=="Ready") | .reason' <<<"$OUT")" = RevisionMissing ] &&
   [ "$(jq -r '.detail.routes[0].revisionName' <<<"$OUT")" = hello-00001 ] &&
   [ "$(jq -r '.detail.labels["function.knative.dev/runtime"]' <<<"$OUT")" = node ]; then
    pass "describe: image of the latest ready revision, conditions with reasons, routes, labels"
else fail "describe"; fi

# --- delete: foreground, waits until gone ------------------------------------
start_server --scenario ready --gc-delay 600
run "$NODE" deploy "$IMG"
run "$NODE" delete hello
if [ $RC -eq 0 ] && [ $MS -ge 500 ] &&
   [ "$(requests | jq -r '[.requests[] | select(.method=="DELETE")][0].body.propagationPolicy')" = Foreground ] &&
   [ "$(curl -s -o /dev/null -w '%{http_code}' "$API/fake/object?resource=services&namespace=default&name=hello")" = 404 ]; then
    pass "delete: foreground propagation, waited ${MS} ms for the object to go"
else fail "delete"; fi
run "$NODE" delete hello
if [ $RC -eq 6 ] && has "$ERR" 'function "hello" not found in namespace "default"'; then
    pass "delete of a missing function"
else fail "delete missing"; fi

stop_server
echo "$failures failure(s)"
[ $failures -eq 0 ]
