#!/bin/bash
# End-to-end tests of funcp invoke against a local recording HTTP server:
# plain HTTP and CloudEvents (binary mode) requests, --file, and errors.
. "${FUNCP_TEST_SOURCE_DIR:-$(dirname "$0")/../..}/tests/cli/lib.sh"

command -v python3 >/dev/null || { echo "python3 is required"; exit 1; }

# The server answers each request with status 200 (or the status in the
# path, /status/NNN) and writes the last request to $REC as JSON.
REC="$TMP/request.json"
cat >"$TMP/server.py" <<'PY'
import http.server, json, sys
port, rec = int(sys.argv[1]), sys.argv[2]
class H(http.server.BaseHTTPRequestHandler):
    def handle_one(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        with open(rec + ".tmp", "w") as f:
            json.dump({"method": self.command, "path": self.path,
                       "headers": {k.lower(): v for k, v in self.headers.items()},
                       "body": body.decode("latin-1")}, f)
        import os; os.replace(rec + ".tmp", rec)
        status = int(self.path.split("/")[2]) if self.path.startswith("/status/") else 200
        out = b"echo:" + body
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)
    do_GET = do_POST = handle_one
    def log_message(self, *a):
        pass
http.server.HTTPServer(("127.0.0.1", port), H).serve_forever()
PY
PORT=$(free_port)
timeout 120 python3 "$TMP/server.py" "$PORT" "$REC" &
fp_track_pid $!
wait_port "$PORT" 10 || { echo "FAIL: test server did not start" >&2; exit 1; }
ADDR="127.0.0.1:$PORT"

# rec EXPR: a Python expression on the last recorded request `d`.
rec() { json_eval "$REC" "$1"; }
fresh() { rm -f "$REC"; }

# --- http (default format) ----------------------------------------------------
fresh
if expect_exit 0 "$FUNCP" invoke --address "$ADDR" --data 'hello there' --content-type text/plain; then
    assert_eq "$(rec 'd["method"]')" POST "http method"
    assert_eq "$(rec 'd["body"]')" "hello there" "http body"
    assert_eq "$(rec 'd["headers"].get("content-type")')" text/plain "http content type"
    assert_eq "$(rec '[k for k in d["headers"] if k.startswith("ce-")]')" "[]" "no ce- headers in http mode"
    assert_contains "$OUT" "echo:hello there" && pass "http mode sends data and content type"
fi

# -o json output: status, headers, body as before.
fresh
if expect_exit 0 "$FUNCP" invoke -o json --address "$ADDR" --data 'j'; then
    assert_eq "$(json_eval "$OUT" 'd["status"], d["body"], d["headers"]["content-type"]')" \
        "(200, 'echo:j', 'text/plain')" "-o json output" && pass "-o json output"
fi

# --- cloudevent ---------------------------------------------------------------
UUID_RE='^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'
fresh
if expect_exit 0 "$FUNCP" invoke -f cloudevent --address "$ADDR" --data '{"a":1}'; then
    assert_eq "$(rec 'd["method"]')" POST "cloudevent method"
    assert_eq "$(rec 'd["headers"].get("ce-specversion")')" 1.0 "ce-specversion"
    assert_eq "$(rec 'd["headers"].get("ce-source")')" /boson/fn "default ce-source"
    assert_eq "$(rec 'd["headers"].get("ce-type")')" boson.fn "default ce-type"
    assert_eq "$(rec 'd["headers"].get("content-type")')" application/json "cloudevent content type"
    assert_eq "$(rec 'd["body"]')" '{"a":1}' "cloudevent body"
    ID1=$(rec 'd["headers"].get("ce-id")')
    if [[ "$ID1" =~ $UUID_RE ]]; then pass "cloudevent defaults, UUID v4 id"; else fail "ce-id [$ID1] is not a UUID v4"; fi
    fresh
    expect_exit 0 "$FUNCP" invoke --format cloudevent --address "$ADDR" &&
        ID2=$(rec 'd["headers"].get("ce-id")') && [ "$ID1" != "$ID2" ] &&
        pass "each event gets a new id" || fail "ce-id repeated or missing: [$ID1] [${ID2:-}]"
fi

fresh
if expect_exit 0 "$FUNCP" invoke --format cloudevent --address "$ADDR" --id ev-42 \
    --source /my/src --type com.example.order --content-type text/plain --data order; then
    assert_eq "$(rec 'd["headers"].get("ce-id")')" ev-42 "given ce-id"
    assert_eq "$(rec 'd["headers"].get("ce-source")')" /my/src "given ce-source"
    assert_eq "$(rec 'd["headers"].get("ce-type")')" com.example.order "given ce-type"
    assert_eq "$(rec 'd["headers"].get("content-type")')" text/plain "given content type"
    assert_eq "$(rec 'd["body"]')" order "given data" && pass "cloudevent with given values"
fi

# A value that would split the header is refused before anything is sent.
fresh
expect_exit 2 "$FUNCP" invoke -f cloudevent --address "$ADDR" --type "$(printf 'a\r\nx-evil: 1')" &&
    assert_contains "$ERR" "invalid --type" && [ ! -e "$REC" ] && pass "control characters refused"

