#!/usr/bin/env bash
# bench/deploy/curl_pages.sh <ca-file|none> <header-file> <url-with-limit>: GET a
# Kubernetes list page by page, following metadata.continue, as a client
# does; bodies go nowhere. The token stays in the header file, off argv.
set -euo pipefail
ca=() hdr=$2 url=$3
[ "$1" = none ] || ca=(--cacert "$1")
page=$(mktemp)
trap 'rm -f "$page"' EXIT
cont=""
while :; do
    if [ -n "$cont" ]; then
        curl -sf "${ca[@]}" -H "@$hdr" -G --data-urlencode "continue=$cont" -o "$page" "$url"
    else
        curl -sf "${ca[@]}" -H "@$hdr" -o "$page" "$url"
    fi
    # metadata (and its continue token) comes before the items.
    cont=$(head -c 4096 "$page" | grep -o '"continue": *"[^"]*"' | head -n 1 | sed 's/.*: *"\(.*\)"/\1/') || true
    [ -n "$cont" ] || break
done
