#!/usr/bin/env bash
# bench/push: push a Wasm artifact to a freshly started local registry
# (empty storage for every run, so no blob is skipped or mounted) with
#   funcp   - the funcp OCI client (tests/oci/oci_tool push)
#   skopeo  - skopeo copy oci:<layout> docker://...
#   curl    - POST + streaming `curl -T` PUT ?digest= of the layer blob
#             alone: the floor, what the registry itself can take
# and report wall time and peak RSS (GNU time %M) of each, median of RUNS.
# Then re-pushes of the unchanged file to the same registry, side by side
# with the first push: without the digest cache (hashes the file again)
# and with it (.funcp/artifact-digest: a HEAD per blob and the manifest
# PUT).
# usage: bench/push/run.sh [build-dir]
#   env: SIZES_MIB="100 1024" RUNS=3 REPUSH_ONLY=1 (only the re-push table)
set -euo pipefail
BUILD=${1:-build}
TOOL=$BUILD/tests/oci/oci_tool
[ -x "$TOOL" ] || { echo "build the oci_tool target first: $TOOL" >&2; exit 1; }
SIZES_MIB=${SIZES_MIB:-"100 1024"}
RUNS=${RUNS:-3}
TOOL=$(cd "$(dirname "$TOOL")" && pwd)/oci_tool
export OCI_TOOL=$TOOL
source "$(dirname "$0")/../../tests/oci/registry_lib.sh"
trap - ERR

registry_up() { # fresh storage each time
    rm -rf "$T/reg"
    start_registry reg
}
registry_down() {
    local last=$((${#PIDS[@]} - 1))
    kill "${PIDS[$last]}"; wait "${PIDS[$last]}" 2>/dev/null || true
    unset "PIDS[$last]"
}
measure() { # measure <label> <command...>: prints "seconds maxrss_kib cpu_seconds"
    shift
    /usr/bin/time -f "%e %M %U %S" -o "$T/time" "$@" > "$T/out" 2> "$T/err" || { cat "$T/err" >&2; return 1; }
    awk '{printf "%s %s %.2f\n", $1, $2, $3 + $4}' "$T/time"
}
curl_push() { # curl_push <registry> <file> <digest>
    local loc
    loc=$(curl -s -o /dev/null -D - -X POST "http://$1/v2/bench/fn/blobs/uploads/" | tr -d '\r' |
          sed -n 's/^[Ll]ocation: //p')
    case $loc in http*) ;; *) loc="http://$1$loc" ;; esac
    curl -s -f -o /dev/null -T "$2" -H 'Content-Type: application/octet-stream' "$loc&digest=$3"
}
export -f curl_push

median() { sort -n | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}'; }

printf '%-8s %8s %10s %12s %10s\n' size tool "wall s" "peak RSS MiB" "client CPU s"
for mib in $SIZES_MIB; do
    [ -z "${REPUSH_ONLY:-}" ] || break
    make_component "$T/fn.wasm" $((mib * 1024 * 1024)) 7
    digest=$(sha256_of "$T/fn.wasm")
    "$TOOL" layout-write "$T/layout" "$T/fn.wasm" latest > /dev/null
    # Tools take turns within each run, so that load on a shared machine
    # hits all three alike.
    for tool in curl funcp skopeo; do : > "$T/walls.$tool"; : > "$T/rss.$tool"; : > "$T/cpu.$tool"; done
    for _ in $(seq 1 "$RUNS"); do
        for tool in curl funcp skopeo; do
            registry_up
            case $tool in
            funcp) r=$(measure funcp "$TOOL" -k "$REG" push "$T/fn.wasm" "$REG/bench/fn:latest") ;;
            skopeo) r=$(measure skopeo skopeo copy -q --dest-tls-verify=false "oci:$T/layout:latest" "docker://$REG/bench/fn:latest") ;;
            curl) r=$(measure curl bash -c "curl_push $REG '$T/fn.wasm' $digest") ;;
            esac
            registry_down
            read -r wall rss cpu <<<"$r"
            echo "$wall" >> "$T/walls.$tool"; echo "$rss" >> "$T/rss.$tool"; echo "$cpu" >> "$T/cpu.$tool"
        done
    done
    for tool in curl funcp skopeo; do
        printf '%-8s %8s %10s %12.1f %10s\n' "${mib}MiB" "$tool" "$(median < "$T/walls.$tool")" \
            "$(sort -n "$T/rss.$tool" | tail -1 | awk '{print $1 / 1024}')" "$(median < "$T/cpu.$tool")"
    done
    rm -rf "$T/layout"
done

# Re-pushing an unchanged artifact (what `funcp push` / `funcp deploy` do
# when nothing was rebuilt), in milliseconds, median of RUNS.
measure_ms() { # like measure, wall time in ms from the clock (GNU time's %e has 10 ms steps)
    shift
    local s e
    s=$(date +%s%N)
    /usr/bin/time -f "%M %U %S" -o "$T/time" "$@" > "$T/out" 2> "$T/err" || { cat "$T/err" >&2; return 1; }
    e=$(date +%s%N)
    awk -v us=$(( (e - s) / 1000 )) '{printf "%.1f %s %.0f\n", us / 1000, $1, ($2 + $3) * 1000}' "$T/time"
}
printf '\n%-8s %-34s %8s %12s %10s\n' size push "wall ms" "peak RSS MiB" "CPU ms"
for mib in $SIZES_MIB; do
    make_component "$T/fn.wasm" $((mib * 1024 * 1024)) 7
    sleep 0.2 # older than the cache's "just written" window
    for k in first nocache cache; do : > "$T/r.$k"; done
    for _ in $(seq 1 "$RUNS"); do
        registry_up
        rm -f "$T/digest-cache"
        measure_ms first "$TOOL" -k "$REG" -d "$T/digest-cache" push "$T/fn.wasm" "$REG/bench/fn:latest" >> "$T/r.first"
        [ -s "$T/digest-cache" ] || { echo "the first push wrote no digest cache" >&2; exit 1; }
        measure_ms nocache "$TOOL" -k "$REG" push "$T/fn.wasm" "$REG/bench/fn:latest" >> "$T/r.nocache"
        measure_ms cache "$TOOL" -k "$REG" -d "$T/digest-cache" push "$T/fn.wasm" "$REG/bench/fn:latest" >> "$T/r.cache"
        registry_down
    done
    for k in first nocache cache; do
        case $k in
        first) label="first push (hash + upload)" ;;
        nocache) label="re-push, no digest cache (hash)" ;;
        cache) label="re-push, digest cache (HEAD + PUT)" ;;
        esac
        printf '%-8s %-34s %8s %12.1f %10s\n' "${mib}MiB" "$label" "$(cut -d' ' -f1 "$T/r.$k" | median)" \
            "$(cut -d' ' -f2 "$T/r.$k" | sort -n | tail -1 | awk '{print $1 / 1024}')" \
            "$(cut -d' ' -f3 "$T/r.$k" | median)"
    done
done
