#!/usr/bin/env bash
# The js-wasi main job with real parts only: install funcp into a temporary
# prefix, build the js-wasi plugin out of tree against that SDK, create a
# function, build a real component (componentize-js from npm), push it to a
# real docker-registry, check it with skopeo and pull it back byte for byte,
# serve it with `funcp run`, call it with `funcp invoke`, stop it with
# SIGINT and check no process is left.
# The npm packages go to the tests' cache (ctest sets XDG_CACHE_HOME and
# npm_config_cache under FUNCP_TEST_CACHE_DIR), never the user's: the first
# run downloads them, later runs reuse them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
require_tools node npm cmake docker-registry skopeo python3 curl

fakes=()   # transpile cache entries made up by this test
cleanup_hook() { rm -rf "${fakes[@]}"; }
e2e_setup jswasi   # $run_pid: the funcp run being tested, if any
"$funcp" plugins >"$work/plugins.txt"
grep -q "^runtime-js-wasi .*$prefix/lib/funcp/plugins/runtime-js-wasi.so" "$work/plugins.txt" ||
    { cat "$work/plugins.txt"; fail "the installed funcp does not list the installed js-wasi plugin"; }

# create + build: a real component
cd "$work"
"$funcp" create -l js-wasi hello >/dev/null
[ -f hello/index.js ] && [ -f hello/README.md ] || fail "the http template is incomplete"
grep -qx "module.wasm" hello/.gitignore || fail ".gitignore does not list module.wasm"
grep -q "^runtime: js-wasi" hello/func.yaml || fail "func.yaml does not record runtime js-wasi"
"$funcp" build -p hello -v 2>&1 | tee "$work/build.log"
# the toolchain directory this plugin uses, as the verbose build shows it
toolchain=$(sed -n 's|.* node \(/.*\)/componentize\.mjs .*|\1|p' "$work/build.log" | head -n1)
[ -f "$toolchain/.funcp-complete" ] || fail "no complete toolchain named in the build log"
# under ctest, the toolchain lives in the tests' cache, not the user's
if [ -n "${XDG_CACHE_HOME:-}" ]; then
    case "$toolchain" in "$XDG_CACHE_HOME"/funcp/js-wasi/*) ;;
        *) fail "toolchain $toolchain is not in the tests' cache $XDG_CACHE_HOME" ;; esac
    case "$XDG_CACHE_HOME" in "$HOME"/.cache | "$HOME"/.cache/*) fail "the tests use the user's cache" ;; esac
fi
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

# run: serves, streams the function's logs, refuses a taken port, transpiles
# a component once (cache keyed by its sha256) and reuses it on later starts
serve_cache=$toolchain/serve
stale=$toolchain/serve-999999999   # no such pid: left by an older runner killed outright
mkdir -p "$stale" "$serve_cache"
digest=$(sha256sum hello/module.wasm | cut -d' ' -f1)
entry=$serve_cache/$digest
rm -rf "$entry"   # this test's bytes may have run before: start cold
# bounded cache: old entries beyond the 5 most recently used go, and so do
# leftovers of runs that died mid-transpile
fakes=()
for i in 1 2 3 4 5 6; do
    fake=$serve_cache/$(printf '%064d' "$i")
    mkdir -p "$fake" && touch -d "2001-01-0$i" "$fake/.funcp-complete"
    fakes+=("$fake")
done
mkdir -p "$serve_cache/$(printf '%064d' 7).tmp-999999999"
# helper scripts of other plugin builds: removed once unused for a week
old_script=$serve_cache/jco-serve-00000000.mjs recent_script=$serve_cache/jco-serve-00000001.mjs
touch -d 2001-01-01 "$old_script" && touch "$recent_script"
fakes+=("$old_script" "$recent_script")

# start_run <function dir> <log>: funcp run -v on a free port until it serves
start_run() {
    run_port=$(free_port)
    address=127.0.0.1:$run_port
    (cd "$1" && exec "$funcp" run -v --build=false --address "$address") >"$2" 2>&1 &
    run_pid=$!
    wait_for 300 grep -q "Running on http://$address/" "$2" ||
        { cat "$2"; fail "funcp run did not report http://$address/"; }
}
# stop_run: Ctrl-C; funcp run stops and leaves no process behind
stop_run() {
    local kids k rc=0
    kids=$(descendants "$run_pid")
    [ -n "$kids" ] || fail "funcp run has no server process"
    kill -INT "$run_pid"
    wait_for 30 bash -c "! kill -0 $run_pid" || fail "funcp run did not stop on SIGINT"
    wait "$run_pid" || rc=$?
    run_pid=   # reaped: its pid may be reused, cleanup must not kill it
    [ "$rc" -eq 0 ] || fail "funcp run exited $rc after SIGINT"
    for k in $kids; do
        if alive "$k"; then
            local args; args=$(ps -o args= -p "$k")
            kill -KILL "$k" 2>/dev/null
            fail "process $k ($args) outlived funcp run"
        fi
    done
    if curl -s -m 2 "http://$address/" >/dev/null; then fail "port $run_port still answers"; fi
}

start_run hello "$work/run.log"
grep -q "jco runner: transpiled sha256:$digest into $entry" "$work/run.log" ||
    fail "the first run of a component did not transpile it into $entry"
[ -f "$entry/.funcp-complete" ] && [ -f "$entry/component.js" ] ||
    fail "the transpile cache entry $entry is incomplete"
[ ! -e "$stale" ] || fail "the jco output directory of a dead run was not removed"
# 6 made-up entries older than any real one, at most 4 kept beside ours:
# the two oldest must go, whatever other runs do in this cache meanwhile
[ ! -e "${fakes[0]}" ] && [ ! -e "${fakes[1]}" ] ||
    fail "the least recently used transpile cache entries were kept (at most 5)"
[ ! -e "$serve_cache/$(printf '%064d' 7).tmp-999999999" ] ||
    fail "a dead run's temporary transpile directory was not removed"
[ ! -e "$old_script" ] || fail "a helper script unused for years was kept"
[ -e "$recent_script" ] || fail "a recently used helper script of another build was removed"
# (only this test's own: other runs may be transpiling in the same cache)
ls -d "$entry".tmp-* >/dev/null 2>&1 && fail "a transpile left a temporary directory"
# a fresh instance per request: several requests in a row all answer
body=$("$funcp" invoke --target "http://$address/e2e/path" --request-type GET)
[ "$body" = "Hello from funcp! Path: /e2e/path" ] || fail "invoke returned: $body"
body=$("$funcp" invoke -p hello --address "$address")
[ "$body" = "Hello from funcp! Path: /" ] || fail "local invoke returned: $body"
body=$("$funcp" invoke -p hello --address "$address" --data 'x=1')
[ "$body" = "Hello from funcp! Path: /" ] || fail "a third request (POST) returned: $body"
wait_for 10 grep -q "GET /e2e/path" "$work/run.log" ||
    fail "the function's console.log did not reach funcp run's output"
if "$funcp" run -p hello --build=false --address "$address" >"$work/taken.log" 2>&1; then
    fail "a second run on a taken port succeeded"
fi
# funcp itself refuses it, before building or starting a runner
grep -q -- "--address $address: the address is already in use" "$work/taken.log" ||
    fail "taken port: unexpected message: $(cat "$work/taken.log")"
stop_run

# second start of the same bytes: no transpile, the entry is reused as is
before=$(stat -c %y "$entry/component.js")
start_run hello "$work/run2.log"
grep -q "jco runner: reusing the transpiled sha256:$digest" "$work/run2.log" ||
    { cat "$work/run2.log"; fail "the second run did not reuse the transpiled component"; }
if grep -q "Transpiling" "$work/run2.log"; then fail "the second run transpiled again"; fi
[ "$(stat -c %y "$entry/component.js")" = "$before" ] || fail "the second run rewrote $entry"
body=$("$funcp" invoke -p hello --address "$address")
[ "$body" = "Hello from funcp! Path: /" ] || fail "invoke on the second run returned: $body"
stop_run

# funcp killed outright (no chance to stop its server): the server exits too
start_run hello "$work/run-killed.log"
kids=$(descendants "$run_pid")
[ -n "$kids" ] || fail "funcp run has no server process"
kill -KILL "$run_pid"
wait "$run_pid" 2>/dev/null || true
run_pid=
end=$((SECONDS + 10))
for k in $kids; do
    while alive "$k"; do
        [ "$SECONDS" -lt "$end" ] ||
            { kill -KILL $kids 2>/dev/null; fail "server process $k outlived a killed funcp run"; }
        sleep 0.2
    done
done

# a changed component gets its own entry, and is what runs; two runs
# starting at once both transpile it, and one entry results
# (its state counts requests: an instance per request keeps it at 1)
cat >hello/index.js <<'JS'
let served = 0;
addEventListener("fetch", (event) => {
  served++;
  event.respondWith(new Response(`Hello again! Request ${served} of this instance\n`));
});
JS
"$funcp" build -p hello >/dev/null
digest2=$(sha256sum hello/module.wasm | cut -d' ' -f1)
[ "$digest2" != "$digest" ] || fail "the rebuilt component has the same bytes"
twin_address=127.0.0.1:$(free_port)
(cd hello && exec "$funcp" run -v --build=false --address "$twin_address") >"$work/twin.log" 2>&1 &
twin_pid=$!
pids+=("$twin_pid")
start_run hello "$work/run3.log"
wait_for 300 grep -q "Running on http://$twin_address/" "$work/twin.log" ||
    { cat "$work/twin.log"; fail "the concurrent run did not serve"; }
for log in "$work/run3.log" "$work/twin.log"; do
    grep -q "jco runner: transpiled sha256:$digest2" "$log" ||
        { cat "$log"; fail "a changed component was not transpiled into a new entry"; }
done
[ -f "$serve_cache/$digest2/.funcp-complete" ] || fail "no cache entry for the changed component"
ls -d "$serve_cache/$digest2".tmp-* "$serve_cache/$digest2".old-* >/dev/null 2>&1 &&
    fail "concurrent transpiles left a temporary directory"
for i in 1 2 3; do
    for a in "$address" "$twin_address"; do
        body=$("$funcp" invoke -p hello --address "$a")
        [ "$body" = "Hello again! Request 1 of this instance" ] ||
            fail "request $i to $a: $body (not a fresh instance per request?)"
    done
done
stop_run
run_pid=$twin_pid address=$twin_address run_port=${twin_address##*:}
stop_run
pids=("${pids[@]/$twin_pid}")
rm -rf "$serve_cache/$digest2"   # keep the user's cache to real work
cp "$work/index.js.good" hello/index.js

# a core module, and a component that is not an HTTP handler (the empty
# component), are refused before anything serves, and leave no cache entry
mkdir core && cp hello/func.yaml hello/index.js core/
printf '\0asm\001\0\0\0' >core/module.wasm
if "$funcp" run -p core --build=false --address "127.0.0.1:$(free_port)" >"$work/core.log" 2>&1; then
    fail "a core module was run"
fi
grep -q "core/module.wasm is not a WebAssembly component" "$work/core.log" ||
    fail "core module: unexpected message: $(cat "$work/core.log")"
printf '\0asm\015\0\001\0' >core/module.wasm
if "$funcp" run -p core --build=false --address "127.0.0.1:$(free_port)" >"$work/core.log" 2>&1; then
    fail "a component without an HTTP handler was run"
fi
grep -q "core/module.wasm does not export wasi:http/incoming-handler" "$work/core.log" ||
    fail "empty component: unexpected message: $(cat "$work/core.log")"
refused=$serve_cache/$(sha256sum core/module.wasm | cut -d' ' -f1)
[ ! -e "$refused" ] || fail "a refused component got a transpile cache entry"
ls -d "$refused".tmp-* >/dev/null 2>&1 && fail "a refused transpile left a temporary directory"
echo "ok: js-wasi create, build, push, pull, run, invoke, stop"
