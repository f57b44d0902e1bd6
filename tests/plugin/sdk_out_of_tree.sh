#!/usr/bin/env bash
# A third party builds a plugin against the *installed* SDK alone:
#  1. cmake --install the build (components core + sdk) into a temp prefix;
#  2. build sdk/examples/minimal out of tree with pkg-config, and again with
#     find_package(funcp) via CMAKE_PREFIX_PATH;
#  3. fp_plugins_load (test_plugin_driver) loads the first build and refuses
#     the second as a duplicate name; the installed funcp (relocated prefix)
#     lists it with `funcp plugins -o json` through FUNCP_PLUGIN_PATH, and
#     `funcp create -l hello-demo` runs its create callback.
# Usage: sdk_out_of_tree.sh <funcp build dir> <example source dir> <driver>
set -euo pipefail
build=$1 example=$2 driver=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix

fail() { echo "FAIL: $*" >&2; exit 1; }

for component in core sdk; do
  cmake --install "$build" --prefix "$prefix" --component "$component" >/dev/null
done
[ -f "$prefix/include/funcp/plugin.h" ] || fail "plugin.h not installed"
pc=$(find "$prefix" -name funcp-plugin.pc -print -quit)
[ -n "$pc" ] || fail "funcp-plugin.pc not installed"
[ -n "$(find "$prefix" -name funcpConfigVersion.cmake -print -quit)" ] || fail "no funcpConfigVersion.cmake"

# --- pkg-config ----------------------------------------------------------
export PKG_CONFIG_PATH=$(dirname "$pc")
cflags=$(pkg-config --cflags funcp-plugin)
inc=${cflags#-I}; inc=${inc%% *}
[ "$(realpath "$inc")" = "$(realpath "$prefix/include")" ] ||
  fail "pkg-config --cflags gave '$cflags', want the installed include dir"
[ -z "$(pkg-config --libs funcp-plugin)" ] || fail "plugins must link nothing"
cmake -S "$example" -B "$tmp/b-pc" -DUSE_PKG_CONFIG=ON >/dev/null
cmake --build "$tmp/b-pc" >/dev/null
[ -f "$tmp/b-pc/runtime-hello-demo.so" ] || fail "pkg-config build produced no runtime-hello-demo.so"
unset PKG_CONFIG_PATH

# --- find_package(funcp) --------------------------------------------------
cmake -S "$example" -B "$tmp/b-cmake" -DCMAKE_PREFIX_PATH="$prefix" \
      -DCMAKE_INSTALL_PREFIX="$tmp/plugin-prefix" >/dev/null
cmake --build "$tmp/b-cmake" >/dev/null
cmake --install "$tmp/b-cmake" >/dev/null
installed=$(find "$tmp/plugin-prefix" -path '*/funcp/plugins/runtime-hello-demo.so' -print -quit)
[ -n "$installed" ] || fail "find_package build did not install to FUNCP_PLUGIN_INSTALL_DIR"
# Only funcp_plugin_get_v1 is exported.
exports=$(nm -D --defined-only "$tmp/b-cmake/runtime-hello-demo.so" | awk '$2 == "T" {print $3}')
[ "$exports" = "funcp_plugin_get_v1" ] || fail "exported: $exports"
# SameMajorVersion: asking for another major must fail.
mkdir -p "$tmp/major"
printf 'cmake_minimum_required(VERSION 3.20)\nproject(m C)\nfind_package(funcp 99 REQUIRED)\n' \
  > "$tmp/major/CMakeLists.txt"
if cmake -S "$tmp/major" -B "$tmp/major/b" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null 2>&1; then
  fail "find_package(funcp 99) accepted funcp $(cat "$build/CMakeCache.txt" | sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p')"
fi

# --- loading --------------------------------------------------------------
FUNCP_PLUGIN_PATH="$tmp/b-pc:$tmp/b-cmake" "$driver" > "$tmp/driver.json"
python3 - "$tmp/driver.json" "$tmp" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1])); tmp = sys.argv[2]
mine = [p for p in doc["plugins"] if p["name"] == "runtime-hello-demo"]
assert len(mine) == 1, doc
assert mine[0]["path"] == tmp + "/b-pc/runtime-hello-demo.so", mine
assert mine[0]["runtimes"] == ["hello-demo"], mine
dup = [r for r in doc["refused"] if r["path"] == tmp + "/b-cmake/runtime-hello-demo.so"]
assert len(dup) == 1 and dup[0]["reason"] == "duplicate-name", doc["refused"]
print("ok: fp_plugins_load loads the pc build, refuses the find_package build as duplicate")
PY

# The installed funcp (relocated prefix) lists it.
funcp=$prefix/bin/funcp
FUNCP_PLUGIN_PATH="$tmp/b-cmake" "$funcp" plugins -o json > "$tmp/plugins.json"
python3 - "$tmp/plugins.json" "$tmp/b-cmake/runtime-hello-demo.so" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1])); want = sys.argv[2]
def objects(x):
    if isinstance(x, dict):
        yield x
        for v in x.values(): yield from objects(v)
    elif isinstance(x, list):
        for v in x: yield from objects(v)
found = [o for o in objects(doc) if o.get("name") == "runtime-hello-demo"]
assert found, "runtime-hello-demo not listed: %s" % doc
assert any(o.get("path") == want for o in found), found
print("ok: installed funcp plugins -o json lists runtime-hello-demo from", want)
PY

# The build tree's funcp too.
FUNCP_PLUGIN_PATH="$tmp/b-pc" "$build/funcp" plugins -o json > "$tmp/plugins-build.json"
python3 - "$tmp/plugins-build.json" "$tmp/b-pc/runtime-hello-demo.so" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
assert any(p.get("name") == "runtime-hello-demo" and p.get("path") == sys.argv[2]
           for p in doc["plugins"]), doc
print("ok: build-tree funcp plugins -o json lists runtime-hello-demo")
PY

# And its runtime works: create calls the plugin's callback.
(cd "$tmp" && FUNCP_PLUGIN_PATH="$tmp/b-cmake" "$funcp" create -l hello-demo -t greeting hello >/dev/null)
grep -qx 'Hello from the greeting template of hello-demo!' "$tmp/hello/hello.txt" ||
  fail "create -l hello-demo did not run the plugin's create"
grep -q '^runtime: hello-demo$' "$tmp/hello/func.yaml" || fail "func.yaml does not record runtime hello-demo"
echo "ok: funcp create -l hello-demo ran the example plugin's create"
