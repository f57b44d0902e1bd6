# Shared by the fake toolchain executables in this directory. Each one
# appends "<cwd>\t<tool> <args>" to $SHIM_LOG, can be made to fail with
# SHIM_FAIL_<STEP>=<exit code>, and writes a minimal valid wasm component
# (the 8-byte component preamble) where the real tool would write one.
shim_record() {
    local tool=$1
    shift
    if [ -n "${SHIM_LOG:-}" ]; then
        printf '%s\t%s\n' "$PWD" "$tool${*:+ $*}" >>"$SHIM_LOG"
    fi
}

shim_fail() {
    local var="SHIM_FAIL_$1"
    if [ -n "${!var:-}" ]; then
        echo "$2: simulated failure ($1)" >&2
        exit "${!var}"
    fi
}

shim_wasm() {
    mkdir -p "$(dirname "$1")"
    printf '\0asm\r\0\1\0' >"$1"
}

# A larger valid component: the preamble plus a custom section "pad!".
shim_wasm_padded() {
    mkdir -p "$(dirname "$1")"
    printf '\0asm\r\0\1\0\0\013\004pad!padded' >"$1"
}
