#!/usr/bin/env bash
# The main job on a fresh machine: install what is missing, build, run `shardflow <args>`.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh release
exec ./build/release/apps/shardflow "${@:-demo}"
