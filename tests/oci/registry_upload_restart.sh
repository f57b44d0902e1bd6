# A failed blob upload restarts cleanly (issue 13 point 1): faults on the
# first PATCH, the first PUT and the manifest PUT, a connection dropped
# mid-body, and a digest refused on completion. docker-registry 2.8 answers
# "Range: 0-0" for an empty upload; funcp must not read that as one byte
# received and resume from byte 1 (the final PUT then gets DIGEST_INVALID).
source "$(dirname "$0")/registry_lib.sh"
PROXY_PY=$(dirname "$0")/fault_proxy.py

start_registry upstream
UP=$REG
# Above FP_PARALLEL_HASH_MIN (8 MiB): hashed while it uploads, so the layer
# goes up as PATCH then PUT ?digest=.
make_component "$T/big.wasm" $((9 * 1024 * 1024)) 11
make_component "$T/small.wasm" $((512 * 1024)) 12

start_proxy() { # start_proxy <name> <plan json>: sets PX and EV
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

# stored <repo> <file> <oci_tool output>: the registry holds the manifest
# funcp reported, and its layer is the file, byte for byte.
stored() {
    local raw=$T/${1//\//_}.raw
    skopeo inspect --raw --tls-verify=false "docker://$UP/$1:latest" > "$raw"
    [ "sha256:$(sha256sum < "$raw" | cut -d' ' -f1)" = "$(field digest "$3")" ] ||
        fail "$1: registry's manifest is not the one funcp pushed"
    [ "$(json_get "$raw" 'd["layers"][0]["digest"]')" = "$(sha256_of "$2")" ] || fail "$1: layer digest differs"
    rm -rf "$T/copy"
    skopeo copy -q --src-tls-verify=false "docker://$UP/$1:latest" "dir:$T/copy"
    cmp -s "$T/copy/$(sha256_of "$2" | cut -d: -f2)" "$2" || fail "$1: stored layer differs from the file"
}

# 1. 503 on the first PATCH: nothing reached the registry, whose status
#    answer is "Range: 0-0"; funcp starts a new session.
start_proxy patch503 '{"rules":[{"match":"^PATCH /v2/fn/p503/blobs/uploads/","action":"503","times":1}]}'
out=$("$OCI_TOOL" -k "$PX" push "$T/big.wasm" "$PX/fn/p503:latest" 2> "$T/log1") ||
    fail "push failed after a 503 on the first PATCH: $(cat "$T/log1")"
[ "$(count '^503 PATCH')" = 1 ] || fail "the PATCH fault was not injected: $(cat "$EV")"
grep -q '^forward GET /v2/fn/p503/blobs/uploads/' "$EV" || fail "the upload status was not asked"
grep -q "starting a new upload session" "$T/log1" || fail "no new session reported: $(cat "$T/log1")"
stored fn/p503 "$T/big.wasm" "$out"
pass "503 on the first PATCH: a new upload session, the right digest stored"

# 2. a connection dropped mid-body on the first PATCH.
start_proxy patchdrop '{"rules":[{"match":"^PATCH /v2/fn/pdrop/blobs/uploads/","action":"drop","times":1,"after_bytes":65536}]}'
out=$("$OCI_TOOL" -k "$PX" push "$T/big.wasm" "$PX/fn/pdrop:latest" 2> "$T/log2") ||
    fail "push failed after a dropped PATCH: $(cat "$T/log2")"
[ "$(count '^drop PATCH')" = 1 ] || fail "the drop was not injected: $(cat "$EV")"
stored fn/pdrop "$T/big.wasm" "$out"
pass "connection dropped mid-PATCH: the right digest stored"

# 3. 503 on the first blob PUT, chunked (empty PUT ?digest=) and monolithic.
start_proxy put503 '{"rules":[{"match":"^PUT /v2/fn/u503/blobs/uploads/","action":"503","times":1},
 {"match":"^PUT /v2/fn/m503/blobs/uploads/","action":"503","times":1}]}'
