#!/usr/bin/env bash
# The main job in one command, for a new user on Debian bookworm:
#   1. installs the Debian packages funcp needs (scripts/install-deps.sh),
#   2. builds funcp and installs it into ./_install,
#   3. builds the js-wasi runtime plugin out of tree against that installed
#      SDK (as any third party would) and installs it next to funcp,
#   4. creates a JavaScript function in ./_demo/hello (or reuses the one an
#      earlier run created, if untouched), builds it to a real
#      WebAssembly component, runs it, invokes it, prints the answer, stops it.
# The npm toolchain (componentize-js, jco) is cached in ~/.cache/funcp, so a
# second run is fast and needs no network.
#   FUNCP_DEMO_PREFIX  install prefix        (default: ./_install)
#   FUNCP_DEMO_DIR     where the function is (default: ./_demo); a function
#                      there that you edited is never deleted: the demo stops
#   FUNCP_DEMO_ADDRESS where to serve        (default: 127.0.0.1:8080, or a
#                                             free port when 8080 is taken)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
prefix=${FUNCP_DEMO_PREFIX:-$repo/_install}
builds=$repo/_build
demo=${FUNCP_DEMO_DIR:-$repo/_demo}
jobs=2

step() { printf '\n==> %s\n' "$*"; }

# A hello left by an earlier run is reused only when nobody touched it; a
# function you edited is never deleted or overwritten. Checked first, so
# nothing is installed or built for a demo that will not run.
if ! "$repo/scripts/demo-guard.sh" check "$demo/hello"; then
    echo "Refusing to touch $demo/hello. Move it away, or set FUNCP_DEMO_DIR to another" >&2
    echo "directory for the demo's function." >&2
    exit 1
fi

step "Installing Debian packages (scripts/install-deps.sh)"
"$repo/scripts/install-deps.sh"

step "Building funcp and installing it into $prefix"
cmake -S "$repo" -B "$builds/demo-funcp" -DCMAKE_BUILD_TYPE=Release -DFUNCP_TESTS=OFF >/dev/null
cmake --build "$builds/demo-funcp" -j"$jobs" >/dev/null
cmake --install "$builds/demo-funcp" --prefix "$prefix" >/dev/null

step "Building the js-wasi plugin against the installed SDK"
cmake -S "$repo/sdk/examples/runtime-js-wasi" -B "$builds/demo-js-wasi" \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$builds/demo-js-wasi" -j"$jobs" >/dev/null
cmake --install "$builds/demo-js-wasi" --prefix "$prefix" >/dev/null

export PATH="$prefix/bin:$PATH"
funcp version
funcp plugins

if [ -e "$demo/hello" ]; then
    step "Reusing $demo/hello, the demo's function from an earlier run (unchanged)"
    cd "$demo/hello"
else
    step "funcp create -l js-wasi hello"
    mkdir -p "$demo"
    cd "$demo"
    funcp create -l js-wasi hello
    "$repo/scripts/demo-guard.sh" record "$demo/hello"
    cd hello
fi

step "funcp build (the first build downloads the JavaScript toolchain from npm)"
funcp build -v

address=${FUNCP_DEMO_ADDRESS:-127.0.0.1:8080}
port_taken() {
    python3 -c 'import socket,sys; h,p=sys.argv[1].rsplit(":",1); s=socket.socket()
try: s.bind((h,int(p)))
except OSError: sys.exit(0)
sys.exit(1)' "$1"
}
if [ -z "${FUNCP_DEMO_ADDRESS:-}" ] && port_taken "$address"; then
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    echo "127.0.0.1:8080 is in use; serving on 127.0.0.1:$port instead"
    address=127.0.0.1:$port
fi

step "funcp run --address $address (in the background)"
log=$demo/run.log
funcp run -v --build=false --address "$address" >"$log" 2>&1 &
run_pid=$!
stop_run() {
    if kill -0 "$run_pid" 2>/dev/null; then
        kill -INT "$run_pid" 2>/dev/null || true   # what Ctrl-C does
        wait "$run_pid" 2>/dev/null || true
    fi
}
trap stop_run EXIT
for _ in $(seq 600); do
    grep -q "Running on http://$address/" "$log" && break
    kill -0 "$run_pid" 2>/dev/null || { cat "$log"; echo "funcp run stopped" >&2; exit 1; }
    sleep 0.5
done
grep -q "Running on http://$address/" "$log" || { cat "$log"; echo "funcp run did not start" >&2; exit 1; }
grep "Running on" "$log"

step "funcp invoke --target http://$address/demo --request-type GET"
funcp invoke --target "http://$address/demo" --request-type GET

step "Stopping funcp run (SIGINT, as Ctrl-C does)"
stop_run
echo "The function's log:"
sed -n '/Running on/,$p' "$log"
cat <<MSG

Done. Your function is in $demo/hello. Try it yourself:
  export PATH="$prefix/bin:\$PATH"
  cd $demo/hello && funcp run        # then, in another terminal: funcp invoke
MSG
