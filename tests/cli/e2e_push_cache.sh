# funcp push remembers the artifact's digest in .funcp/artifact-digest:
# re-pushing an unchanged artifact costs HEADs and the manifest PUT (no
# upload, the file not hashed again); a changed artifact (even with the
# same size and a restored mtime) is hashed and pushed anew. The requests
# are counted by tests/oci/fault_proxy.py (no faults) in front of a real
# docker-registry.
. "$(dirname "$0")/lib.sh"

command -v docker-registry >/dev/null || { echo "skipped: docker-registry not installed"; exit 77; }
command -v skopeo >/dev/null || { echo "skipped: skopeo not installed"; exit 77; }
OCI_DIR=${FUNCP_TEST_SOURCE_DIR:?set by ctest}/tests/oci
export FUNCP_PLUGIN_PATH=${FUNCP_CLI_TEST_PLUGIN_DIR:?set by ctest}
export XDG_CONFIG_HOME="$TMP/config" HOME="$TMP/home" DOCKER_CONFIG="$TMP/no-docker"
unset FUNCP_INSECURE_REGISTRIES FUNC_REGISTRY_INSECURE FUNC_CA_FILE REGISTRY_AUTH_FILE XDG_RUNTIME_DIR
mkdir -p "$HOME"
cd "$TMP" || exit 1

PORT=$(free_port)
printf 'version: 0.1\nlog: {level: error, accesslog: {disabled: true}}\nstorage: {filesystem: {rootdirectory: %s}}\nhttp: {addr: "127.0.0.1:%s"}\n' \
    "$TMP/data" "$PORT" > "$TMP/registry.yml"
docker-registry serve "$TMP/registry.yml" > "$TMP/registry.log" 2>&1 &
fp_track_pid $!
wait_port "$PORT" 10 || { fail "docker-registry did not start"; exit 1; }
PX=$(free_port)
echo '{"rules":[]}' > "$TMP/plan.json"
EV=$TMP/events
python3 "$OCI_DIR/fault_proxy.py" "$PX" "127.0.0.1:$PORT" "$TMP/plan.json" "$EV" &
fp_track_pid $!
wait_port "$PX" 10 || { fail "proxy did not start"; exit 1; }
IMAGE=127.0.0.1:$PX/me/hello:latest

expect_exit 0 "$FUNCP" create -l sh-clitest hello || exit 1
expect_exit 0 "$FUNCP" build -p hello || exit 1
# an artifact bigger than the 4-byte stub, written well before the push
python3 -c 'import os,sys; open(sys.argv[1],"wb").write(b"\0asm\1\0\0\0" + bytes([0, 0x85, 0x80, 0x04, 4]) + b"pad!" + os.urandom(65536))' hello/module.wasm
sleep 0.3
W=hello/module.wasm
sha() { echo "sha256:$(sha256sum "$1" | cut -d' ' -f1)"; }
stored_layer() { skopeo inspect --raw --tls-verify=false "docker://127.0.0.1:$PORT/me/hello:latest" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["layers"][0]["digest"])'; }

# 1. first push: uploads, and the digest is remembered.
: > "$EV"
expect_exit 0 "$FUNCP" push -p hello --image "$IMAGE" || exit 1
[ "$(grep -c '^forward POST /v2/me/hello/blobs/uploads/' "$EV")" = 2 ] || fail "first push did not upload config and layer"
grep -qF "$(sha "$W")" hello/.funcp/artifact-digest || fail "digest not remembered: $(cat hello/.funcp/artifact-digest 2>&1)"
pass "first push uploads and remembers the digest in .funcp/artifact-digest"

# 2. unchanged: the digest comes from the cache; HEADs and a manifest PUT.
: > "$EV"
expect_exit 0 "$FUNCP" push -v -p hello --image "$IMAGE" &&
    assert_contains "$ERR" "$W: digest $(sha "$W") from "
if grep -q 'blobs/uploads' "$EV"; then fail "unchanged re-push uploaded: $(cat "$EV")"; fi
[ "$(grep -c '^forward HEAD /v2/me/hello/blobs/' "$EV")" = 2 ] &&
    [ "$(grep -c '^forward PUT /v2/me/hello/manifests/latest' "$EV")" = 1 ] ||
    fail "unchanged re-push: want 2 HEAD blob and 1 PUT manifest: $(cat "$EV")"
[ "$(stored_layer)" = "$(sha "$W")" ] || fail "registry layer differs"
pass "unchanged re-push: digest from the cache, HEADs and one manifest PUT"

# 3. same size, same mtime (restored with touch -r), same inode, new bytes:
#    the ctime changed, so it is hashed again and the new layer is pushed.
cp -p "$W" "$TMP/stamp"
python3 -c 'import sys; f=open(sys.argv[1],"r+b"); f.seek(-1,2); b=f.read(1); f.seek(-1,2); f.write(bytes([b[0]^0xff]))' "$W"
touch -r "$TMP/stamp" "$W"
sleep 0.2
: > "$EV"
expect_exit 0 "$FUNCP" push -v -p hello --image "$IMAGE" &&
    assert_not_contains "$ERR" "from $TMP/hello/.funcp/artifact-digest"
grep -q '^forward POST /v2/me/hello/blobs/uploads/' "$EV" || fail "changed artifact not uploaded"
[ "$(stored_layer)" = "$(sha "$W")" ] || fail "changed artifact: registry holds $(stored_layer), file is $(sha "$W")"
grep -qF "$(sha "$W")" hello/.funcp/artifact-digest || fail "cache not updated"
pass "changed artifact (same size and mtime): hashed again, new layer pushed, cache updated"

# 4. a damaged cache file is ignored.
echo garbage > hello/.funcp/artifact-digest
expect_exit 0 "$FUNCP" push -p hello --image "$IMAGE" && [ "$(stored_layer)" = "$(sha "$W")" ] ||
    fail "damaged cache"
pass "a damaged cache file is ignored"
[ "$FP_FAILS" -eq 0 ]
