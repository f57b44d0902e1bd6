#!/usr/bin/env bash
# Installs what funcp needs, then builds and runs every test:
#   1. gcc, warnings as errors: the whole suite (unit + end to end, and the
#      soak test, label soak: only here);
#   2. clang, warnings as errors, with the libFuzzer targets: short fuzz runs;
#   3. ASan + UBSan: the whole suite again;
#   4. valgrind memcheck: the loader, parser and client unit tests.
# Build trees go to build/ci-*; the tests' npm packages are cached in
# build/test-cache (never in the user's cache), so a second run is much
# faster. Ends with the skipped tests of every stage and why.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

jobs=$(nproc)
ctest_args=(--output-on-failure --no-tests=error -j "$jobs")
# The tests' own caches (js-wasi toolchain via XDG_CACHE_HOME, npm's
# downloads), shared by every stage and run here; the user's are untouched.
test_cache=$PWD/build/test-cache

step() { printf '\n==> %s\n' "$*"; }

# run_ctest <stage> <build dir> <ctest args...>: the stage's skipped tests
# and their reasons are collected for the summary at the end.
skips=$(mktemp)
run_ctest() {
  local stage=$1 dir=$2 rc=0
  shift 2
  ctest --test-dir "$dir" "$@" 2>&1 | tee "$dir/ctest.out" || rc=$?
  scripts/skip-summary.sh "$stage" "$dir" >>"$skips" || true
  return "$rc"
}
summary() {
  local rc=$?
  if [ -s "$skips" ]; then
    printf '\n==> Skipped tests, by stage\n'
    cat "$skips"
  fi
  rm -f "$skips"
  exit "$rc"
}
trap summary EXIT

step "gcc build (-Werror) and the whole suite"
cmake -S . -B build/ci-gcc -DCMAKE_C_COMPILER=gcc -DFUNCP_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DFUNCP_TEST_CACHE_DIR="$test_cache"
cmake --build build/ci-gcc -j "$jobs"
run_ctest gcc build/ci-gcc "${ctest_args[@]}"

step "clang build (-Werror) and short fuzz runs"
cmake -S . -B build/ci-clang -DCMAKE_C_COMPILER=clang -DFUNCP_WERROR=ON -DFUNCP_FUZZ=ON \
  -DFUNCP_TEST_CACHE_DIR="$test_cache"
cmake --build build/ci-clang -j "$jobs"
run_ctest clang-fuzz build/ci-clang -L fuzz "${ctest_args[@]}"

step "ASan + UBSan build and the whole suite (but the soak test)"
cmake -S . -B build/ci-asan -DCMAKE_C_COMPILER=gcc -DFUNCP_WERROR=ON -DFUNCP_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug \
  -DFUNCP_TEST_CACHE_DIR="$test_cache"
cmake --build build/ci-asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  run_ctest asan build/ci-asan -LE soak "${ctest_args[@]}"

step "valgrind memcheck: loader, parsers and clients"
cmake -S . -B build/ci-valgrind -DCMAKE_C_COMPILER=gcc -DFUNCP_WERROR=ON -DFUNCP_VALGRIND=ON -DCMAKE_BUILD_TYPE=Debug \
  -DFUNCP_TEST_CACHE_DIR="$test_cache"
cmake --build build/ci-valgrind -j "$jobs"
run_ctest valgrind build/ci-valgrind -L valgrind "${ctest_args[@]}"

step "all test runs passed"
