#!/usr/bin/env bash
# Every test on a fresh machine: install what is missing, build with -Werror, run all tests,
# then the unit tests again under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh

./scripts/build.sh ci
ctest --test-dir build/ci --output-on-failure -j 2 --timeout 600

if [ "${SHARDFLOW_SKIP_SANITIZERS:-0}" != 1 ]; then
    ./scripts/build.sh debug
    ctest --test-dir build/debug --output-on-failure -j 2 --timeout 900 -L unit
fi
