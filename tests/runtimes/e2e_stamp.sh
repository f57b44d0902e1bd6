#!/usr/bin/env bash
# End to end: the build stamp. The real funcp binary builds a go-wasi
# function with fake toolchains (a copy of shims/ on PATH, so the test can
# replace one) and rebuilds exactly when a source, the build part of
# func.yaml or a toolchain program changes, or with --force.
set -euo pipefail

FUNCP=${FUNCP:?FUNCP must point at the funcp binary}
SRC=${FUNCP_TEST_SOURCE_DIR:?}

work=$(mktemp -d "${TMPDIR:-/tmp}/funcp-e2e-stamp.XXXXXX")
trap 'rm -rf "$work"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

cp -R "$SRC/tests/runtimes/shims" "$work/shims"
export SHIM_LOG="$work/shim.log"
export PATH="$work/shims:$PATH"
cd "$work"

# build <label>: one `funcp build`, its output kept in <label>.out; the tool
# command lines it ran are left in $SHIM_LOG.
build() {
    local label=$1
    shift
    : >"$SHIM_LOG"
    # stdout alone: the JSON (stderr says "Function is up to date", piped or not)
    "$FUNCP" build -p hello -o json "$@" >"$label.out" 2>"$label.err" ||
        { cat "$label.out" "$label.err" >&2; fail "$label: build failed"; }
}
rebuilt() { grep -q "tinygo build" "$SHIM_LOG" || fail "$1: not rebuilt"; }
not_rebuilt() {
    [ ! -s "$SHIM_LOG" ] || { cat "$SHIM_LOG" >&2; fail "$1: a tool ran for an up-to-date function"; }
    grep -Eq '"upToDate": ?true' "$1.out" || { cat "$1.out" >&2; fail "$1: not reported up to date"; }
}

# A go-wasi function without builderImages (no registry needed).
"$FUNCP" create -l go-wasi hello >/dev/null
sed -i '/^build:/,$d' hello/func.yaml
grep -q '^runtime: go-wasi$' hello/func.yaml || fail "created func.yaml has no runtime"

build first
rebuilt first
cp hello/func.yaml func.yaml.after1
build second
not_rebuilt second
cmp -s func.yaml.after1 hello/func.yaml || { diff func.yaml.after1 hello/func.yaml; fail "func.yaml changed by a build"; }
! grep -q "builder:" hello/func.yaml || fail "inferred builder written to func.yaml"

# The no-op build reports the OCI layout the last build wrote, without
# writing it again; a newer module.wasm (copied in by hand) is laid out
# again, still without a build.
index=hello/.funcp/oci/index.json
inode=$(stat -c %i "$index")
sed 's/"upToDate": false/"upToDate": true/' first.out >first.want
cmp -s first.want second.out || { diff first.want second.out; fail "no-op build output differs from the build's"; }
[ "$(stat -c %i "$index")" = "$inode" ] || fail "a no-op build rewrote the OCI layout"
touch -d '+1 minute' hello/module.wasm
build newer-module
not_rebuilt newer-module
[ "$(stat -c %i "$index")" != "$inode" ] || fail "the layout was not rewritten for a newer module.wasm"

# A new toolchain: same path, new modification time (nothing else).
touch -d '2001-02-03 04:05:06' shims/tinygo
build tinygo-mtime
rebuilt tinygo-mtime
build tinygo-mtime-again
not_rebuilt tinygo-mtime-again

# A new toolchain: replaced by a file of another size (mtime put back).
touch -r shims/tinygo stamp.ref
printf '\n# upgraded\n' >>shims/tinygo
touch -r stamp.ref shims/tinygo
build tinygo-size
rebuilt tinygo-size

# The PATH entry now points elsewhere: a symlink to an identical copy.
mkdir -p tc && cp -p shims/go shims/_shim.sh tc/ && rm shims/go && ln -s "$work/tc/go" shims/go
build go-symlink
rebuilt go-symlink
build go-symlink-again
not_rebuilt go-symlink-again

# An optional program appearing on PATH counts too (wasm-tools was there:
# take it away, then bring it back).
mv shims/wasm-tools wasm-tools.aside
build wasm-tools-missing
rebuilt wasm-tools-missing
mv wasm-tools.aside shims/wasm-tools
build wasm-tools-back
rebuilt wasm-tools-back

# A source changes.
printf '\n// edited\n' >>hello/function.go
build source
rebuilt source
build source-again
not_rebuilt source-again

# func.yaml: outside `build` does not count, `build` does.
printf 'run:\n  envs:\n  - name: GREETING\n    value: hi\n' >>hello/func.yaml
build run-envs
not_rebuilt run-envs
printf 'build:\n  buildEnvs:\n  - name: GOFLAGS\n    value: -mod=mod\n' >>hello/func.yaml
build build-envs
rebuilt build-envs

# --force rebuilds an up-to-date function.
build up-to-date
not_rebuilt up-to-date
build forced --force
rebuilt forced

# Two builds in a row leave func.yaml byte for byte as it was.
cp hello/func.yaml func.yaml.before
build last1 --force
build last2
cmp -s func.yaml.before hello/func.yaml || { diff func.yaml.before hello/func.yaml; fail "func.yaml changed by two builds"; }

echo "ok: the build stamp follows sources, func.yaml build settings and the toolchain"
