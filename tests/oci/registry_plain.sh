# Push and pull against a real plain-HTTP docker-registry; skopeo reads
# what funcp pushed, funcp pulls what skopeo pushed.
source "$(dirname "$0")/registry_lib.sh"

start_registry plain
SK="--tls-verify=false"
make_component "$T/small.wasm" 4096 1
make_component "$T/big.wasm" $((3 * 1024 * 1024)) 2

# 1. push; skopeo sees the manifest, config and layer media types.
out=$("$OCI_TOOL" -k "$REG" push "$T/small.wasm" "$REG/fn/hello:latest")
digest=$(field digest "$out")
[ "$(field image "$out")" = "$REG/fn/hello@$digest" ] || fail "pinned image in: $out"
[ "$(field size "$out")" = "$(stat -c %s "$T/small.wasm")" ] || fail "size in: $out"
skopeo inspect --raw $SK "docker://$REG/fn/hello:latest" > "$T/raw.json"
[ "sha256:$(sha256sum < "$T/raw.json" | cut -d' ' -f1)" = "$digest" ] || fail "manifest digest differs from the one reported"
[ "$(json_get "$T/raw.json" 'd["mediaType"]')" = application/vnd.oci.image.manifest.v1+json ] || fail "manifest type"
[ "$(json_get "$T/raw.json" 'd["config"]["mediaType"]')" = application/vnd.wasm.config.v0+json ] || fail "config type"
[ "$(json_get "$T/raw.json" 'len(d["layers"])')" = 1 ] || fail "layer count"
[ "$(json_get "$T/raw.json" 'd["layers"][0]["mediaType"]')" = application/wasm ] || fail "layer type"
[ "$(json_get "$T/raw.json" 'd["layers"][0]["digest"]')" = "$(sha256_of "$T/small.wasm")" ] || fail "layer digest"
pass "push: skopeo inspect sees the OCI wasm artifact"

# 2. skopeo copies it out: the layer bytes are the .wasm, the config is CNCF.
skopeo copy -q $SK --src-tls-verify=false "docker://$REG/fn/hello:latest" "dir:$T/copied" >/dev/null 2>&1 ||
    skopeo copy -q --src-tls-verify=false "docker://$REG/fn/hello:latest" "dir:$T/copied"
layer_hex=$(sha256_of "$T/small.wasm" | cut -d: -f2)
cmp "$T/copied/$layer_hex" "$T/small.wasm" || fail "layer bytes differ"
cfg_hex=$(json_get "$T/raw.json" 'd["config"]["digest"]' | cut -d: -f2)
[ "$(json_get "$T/copied/$cfg_hex" 'd["architecture"]+"/"+d["os"]')" = wasm/wasip2 ] || fail "config platform"
[ "$(json_get "$T/copied/$cfg_hex" 'd["component"]["exports"][0]')" = wasi:http/incoming-handler@0.2.3 ] || fail "exports"
[ "$(json_get "$T/copied/$cfg_hex" 'd["component"]["imports"][0]')" = wasi:cli/environment@0.2.3 ] || fail "imports"
[ "$(json_get "$T/copied/$cfg_hex" 'd["layerDigests"][0]')" = "sha256:$layer_hex" ] || fail "layerDigests"
pass "skopeo copy: layer bytes and CNCF config"

# 3. a second push skips both blobs (HEAD 200, no upload).
"$OCI_TOOL" -v -v -k "$REG" push "$T/small.wasm" "$REG/fn/hello:v2" > "$T/out2" 2> "$T/log2"
grep -q '^\[debug\] > HEAD .*/blobs/sha256:' "$T/log2" || fail "no HEAD blob in verbose log"
if grep -q 'blobs/uploads' "$T/log2"; then fail "existing blobs were uploaded again"; fi
grep -q '^\[debug\] > PUT /v2/fn/hello/manifests/v2' "$T/log2" || fail "manifest not put"
pass "existing blobs skipped"

# 4. chunked upload (1 MiB chunks for a 3 MiB blob) and pull back.
out=$(FUNCP_OCI_CHUNK_SIZE=1048576 "$OCI_TOOL" -v -v -k "$REG" push "$T/big.wasm" "$REG/fn/big:latest" 2> "$T/log3")
[ "$(grep -c '^\[debug\] > PATCH ' "$T/log3")" -ge 3 ] || fail "expected several PATCH chunks"
grep -q '^\[debug\] > Content-Range: 1048576-2097151' "$T/log3" || fail "no Content-Range for the second chunk"
"$OCI_TOOL" -k "$REG" pull "$REG/fn/big:latest" "$T/big.pulled" > "$T/out3"
cmp "$T/big.pulled" "$T/big.wasm" || fail "pulled bytes differ"
[ "$(field digest "$(cat "$T/out3")")" = "$(field digest "$out")" ] || fail "pull reports another digest"
pass "chunked push and pull"

