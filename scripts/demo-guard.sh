#!/usr/bin/env bash
# Keeps scripts/demo.sh from ever deleting or overwriting a function you
# edited. Usage:
#   demo-guard.sh record <function dir>  after `funcp create`: remember what
#                                        the demo wrote (<dir>/../.<name>.demo)
#   demo-guard.sh check <function dir>   exit 0 when the directory is absent
#                                        or exactly what the demo wrote (build
#                                        outputs aside); 1 otherwise, saying why
set -euo pipefail
mode=$1 fn=${2%/}
record=$(dirname "$fn")/.$(basename "$fn").demo

# Every file but what builds and runs produce, with its hash.
snapshot() {
    (cd "$fn" && find . -type f ! -path './.funcp/*' ! -path './.func/*' ! -name module.wasm \
        -print0 | sort -z | xargs -0 -r sha256sum)
}

case $mode in
record)
    snapshot >"$record" ;;
check)
    [ -e "$fn" ] || exit 0
    if [ ! -f "$record" ]; then
        echo "$fn exists and was not made by this demo: it is left alone" >&2
        exit 1
    fi
    if ! snapshot | cmp -s - "$record"; then
        echo "$fn was changed since the demo created it (edited, added or removed files):" >&2
        snapshot | diff "$record" - | sed -n 's/^[<>] [0-9a-f]*  \.\//  /p' | sort -u >&2 || true
        echo "it is left alone" >&2
        exit 1
    fi ;;
*)
    echo "usage: demo-guard.sh record|check <function dir>" >&2
    exit 2 ;;
esac
