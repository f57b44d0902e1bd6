# funcp push against real docker-registry servers on 127.0.0.1: a plain
# HTTP registry named localhost:PORT or 127.0.0.1:PORT is used without
# --registry-insecure (as docker and knative func do); a TLS registry with a
# self-signed certificate is refused with the cause and both fixes named
# (exit 9), accepted with --ca-file / FUNC_CA_FILE; skopeo reads what was
# pushed.
. "$(dirname "$0")/lib.sh"

command -v docker-registry >/dev/null || { echo "skipped: docker-registry not installed"; exit 77; }
command -v skopeo >/dev/null || { echo "skipped: skopeo not installed"; exit 77; }
export FUNCP_PLUGIN_PATH=${FUNCP_CLI_TEST_PLUGIN_DIR:?set by ctest}
export XDG_CONFIG_HOME="$TMP/config" HOME="$TMP/home" DOCKER_CONFIG="$TMP/no-docker"
unset FUNCP_INSECURE_REGISTRIES FUNC_REGISTRY_INSECURE FUNC_CA_FILE REGISTRY_AUTH_FILE XDG_RUNTIME_DIR
mkdir -p "$HOME"
cd "$TMP" || exit 1

# start_registry NAME [CERT KEY]: docker-registry on a free port; sets PORT.
start_registry() {
    PORT=$(free_port)
    mkdir -p "$TMP/$1"
    {
        printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s\n' "$TMP/$1/data"
        printf 'http:\n  addr: 127.0.0.1:%s\n' "$PORT"
        [ -n "${2:-}" ] && printf '  tls:\n    certificate: %s\n    key: %s\n' "$2" "$3"
        true
    } >"$TMP/$1/config.yml"
    docker-registry serve "$TMP/$1/config.yml" >"$TMP/$1/log" 2>&1 &
    fp_track_pid $!
    wait_port "$PORT" 10 || { fail "docker-registry $1 did not start"; fp_done; }
}

# digest_of REF [skopeo options]: the manifest digest skopeo reads.
digest_of() {
    local ref=$1
    shift
    skopeo inspect --raw "$@" "docker://$ref" | sha256sum | sed 's/^/sha256:/; s/ .*//'
}

expect_exit 0 "$FUNCP" create -l sh-clitest hello || fp_done
F="$TMP/hello"
expect_exit 0 "$FUNCP" build -p "$F" || fp_done

# --- plain HTTP on loopback, no --registry-insecure -----------------------------
start_registry plain
expect_exit 0 "$FUNCP" push -p "$F" --image "localhost:$PORT/me/hello:latest" -o json &&
    assert_eq "$(digest_of "localhost:$PORT/me/hello:latest" --tls-verify=false)" \
        "$(json_eval "$OUT" 'd["digest"]')" "localhost push seen by skopeo"
expect_exit 0 "$FUNCP" push -p "$F" --image "127.0.0.1:$PORT/me/hello:latest" -o json &&
    assert_eq "$(digest_of "127.0.0.1:$PORT/me/hello:latest" --tls-verify=false)" \
        "$(json_eval "$OUT" 'd["digest"]')" "127.0.0.1 push seen by skopeo"
assert_not_contains "$F/func.yaml" "registryInsecure"
pass "plain HTTP registry on localhost:PORT and 127.0.0.1:PORT without --registry-insecure"

# --- TLS with a self-signed certificate for "localhost" --------------------------
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost" \
    -keyout "$TMP/tls.key" -out "$TMP/tls.crt" 2>/dev/null || { fail "openssl could not make a certificate"; fp_done; }
mkdir -p "$TMP/certs" && cp "$TMP/tls.crt" "$TMP/certs/ca.crt"
start_registry tls "$TMP/tls.crt" "$TMP/tls.key"
REG="localhost:$PORT"

expect_exit 9 "$FUNCP" push -p "$F" --image "$REG/me/hello:latest" &&
    assert_contains "$ERR" "TLS certificate of $REG is not trusted: it is signed by an unknown authority" &&
    assert_contains "$ERR" "--ca-file" && assert_contains "$ERR" "--registry-insecure" &&
    assert_not_contains "$ERR" "wrong version number"
expect_exit 9 "$FUNCP" push -p "$F" --image "$REG/me/hello:latest" -o json &&
    assert_eq "$(json_eval "$ERR" 'd["error"]["code"]')" "network" "error code in JSON"
assert_eq "$(curl -s --cacert "$TMP/tls.crt" "https://$REG/v2/_catalog")" '{"repositories":[]}' "catalog after refusal"
pass "self-signed certificate: exit 9 naming the cause, --ca-file and --registry-insecure; nothing pushed"

expect_exit 0 "$FUNCP" push -p "$F" --image "$REG/me/hello:latest" --ca-file "$TMP/tls.crt" -o json &&
    assert_eq "$(digest_of "$REG/me/hello:latest" --cert-dir "$TMP/certs")" \
        "$(json_eval "$OUT" 'd["digest"]')" "--ca-file push seen by skopeo"
FUNC_CA_FILE="$TMP/tls.crt" expect_exit 0 "$FUNCP" push -p "$F" --image "$REG/me/hello:env" &&
    skopeo inspect --raw --cert-dir "$TMP/certs" "docker://$REG/me/hello:env" >/dev/null ||
    fail "FUNC_CA_FILE push not readable by skopeo"
pass "--ca-file and FUNC_CA_FILE trust the certificate"

# The same certificate reached by an address it does not name.
expect_exit 9 "$FUNCP" push -p "$F" --image "127.0.0.1:$PORT/me/hello:latest" --ca-file "$TMP/tls.crt" &&
    assert_contains "$ERR" "it is not issued for this host name" && assert_contains "$ERR" "--registry-insecure"
expect_exit 5 "$FUNCP" push -p "$F" --image "$REG/me/hello:latest" --ca-file "$TMP/nosuch.pem" &&
    assert_contains "$ERR" "CA file $TMP/nosuch.pem (--ca-file): cannot open it"
pass "host name mismatch and a missing --ca-file are named"

fp_done
