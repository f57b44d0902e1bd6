#!/usr/bin/env bash
# The real-toolchain build of go-wasi (see e2e_real_toolchain.sh).
exec bash "$(dirname "$0")/e2e_real_toolchain.sh" go-wasi
