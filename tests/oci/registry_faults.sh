# Faults between funcp and a real registry, injected by fault_proxy.py:
# 503s (with Retry-After), a connection dropped mid-upload, a slow
# response, a registry that never recovers, token auth, and Ctrl-C.
source "$(dirname "$0")/registry_lib.sh"
PROXY_PY=$(dirname "$0")/fault_proxy.py

start_registry upstream
UP=$REG
make_component "$T/fn.wasm" $((3 * 1024 * 1024)) 4

# start_proxy <name> <plan json>: sets PX (host:port) and EV (events file).
start_proxy() {
    local port
    port=$(free_port)
    printf '%s' "$2" > "$T/$1.plan"
    EV=$T/$1.events
    : > "$EV"
    python3 "$PROXY_PY" "$port" "$UP" "$T/$1.plan" "$EV" &
    PIDS+=($!)
    wait_port "$port"
    PX=127.0.0.1:$port
}
count() { grep -c -- "$1" "$EV" || true; }

# 1. 503 twice on the upload start, a drop mid-PUT, a slow manifest PUT.
start_proxy retry '{"rules":[
 {"match":"^POST /v2/fn/a/blobs/uploads/","action":"503","times":2,"retry_after":"1"},
 {"match":"^PUT /v2/fn/a/blobs/uploads/","action":"drop","times":1,"after_bytes":65536},
 {"match":"^PUT /v2/fn/a/manifests/","action":"slow","times":1,"delay":1.5}]}'
start=$(date +%s)
out=$("$OCI_TOOL" -k "$PX" push "$T/fn.wasm" "$PX/fn/a:latest" 2> "$T/log1")
[ "$(count '^503 ')" = 2 ] || fail "expected two injected 503s: $(cat "$EV")"
[ "$(count '^drop ')" = 1 ] || fail "expected one dropped connection"
[ "$(count '^slow ')" = 1 ] || fail "expected one slow response"
grep -q "HTTP 503" "$T/log1" || fail "retries not reported: $(cat "$T/log1")"
grep -q "retrying in 1000 ms" "$T/log1" || fail "Retry-After: 1 not honoured: $(cat "$T/log1")"
grep -q "restarting (try 2 of 4)" "$T/log1" || fail "the dropped upload was not restarted: $(cat "$T/log1")"
skopeo inspect --raw --tls-verify=false "docker://$UP/fn/a:latest" > "$T/raw.json"
[ "sha256:$(sha256sum < "$T/raw.json" | cut -d' ' -f1)" = "$(field digest "$out")" ] || fail "digest differs"
skopeo copy -q --src-tls-verify=false "docker://$UP/fn/a:latest" "dir:$T/copy-a"
cmp "$T/copy-a/$(sha256_of "$T/fn.wasm" | cut -d: -f2)" "$T/fn.wasm" || fail "stored layer differs"
[ $(( $(date +%s) - start )) -lt 30 ] || fail "took too long"
pass "503 x2 (Retry-After), dropped upload and slow response: push completes with the right digest"

# 2. chunked upload: the second chunk fails (503), the upload resumes from
#    the registry's Range instead of starting over.
start_proxy chunk '{"rules":[
 {"match":"^PATCH /v2/fn/b/blobs/uploads/","action":"slow","times":1,"delay":0},
 {"match":"^PATCH /v2/fn/b/blobs/uploads/","action":"503","times":1}]}'
out=$(FUNCP_OCI_CHUNK_SIZE=1048576 "$OCI_TOOL" -k "$PX" push "$T/fn.wasm" "$PX/fn/b:latest" 2> "$T/log2")
[ "$(count '^503 PATCH')" = 1 ] || fail "no chunk failed: $(cat "$EV")"
grep -q "interrupted at byte 1048576" "$T/log2" || fail "no resume reported: $(cat "$T/log2")"
grep -q '^forward GET /v2/fn/b/blobs/uploads/' "$EV" || fail "upload status not asked"
# one upload session per blob (config, layer): the layer was not restarted
[ "$(count '^forward POST /v2/fn/b/blobs/uploads/')" = 2 ] || fail "the upload restarted instead of resuming"
skopeo copy -q --src-tls-verify=false "docker://$UP/fn/b:latest" "dir:$T/copy-b"
cmp "$T/copy-b/$(sha256_of "$T/fn.wasm" | cut -d: -f2)" "$T/fn.wasm" || fail "resumed layer differs"
pass "chunked upload resumes after a failed chunk"