# 4b. a large blob is hashed while it uploads; pushed again, the upload
#     stops as soon as the registry says it has the blob.
make_component "$T/large.wasm" $((12 * 1024 * 1024)) 5
out=$("$OCI_TOOL" -k "$REG" push "$T/large.wasm" "$REG/fn/large:v1")
[ "$(field size "$out")" = "$(stat -c %s "$T/large.wasm")" ] || fail "large size"
skopeo copy -q --src-tls-verify=false "docker://$REG/fn/large:v1" "dir:$T/copy-large"
cmp "$T/copy-large/$(sha256_of "$T/large.wasm" | cut -d: -f2)" "$T/large.wasm" || fail "large layer differs"
skopeo inspect --raw --tls-verify=false "docker://$REG/fn/large:v1" > "$T/large.json"
[ "$(json_get "$T/large.json" 'd["layers"][0]["digest"]')" = "$(sha256_of "$T/large.wasm")" ] || fail "large digest"
out2=$("$OCI_TOOL" -v -v -k "$REG" push "$T/large.wasm" "$REG/fn/large:v2" 2> "$T/log-large")
[ "$(field digest "$out2")" = "$(field digest "$out")" ] || fail "same file, different artifact"
grep -q '^\[debug\] > DELETE /v2/fn/large/blobs/uploads/' "$T/log-large" || fail "the redundant upload was not dropped"
if grep -q '^\[debug\] PUT http://[^ ]*/v2/fn/large/blobs/uploads/[^ ]*digest=' "$T/log-large"; then fail "existing blob committed again"; fi
pass "large blob: hashed while uploading, skipped when present"

# 5. pull by digest.
"$OCI_TOOL" -k "$REG" pull "$REG/fn/hello@$digest" "$T/by-digest.wasm" >/dev/null
cmp "$T/by-digest.wasm" "$T/small.wasm" || fail "pull by digest"
pass "pull by digest"

# 6. OCI layout: skopeo reads it; skopeo pushes it; funcp pulls that.
"$OCI_TOOL" layout-write "$T/layout" "$T/big.wasm" v7 > "$T/out4"
skopeo inspect --raw "oci:$T/layout:v7" > "$T/layout-raw.json"
[ "sha256:$(sha256sum < "$T/layout-raw.json" | cut -d' ' -f1)" = "$(field digest "$(cat "$T/out4")")" ] ||
    fail "skopeo reads another manifest from the layout"
skopeo copy -q --dest-tls-verify=false "oci:$T/layout:v7" "docker://$REG/fn/from-skopeo:v7"
"$OCI_TOOL" -k "$REG" pull "$REG/fn/from-skopeo:v7" "$T/from-skopeo.wasm" >/dev/null
cmp "$T/from-skopeo.wasm" "$T/big.wasm" || fail "pulled what skopeo pushed: bytes differ"
pass "layout read by skopeo; funcp pulls what skopeo pushed"

# 7. layout-push copies the layout's artifact to the registry.
out=$("$OCI_TOOL" -k "$REG" layout-push "$T/layout" v7 "$REG/fn/from-layout:v7")
[ "$(field digest "$out")" = "$(field digest "$(cat "$T/out4")")" ] || fail "layout-push digest"
skopeo inspect --raw $SK "docker://$REG/fn/from-layout:v7" | cmp - "$T/layout-raw.json" || fail "layout-push manifest"
pass "layout-push"

# 8. a file that is not WebAssembly is refused before any request.
echo 'not wasm' > "$T/x.txt"
if "$OCI_TOOL" -v -v -k "$REG" push "$T/x.txt" "$REG/fn/x:latest" > "$T/o" 2> "$T/e"; then fail "pushed a text file"; fi
grep -q 'not a WebAssembly file' "$T/e" || fail "no clear error: $(cat "$T/e")"
if grep -q '^\[debug\] >' "$T/e"; then fail "requests were sent for a non-wasm file"; fi
pass "non-wasm refused before upload"

# 9. errors name the registry, the repository and the status (+ errors[]).
if "$OCI_TOOL" -k "$REG" pull "$REG/fn/none:nope" "$T/none" 2> "$T/e"; then fail "pulled a missing tag"; fi
for want in "$REG" "fn/none" "HTTP 404" "MANIFEST_UNKNOWN"; do
    grep -qF "$want" "$T/e" || fail "error lacks '$want': $(cat "$T/e")"
done
[ ! -e "$T/none" ] || fail "a file was left for a failed pull"
pass "errors name registry, repository, status"

