# Shared setup of the Kubernetes end-to-end scripts. Source it after
# `set -u`: it checks the test environment, points funcp at the build
# tree's plugins, makes WORK (removed at exit) and kills every PID in
# PIDS at exit; fail/ok count and print checks.
: "${FUNCP:?}" "${FUNCP_TEST_SOURCE_DIR:?}" "${FUNCP_TEST_BUILD_DIR:?}"
export FUNCP_PLUGIN_PATH="$FUNCP_TEST_BUILD_DIR/plugins"
SERVER="$FUNCP_TEST_SOURCE_DIR/tests/kube/fake_apiserver.py"
WORK=$(mktemp -d)
PIDS=()
kube_cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
    rm -rf "$WORK"
}
trap kube_cleanup EXIT INT TERM
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
