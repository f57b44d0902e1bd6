# The generic host side of the workflow with the cli-test plugin: create,
# build (stamp, inferred builder never written), config and options reaching
# the plugin, deploy (checks first, push to a real registry when
# docker-registry is installed), push, list/describe/delete, run stopped by
# Ctrl-C with no process left, invoke against a local HTTP server.
. "$(dirname "$0")/lib.sh"

export FUNCP_PLUGIN_PATH=${FUNCP_CLI_TEST_PLUGIN_DIR:?set by ctest}
export XDG_CONFIG_HOME="$TMP/config"
mkdir -p "$XDG_CONFIG_HOME/funcp"
printf 'plugins:\n  cli-test:\n    greeting: hello-from-config\n' >"$XDG_CONFIG_HOME/funcp/config.yaml"
cd "$TMP" || exit 1

# --- create -------------------------------------------------------------------
expect_exit 0 "$FUNCP" create -l sh-clitest hello &&
    assert_eq "$(cat "$OUT")" "Created sh-clitest function in $TMP/hello" "create output"
F="$TMP/hello"
assert_contains "$F/func.yaml" "runtime: sh-clitest"
assert_contains "$F/func.yaml" "name: CLITEST" # set by the plugin through host->fy_set
assert_not_contains "$F/func.yaml" "builder"
assert_not_contains "$F/func.yaml" "deployer"
assert_eq "$(stat -c %a "$F")" "$(mkdir "$TMP/modeprobe" && stat -c %a "$TMP/modeprobe")" "function dir mode"
pass "create"

# --- build: inferred builder is never written; the stamp skips a rebuild -------
cp "$F/func.yaml" "$TMP/func.yaml.before"
FUNC_BUILDER=nosuch expect_exit 0 "$FUNCP" build -p "$F" &&
    assert_eq "$(cat "$OUT")" "Function built: $F/module.wasm" "build output"
cmp -s "$F/func.yaml" "$TMP/func.yaml.before" || fail "build changed func.yaml (inferred builder written?)"
assert_eq "$(wc -l <"$F/.funcp/builds")" "1" "builds after first build"
assert_contains "$F/.funcp/seen" "env=from-plugin"
assert_contains "$F/.funcp/seen" "greeting=hello-from-config"
[ -f "$F/.funcp/oci/index.json" ] || fail "no OCI layout in .funcp/oci after a build without registry"
pass "build (FUNC_BUILDER loses to inference, func.yaml untouched, layout written)"
# The README's command, as written, in the function's directory.
if command -v skopeo >/dev/null; then
    (cd "$F" && skopeo inspect --raw oci:.funcp/oci:latest) >"$OUT" 2>"$ERR" &&
        assert_eq "$(json_eval "$OUT" '(d["config"]["mediaType"], d["layers"][0]["mediaType"])')" \
            "('application/vnd.wasm.config.v0+json', 'application/wasm')" "skopeo inspect --raw" &&
        pass "README: skopeo inspect --raw oci:.funcp/oci:latest" || fail "skopeo inspect --raw of the layout"
else
    echo "skipped: skopeo not found (README's skopeo command not checked)"
fi

expect_exit 0 "$FUNCP" build -p "$F" -o json &&
    assert_eq "$(json_eval "$OUT" '(d["upToDate"], d["size"], d["artifact"].endswith("/module.wasm"))')" \
        "(True, 8, True)" "up-to-date build json"
assert_eq "$(wc -l <"$F/.funcp/builds")" "1" "no rebuild when up to date"
# said on stderr even when it is no terminal (expect_exit writes to files)
expect_exit 0 "$FUNCP" build -p "$F" && assert_contains "$ERR" "Function is up to date" &&
    pass "up to date: said when piped too"
sleep 0.01 && echo more >>"$F/src.txt"
expect_exit 0 "$FUNCP" build -p "$F"
assert_eq "$(wc -l <"$F/.funcp/builds")" "2" "rebuild after a source change"
expect_exit 0 "$FUNCP" build -p "$F" --force
assert_eq "$(wc -l <"$F/.funcp/builds")" "3" "rebuild with --force"
pass "build stamp"

