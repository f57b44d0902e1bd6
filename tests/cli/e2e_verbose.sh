# funcp -v shows what the network module does: one line per request
# (method, URL with secret query values redacted, status, time in ms) and
# retries with their reason, on every authentication path: Basic, a
# credential helper, docker token auth (real docker-registry with
# `auth: token` and tests/oci/token_server.py) and an identity token from a
# credential helper (fault_proxy.py playing a token registry). No password,
# its base64, identity token or bearer token appears in any output. And
# deploy -v shows Kubernetes requests and a watch resume, never the token.
. "$(dirname "$0")/lib.sh"

command -v docker-registry >/dev/null || { echo "skipped: docker-registry not installed"; exit 77; }
command -v htpasswd >/dev/null || { echo "skipped: htpasswd not installed"; exit 77; }
OCI_DIR=${FUNCP_TEST_SOURCE_DIR:?set by ctest}/tests/oci
export FUNCP_PLUGIN_PATH=${FUNCP_CLI_TEST_PLUGIN_DIR:?set by ctest}
export XDG_CONFIG_HOME="$TMP/config" HOME="$TMP/home" DOCKER_CONFIG="$TMP/docker"
unset FUNCP_INSECURE_REGISTRIES FUNC_REGISTRY_INSECURE FUNC_CA_FILE REGISTRY_AUTH_FILE XDG_RUNTIME_DIR
mkdir -p "$HOME" "$DOCKER_CONFIG" "$TMP/bin"
cd "$TMP" || exit 1

USER_NAME=verbose-user PASSWORD='Vb-s3cret:Pa55' REFRESH='refresh-Vq7-secret'
B64=$(printf '%s:%s' "$USER_NAME" "$PASSWORD" | base64 -w0)
PROXY_TOKEN=tok-not-a-real-secret-42   # fault_proxy.py's bearer token

# start_registry NAME AUTH-YAML: docker-registry on a free port; sets PORT.
start_registry() {
    PORT=$(free_port)
    mkdir -p "$TMP/$1"
    printf 'version: 0.1\nlog: {level: error, accesslog: {disabled: true}}\nstorage: {filesystem: {rootdirectory: %s}}\nhttp: {addr: "127.0.0.1:%s", secret: verbose-test}\n%s\n' \
        "$TMP/$1/data" "$PORT" "$2" > "$TMP/$1/config.yml"
    docker-registry serve "$TMP/$1/config.yml" > "$TMP/$1/log" 2>&1 &
    fp_track_pid $!
    wait_port "$PORT" 10 || { fail "docker-registry $1 did not start"; exit 1; }
}

# no_secrets LABEL: nothing secret in $OUT or $ERR.
no_secrets() {
    local s
    for s in "$PASSWORD" "$B64" "$REFRESH" "$PROXY_TOKEN" $(cat "$TMP/tokens.log" 2>/dev/null); do
        if grep -qF -- "$s" "$OUT" "$ERR"; then fail "$1: a secret appears in the -v output"; return 1; fi
    done
}
# request_line TEXT: a "METHOD URL -> STATUS (N ms)" line starting with TEXT.
request_line() {
    grep -qE "^$(printf '%s' "$1" | sed 's/[][\.*^$?+(){}|/]/\\&/g') -> [0-9]{3} \([0-9]+ ms\)$" "$ERR" ||
        { fail "no request line '$1 -> <status> (<n> ms)'"; return 1; }
}

expect_exit 0 "$FUNCP" create -l sh-clitest hello || exit 1
expect_exit 0 "$FUNCP" build -p hello || exit 1

