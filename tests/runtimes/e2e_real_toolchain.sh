#!/usr/bin/env bash
# Creates and builds a function with the REAL toolchain of a runtime:
#   e2e_real_toolchain.sh go-wasi    needs tinygo, go and wasm-tools
#   e2e_real_toolchain.sh rust-wasi  needs cargo with the wasm32-wasip2 target
# Exits 77 (skipped) when the toolchain is not installed. Module downloads
# (Go modules, crates, WIT packages) need network access.
set -euo pipefail

FUNCP=${FUNCP:?FUNCP must point at the funcp binary}
runtime=${1:?runtime}

skip() { echo "skipped: $*"; exit 77; }
case "$runtime" in
go-wasi)
    command -v tinygo >/dev/null || skip "tinygo not found"
    command -v go >/dev/null || skip "go not found"
    command -v wasm-tools >/dev/null || skip "wasm-tools not found"
    ;;
rust-wasi)
    command -v cargo >/dev/null || skip "cargo not found"
    if command -v rustup >/dev/null; then
        rustup target list --installed | grep -qx wasm32-wasip2 ||
            skip "wasm32-wasip2 target not installed (rustup target add wasm32-wasip2)"
    fi
    ;;
*) echo "unknown runtime $runtime" >&2; exit 2 ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/funcp-real-$runtime.XXXXXX")
cleanup() {
    local rc=$?
    rm -rf "$work"
    exit "$rc"
}
trap cleanup EXIT
cd "$work"

"$FUNCP" create -l "$runtime" fn >/dev/null
"$FUNCP" build -p fn -v
# a component: "\0asm" then version 0x0d 0x00, layer 0x01 0x00
[ "$(head -c 8 fn/module.wasm | od -An -tx1 | tr -d ' \n')" = "0061736d0d000100" ] ||
    { echo "FAIL: module.wasm is not a WebAssembly component" >&2; exit 1; }
if command -v wasm-tools >/dev/null; then
    wasm-tools validate fn/module.wasm
    wasm-tools component wit fn/module.wasm | grep -q "wasi:http/incoming-handler" ||
        { echo "FAIL: module.wasm does not export wasi:http/incoming-handler" >&2; exit 1; }
fi
echo "ok: $runtime built with the real toolchain"
