#!/usr/bin/env bash
# End to end: the real funcp binary creates and builds go-wasi and rust-wasi
# functions with fake toolchains (shims/) on PATH, and provisions WIT
# packages pushed by this test to a real docker-registry on 127.0.0.1.
set -euo pipefail

FUNCP=${FUNCP:?FUNCP must point at the funcp binary}
SRC=${FUNCP_TEST_SOURCE_DIR:?}
here="$SRC/tests/runtimes"

command -v docker-registry >/dev/null || { echo "skipped: docker-registry not found"; exit 77; }
command -v python3 >/dev/null || { echo "skipped: python3 not found"; exit 77; }

work=$(mktemp -d "${TMPDIR:-/tmp}/funcp-e2e-rt.XXXXXX")
registry_pid=""
cleanup() {
    local rc=$?
    if [ -n "$registry_pid" ]; then
        kill "$registry_pid" 2>/dev/null || true
        wait "$registry_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
    exit "$rc"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
expect_file() { [ -f "$1" ] || fail "missing $1"; }
expect_grep() { grep -qF -- "$2" "$1" || { cat "$1" >&2; fail "$1 lacks: $2"; }; }

# --- a registry on a free port, bounded wait until it answers -------------
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$work/registry.yml" <<YML
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: $work/registry
http:
  addr: 127.0.0.1:$port
YML
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 50); do
    curl -fsS "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && break
    sleep 0.1
done
curl -fsS "http://127.0.0.1:$port/v2/" >/dev/null || fail "registry did not start"
reg="127.0.0.1:$port"

export SHIM_LOG="$work/shim.log"
export PATH="$here/shims:$PATH"
cd "$work"

# --- runtimes are listed ----------------------------------------------------
"$FUNCP" languages >languages.txt
expect_grep languages.txt go-wasi
expect_grep languages.txt rust-wasi
"$FUNCP" templates >templates.txt
grep -Eq '^go-wasi +http' templates.txt || fail "templates lacks go-wasi http"
grep -Eq '^rust-wasi +http' templates.txt || fail "templates lacks rust-wasi http"

# --- WIT artifacts, pushed as wasm components by funcp itself --------------
mkdir -p fx/cli/deps fx/http/deps
printf 'package wasi:cli@0.2.3;\n\ninterface environment {}\n' >fx/cli/cli.wit
printf 'package wasi:io@0.2.3;\n\ninterface streams {}\n' >fx/cli/deps/io.wit
printf 'package wasi:http@0.2.3;\n\ninterface types {}\n' >fx/http/http.wit
printf 'package wasi:io@0.2.3;\n\ninterface streams {}\n' >fx/http/deps/io.wit
printf 'package wasi:cli@0.2.3;\n' >fx/http/deps/cli.wit
"$FUNCP" create -l rust-wasi publisher >/dev/null
for pkg in cli http; do
    python3 "$here/wit_artifact.py" pack "fx/$pkg" publisher/module.wasm
    "$FUNCP" push -p publisher --image "$reg/wasi/$pkg:0.2.3" --registry-insecure >/dev/null 2>&1 ||
        fail "push of the $pkg WIT artifact"
done

# --- go-wasi: create ---------------------------------------------------------
"$FUNCP" create -l go-wasi hello >/dev/null
for f in go.mod function.go function_test.go README.md wit/world.wit .gitignore func.yaml; do
    expect_file "hello/$f"
done
expect_grep hello/func.yaml "runtime: go-wasi"
# git ignores what funcp (and func) write in the function: state and outputs
for l in .funcp/ .func/ module.wasm gen/; do grep -qxF "$l" hello/.gitignore || fail "go-wasi .gitignore lacks $l"; done
expect_grep hello/func.yaml "__WASI_WIT_PROVIDER_MODE: forgiving"
expect_grep hello/func.yaml "http: ghcr.io/webassembly/wasi/http:0.2.3"
! grep -q "builder:\|deployer:" hello/func.yaml || fail "create wrote a builder or deployer"
sed -i "s#ghcr.io/webassembly#$reg#" hello/func.yaml

