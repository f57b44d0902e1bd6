# A progress bar on a terminal, nothing on a pipe: funcp push of a 24 MiB
# artifact to a real docker-registry, once under a pseudo-terminal (script)
# and once with stderr piped.
. "$(dirname "$0")/lib.sh"

command -v docker-registry >/dev/null || { echo "skipped: docker-registry not installed"; exit 77; }
command -v script >/dev/null || { echo "skipped: script (util-linux) not installed"; exit 77; }

export FUNCP_PLUGIN_PATH=${FUNCP_CLI_TEST_PLUGIN_DIR:?set by ctest}
cd "$TMP" || exit 1
expect_exit 0 "$FUNCP" create -l sh-clitest hello && expect_exit 0 "$FUNCP" build -p hello

# A valid core module padded by a custom section, large enough to draw a bar.
python3 - hello/module.wasm <<'PY'
import sys
def leb(n):
    out = bytearray()
    while True:
        b, n = n & 0x7F, n >> 7
        out.append(b | 0x80 if n else b)
        if not n:
            return bytes(out)
body = b"\x03pad" + b"x" * (24 << 20)
open(sys.argv[1], "wb").write(b"\0asm\x01\0\0\0" + b"\x00" + leb(len(body)) + body)
PY

port=$(free_port)
printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' \
    "$TMP/registry" "$port" >"$TMP/registry.yml"
docker-registry serve "$TMP/registry.yml" >"$TMP/registry.log" 2>&1 &
fp_track_pid $!
wait_port "$port" 10 || fail "docker-registry did not start"
export FUNCP_INSECURE_REGISTRIES="127.0.0.1:$port"

# On a terminal: the bar is drawn in place and ends at 100 %.
script -qfec "'$FUNCP' push -p hello --image 127.0.0.1:$port/me/hello:tty" /dev/null >"$TMP/tty.out" 2>&1 ||
    fail "push on a terminal failed: $(cat "$TMP/tty.out")"
assert_contains "$TMP/tty.out" "100% 24.0 MiB/24.0 MiB"
grep -q $'\r\033\\[K' "$TMP/tty.out" || fail "no bar redrawn in place on the terminal"
pass "progress bar on a terminal"

# On a pipe: the result only, no bar, no carriage returns.
expect_exit 0 "$FUNCP" push -p hello --image "127.0.0.1:$port/me/hello:pipe"
assert_contains "$OUT" "Pushed: 127.0.0.1:$port/me/hello@sha256:"
assert_not_contains "$ERR" "24.0 MiB"
if grep -q $'\r' "$OUT" "$ERR"; then fail "carriage return written to a pipe"; fi
pass "no progress bar on a pipe"

fp_done