# 3. a registry that keeps failing: bounded retries, a clear error.
start_proxy down '{"rules":[{"match":"^POST /v2/fn/c/blobs/uploads/","action":"503","times":1000}]}'
start=$(date +%s)
if "$OCI_TOOL" -k "$PX" push "$T/fn.wasm" "$PX/fn/c:latest" 2> "$T/e3"; then fail "push succeeded"; fi
elapsed=$(( $(date +%s) - start ))
n=$(count '^503 ')
[ "$n" -ge 4 ] && [ "$n" -le 16 ] || fail "retries not bounded: $n attempts"
[ "$elapsed" -lt 60 ] || fail "gave up after ${elapsed}s"
for want in "gave up after" "$PX" "fn/c" "HTTP 503" "UNAVAILABLE"; do
    grep -qF "$want" "$T/e3" || fail "error lacks '$want': $(cat "$T/e3")"
done
pass "gives up after the retry bound with a clear error ($n attempts, ${elapsed}s)"

# 4. Bearer token flow: token fetched with Basic credentials, once per scope.
start_proxy token '{"bearer":{"user":"tok-user","password":"tok-Pa55"}}'
out=$("$OCI_TOOL" -v -k "$PX" -u tok-user -p tok-Pa55 push "$T/fn.wasm" "$PX/fn/d:latest" 2> "$T/log4")
[ "$(count '^token ')" = 1 ] || fail "expected one token request: $(grep token "$EV")"
grep -q 'scope=repository%3Afn%2Fd%3Apush%2Cpull' "$EV" || fail "token scope: $(grep token "$EV")"
for secret in tok-Pa55 tok-not-a-real-secret-42 "$(printf tok-user:tok-Pa55 | base64 -w0)"; do
    if grep -qF -- "$secret" "$T/log4" <<<"$out"; then fail "a credential or token leaked into the output"; fi
done
if "$OCI_TOOL" -k "$PX" -u tok-user -p wrong push "$T/fn.wasm" "$PX/fn/d:x" 2> "$T/e4"; then fail "bad creds accepted"; fi
grep -q "token server" "$T/e4" || fail "token refusal not explained: $(cat "$T/e4")"
pass "Bearer token flow (one token per scope, nothing leaked)"

# 4b. an identity token from an auth file: refresh-token grant (POST).
start_proxy refresh '{"bearer":{"user":"u","password":"p","refresh_token":"refresh-Zq9-secret"}}'
printf '{"auths":{"%s":{"identitytoken":"refresh-Zq9-secret"}}}' "$PX" > "$T/idt.json"
out=$("$OCI_TOOL" -v -k "$PX" -a "$T/idt.json" push "$T/fn.wasm" "$PX/fn/f:latest" 2> "$T/log4b")
[ "$(count '^token-post scope=repository:fn/f:push,pull')" = 1 ] || fail "no refresh-token grant: $(cat "$EV")"
for secret in refresh-Zq9-secret tok-not-a-real-secret-42; do
    if grep -qF -- "$secret" "$T/log4b" <<<"$out"; then fail "identity or access token in the output"; fi
done
pass "identity token: refresh-token grant"

# 4c. pull through faults: a 503 and a dropped connection on the blob GET.
start_proxy pull '{"rules":[
 {"match":"^GET /v2/fn/a/blobs/sha256:","action":"503","times":1},
 {"match":"^GET /v2/fn/a/blobs/sha256:","action":"drop","times":1},
 {"match":"^GET /v2/fn/a/manifests/","action":"slow","times":1,"delay":1}]}'
"$OCI_TOOL" -k "$PX" pull "$PX/fn/a:latest" "$T/pulled.wasm" > /dev/null 2> "$T/log4c"
cmp "$T/pulled.wasm" "$T/fn.wasm" || fail "pulled bytes differ"
[ "$(count '^503 GET')" = 1 ] && [ "$(count '^drop GET')" = 1 ] || fail "faults not injected: $(cat "$EV")"
pass "pull retries a 503 and a dropped connection"

# 5. Ctrl-C during a stalled upload cancels promptly.
start_proxy cancel '{"rules":[{"match":"^PUT /v2/fn/e/blobs/uploads/","action":"slow","times":1,"delay":30}]}'
"$OCI_TOOL" -k "$PX" push "$T/fn.wasm" "$PX/fn/e:latest" > /dev/null 2> "$T/e5" &
tool=$!
for _ in $(seq 1 100); do grep -q '^slow PUT' "$EV" && break; sleep 0.1; done
sleep 0.3
start=$(date +%s)
kill -INT "$tool"
rc=0; wait "$tool" || rc=$?
[ "$rc" -ne 0 ] || fail "cancelled push exited 0"
[ $(( $(date +%s) - start )) -le 5 ] || fail "cancel took too long"
grep -q "cancelled" "$T/e5" || fail "no cancel message: $(cat "$T/e5")"
pass "Ctrl-C cancels an upload"

