#!/usr/bin/env bash
# Every test on a fresh machine: install what is missing, build with -Werror, run all tests,
# then the unit tests again under AddressSanitizer + UndefinedBehaviorSanitizer, then a short
# fuzz run of the request decoder.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh

./scripts/build.sh ci
ctest --test-dir build/ci --output-on-failure -j 2 --timeout 600

if [ "${SHARDFLOW_SKIP_SANITIZERS:-0}" != 1 ]; then
    ./scripts/build.sh debug
    ctest --test-dir build/debug --output-on-failure -j 2 --timeout 900 -L unit
fi

if [ "${SHARDFLOW_SKIP_FUZZ:-0}" != 1 ]; then
    # A short libFuzzer run of the request decoder from the committed seeds (clang + ASan/UBSan).
    ./scripts/build.sh fuzz
    corpus=$(mktemp -d)
    build/fuzz/tests/fuzz/kinesis_request_fuzz -max_total_time="${SHARDFLOW_FUZZ_SECONDS:-30}" \
        -dict=tests/fuzz/kinesis_request.dict "$corpus" tests/fuzz/corpus 2>&1 | tail -n 5
    rm -rf "$corpus"
fi
