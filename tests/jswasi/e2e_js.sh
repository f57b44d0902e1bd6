#!/usr/bin/env bash
# The js-wasi main job with real parts only: install funcp into a temporary
# prefix, build the js-wasi plugin out of tree against that SDK, create a
# function, build a real component (componentize-js from npm), push it to a
# real docker-registry, check it with skopeo and pull it back byte for byte,
# serve it with `funcp run`, call it with `funcp invoke`, stop it with
# SIGINT and check no process is left.
# The npm packages go to the user's funcp cache ($XDG_CACHE_HOME/funcp or
# ~/.cache/funcp): the first run downloads them, later runs reuse them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
: "${FUNCP_TEST_SOURCE_DIR:?}" "${FUNCP_TEST_BUILD_DIR:?}"

for tool in node npm cmake docker-registry skopeo python3 curl; do
    command -v "$tool" >/dev/null || skip "$tool not found (scripts/install-deps.sh installs it)"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/funcp-jswasi.XXXXXX")
pids=()
cleanup() {
    local rc=$?
    for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
    [ "$rc" -eq 0 ] || { echo "--- run.log"; cat "$work/run.log" 2>/dev/null || true; }
    rm -rf "$work"
    exit "$rc"
}
trap cleanup EXIT

prefix=$work/prefix
install_funcp_and_plugin "$prefix" "$work"
funcp=$prefix/bin/funcp
unset FUNCP_PLUGIN_PATH
"$funcp" plugins >"$work/plugins.txt"
grep -q "^runtime-js-wasi .*$prefix/lib/funcp/plugins/runtime-js-wasi.so" "$work/plugins.txt" ||
    { cat "$work/plugins.txt"; fail "the installed funcp does not list the installed js-wasi plugin"; }

# create + build: a real component
cd "$work"
"$funcp" create -l js-wasi hello >/dev/null
[ -f hello/index.js ] && [ -f hello/README.md ] || fail "the http template is incomplete"
grep -qx "module.wasm" hello/.gitignore || fail ".gitignore does not list module.wasm"
grep -q "^runtime: js-wasi" hello/func.yaml || fail "func.yaml does not record runtime js-wasi"
"$funcp" build -p hello -v
[ "$(head -c 8 hello/module.wasm | od -An -tx1 | tr -d ' \n')" = "0061736d0d000100" ] ||
    fail "module.wasm is not a WebAssembly component (\\0asm, version 0x0d, layer 1)"
[ ! -e hello/node_modules ] && [ ! -e hello/package.json ] ||
    fail "the build installed npm packages into the function"
ls hello/.module.wasm.tmp-* >/dev/null 2>&1 && fail "the build left a temporary file"

# once the toolchain is cached, builds need no network at all
if unshare -n true 2>/dev/null; then
    unshare -n "$funcp" build -p hello --force >"$work/offline.log" 2>&1 ||
        { cat "$work/offline.log"; fail "a build without network failed"; }
    [ "$(head -c 8 hello/module.wasm | od -An -tx1 | tr -d ' \n')" = "0061736d0d000100" ] ||
        fail "the offline build did not write a component"
else
    echo "note: cannot unshare the network here; offline build not checked"
fi

# a failed build keeps the previous component
cp hello/index.js "$work/index.js.good"
cp hello/module.wasm "$work/module.wasm.good"
echo 'addEventListener("fetch", (e) => { e.respondWith(' >hello/index.js
if "$funcp" build -p hello >"$work/bad.log" 2>&1; then fail "a syntax error built"; fi
grep -q "index.js:2:1" "$work/bad.log" ||
    fail "the syntax error's location is not reported: $(cat "$work/bad.log")"
cmp -s hello/module.wasm "$work/module.wasm.good" || fail "a failed build changed module.wasm"
cp "$work/index.js.good" hello/index.js

# push to a real registry on 127.0.0.1, check with skopeo, pull back
reg_port=$(free_port)
mkdir -p "$work/registry"
cat >"$work/registry.yml" <<YAML
version: 0.1
log: {level: error}
storage: {filesystem: {rootdirectory: $work/registry}}
http: {addr: 127.0.0.1:$reg_port}
YAML
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
pids+=($!)
wait_for 30 curl -sf "http://127.0.0.1:$reg_port/v2/" || fail "docker-registry did not start"
image=127.0.0.1:$reg_port/hello:latest
"$funcp" push -p hello --registry-insecure -i "$image"
skopeo inspect --tls-verify=false --raw "docker://$image" >"$work/manifest.json"
grep -q '"application/vnd.wasm.config.v0+json"' "$work/manifest.json" ||
    fail "the manifest has no wasm config media type: $(cat "$work/manifest.json")"
