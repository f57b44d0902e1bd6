# Helpers for the registry integration tests: a temp dir, free ports, a
# real docker-registry (plain or htpasswd+TLS), wasm fixtures, and a trap
# that stops everything started here.
set -euo pipefail

: "${OCI_TOOL:?OCI_TOOL must point at the oci_tool test driver}"
T=$(mktemp -d /tmp/funcp-oci-test.XXXXXX)
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    [ -n "${KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT
trap 'echo "FAIL: command failed at line $LINENO" >&2' ERR

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_port() { # port [seconds]
    local i
    for i in $(seq 1 $(( ${2:-10} * 10 ))); do
        if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$1),0.2)" 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    fail "nothing listens on port $1"
}

# start_registry <name> [tls] [htpasswd]: sets REG (host:port) and REG_DIR.
# With REG_TOKEN_AUTH="<realm> <service> <issuer> <rootcertbundle>" the
# registry uses docker token auth instead of htpasswd.
start_registry() {
    local name=$1 tls=${2:-} htpasswd=${3:-} port realm service issuer bundle
    port=$(free_port)
    REG_DIR=$T/$name
    mkdir -p "$REG_DIR/storage"
    {
        echo "version: 0.1"
        echo "log: {level: error, accesslog: {disabled: true}}"
        echo "storage: {filesystem: {rootdirectory: $REG_DIR/storage}, delete: {enabled: true}}"
        echo "http:"
        echo "  addr: 127.0.0.1:$port"
        echo "  secret: funcp-test-secret"
        [ -n "$tls" ] && echo "  tls: {certificate: $tls/server.pem, key: $tls/server.key}"
        [ -n "$htpasswd" ] && echo "auth: {htpasswd: {realm: funcp-test, path: $htpasswd}}"
        if [ -n "${REG_TOKEN_AUTH:-}" ]; then
            read -r realm service issuer bundle <<<"$REG_TOKEN_AUTH"
            echo "auth: {token: {realm: \"$realm\", service: $service, issuer: $issuer, rootcertbundle: $bundle}}"
        fi
        true
    } > "$REG_DIR/config.yml"
    /usr/bin/docker-registry serve "$REG_DIR/config.yml" > "$REG_DIR/log" 2>&1 &
    PIDS+=($!)
    wait_port "$port"
    REG=127.0.0.1:$port
}

# make_ca <dir>: a CA and a server certificate for 127.0.0.1.
make_ca() {
    local d=$1
    mkdir -p "$d"
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=funcp test CA" \
        -keyout "$d/ca.key" -out "$d/ca.pem" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$d/server.key" -out "$d/server.csr" 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n' > "$d/ext.cnf"
    openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial -days 2 \
        -extfile "$d/ext.cnf" -out "$d/server.pem" 2>/dev/null
}

# make_component <file> <padding bytes> <seed>: a component importing
# wasi:cli/environment@0.2.3 and exporting wasi:http/incoming-handler@0.2.3,
# padded with a custom section of random bytes.
make_component() {
    python3 - "$1" "$2" "$3" <<'PY'
import os, random, sys
def leb(n):
    out = bytearray()
    while True:
        b = n & 0x7f; n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n: return bytes(out)
def name(s): return leb(len(s)) + s.encode()
def section(i, body): return bytes([i]) + leb(len(body)) + body
path, pad, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rnd = random.Random(seed)
f = open(path, "wb")
f.write(b"\0asm\x0d\x00\x01\x00")
label = name("funcp-test-padding")
f.write(b"\x00" + leb(len(label) + pad) + label)
while pad > 0:  # random, so that nothing compresses or deduplicates
    n = min(pad, 16 << 20)
    f.write(rnd.randbytes(n))
    pad -= n
f.write(section(10, leb(1) + b"\x00" + name("wasi:cli/environment@0.2.3") + b"\x05\x00"))
f.write(section(11, leb(1) + b"\x00" + name("wasi:http/incoming-handler@0.2.3") + b"\x05\x00\x00"))
f.close()
PY
}

sha256_of() { echo "sha256:$(sha256sum "$1" | cut -d' ' -f1)"; }
field() { # field <name> <oci_tool output>
    sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$2"
}
json_get() { # json_get <file> <python expression on d>
    python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"
}