FUNC_REGISTRY=env.invalid/me expect_exit 0 "$FUNCP" build -p "$F" --force --password s3cr3t-pw -v
assert_contains "$F/.funcp/seen" "registry=env.invalid/me"
assert_not_contains "$OUT" "s3cr3t-pw"
assert_not_contains "$ERR" "s3cr3t-pw"
assert_not_contains "$F/func.yaml" "env.invalid" # env values are not explicit
printf 'pw-from-stdin\n' | "$FUNCP" build -p "$F" --force --password-stdin -v >"$OUT" 2>"$ERR" ||
    fail "build --password-stdin"
assert_contains "$F/.funcp/seen" "password=from-stdin"
assert_not_contains "$ERR" "pw-from-stdin"
pass "options reach the plugin; password (flag or stdin) never printed"

expect_exit 2 "$FUNCP" build -p "$F" -b nosuch && assert_contains "$ERR" 'unknown builder "nosuch"'
expect_exit 0 "$FUNCP" build -p "$F" -b clitest && assert_contains "$F/func.yaml" "builder: clitest"
pass "explicit builder is checked and kept"

# --- deploy: checks before anything runs ------------------------------------------
builds=$(wc -l <"$F/.funcp/builds")
expect_exit 2 "$FUNCP" deploy -p "$F" --deployer nosuch --build=true && assert_contains "$ERR" 'unknown deployer "nosuch"'
assert_eq "$(wc -l <"$F/.funcp/builds")" "$builds" "no build before the deployer check"
if "$FUNCP" plugins -o json | python3 -c 'import json,sys; sys.exit(0 if any(d["name"]=="knative" for p in json.load(sys.stdin)["plugins"] for d in p["deployers"]) else 1)'; then
    expect_exit 3 "$FUNCP" deploy -p "$F" --deployer knative --build=true &&
        assert_contains "$ERR" 'deployer "knative" does not support runtime "sh-clitest"'
    assert_eq "$(wc -l <"$F/.funcp/builds")" "$builds" "no build before the compatibility check"
    pass "incompatible deployer refused before building"
fi
expect_exit 2 "$FUNCP" deploy -p "$F" && assert_contains "$ERR" "no image reference configured"

expect_exit 0 "$FUNCP" deploy -p "$F" -r registry.invalid/me --push=false -n ns1 --timeout 30s &&
    assert_contains "$OUT" 'Function deployed in namespace "ns1" and exposed at URL:' &&
    assert_not_contains "$OUT" 'updated' &&
    assert_contains "$OUT" "http://hello.clitest.invalid"
assert_contains "$F/.funcp/deployed" "image=registry.invalid/me/hello:latest"
assert_contains "$F/.funcp/deployed" "timeout-ms=30000"
assert_contains "$F/func.yaml" "registry: registry.invalid/me"
assert_contains "$F/func.yaml" "namespace: ns1"
assert_not_contains "$F/func.yaml" "deployer:"
expect_exit 0 "$FUNCP" deploy -p "$F" --deployer clitest --image elsewhere.invalid/x@sha256:abc --build=false -o json &&
    assert_eq "$(json_eval "$OUT" '(d["image"], d["deployer"], d["updated"])')" "('elsewhere.invalid/x@sha256:abc', 'clitest', True)" "prebuilt deploy"
assert_contains "$F/func.yaml" "deployer: clitest"
# The deployer said it updated an existing instance (host->deploy_updated).
expect_exit 0 "$FUNCP" deploy -p "$F" --build=false --push=false -n ns1 &&
    assert_contains "$OUT" 'Function updated in namespace "ns1" and exposed at URL:'
pass "deploy"

