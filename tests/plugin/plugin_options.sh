#!/usr/bin/env bash
# FUNCP_PLUGIN_<NAME>=AUTO|ON|OFF as cmake/FuncpPlugin.cmake implements it,
# configured in a scratch project: AUTO skips a plugin whose dependency is
# missing, ON makes that a configure error naming the dependency, OFF leaves
# it out, CMake's boolean spellings work and anything else is refused.
# usage: plugin_options.sh <funcp source dir>
set -euo pipefail
src=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cat > "$tmp/CMakeLists.txt" <<CM
cmake_minimum_required(VERSION 3.20)
project(options C)
find_package(PkgConfig REQUIRED)
set(FUNCP_BUILD_PLUGIN_DIR \${CMAKE_BINARY_DIR}/plugins)
set(FUNCP_PLUGIN_INSTALL_DIR lib/funcp/plugins)
include($src/cmake/FuncpPlugin.cmake)
file(WRITE \${CMAKE_BINARY_DIR}/p.c "int funcp_options_test;\n")
funcp_plugin(runtime-missing SOURCES \${CMAKE_BINARY_DIR}/p.c PKG_MODULES funcp-no-such-module)
funcp_plugin(runtime-present SOURCES \${CMAKE_BINARY_DIR}/p.c PKG_MODULES json-c)
CM

# configure <expected rc> <missing value> <present value>; output in $out
configure() {
  rm -rf "$tmp/b"
  set +e
  out=$(cmake -S "$tmp" -B "$tmp/b" -DFUNCP_PLUGIN_RUNTIME_MISSING="$2" \
          -DFUNCP_PLUGIN_RUNTIME_PRESENT="$3" 2>&1)
  rc=$?
  set -e
  out=$(tr -s ' \n' '  ' <<<"$out")   # CMake wraps long messages
  if [ "$1" = 0 ]; then [ "$rc" = 0 ] || fail "configure $2/$3 failed: $out"
  else [ "$rc" != 0 ] || fail "configure $2/$3 succeeded: $out"; fi
}

configure 0 AUTO AUTO
grep -q "plugin runtime-missing: skipped (AUTO), funcp-no-such-module not found" <<<"$out" ||
  fail "AUTO did not say why it skipped: $out"
grep -q "plugin runtime-present: on" <<<"$out" || fail "AUTO with json-c present: $out"

for on in ON on TRUE 1; do
  configure 1 "$on" AUTO
  grep -q "FUNCP_PLUGIN_RUNTIME_MISSING=ON but funcp-no-such-module was not" <<<"$out" ||
    fail "ON ($on) with a missing dependency: no clear message: $out"
done

configure 0 OFF off
grep -q "plugin runtime-missing: off" <<<"$out" || fail "OFF: $out"
grep -q "plugin runtime-present: off" <<<"$out" || fail "off (lower case): $out"

configure 0 OFF ON
grep -q "plugin runtime-present: on" <<<"$out" || fail "ON with json-c present: $out"

configure 1 maybe AUTO
grep -q 'FUNCP_PLUGIN_RUNTIME_MISSING is "maybe"; use AUTO, ON or OFF' <<<"$out" ||
  fail "an invalid value was not refused clearly: $out"
echo "ok: FUNCP_PLUGIN_<NAME> AUTO/ON/OFF"
