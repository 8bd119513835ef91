#!/usr/bin/env bash
# Configures and builds one CMake preset (default: release) with at most two jobs; further
# arguments name the targets to build (default: all).
#   scripts/build.sh ci        scripts/build.sh fuzz sql_parser_fuzz
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-release}"
shift || true
targets=()
if [ $# -gt 0 ]; then
    targets=(--target "$@")
fi
cmake --preset "$preset" > /dev/null
cmake --build --preset "$preset" -j "${SHARDFLOW_JOBS:-2}" "${targets[@]}"
