# Helpers for the js-wasi end-to-end tests (sourced).
: "${FUNCP_TEST_SOURCE_DIR:?}" "${FUNCP_TEST_BUILD_DIR:?}"

skip() { echo "skipped: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }

# A TCP port nothing listens on right now, on 127.0.0.1.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_for <seconds> <command...>: retry every 0.2 s until it succeeds.
wait_for() {
    local limit=$1; shift
    local end=$((SECONDS + limit))
    until "$@" >/dev/null 2>&1; do
        [ "$SECONDS" -lt "$end" ] || return 1
        sleep 0.2
    done
}

# Is the process running? A zombie (dead, waiting for whoever inherited it
# to reap it) is not: it holds no port, memory or files.
alive() {
    local stat
    stat=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
    [ -n "$stat" ] && [ "${stat#Z}" = "$stat" ]
}

# Every descendant of a pid (children, grandchildren, ...), one per line.
descendants() {
    local kid
    for kid in $(pgrep -P "$1" || true); do
        echo "$kid"
        descendants "$kid"
    done
}

# Installs funcp from the build tree into <prefix> and builds + installs the
# js-wasi plugin out of tree against that installed SDK only.
install_funcp_and_plugin() {
    local prefix=$1 work=$2
    cmake --install "$FUNCP_TEST_BUILD_DIR" --prefix "$prefix" >"$work/install.log" 2>&1 ||
        { cat "$work/install.log"; fail "cmake --install of funcp"; }
    [ -f "$prefix/include/funcp/plugin.h" ] || fail "the installed SDK has no funcp/plugin.h"
    cmake -S "$FUNCP_TEST_SOURCE_DIR/sdk/examples/runtime-js-wasi" -B "$work/plugin-build" \
        -DCMAKE_PREFIX_PATH="$prefix" -DJSWASI_WERROR=ON >"$work/plugin.log" 2>&1 &&
        cmake --build "$work/plugin-build" -j2 >>"$work/plugin.log" 2>&1 &&
        cmake --install "$work/plugin-build" --prefix "$prefix" >>"$work/plugin.log" 2>&1 ||
        { cat "$work/plugin.log"; fail "building the js-wasi plugin against the installed SDK"; }
    # Out of tree means out of tree: nothing from the funcp sources but the
    # installed SDK may reach the compiler.
    if grep -rq -- "$FUNCP_TEST_SOURCE_DIR/core" "$work/plugin-build/CMakeFiles" 2>/dev/null; then
        fail "the plugin build refers to the funcp core sources"
    fi
}

# require_tools <tool>...: skips the test unless every tool is on PATH.
require_tools() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null || skip "$tool not found (scripts/install-deps.sh installs it)"
    done
}

# Ends the test: runs the script's cleanup_hook if it defines one, kills
# every pid in $pids and $run_pid with their descendants, shows run.log on
# failure and removes $work.
e2e_cleanup() {
    local rc=$? p k
    if declare -F cleanup_hook >/dev/null; then cleanup_hook || true; fi
    for p in "${pids[@]}" ${run_pid:-}; do
        # a server (funcp run's process group) first, then the parent
        for k in $(descendants "$p"); do kill -KILL "$k" 2>/dev/null || true; done
        kill -KILL "$p" 2>/dev/null || true
    done
    if [ "$rc" -ne 0 ] && [ -f "$work/run.log" ]; then echo "--- run.log"; cat "$work/run.log"; fi
    rm -rf "$work"
    exit "$rc"
}

# e2e_setup <name>: a temporary $work (funcp-<name>.XXXXXX) cleaned up on exit,
# funcp and the js-wasi plugin installed into $work/prefix, $funcp that
# installed binary, and only the prefix's plugins visible to it.
e2e_setup() {
    work=$(mktemp -d "${TMPDIR:-/tmp}/funcp-$1.XXXXXX")
    pids=()
    run_pid=
    trap e2e_cleanup EXIT
    prefix=$work/prefix
    install_funcp_and_plugin "$prefix" "$work"
    funcp=$prefix/bin/funcp
    unset FUNCP_PLUGIN_PATH
}