# --- push and deploy to a real registry ------------------------------------------
if command -v docker-registry >/dev/null; then
    port=$(free_port)
    mkdir -p "$TMP/registry"
    printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' \
        "$TMP/registry/data" "$port" >"$TMP/registry/config.yml"
    docker-registry serve "$TMP/registry/config.yml" >"$TMP/registry/log" 2>&1 &
    fp_track_pid $!
    if wait_port "$port" 10; then
        export FUNCP_INSECURE_REGISTRIES="127.0.0.1:$port"
        expect_exit 0 "$FUNCP" push -p "$F" --image "127.0.0.1:$port/me/hello:latest" -o json &&
            digest=$(json_eval "$OUT" 'd["digest"]') &&
            assert_contains "$F/func.yaml" "image: 127.0.0.1:$port/me/hello@$digest"
        expect_exit 0 "$FUNCP" deploy -p "$F" --image "127.0.0.1:$port/me/hello:latest" -o json &&
            pinned=$(json_eval "$OUT" 'd["image"]') &&
            assert_eq "$(json_eval "$OUT" 'd["namespace"]')" "ns1" "namespace from func.yaml"
        case "$pinned" in "127.0.0.1:$port/me/hello@sha256:"*) ;; *) fail "deploy image not pinned: $pinned" ;; esac
        assert_contains "$F/func.yaml" "image: $pinned"
        assert_contains "$F/.funcp/deployed" "image=127.0.0.1:$port/me/hello@sha256:"
        unset FUNCP_INSECURE_REGISTRIES
        pass "push and deploy through a real registry"
        # The README's copy of the local layout to a registry.
        if command -v skopeo >/dev/null; then
            skopeo copy --dest-tls-verify=false oci:"$F/.funcp/oci:latest" \
                "docker://127.0.0.1:$port/me/layout:latest" >"$OUT" 2>"$ERR" &&
                skopeo inspect --raw --tls-verify=false "docker://127.0.0.1:$port/me/layout:latest" >"$OUT" 2>"$ERR" &&
                assert_contains "$OUT" "application/vnd.wasm.config.v0+json" &&
                pass "README: skopeo copy oci:.funcp/oci:latest docker://..." || fail "skopeo copy of the layout"
        fi
    else
        fail "docker-registry did not start"
    fi
else
    echo "skipped: docker-registry not installed (push to a real registry)"
fi

# --- list / describe / delete ------------------------------------------------------
expect_exit 0 "$FUNCP" list -n ns9 -o json &&
    assert_eq "$(json_eval "$OUT" '[(i["name"], i["namespace"], i["deployer"]) for i in d if i["deployer"] == "clitest"]')" \
        "[('listed', 'ns9', 'clitest')]" "list json"
expect_exit 0 "$FUNCP" list -A && assert_contains "$OUT" "NAME" && assert_contains "$OUT" "(all)"
expect_exit 0 "$FUNCP" describe -p "$F" -o json &&
    assert_eq "$(json_eval "$OUT" '(d["name"], d["detail"]["conditions"][0]["type"])')" "('hello', 'Ready')" "describe json"
expect_exit 0 "$FUNCP" describe -p "$F" -o yaml && assert_contains "$OUT" "name: hello"
expect_exit 6 "$FUNCP" describe missing && assert_contains "$ERR" '"missing"'
expect_exit 0 "$FUNCP" describe -p "$F" -o url && assert_eq "$(cat "$OUT")" "http://x.clitest.invalid" "describe -o url"
expect_exit 2 "$FUNCP" list -o url && assert_contains "$ERR" 'invalid value "url" for -o (one of: text,json,yaml,human,plain)'
expect_exit 0 "$FUNCP" delete -p "$F" && assert_contains "$OUT" 'Removed function "hello"'
expect_exit 6 "$FUNCP" delete missing
pass "list, describe, delete"