# --- go-wasi: build (verbose), exact tool lines -----------------------------
: >"$SHIM_LOG"
"$FUNCP" build -p hello -v --registry-insecure >build1.out 2>&1 || { cat build1.out; fail "go-wasi build"; }
root=$(cd hello && pwd)
cut -f2 "$SHIM_LOG" | sed -E 's/\.module\.wasm\.[0-9]+\.tmp\.wasm/TMP.wasm/; s#/wit/\.funcp-wit-[^/]+/#/wit/SCRATCH/#g' >tools.txt
cat >tools.want <<WANT
tinygo version
go version
wasm-tools component wit $root/wit/SCRATCH/entry-0/artifact.wasm --out-dir $root/wit/SCRATCH/entry-0/out
wasm-tools component wit $root/wit/SCRATCH/entry-1/artifact.wasm --out-dir $root/wit/SCRATCH/entry-1/out
go mod tidy
go generate ./...
tinygo build -target=wasip2 -no-debug -wit-package wit/ -wit-world boson -o TMP.wasm .
WANT
diff -u tools.want tools.txt || fail "go-wasi tool command lines"
! cut -f1 "$SHIM_LOG" | grep -v "^$root\$" | grep -q . || fail "a tool ran outside the function root"
# --verbose echoes each command once (the host's run), not twice
[ "$(grep -cF -- "cd $root && go mod tidy" build1.out)" = 1 ] || { cat build1.out; fail "go mod tidy not echoed exactly once"; }
head -c 4 hello/module.wasm | od -An -c | grep -q 'a   s   m' || fail "module.wasm is not wasm"
cmp -s hello/wit/deps/cli/cli.wit fx/cli/cli.wit || fail "main package cli was not provisioned over http's stub"
cmp -s hello/wit/deps/http/http.wit fx/http/http.wit || fail "wit/deps/http"
cmp -s hello/wit/deps/io/io.wit fx/cli/deps/io.wit || fail "wit/deps/io"
expect_grep hello/wit/deps/io/.gitignore "# Downloaded WIT artifacts"
printf '{\n  "cli": "%s/wasi/cli:0.2.3",\n  "http": "%s/wasi/http:0.2.3"\n}\n' "$reg" "$reg" >versions.want
cmp -s versions.want hello/wit/.versions || { cat hello/wit/.versions; fail "wit/.versions"; }

# --- second build: func.yaml unchanged byte for byte, WIT skipped ----------
cp hello/func.yaml func.yaml.after1
: >"$SHIM_LOG"
"$FUNCP" build -p hello --force --registry-insecure >build2.out 2>&1 || { cat build2.out; fail "second build"; }
cmp -s func.yaml.after1 hello/func.yaml || { diff func.yaml.after1 hello/func.yaml; fail "func.yaml changed"; }
! grep -q "builder:" hello/func.yaml || fail "inferred builder written to func.yaml"
! grep -q wasm-tools "$SHIM_LOG" || fail "unchanged WIT packages were fetched again"
grep -q "tinygo build" "$SHIM_LOG" || fail "--force did not rebuild"

# --- an up-to-date function is not rebuilt ---------------------------------
: >"$SHIM_LOG"
"$FUNCP" build -p hello --registry-insecure >build3.out 2>&1 || { cat build3.out; fail "third build"; }
! grep -q "tinygo build" "$SHIM_LOG" || fail "an unchanged function was rebuilt"

# --- a failed build keeps the previous module.wasm -------------------------
cp hello/module.wasm module.before
printf 'custom' >>hello/module.wasm && cp hello/module.wasm module.before
if SHIM_FAIL_TINYGO_BUILD=2 "$FUNCP" build -p hello --force --registry-insecure >build4.out 2>&1; then
    fail "a failing tinygo build succeeded"
fi
expect_grep build4.out "failed (exit code 2)"
expect_grep build4.out "simulated failure (TINYGO_BUILD)"
cmp -s module.before hello/module.wasm || fail "failed build replaced module.wasm"
! ls -A hello | grep -q '\.tmp\.wasm' || fail "temp module left behind"

# --- missing toolchain: named, with version and how to install --------------
if ! PATH="/usr/bin:/bin" command -v tinygo >/dev/null; then
    mkdir -p nobin
    for t in go cargo rustup wasm-tools; do ln -sf "$here/shims/$t" "nobin/$t"; done
    if PATH="$work/nobin:/usr/bin:/bin" "$FUNCP" build -p hello --force >build5.out 2>&1; then
        fail "build without tinygo succeeded"
    fi
    expect_grep build5.out "tinygo not found on PATH: install TinyGo 0.34 or newer from https://tinygo.org"
fi

# --- a builder/deployer that does not fit: refused before any tool runs ----
: >"$SHIM_LOG"
if "$FUNCP" build -p hello --builder pack --force >build6.out 2>&1; then
    fail "--builder pack accepted for go-wasi"
fi
expect_grep build6.out '"pack"'
[ ! -s "$SHIM_LOG" ] || fail "a tool ran for a builder that does not fit"
! grep -q "builder: pack" hello/func.yaml || fail "a refused builder was written to func.yaml"
if "$FUNCP" plugins | grep -qw knative; then
    if "$FUNCP" deploy -p hello --deployer knative --registry "$reg/e2e" --registry-insecure \
        >deploy.out 2>&1; then
        fail "--deployer knative accepted for go-wasi"
    fi
    expect_grep deploy.out 'deployer "knative" does not support runtime "go-wasi": incompatible'
    [ ! -s "$SHIM_LOG" ] || fail "a tool ran for a deployer that does not fit"
