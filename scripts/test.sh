#!/usr/bin/env bash
# Installs what funcp needs, then builds and runs every test:
#   1. gcc, warnings as errors: the whole suite (unit + end to end, and the
#      soak test, label soak: only here);
#   2. clang, warnings as errors, with the libFuzzer targets: short fuzz runs;
#   3. ASan + UBSan: the whole suite again;
#   4. valgrind memcheck: the loader, parser and client unit tests.
# Build trees go to build/ci-*; npm packages are cached per user, so a second
# run is much faster.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

jobs=$(nproc)
ctest_args=(--output-on-failure --no-tests=error -j "$jobs")

step() { printf '\n==> %s\n' "$*"; }

step "gcc build (-Werror) and the whole suite"
cmake -S . -B build/ci-gcc -DCMAKE_C_COMPILER=gcc -DFUNCP_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build/ci-gcc -j "$jobs"
ctest --test-dir build/ci-gcc "${ctest_args[@]}"

step "clang build (-Werror) and short fuzz runs"
cmake -S . -B build/ci-clang -DCMAKE_C_COMPILER=clang -DFUNCP_WERROR=ON -DFUNCP_FUZZ=ON
cmake --build build/ci-clang -j "$jobs"
ctest --test-dir build/ci-clang -L fuzz "${ctest_args[@]}"

step "ASan + UBSan build and the whole suite (but the soak test)"
cmake -S . -B build/ci-asan -DCMAKE_C_COMPILER=gcc -DFUNCP_WERROR=ON -DFUNCP_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
cmake --build build/ci-asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build/ci-asan -LE soak "${ctest_args[@]}"

step "valgrind memcheck: loader, parsers and clients"
cmake -S . -B build/ci-valgrind -DCMAKE_C_COMPILER=gcc -DFUNCP_WERROR=ON -DFUNCP_VALGRIND=ON -DCMAKE_BUILD_TYPE=Debug
cmake --build build/ci-valgrind -j "$jobs"
ctest --test-dir build/ci-valgrind -L valgrind "${ctest_args[@]}"

step "all test runs passed"