# --- run: a port in use is refused before anything starts --------------------------------
busy_port=$(free_port)
timeout 60 python3 -c 'import socket,sys,time
s=socket.socket(); s.bind(("127.0.0.1",int(sys.argv[1]))); s.listen(); time.sleep(60)' "$busy_port" &
busy_pid=$!
fp_track_pid $busy_pid
wait_port "$busy_port" 10 || fail "the port holder did not start"
if expect_exit 1 timeout 30 "$FUNCP" run -p "$F" --build=false --address "127.0.0.1:$busy_port"; then
    assert_contains "$ERR" "--address 127.0.0.1:$busy_port: the address is already in use" &&
        assert_contains "$ERR" "choose another with --address" &&
        assert_not_contains "$ERR" "serving" && pass "run: a port in use is an error naming --address"
fi
pgrep -af "serving $F" >/dev/null && fail "a runner was started on a port in use"
kill $busy_pid 2>/dev/null

# --- run: Ctrl-C stops it cleanly, nothing left running ---------------------------------
"$FUNCP" run -p "$F" --address "127.0.0.1:$(free_port)" >"$TMP/run.out" 2>&1 &
run_pid=$!
fp_track_pid $run_pid
if wait_file_contains "$TMP/run.out" "serving $F/module.wasm on 127.0.0.1:" 10; then
    kill -INT $run_pid
    wait $run_pid
    assert_eq "$?" "0" "run exit status after Ctrl-C"
    if pgrep -f "sleep 60" >/dev/null && pgrep -f "sleep 60" | xargs -r ps -o ppid= -p | grep -qw "$run_pid"; then
        fail "run left its child behind"
    fi
    pgrep -af "serving $F" >/dev/null && fail "runner shell still alive"
    pass "run stops on Ctrl-C"
else
    fail "run did not start: $(cat "$TMP/run.out")"
fi

# --- invoke ------------------------------------------------------------------------------
port=$(free_port)
cat >"$TMP/server.py" <<'PY'
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def reply(self, body):
        code = 500 if self.path.startswith("/fail") else 200
        self.send_response(code)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self): self.reply(b"GET " + self.path.encode())
    def do_POST(self):
        n = int(self.headers.get("Content-Length", 0))
        self.reply(b"POST " + self.headers.get("Content-Type", "").encode() + b" " + self.rfile.read(n))
    def log_message(self, *a): pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
python3 "$TMP/server.py" "$port" &
fp_track_pid $!
if wait_port "$port" 10; then
    expect_exit 0 "$FUNCP" invoke --address "127.0.0.1:$port" &&
        assert_eq "$(cat "$OUT")" 'POST application/json {"message":"Hello World"}' "default invoke"
    expect_exit 0 "$FUNCP" invoke --target "http://127.0.0.1:$port/x?y=1" --request-type GET -o json &&
        assert_eq "$(json_eval "$OUT" '(d["status"], d["headers"]["content-type"], d["body"])')" \
            "(200, 'text/plain', 'GET /x?y=1')" "invoke json"
    expect_exit 1 "$FUNCP" invoke --target "http://127.0.0.1:$port/fail" --data hi --content-type text/plain &&
        assert_contains "$ERR" "HTTP 500" && assert_contains "$OUT" "POST text/plain hi"
    printf 'plugins:\n  cli-test:\n    url: http://127.0.0.1:%s/remote\n' "$port" >"$XDG_CONFIG_HOME/funcp/config.yaml"
    expect_exit 0 "$FUNCP" invoke -p "$F" --target remote --request-type GET &&
        assert_eq "$(cat "$OUT")" "GET /remote" "invoke --target remote"
    expect_exit 2 "$FUNCP" invoke --request-type PUT
    expect_exit 2 "$FUNCP" invoke --target ftp://x
    # Nothing listens on a port that was just free: the URL once, and a hint.
    if expect_exit 9 "$FUNCP" invoke --address "127.0.0.1:$(free_port)"; then
        assert_eq "$(grep -o 'http://127.0.0.1' "$ERR" | wc -l)" "1" "URL named once"
        assert_contains "$ERR" "is the function running? Start it with 'funcp run'"
    fi
    pass "invoke"
else
    fail "test HTTP server did not start"
fi

fp_done