fi

# --- WIT provider modes, vendored dirs and escapes against the registry ---
mkdir -p fx/http2/deps fx/evil/deps
printf 'package wasi:http@0.2.3;\n\ninterface types {}\n' >fx/http2/http.wit
printf 'package wasi:io@0.2.3;\n\ninterface streams { read: func(); }\n' >fx/http2/deps/io.wit
printf 'package wasi:clocks@0.2.3;\n' >fx/http2/deps/clocks.wit
printf 'package wasi:evil@1.0.0;\n' >fx/evil/evil.wit
ln -s /etc/hostname fx/evil/deps/escape.wit
for pkg in http2 evil; do
    python3 "$here/wit_artifact.py" pack "fx/$pkg" publisher/module.wasm
    "$FUNCP" push -p publisher --image "$reg/wasi/$pkg:1" --registry-insecure >/dev/null 2>&1 ||
        fail "push of the $pkg WIT artifact"
done
"$FUNCP" create -l go-wasi modes >/dev/null
sed -i -e "s#ghcr.io/webassembly/wasi/http:0.2.3#$reg/wasi/http2:1#" \
    -e "s#ghcr.io/webassembly#$reg#" -e "s#: forgiving#: strict#" modes/func.yaml
mkdir -p modes/wit/deps/clocks && echo "// mine" >modes/wit/deps/clocks/clocks.wit
if "$FUNCP" build -p modes --registry-insecure >modes1.out 2>&1; then fail "strict conflict built"; fi
have=$(wc -c <fx/cli/deps/io.wit) got=$(wc -c <fx/http2/deps/io.wit)
expect_grep modes1.out "WIT transitive dep conflict for \"io\": file \"io.wit\" differs between transitive deps (existing $have bytes vs incoming $got bytes); set __WASI_WIT_PROVIDER_MODE to \"forgiving\""

[ ! -e modes/wit/.versions ] || fail ".versions written after a failed provisioning"
sed -i "s#: strict#: forgiving#" modes/func.yaml
"$FUNCP" build -p modes --registry-insecure >modes2.out 2>&1 || { cat modes2.out; fail "forgiving build"; }
expect_grep modes2.out "replacing it with the incoming file (existing $have bytes vs incoming $got bytes, larger wins)"
cmp -s modes/wit/deps/io/io.wit fx/http2/deps/io.wit || fail "forgiving: larger io.wit did not win"
[ "$(cat modes/wit/deps/clocks/clocks.wit)" = "// mine" ] || fail "user-vendored clocks was touched"
[ ! -e modes/wit/deps/clocks/.gitignore ] || fail "user-vendored clocks got a .gitignore"
sed -i "s#http: $reg/wasi/http2:1#http: $reg/wasi/evil:1#" modes/func.yaml
if "$FUNCP" build -p modes --registry-insecure >modes3.out 2>&1; then fail "escaping artifact accepted"; fi
expect_grep modes3.out 'WIT package entry "escape.wit" would escape wit/deps: rejected'
[ ! -e modes/wit/deps/escape ] || fail "escaping entry was written"

# --- rust-wasi: create (--runtime, the PR's word) and build ------------------
"$FUNCP" create --runtime rust-wasi rusty >/dev/null
for f in Cargo.toml src/lib.rs README.md .gitignore func.yaml; do expect_file "rusty/$f"; done
expect_grep rusty/func.yaml "runtime: rust-wasi"
for l in .funcp/ .func/ module.wasm target/; do grep -qxF "$l" rusty/.gitignore || fail "rust-wasi .gitignore lacks $l"; done
: >"$SHIM_LOG"
"$FUNCP" build -p rusty >build7.out 2>&1 || { cat build7.out; fail "rust-wasi build"; }
printf 'cargo --version\nrustup target list --installed\ncargo build --release --target wasm32-wasip2\n' >rtools.want
cut -f2 "$SHIM_LOG" | diff -u rtools.want - || fail "rust-wasi tool command lines"
cmp -s rusty/module.wasm rusty/target/wasm32-wasip2/release/function.wasm || fail "module.wasm is not the largest crate wasm"

# --- create refuses a non-empty directory and writes nothing --------------
mkdir busy && echo keep >busy/notes.txt
if "$FUNCP" create -l go-wasi busy >create.out 2>&1; then fail "create into a non-empty dir"; fi
[ "$(ls -A busy)" = "notes.txt" ] || fail "create wrote into a non-empty directory"

echo "ok: go-wasi and rust-wasi create/build end to end"
