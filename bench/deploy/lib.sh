# shellcheck shell=bash
# bench/deploy/lib.sh: shared parts of the deploy benchmarks, sourced by
# bench/deploy/<deployer>.sh. A deployer script starts its fake server with
# bd_server, writes a kubeconfig with bd_kubeconfig, then calls
#   bd_readiness <label> <ready-file> <runs> <deploy-function>
#   bd_list <collection-url> <curl-header-file> <ca-file> <label> <list-command> ...
# and bd_report prints the tables collected so far.
# Needs: python3, openssl, curl, hyperfine, jq, GNU time (/usr/bin/time).

BD_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BD_WORK=$(mktemp -d)
BD_PIDS=()
BD_LAT_ROWS=()
BD_LIST_ROWS=()
bd_cleanup() {
    local p
    for p in "${BD_PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null || true; done
    rm -rf "$BD_WORK"
}
trap bd_cleanup EXIT INT TERM

bd_die() { echo "bench/deploy: $*" >&2; exit 1; }

for tool in python3 openssl curl hyperfine jq; do
    command -v "$tool" >/dev/null || bd_die "$tool is needed (scripts/install-deps.sh)"
done
[ -x /usr/bin/time ] || bd_die "GNU time (/usr/bin/time) is needed (scripts/install-deps.sh)"

# bd_certs <dir>: a CA and a server certificate for 127.0.0.1 in <dir>.
bd_certs() {
    local d=$1
    mkdir -p "$d"
    (cd "$d" &&
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.crt \
            -days 1 -subj /CN=bench-ca &&
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout srv.key -out srv.csr \
            -subj /CN=127.0.0.1 &&
        printf 'subjectAltName=IP:127.0.0.1\n' >srv.ext &&
        openssl x509 -req -in srv.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out srv.crt -days 1 \
            -extfile srv.ext) >/dev/null 2>&1 || bd_die "openssl could not make test certificates"
}

# bd_server <port-file> <command...>: start a fake server on 127.0.0.1
# (killed on exit) and wait for its port; sets BD_PORT.
bd_server() {
    local pf=$1
    shift
    rm -f "$pf"
    "$@" >/dev/null 2>"$BD_WORK/server.err" &
    BD_PIDS+=($!)
    for _ in $(seq 200); do [ -s "$pf" ] && break; sleep 0.05; done
    [ -s "$pf" ] || bd_die "fake server did not start: $(cat "$BD_WORK/server.err")"
    BD_PORT=$(cat "$pf") # read by the deployer script
    export BD_PORT
}

# bd_kubeconfig <file> <server-url> <token> [<ca-file>] (no CA: plain http)
bd_kubeconfig() {
    local ca=""
    [ -n "${4:-}" ] && ca=", certificate-authority: \"$4\""
    cat >"$1" <<KC
apiVersion: v1
kind: Config
clusters: [{name: fake, cluster: {server: "$2"$ca}}]
contexts: [{name: fake, context: {cluster: fake, namespace: default, user: u}}]
current-context: fake
users: [{name: u, user: {token: "$3"}}]
KC
}

# Value at a percentile (nearest rank) of numbers on stdin.
bd_pct() { sort -n | awk -v p="$1" '{a[NR]=$0} END {r=int((NR*p+99)/100); if (r<1) r=1; print a[r]}'; }

# bd_readiness <label> <ready-file> <runs> <deploy-function>: call
# `<deploy-function> <i>` runs times; each must deploy and append one line
# "<unix-time> ..." to <ready-file> when the server marks the function
# Ready. Latency = the deploy process's exit (taken as soon as it returns)
# minus that time.
bd_readiness() {
    local label=$1 ready=$2 runs=$3 fn=$4 i done_at ready_at lines
    : >"$ready"
    : >"$BD_WORK/lat"
    for i in $(seq "$runs"); do
        lines=$(wc -l <"$ready")
        "$fn" "$i" >"$BD_WORK/deploy.out" 2>&1 || bd_die "$label deploy $i failed: $(cat "$BD_WORK/deploy.out")"
        done_at=$(date +%s.%N)
        [ "$(wc -l <"$ready")" -gt "$lines" ] || bd_die "$label deploy $i: the server marked nothing Ready"
        ready_at=$(tail -n 1 "$ready" | cut -d' ' -f1)
        awk -v a="$done_at" -v b="$ready_at" 'BEGIN {printf "%.1f\n", (a - b) * 1000}' >>"$BD_WORK/lat"
    done
    BD_LAT_ROWS+=("$(printf '| %s | %d | %s | %s | %s | %s | %d |' "$label" "$runs" \
        "$(bd_pct 0 <"$BD_WORK/lat")" "$(bd_pct 50 <"$BD_WORK/lat")" \
        "$(bd_pct 90 <"$BD_WORK/lat")" "$(bd_pct 100 <"$BD_WORK/lat")" \
        "$(awk '$1 > 50' "$BD_WORK/lat" | wc -l)")")
    echo "$label: Ready -> exit ms: $(sort -n "$BD_WORK/lat" | tr '\n' ' ')" >&2
}

