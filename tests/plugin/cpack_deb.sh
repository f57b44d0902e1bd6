#!/usr/bin/env bash
# `cpack -G DEB` makes one package for the core, one for the SDK and one per
# plugin, each plugin depending on the core, so a packager ships any subset.
# Usage: cpack_deb.sh <funcp build dir>. Exits 77 (skipped) without dpkg-deb.
set -euo pipefail
build=$1
command -v dpkg-deb >/dev/null 2>&1 || { echo "skipped: dpkg-deb not found"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cpack -G DEB -B "$tmp" --config "$build/CPackConfig.cmake" >"$tmp/cpack.log" 2>&1 ||
  { cat "$tmp/cpack.log"; fail "cpack -G DEB failed"; }
field() { dpkg-deb -f "$1" "$2"; }
# grep -c reads the whole listing: grep -q would close the pipe early,
# which pipefail reports as a failure of dpkg-deb.
files() { dpkg-deb -c "$1" | awk '{print $6}'; }
core=$(ls "$tmp"/funcp_*.deb) || fail "no funcp package"
dev=$(ls "$tmp"/funcp-dev_*.deb) || fail "no funcp-dev package"
files "$core" | grep -c '/bin/funcp$' >/dev/null || fail "funcp package lacks bin/funcp"
files "$core" | grep -c '/funcp/modules/funcp-net.so$' >/dev/null || fail "funcp package lacks the network module"
if files "$core" | grep -c '/funcp/plugins/' >/dev/null; then fail "funcp package carries plugins"; fi
# the completion scripts, where each shell looks for a package's
for f in share/bash-completion/completions/funcp share/zsh/vendor-completions/_funcp \
         share/fish/vendor_completions.d/funcp.fish; do
  files "$core" | grep -c "/$f\$" >/dev/null || fail "funcp package lacks $f"
done
files "$dev" | grep -c '/include/funcp/plugin.h$' >/dev/null || fail "funcp-dev lacks plugin.h"
files "$dev" | grep -c '/pkgconfig/funcp-plugin.pc$' >/dev/null || fail "funcp-dev lacks funcp-plugin.pc"
files "$dev" | grep -c '/cmake/funcp/funcpConfigVersion.cmake$' >/dev/null || fail "funcp-dev lacks the CMake config"

# One package per plugin the build has, each with just that plugin.
version=$(field "$core" Version)
for so in "$build"/plugins/*.so; do
  [ -e "$so" ] || continue
  name=$(basename "$so" .so)
  deb=$(ls "$tmp"/funcp-plugin-"$name"_*.deb) || fail "no package for plugin $name"
  field "$deb" Depends | grep -q "funcp (= $version)" || fail "$name does not depend on funcp"
  [ "$(files "$deb" | grep -c '/funcp/plugins/.*\.so$')" = 1 ] || fail "$name package has other plugins"
  echo "ok: funcp-plugin-$name"
done
echo "ok: funcp, funcp-dev and one package per plugin"