# 6. Ctrl-C during a download: no file, no temporary file left.
start_proxy cancelpull '{"rules":[{"match":"^GET /v2/fn/a/blobs/sha256:","action":"slow","times":1,"delay":30}]}'
mkdir -p "$T/dl"
"$OCI_TOOL" -k "$PX" pull "$PX/fn/a:latest" "$T/dl/fn.wasm" > /dev/null 2> "$T/e6" &
tool=$!
for _ in $(seq 1 100); do grep -q '^slow GET' "$EV" && break; sleep 0.1; done
sleep 0.3
kill -INT "$tool"
rc=0; wait "$tool" || rc=$?
[ "$rc" -ne 0 ] || fail "cancelled pull exited 0"
grep -q "cancelled" "$T/e6" || fail "no cancel message: $(cat "$T/e6")"
[ -z "$(ls -A "$T/dl")" ] || fail "files left after a cancelled pull: $(ls -A "$T/dl")"
pass "Ctrl-C during a pull leaves nothing behind"

# 7. a response cut inside its headers ("HTTP/1.1 200 OK" and half a line):
#    libcurl reports a complete 200 with no body; funcp must not read it as
#    "the blob exists" (the manifest PUT would then fail with
#    MANIFEST_BLOB_UNKNOWN) but as a dropped connection, and retry.
start_proxy cuthdr '{"rules":[{"match":"^HEAD /v2/fn/g/blobs/sha256:","action":"cut-headers","times":2}]}'
out=$("$OCI_TOOL" -v -k "$PX" push "$T/fn.wasm" "$PX/fn/g:latest" 2> "$T/log7") ||
    fail "push after responses cut inside their headers: $(tail -3 "$T/log7")"
[ "$(count '^cut-headers HEAD')" = 2 ] || fail "headers not cut: $(cat "$EV")"
grep -q "connection closed in the middle of the response headers" "$T/log7" || fail "the cut was not noticed: $(cat "$T/log7")"
[ "$(count '^forward POST /v2/fn/g/blobs/uploads/')" = 2 ] || fail "a blob was taken as present: $(cat "$EV")"
skopeo copy -q --src-tls-verify=false "docker://$UP/fn/g:latest" "dir:$T/copy-g"
cmp "$T/copy-g/$(sha256_of "$T/fn.wasm" | cut -d: -f2)" "$T/fn.wasm" || fail "stored layer differs"
pass "responses cut inside their headers are retried, not read as 200"

# 7b. the same on the HEAD the hashing thread sends for a large layer (it
#     stops the upload when the blob exists): a cut answer is not "exists".
make_component "$T/big.wasm" $((9 * 1024 * 1024)) 8
start_proxy cuthdr2 '{"rules":[{"match":"^HEAD /v2/fn/h/blobs/sha256:","action":"cut-headers","times":1}]}'
"$OCI_TOOL" -k "$PX" push "$T/big.wasm" "$PX/fn/h:latest" > /dev/null 2> "$T/log7b" ||
    fail "large push after a cut HEAD: $(tail -3 "$T/log7b")"
[ "$(count '^cut-headers HEAD')" = 1 ] || fail "headers not cut: $(cat "$EV")"
skopeo copy -q --src-tls-verify=false "docker://$UP/fn/h:latest" "dir:$T/copy-h"
cmp "$T/copy-h/$(sha256_of "$T/big.wasm" | cut -d: -f2)" "$T/big.wasm" || fail "large layer missing or different"
pass "a cut answer to the hashing thread's HEAD does not skip the upload"

# 7c. funcp invoke's HTTP client (fp_http_api): a cut answer is an error,
#     not an empty 200.
start_proxy cuthdr3 '{"rules":[{"match":"^GET /cut","action":"cut-headers","times":1}]}'
rc=0; "$OCI_TOOL" http GET "http://$PX/cut" > "$T/o7c" 2> "$T/e7c" || rc=$?
[ "$(count '^cut-headers GET /cut')" = 1 ] || fail "headers not cut: $(cat "$EV")"
[ "$rc" -eq 9 ] && grep -q "connection closed in the middle of the response headers" "$T/e7c" ||
    fail "cut answer taken for a response (exit $rc): $(cat "$T/o7c" "$T/e7c")"
pass "the plain HTTP client reports an answer cut inside its headers"
