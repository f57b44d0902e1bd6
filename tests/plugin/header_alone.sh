#!/usr/bin/env bash
# plugin.h must compile on its own as strict C99 (a plugin author's compiler
# flags are not ours). Usage: header_alone.sh <cc> <sdk include dir> <work dir>
# Exits 77 (skipped) when the compiler is not installed.
set -euo pipefail
cc=$1 include=$2 work=$3
if ! command -v "$cc" >/dev/null 2>&1; then
  echo "skipped: $cc not found"
  exit 77
fi
src=$work/header_alone_$cc.c
# Included twice to check the include guard; uses the macros a plugin uses.
cat > "$src" <<'C'
#include <funcp/plugin.h>
#include <funcp/plugin.h>
static const funcp_plugin descriptor = {
    sizeof(funcp_plugin), FUNCP_PLUGIN_ABI_MAJOR, FUNCP_PLUGIN_ABI_MINOR,
    "header-alone", "1", "compiled alone", "MIT",
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};
FUNCP_PLUGIN_DEFINE(descriptor)
int header_alone_has_member(const funcp_host *host);
int header_alone_has_member(const funcp_host *host)
{
    return funcp_host_has(host, kube_watch);
}
C
"$cc" -std=c99 -pedantic -Wall -Wextra -Werror -fsyntax-only -I "$include" "$src"
echo "ok: plugin.h compiles alone with $cc -std=c99 -pedantic -Wall -Wextra -Werror"