grep -q '"application/wasm"' "$work/manifest.json" ||
    fail "the manifest has no application/wasm layer: $(cat "$work/manifest.json")"
skopeo copy --src-tls-verify=false "docker://$image" "oci:$work/pulled:latest" >/dev/null
layer=$(python3 - "$work/pulled" <<'PY'
import json, sys
root = sys.argv[1]
index = json.load(open(f"{root}/index.json"))
digest = index["manifests"][0]["digest"].split(":", 1)[1]
manifest = json.load(open(f"{root}/blobs/sha256/{digest}"))
layers = [l for l in manifest["layers"] if l["mediaType"] == "application/wasm"]
assert len(layers) == 1, manifest
print(f"{root}/blobs/sha256/" + layers[0]["digest"].split(":", 1)[1])
PY
)
cmp "$layer" hello/module.wasm || fail "the pulled layer differs from module.wasm"

# run: serves, streams the function's logs, refuses a taken port
toolchain=$(ls -d "${XDG_CACHE_HOME:-$HOME/.cache}"/funcp/js-wasi/*/.funcp-complete | head -n1)
toolchain=${toolchain%/.funcp-complete}
stale=$toolchain/serve-999999999   # no such pid: left by a run killed outright
mkdir -p "$stale"
run_port=$(free_port)
address=127.0.0.1:$run_port
(cd hello && exec "$funcp" run -v --build=false --address "$address") >"$work/run.log" 2>&1 &
run_pid=$!
pids+=("$run_pid")
wait_for 300 grep -q "Running on http://$address/" "$work/run.log" ||
    fail "funcp run did not report http://$address/"
[ ! -e "$stale" ] || fail "the jco output directory of a dead run was not removed"
[ -d "$toolchain/serve-$run_pid" ] || fail "jco serve has no output directory in the cache"
body=$("$funcp" invoke --target "http://$address/e2e/path" --request-type GET)
[ "$body" = "Hello from funcp! Path: /e2e/path" ] || fail "invoke returned: $body"
body=$("$funcp" invoke -p hello --address "$address")
[ "$body" = "Hello from funcp! Path: /" ] || fail "local invoke returned: $body"
wait_for 10 grep -q "GET /e2e/path" "$work/run.log" ||
    fail "the function's console.log did not reach funcp run's output"
if "$funcp" run -p hello --build=false --address "$address" >"$work/taken.log" 2>&1; then
    fail "a second run on a taken port succeeded"
fi
grep -q "address $address is already in use" "$work/taken.log" ||
    fail "taken port: unexpected message: $(cat "$work/taken.log")"

# Ctrl-C: funcp run stops and leaves no process behind
kids=$(descendants "$run_pid")
[ -n "$kids" ] || fail "funcp run has no server process"
kill -INT "$run_pid"
wait_for 30 bash -c "! kill -0 $run_pid" || fail "funcp run did not stop on SIGINT"
rc=0; wait "$run_pid" || rc=$?
[ "$rc" -eq 0 ] || fail "funcp run exited $rc after SIGINT"
for k in $kids; do
    if alive "$k"; then fail "process $k ($(ps -o args= -p "$k")) outlived funcp run"; fi
done
if pgrep -f -- "--port $run_port" >/dev/null; then fail "a server on port $run_port is still running"; fi
if curl -s -m 2 "http://$address/" >/dev/null; then fail "port $run_port still answers"; fi
[ ! -e "$toolchain/serve-$run_pid" ] || fail "jco's output directory was left behind"

# a component that is not an HTTP handler is refused before anything starts
mkdir core && cp hello/func.yaml hello/index.js core/
printf '\0asm\001\0\0\0' >core/module.wasm
if "$funcp" run -p core --build=false --address "127.0.0.1:$(free_port)" >"$work/core.log" 2>&1; then
    fail "a core module was run"
fi
grep -q "does not export wasi:http/incoming-handler" "$work/core.log" ||
    fail "core module: unexpected message: $(cat "$work/core.log")"
echo "ok: js-wasi create, build, push, pull, run, invoke, stop"