# 1. Basic auth (htpasswd), password on stdin.
htpasswd -Bbn "$USER_NAME" "$PASSWORD" > "$TMP/htpasswd"
start_registry basic "auth: {htpasswd: {realm: verbose, path: $TMP/htpasswd}}"
BASIC=127.0.0.1:$PORT
expect_exit 0 "$FUNCP" push -v -p hello --image "$BASIC/me/hello:latest" \
    --username "$USER_NAME" --password-stdin <<<"$PASSWORD" &&
    request_line "GET http://$BASIC/v2/" && grep -q "^GET http://$BASIC/v2/ -> 401 " "$ERR" &&
    request_line "PUT http://$BASIC/v2/me/hello/manifests/latest" &&
    grep -qE "^PUT http://$BASIC/v2/me/hello/blobs/uploads/[^ ]*\?_state=<redacted>&digest=sha256(:|%3a)[0-9a-f]{64} -> 201 " "$ERR" ||
    fail "basic: upload PUT not shown with _state redacted and the digest kept"
no_secrets basic && pass "-v, Basic auth: request lines, status and time; _state redacted; no secret"

# 2. Basic credentials from a credential helper.
cat > "$TMP/bin/docker-credential-vtest" <<SH
#!/bin/sh
read -r host
case "\$host" in
$BASIC) printf '{"ServerURL":"%s","Username":"%s","Secret":"%s"}' "\$host" "$USER_NAME" "$PASSWORD" ;;
*) printf '{"ServerURL":"%s","Username":"<token>","Secret":"%s"}' "\$host" "$REFRESH" ;;
esac
SH
chmod +x "$TMP/bin/docker-credential-vtest"
printf '{"credsStore":"vtest"}' > "$DOCKER_CONFIG/config.json"
PATH=$TMP/bin:$PATH expect_exit 0 "$FUNCP" push -v -p hello --image "$BASIC/me/hello:helper" &&
    request_line "PUT http://$BASIC/v2/me/hello/manifests/helper"
no_secrets helper && pass "-v, credentials from a credential helper: no secret"

# 3. docker token auth: the token request and the registry's, no token shown.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=funcp verbose token issuer" \
    -keyout "$TMP/token.key" -out "$TMP/token.pem" 2>/dev/null
printf '{"%s":"%s"}' "$USER_NAME" "$PASSWORD" > "$TMP/users.json"
TP=$(free_port)
python3 "$OCI_DIR/token_server.py" "$TP" "$TMP/token.key" "$TMP/token.pem" vissuer vregistry "$TMP/users.json" \
    "$TMP/token.events" "$TMP/tokens.log" &
fp_track_pid $!
wait_port "$TP" 10 || { fail "token server did not start"; exit 1; }
start_registry token "auth: {token: {realm: \"http://127.0.0.1:$TP/token\", service: vregistry, issuer: vissuer, rootcertbundle: $TMP/token.pem}}"
TOKREG=127.0.0.1:$PORT
expect_exit 0 "$FUNCP" push -v -p hello --image "$TOKREG/me/hello:latest" \
    --username "$USER_NAME" --password-stdin <<<"$PASSWORD" &&
    request_line "GET http://127.0.0.1:$TP/token?service=vregistry&scope=repository%3Ame%2Fhello%3Apush%2Cpull" &&
    request_line "PUT http://$TOKREG/v2/me/hello/manifests/latest"
[ -s "$TMP/tokens.log" ] || fail "no token was issued"
no_secrets token && pass "-v, docker token auth: token and registry requests shown, no password or bearer token"

# 4. an identity token from the credential helper (refresh-token grant),
#    with a 503 on the manifest PUT: the retry and its reason are shown.
start_registry plain ""
PX=$(free_port)
printf '{"bearer":{"user":"u","password":"p","refresh_token":"%s"},"rules":[{"match":"^PUT /v2/me/hello/manifests/","action":"503","times":1}]}' \
    "$REFRESH" > "$TMP/plan.json"
