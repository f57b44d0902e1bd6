#!/usr/bin/env bash
# bench/deploy/knative.sh: the knative deployer against tests/knative/fake_knative.py
#  1. readiness: time from the fake server marking the Service Ready (its
#     --ready-file timestamp) to `funcp deploy` exiting, over RUNS deploys
#     (the first creates, the others update);
#  2. `funcp list -A -o json` over 2,000 Knative Services (1,800 functions)
#     against one `curl` of the same list, with hyperfine.
# usage: bench/deploy/knative.sh [build-dir]   env: RUNS=20
set -euo pipefail
BUILD=$(cd "${1:-build}" && pwd)
FUNCP=$BUILD/funcp
[ -x "$FUNCP" ] || { echo "build funcp first: $FUNCP" >&2; exit 1; }
SRC=$(cd "$(dirname "$0")/../.." && pwd)
RUNS=${RUNS:-20}
work=$(mktemp -d)
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

python3 "$SRC/tests/knative/fake_knative.py" --port-file "$work/port" --scenario ready \
    --ready-delay 100 --ready-file "$work/ready" >/dev/null 2>&1 &
PID=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
API="http://127.0.0.1:$(cat "$work/port")"
cat >"$work/kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters: [{name: fake, cluster: {server: "$API"}}]
contexts: [{name: fake, context: {cluster: fake, namespace: default, user: u}}]
current-context: fake
users: [{name: u, user: {token: bench}}]
KC
export KUBECONFIG="$work/kubeconfig"
cp -r "$SRC/tests/knative/fixtures/node" "$work/fn"
: >"$work/ready"
lat=()
for i in $(seq "$RUNS"); do
    img="registry.example.com/u/hello@sha256:$(printf '%064x' "$i")"
    "$FUNCP" deploy -p "$work/fn" --build=false --image "$img" >/dev/null
    done_at=$(date +%s.%N)
    ready_at=$(tail -n 1 "$work/ready" | cut -d' ' -f1)
    lat+=("$(python3 -c "print(round(($done_at - $ready_at) * 1000, 1))")")
done
printf '%s\n' "${lat[@]}" | sort -n >"$work/lat"
n=$(wc -l <"$work/lat")
echo "readiness -> exit, ms over $n deploys: min $(head -1 "$work/lat")" \
     "median $(sed -n "$(((n + 1) / 2))p" "$work/lat")" \
     "p90 $(sed -n "$(((n * 9 + 9) / 10))p" "$work/lat")" "max $(tail -1 "$work/lat")"

curl -s "$API/fake/seed?count=2000" >/dev/null
hyperfine -N --warmup 3 --runs 20 --export-markdown "$work/list.md" \
    -n "funcp list -A -o json" "$FUNCP list -A -o json" \
    -n "curl (one list request)" "curl -s -o /dev/null $API/apis/serving.knative.dev/v1/services?labelSelector=function.knative.dev%2Fname" \
    >/dev/null
cat "$work/list.md"
echo "functions listed: $("$FUNCP" list -A -o json | jq length)"
# funcp's own cost, apart from the server's: CPU time of one list.
/usr/bin/time -f "funcp list -A -o json: %e s wall, %U s user, %S s sys, %M KiB max RSS" \
    "$FUNCP" list -A -o json >/dev/null
echo "funcp list requests (pages of 500): $("$FUNCP" list -A -o json -v 2>&1 >/dev/null | grep -c 'kube: GET /apis/serving')"
