#!/usr/bin/env bash
# fp_net() from a binary outside the build tree with no module installed:
# a FUNCP_ENOPLUGIN error listing the directories searched.
# Usage: net_module_missing.sh <test_net_module binary>
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin"
cp "$1" "$tmp/bin/"
FP_TEST_OUTSIDE_BUILD=1 "$tmp/bin/$(basename "$1")"
