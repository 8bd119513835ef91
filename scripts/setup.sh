#!/usr/bin/env bash
# Installs, when missing, the Debian 12 packages that shardflow's build, tests and benchmarks need.
set -euo pipefail

packages=(
    build-essential cmake ninja-build pkg-config
    libtbb-dev libboost1.81-dev libboost-json1.81-dev libsqlite3-dev libfmt-dev
    libbenchmark-dev libgtest-dev libgmock-dev libssl-dev libedit-dev zlib1g-dev libnghttp2-dev libre2-dev
    clang libclang-rt-14-dev
    awscli python3-boto3 python3-cbor2 python3-h2 wrk openssl curl nghttp2-client chromium
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

# The AWS SDK for JavaScript v3 for the end-to-end tests of HTTP/2 (npm, into a folder outside
# the sources; tests/e2e finds it through the same variable).
node_dir="${SHARDFLOW_NODE_DIR:-$HOME/.cache/shardflow/node}"
js_sdk="@aws-sdk/client-kinesis@3.1143.0"
if ! [ -f "$node_dir/node_modules/@aws-sdk/client-kinesis/package.json" ]; then
    if ! command -v npm > /dev/null; then
        sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nodejs npm
    fi
    echo "setup: installing $js_sdk into $node_dir"
    mkdir -p "$node_dir"
    (cd "$node_dir" && npm install --no-audit --no-fund --silent "$js_sdk")
fi
