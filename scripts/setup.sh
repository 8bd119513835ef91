#!/usr/bin/env bash
# Installs, when missing, the Debian 12 packages that shardflow's build, tests and benchmarks need.
set -euo pipefail

packages=(
    build-essential cmake ninja-build pkg-config
    libtbb-dev libboost1.81-dev libboost-json1.81-dev libsqlite3-dev libfmt-dev
    libbenchmark-dev libgtest-dev libgmock-dev libssl-dev libedit-dev zlib1g-dev
    clang libclang-rt-14-dev
    awscli python3-boto3 wrk openssl
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "setup: installing ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