# 10. a loopback registry speaking plain HTTP is used without -k, as docker
#     and go-containerregistry do (127.0.0.1, localhost), after HTTPS shows the
#     port speaks plain HTTP; what was pushed is what skopeo reads.
port=${REG##*:}
for host in "127.0.0.1:$port" "localhost:$port"; do
    out=$("$OCI_TOOL" -v -v push "$T/small.wasm" "$host/fn/hello:loop" 2> "$T/log-loop") ||
        fail "push to $host without -k: $(cat "$T/log-loop")"
    grep -q "TLS handshake, Client hello" "$T/log-loop" || fail "$host: HTTPS was not tried first"
    grep -q "registry $host speaks plain HTTP; using it" "$T/log-loop" || fail "$host: no fallback note"
    skopeo inspect --raw --tls-verify=false "docker://$host/fn/hello:loop" > "$T/raw-loop.json"
    [ "sha256:$(sha256sum < "$T/raw-loop.json" | cut -d' ' -f1)" = "$(field digest "$out")" ] ||
        fail "$host: skopeo sees another manifest"
done
pass "loopback registry: plain HTTP without -k"

# 10b. a name that is not local by the rule, even though it reaches this
#      machine: refused, naming plain HTTP and --registry-insecure.
name=$(hostname 2>/dev/null || true)
if [ -n "$name" ] && [ "$name" != localhost ] && getent ahostsv4 "$name" 2>/dev/null | grep -q '^127\.0\.0\.1 '; then
    if "$OCI_TOOL" push "$T/small.wasm" "$name:$port/fn/hello:tls" 2> "$T/e"; then fail "plain HTTP used for $name"; fi
    grep -qF "$name:$port speaks plain HTTP, not HTTPS" "$T/e" || fail "plain HTTP error: $(cat "$T/e")"
    grep -qF -- "--registry-insecure" "$T/e" || fail "plain HTTP error names no flag: $(cat "$T/e")"
    pass "plain HTTP refused for a registry that is not local"
else
    echo "skipped: the host name does not resolve to 127.0.0.1 (plain HTTP refused for a non-local name)"
fi

# 11. a blob whose stored bytes do not match: error, no file left.
layer_hex=$(sha256_of "$T/small.wasm" | cut -d: -f2)
data=$(find "$REG_DIR/storage" -path "*blobs/sha256/*/$layer_hex/data")
[ -f "$data" ] || fail "blob file not found in registry storage"
printf 'corrupted' > "$data"
mkdir -p "$T/out"
if "$OCI_TOOL" -k "$REG" pull "$REG/fn/hello:latest" "$T/out/corrupt.wasm" 2> "$T/e"; then
    fail "pulled a corrupted blob"
fi
grep -qE 'digest mismatch|got [0-9]+ bytes' "$T/e" || fail "no mismatch error: $(cat "$T/e")"
[ -z "$(ls -A "$T/out")" ] || fail "files left after a failed pull: $(ls "$T/out")"
pass "corrupted blob: error, nothing left"

# 12. the module's plain HTTP client (fp_http_api) against the same server.
out=$("$OCI_TOOL" http GET "http://$REG/v2/")
head -1 <<<"$out" | grep -q '^status=200 type=application/json' || fail "http GET /v2/: $out"
out=$("$OCI_TOOL" http GET "http://$REG/v2/fn/none/manifests/x")
head -1 <<<"$out" | grep -q '^status=404' || fail "http 404: $out"
grep -q MANIFEST_UNKNOWN <<<"$out" || fail "http body: $out"
port=$(free_port)
if "$OCI_TOOL" http GET "http://127.0.0.1:$port/" 2> "$T/e"; then fail "http to a closed port succeeded"; fi
grep -q "error(network)" "$T/e" || fail "closed port: $(cat "$T/e")"
pass "fp_http_api: statuses, bodies, connection errors"

# 13. a real component (e.g. built by componentize-js), when one is given:
#     the config lists what the binary itself imports and exports.
if [ -n "${FUNCP_TEST_COMPONENT:-}" ] && [ -f "$FUNCP_TEST_COMPONENT" ]; then
    "$OCI_TOOL" inspect "$FUNCP_TEST_COMPONENT" > "$T/inspect"
    out=$("$OCI_TOOL" -k "$REG" push "$FUNCP_TEST_COMPONENT" "$REG/fn/real:latest")
    skopeo inspect --raw --tls-verify=false "docker://$REG/fn/real:latest" > "$T/real.json"
    cfg=$(json_get "$T/real.json" 'd["config"]["digest"]')
    skopeo copy -q --src-tls-verify=false "docker://$REG/fn/real:latest" "dir:$T/real"
    json_get "$T/real/${cfg#sha256:}" '"\n".join("export " + e for e in d["component"]["exports"])' > "$T/cfg-exports"
    [ -s "$T/cfg-exports" ] || fail "no exports in the config of a real component"
    diff <(grep '^export ' "$T/inspect") "$T/cfg-exports" || fail "config exports differ from the binary's"
    grep -q '^export wasi:http/incoming-handler@' "$T/inspect" || echo "note: component exports no wasi:http handler"
    pass "real component: imports/exports read from the binary"
else
    echo "skipped: real component check (set FUNCP_TEST_COMPONENT to a component .wasm)"
fi
