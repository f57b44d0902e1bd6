#!/usr/bin/env bash
# Installs what funcp needs to build, test and run its main job on Debian
# bookworm. Safe to run again: apt-get skips what is already there.
set -euo pipefail

packages=(
  build-essential cmake pkg-config clang
  libltdl-dev libyaml-dev libcurl4-openssl-dev libjson-c-dev libssl-dev libcmocka-dev
  valgrind libclang-rt-14-dev
  docker-registry skopeo apache2-utils openssl curl ca-certificates
  nodejs npm python3 procps
  hyperfine time jq
  zsh fish   # tests only: the completion scripts are loaded in their shells
)

missing=()
for p in "${packages[@]}"; do
  # A nodejs from NodeSource bundles npm and conflicts with Debian's npm package.
  [ "$p" = npm ] && command -v npm >/dev/null && continue
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y --no-install-recommends "${missing[@]}"
fi