out=$("$OCI_TOOL" -k "$PX" push "$T/big.wasm" "$PX/fn/u503:latest" 2> "$T/log3") ||
    fail "push failed after a 503 on the first PUT: $(cat "$T/log3")"
stored fn/u503 "$T/big.wasm" "$out"
# the registry held every byte: only the PUT is repeated, the 9 MiB are not resent
[ "$(count '^forward PATCH /v2/fn/u503/')" = 1 ] || fail "the layer was uploaded again: $(cat "$EV")"
grep -q '^forward GET /v2/fn/u503/blobs/uploads/' "$EV" || fail "the upload status was not asked"
out=$("$OCI_TOOL" -k "$PX" push "$T/small.wasm" "$PX/fn/m503:latest" 2> "$T/log3m") ||
    fail "monolithic push failed after a 503 on the first PUT: $(cat "$T/log3m")"
stored fn/m503 "$T/small.wasm" "$out"
[ "$(count '^503 PUT')" = 2 ] || fail "the PUT faults were not injected: $(cat "$EV")"
pass "503 on the first blob PUT: chunked, only the PUT repeated; monolithic, a new session; the right digest stored"

# 4. 503 on the manifest PUT.
start_proxy man503 '{"rules":[{"match":"^PUT /v2/fn/man/manifests/","action":"503","times":1}]}'
out=$("$OCI_TOOL" -k "$PX" push "$T/big.wasm" "$PX/fn/man:latest" 2> "$T/log4") ||
    fail "push failed after a 503 on the manifest PUT: $(cat "$T/log4")"
[ "$(count '^503 PUT /v2/fn/man/manifests/')" = 1 ] || fail "the manifest fault was not injected: $(cat "$EV")"
stored fn/man "$T/big.wasm" "$out"
pass "503 on the manifest PUT: the right digest stored"

# 5. the registry refuses the digest on completion (400 DIGEST_INVALID):
#    the upload restarts once from a new session; twice is an error.
bad='{"errors":[{"code":"DIGEST_INVALID","message":"provided digest did not match uploaded content"}]}'
start_proxy digest "{\"rules\":[{\"match\":\"^PUT /v2/fn/dig/blobs/uploads/\",\"action\":\"status\",\"status\":400,\"times\":1,\"body\":$(python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$bad")},
 {\"match\":\"^PUT /v2/fn/dig2/blobs/uploads/\",\"action\":\"status\",\"status\":400,\"times\":5,\"body\":$(python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$bad")}]}"
out=$("$OCI_TOOL" -k "$PX" push "$T/big.wasm" "$PX/fn/dig:latest" 2> "$T/log5") ||
    fail "push failed after one DIGEST_INVALID: $(cat "$T/log5")"
[ "$(count '^status 400 PUT /v2/fn/dig/')" = 1 ] || fail "DIGEST_INVALID not injected: $(cat "$EV")"
# config and layer: one session each, plus the layer's restart
[ "$(count '^forward POST /v2/fn/dig/blobs/uploads/')" = 3 ] || fail "no new session after DIGEST_INVALID: $(cat "$EV")"
stored fn/dig "$T/big.wasm" "$out"
rc=0; "$OCI_TOOL" -k "$PX" push "$T/big.wasm" "$PX/fn/dig2:latest" > /dev/null 2> "$T/e5" || rc=$?
[ "$rc" -eq 9 ] || fail "a repeated DIGEST_INVALID: exit $rc, want 9: $(cat "$T/e5")"
[ "$(count '^status 400 PUT /v2/fn/dig2/')" = 2 ] || fail "DIGEST_INVALID retried more than once: $(cat "$EV")"
grep -q "DIGEST_INVALID" "$T/e5" || fail "the error does not name DIGEST_INVALID: $(cat "$T/e5")"
pass "DIGEST_INVALID on completion: one restart from a new session, then a clear error"