# bd_list <url> <header-file> <ca-file|none> <label> <command> [<label> <command>...]:
# time each list command against curl of the same collection (pages of
# 500 following `continue`, as funcp does, and one unpaged GET) with
# hyperfine, in LIST_ROUNDS rounds of LIST_RUNS/LIST_ROUNDS runs each so
# that a shared machine's load swings hit every command alike; then peak
# RSS of each with GNU time.
bd_list() {
    local url=$1 hdr=$2 ca=$3 sep k r
    shift 3
    case $url in *\?*) sep='&' ;; *) sep='?' ;; esac
    local names=() cmds=() args=()
    while [ $# -ge 2 ]; do names+=("$1"); cmds+=("$2"); shift 2; done
    names+=("curl, pages of 500" "curl, one GET")
    local cacert=""
    [ "$ca" = none ] || cacert="--cacert $ca"
    cmds+=("bash $BD_DIR/curl_pages.sh $ca $hdr $url${sep}limit=500"
           "curl -sf $cacert -H @$hdr -o /dev/null $url")
    for k in "${!cmds[@]}"; do args+=(-n "${names[$k]}" "${cmds[$k]}"); done
    local rounds=${LIST_ROUNDS:-5} runs=${LIST_RUNS:-20}
    local per=$(((runs + rounds - 1) / rounds))
    for r in $(seq "$rounds"); do
        hyperfine -N --warmup 1 --runs "$per" --export-json "$BD_WORK/list-$r.json" "${args[@]}" \
            >/dev/null 2>"$BD_WORK/hyperfine.err" || bd_die "hyperfine failed: $(grep -v Warning "$BD_WORK/hyperfine.err")"
    done
    for k in "${!cmds[@]}"; do
        # shellcheck disable=SC2086 # the commands are word lists
        /usr/bin/time -f %M -o "$BD_WORK/rss" ${cmds[$k]} >/dev/null 2>&1 || bd_die "${names[$k]} failed"
        BD_LIST_ROWS+=("$(jq -rs --argjson k "$k" --arg name "${names[$k]}" --arg rss "$(cat "$BD_WORK/rss")" '
            def ms: . * 10000 | round / 10;
            [.[].results[$k].times[]] as $t | ($t | length) as $n | ($t | add / $n) as $mean |
            ($t | sort) as $s | (if $n % 2 == 1 then $s[($n - 1) / 2] else ($s[$n / 2 - 1] + $s[$n / 2]) / 2 end) as $med |
            ([$t[] | (. - $mean) * (. - $mean)] | add / ([$n - 1, 1] | max) | sqrt) as $sd |
            ([.[].results[$k] | .user + .system] | add / length) as $cpu |
            "| `\($name)` | \($n) | \($mean | ms) ± \($sd | ms) | \($med | ms) | \($s[0] | ms) | \($s[-1] | ms) | \($cpu | ms) | \($rss | tonumber / 102.4 | round / 10) |"' \
            "$BD_WORK"/list-*.json)")
    done
}

bd_report() {
    echo
    echo "Readiness: server marks Ready -> deploy process exits (ms)"
    echo
    echo "| deployer | deploys | min | median | p90 | max | over 50 ms |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${BD_LAT_ROWS[@]}"
    echo
    echo "List (hyperfine -N, interleaved rounds; ms; cpu = user+sys of the measured process; RSS = GNU time %M)"
    echo
    echo "| command | runs | mean ± sd | median | min | max | cpu | peak RSS MiB |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${BD_LIST_ROWS[@]}"
}