python3 "$OCI_DIR/fault_proxy.py" "$PX" "127.0.0.1:$PORT" "$TMP/plan.json" "$TMP/proxy.events" &
fp_track_pid $!
wait_port "$PX" 10 || { fail "fault proxy did not start"; exit 1; }
PATH=$TMP/bin:$PATH expect_exit 0 "$FUNCP" push -v -p hello --image "127.0.0.1:$PX/me/hello:latest" &&
    request_line "POST http://127.0.0.1:$PX/token" &&
    grep -q "^PUT http://127.0.0.1:$PX/v2/me/hello/manifests/latest -> 503 " "$ERR" &&
    grep -q "PUT 127.0.0.1:$PX: HTTP 503 (try 1 of 4)" "$ERR" && grep -q "^retrying in " "$ERR" &&
    request_line "PUT http://127.0.0.1:$PX/v2/me/hello/manifests/latest" ||
    fail "identity token: token POST, the 503, its retry or the retried PUT not shown"
grep -q '^503 PUT /v2/me/hello/manifests/' "$TMP/proxy.events" || fail "the 503 was not injected"
no_secrets identity && pass "-v, identity token from a credential helper: retry with its reason; no secret"

# 5. deploy -v against the fake Kubernetes API server, whose watch stream
#    is cut once: the requests, the interruption and the resume are shown,
#    never the cluster token.
KTOKEN=kube-Sekrit-token-5150
python3 "$FUNCP_TEST_SOURCE_DIR/tests/kube/fake_apiserver.py" --port-file "$TMP/api.port" --token "$KTOKEN" \
    --scenario transient,drop-watch --ready-delay 900 > "$TMP/api.log" 2>&1 &
fp_track_pid $!
for _ in $(seq 100); do [ -s "$TMP/api.port" ] && break; sleep 0.05; done
API=$(cat "$TMP/api.port")
printf 'current-context: v\nclusters: [{name: v, cluster: {server: "http://127.0.0.1:%s"}}]\nusers: [{name: u, user: {token: %s}}]\ncontexts: [{name: v, context: {cluster: v, user: u, namespace: default}}]\n' \
    "$API" "$KTOKEN" > "$TMP/kubeconfig"
mkdir -p "$TMP/wfn"
printf 'specVersion: 0.36.0\nname: vhello\nruntime: go-wasi\n' > "$TMP/wfn/func.yaml"
FUNCP_PLUGIN_PATH="$FUNCP_TEST_BUILD_DIR/plugins" expect_exit 0 "$FUNCP" deploy -v -p "$TMP/wfn" \
    --kubeconfig "$TMP/kubeconfig" --build=false --push=false \
    --image "registry.example.com/vhello@sha256:$(printf x | sha256sum | cut -d' ' -f1)" &&
    request_line "POST http://127.0.0.1:$API/apis/wasm.serving.knative.dev/v1alpha1/namespaces/default/wasmmodules" &&
    grep -q "^GET http://127.0.0.1:$API/apis/wasm.serving.knative.dev/v1alpha1/namespaces/default/wasmmodules?fieldSelector=metadata.name%3Dvhello&watch=1&[^ ]* -> " "$ERR" &&
    grep -q "^kube: watch /apis/wasm.serving.knative.dev/v1alpha1/namespaces/default/wasmmodules?fieldSelector=metadata.name%3Dvhello interrupted: " "$ERR" &&
    grep -q "^kube: watch /apis/[^ ]*: resuming from resourceVersion [0-9]" "$ERR" ||
    fail "deploy -v: requests, the watch interruption or its resume not shown"
assert_not_contains "$OUT" "$KTOKEN" && assert_not_contains "$ERR" "$KTOKEN" &&
    pass "-v, deploy: Kubernetes requests, a cut watch and its resume shown; no cluster token"

# 6. without -v: no request lines.
expect_exit 0 "$FUNCP" push -p hello --image "$TOKREG/me/hello:quiet" --username "$USER_NAME" --password "$PASSWORD" &&
    if grep -q " -> [0-9]\{3\} (" "$ERR"; then fail "request lines without -v"; fi
pass "no request lines without -v"
[ "$FP_FAILS" -eq 0 ]
