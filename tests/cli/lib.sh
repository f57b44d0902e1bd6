# Helpers for end-to-end tests of the funcp binary. Source it:
#   . "$FUNCP_TEST_SOURCE_DIR/tests/cli/lib.sh"
# It sets FUNCP (the binary), TMP (a scratch dir removed at exit) and
# kills every process registered with fp_track_pid on exit.
set -u

FUNCP=${FUNCP:-${FUNCP_TEST_BUILD_DIR:-build}/funcp}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/funcp-e2e.XXXXXX")
FP_PIDS=""
FP_FAILS=0
OUT="$TMP/.out"
ERR="$TMP/.err"

fp_cleanup() {
    for pid in $FP_PIDS; do
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    rm -rf "$TMP"
}
trap fp_cleanup EXIT

# Kill this process at exit.
fp_track_pid() { FP_PIDS="$FP_PIDS $1"; }

fail() {
    echo "FAIL: $*" >&2
    [ -s "$OUT" ] && { echo "--- stdout:" >&2; head -c 4000 "$OUT" >&2; }
    [ -s "$ERR" ] && { echo "--- stderr:" >&2; head -c 4000 "$ERR" >&2; }
    FP_FAILS=$((FP_FAILS + 1))
}
pass() { echo "ok: $*"; }

# expect_exit CODE CMD... : run with stdout/stderr in $OUT/$ERR, check the status.
expect_exit() {
    local want=$1
    shift
    "$@" >"$OUT" 2>"$ERR"
    local got=$?
    if [ "$got" -ne "$want" ]; then
        fail "exit $got (want $want): $*"
        return 1
    fi
    return 0
}

# assert_contains FILE TEXT / assert_not_contains FILE TEXT (fixed strings)
assert_contains() {
    grep -qF -- "$2" "$1" || { fail "$1 lacks: $2"; return 1; }
}
assert_not_contains() {
    if grep -qF -- "$2" "$1"; then fail "$1 contains: $2"; return 1; fi
}
assert_eq() {
    [ "$1" = "$2" ] || { fail "${3:-value}: got [$1], want [$2]"; return 1; }
}

# json_eval FILE EXPR : evaluate a Python expression on the parsed JSON `d`.
json_eval() {
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# A free TCP port on 127.0.0.1.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_port PORT [SECONDS]: until something listens on 127.0.0.1:PORT.
wait_port() {
    local port=$1 limit=${2:-10} i=0
    while [ $i -lt $((limit * 10)) ]; do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

# wait_file_contains FILE TEXT [SECONDS]
wait_file_contains() {
    local i=0 limit=${3:-10}
    while [ $i -lt $((limit * 10)) ]; do
        grep -qF -- "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

# Finish: the status of the whole test.
fp_done() {
    if [ "$FP_FAILS" -ne 0 ]; then
        echo "$FP_FAILS check(s) failed" >&2
        exit 1
    fi
    echo "all checks passed"
    exit 0
}