# --- --file -------------------------------------------------------------------
printf 'line one\nline "two"\n' >"$TMP/body.txt"
fresh
if expect_exit 0 "$FUNCP" invoke --address "$ADDR" --file "$TMP/body.txt" --data ignored; then
    assert_eq "$(rec 'd["body"]')" "$(cat "$TMP/body.txt")" "--file body" &&
        assert_eq "$(rec 'len(d["body"])')" "$(wc -c <"$TMP/body.txt" | tr -d ' ')" "--file length" &&
        pass "--file sends the file bytes"
fi
fresh
expect_exit 0 "$FUNCP" invoke -f cloudevent --address "$ADDR" --file "$TMP/body.txt" &&
    assert_eq "$(rec 'd["body"]')" "$(cat "$TMP/body.txt")" "cloudevent --file body" &&
    pass "cloudevent --file"

fresh
expect_exit 5 "$FUNCP" invoke --address "$ADDR" --file "$TMP/absent.json" &&
    assert_contains "$ERR" "absent.json" && [ ! -e "$REC" ] && pass "missing --file: exit 5"

# --- func's -f spellings, func.yaml invoke:, -e extensions ----------------------
for spelling in cloudevents CloudEvent CLOUDEVENTS; do
    fresh
    expect_exit 0 "$FUNCP" invoke -f "$spelling" --address "$ADDR" &&
        assert_eq "$(rec 'd["headers"].get("ce-specversion")')" 1.0 "-f $spelling" &&
        pass "-f $spelling sends a CloudEvent"
done

fresh
if expect_exit 0 "$FUNCP" invoke -f cloudevent --address "$ADDR" -e tenant=acme -e Trace1=a=b; then
    assert_eq "$(rec 'd["headers"].get("ce-tenant")')" acme "-e tenant" &&
        assert_eq "$(rec 'd["headers"].get("ce-trace1")')" a=b "-e name lower-cased, value after the first =" &&
        pass "-e/--extension: repeatable, sent as ce-<name> headers"
fi
fresh
expect_exit 0 "$FUNCP" invoke -f cloudevent --address "$ADDR" --extension one=1 --extension two=2 &&
    assert_eq "$(rec 'd["headers"].get("ce-one"), d["headers"].get("ce-two")')" "('1', '2')" "--extension" &&
    pass "--extension long form"
fresh
expect_exit 2 "$FUNCP" invoke --address "$ADDR" -e tenant=acme &&
    assert_contains "$ERR" "--extension (-e) is only valid with cloudevents" && [ ! -e "$REC" ] &&
    pass "-e with http format: func's usage error, nothing sent"
for bad in novalue =x 'sp ace=1' id=x empty=; do
    fresh
    expect_exit 2 "$FUNCP" invoke -f cloudevent --address "$ADDR" -e "$bad" &&
        assert_contains "$ERR" "invalid --extension" && [ ! -e "$REC" ] && pass "-e $bad refused"
done

# func.yaml invoke: chooses the default format; -f overrides it with a warning.
mkdir -p "$TMP/evfn"
printf 'specVersion: 0.36.0\nname: evfn\nruntime: go-wasi\ninvoke: cloudevent\n' >"$TMP/evfn/func.yaml"
fresh
expect_exit 0 "$FUNCP" invoke -p "$TMP/evfn" --address "$ADDR" -e tenant=acme &&
    assert_eq "$(rec 'd["headers"].get("ce-type"), d["headers"].get("ce-tenant")')" "('boson.fn', 'acme')" \
        "func.yaml invoke: cloudevent" && assert_not_contains "$ERR" "Warning" &&
    pass "func.yaml invoke: cloudevent is the default format"
fresh
expect_exit 0 "$FUNCP" invoke -p "$TMP/evfn" --address "$ADDR" -f http &&
    assert_eq "$(rec '[k for k in d["headers"] if k.startswith("ce-")]')" "[]" "-f http over func.yaml" &&
    assert_contains "$ERR" 'Warning: invoking as "http", but the function declares "cloudevent"' &&
    pass "-f http overrides func.yaml invoke, with func's warning"
(cd "$TMP/evfn" && fresh && expect_exit 0 "$FUNCP" invoke --address "$ADDR") &&
    assert_eq "$(rec 'd["headers"].get("ce-specversion")')" 1.0 "func.yaml in the current directory" &&
    pass "func.yaml invoke: read from the current directory"
printf 'specVersion: 0.36.0\nname: evfn\nruntime: go-wasi\ninvoke: smoke-signal\n' >"$TMP/evfn/func.yaml"
fresh
expect_exit 5 "$FUNCP" invoke -p "$TMP/evfn" --address "$ADDR" &&
    assert_contains "$ERR" 'invoke: "smoke-signal" is not http or cloudevent' && [ ! -e "$REC" ] &&
    pass "a bad func.yaml invoke: is a file error"

# --- usage and HTTP errors ----------------------------------------------------
expect_exit 2 "$FUNCP" invoke --address "$ADDR" --format xml &&
    assert_contains "$ERR" "xml" && pass "bad --format: usage error"

expect_exit 1 "$FUNCP" invoke --target "http://$ADDR/status/500" &&
    assert_contains "$ERR" "HTTP 500" && pass "non-2xx is an error"
expect_exit 1 "$FUNCP" invoke -f cloudevent --target "http://$ADDR/status/404" &&
    assert_contains "$ERR" "HTTP 404" && pass "non-2xx cloudevent is an error"

fp_done
