#!/usr/bin/env bash
# Every test on a fresh machine: install what is missing, build with -Werror, run all tests,
# then the unit tests again under AddressSanitizer + UndefinedBehaviorSanitizer, the runtime's
# tests and the SQL logic tests (queries on threads) under ThreadSanitizer, and short fuzz runs of
# the request decoder, the JSON scanner and the SQL parser.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh

./scripts/build.sh ci
ctest --test-dir build/ci --output-on-failure -j 2 --timeout 600

if [ "${SHARDFLOW_SKIP_SANITIZERS:-0}" != 1 ]; then
    ./scripts/build.sh debug
    ctest --test-dir build/debug --output-on-failure -j 2 --timeout 900 -L unit
fi

if [ "${SHARDFLOW_SKIP_SANITIZERS:-0}" != 1 ]; then
    # The store's tests (group commit and its commit threads), the dataflow runtime's, the SQL
    # engine's (statements on threads, cancelled runs)
    # and the Kinesis API's (the server's threads, SubscribeToShard's subscriptions) under
    # ThreadSanitizer.
    cmake --preset tsan > /dev/null
    runtime_tests=(store_log_test store_test runtime_test operators_test shard_source_test sql_logic_test sql_test service_test kinesis_api_test)
    cmake --build --preset tsan -j "${SHARDFLOW_JOBS:-2}" --target "${runtime_tests[@]}"
    for t in "${runtime_tests[@]}"; do
        TSAN_OPTIONS=halt_on_error=1 "build/tsan/tests/unit/$t" --gtest_brief=1
    done
fi

if [ "${SHARDFLOW_SKIP_FUZZ:-0}" != 1 ]; then
    # Short libFuzzer runs from the committed seeds (clang + ASan/UBSan): the request decoder,
    # HTTP/2 frames on a live connection, the JSON record scanner, the SQL parser, and the SQL
    # binder and planner (linked without any connector).
    ./scripts/build.sh fuzz kinesis_request_fuzz http2_frames_fuzz json_fields_fuzz sql_parser_fuzz sql_plan_fuzz
    corpus=$(mktemp -d)
    build/fuzz/tests/fuzz/kinesis_request_fuzz -max_total_time="${SHARDFLOW_FUZZ_SECONDS:-30}" \
        -dict=tests/fuzz/kinesis_request.dict "$corpus" tests/fuzz/corpus 2>&1 | tail -n 5
    rm -rf "$corpus"
    corpus=$(mktemp -d)
    build/fuzz/tests/fuzz/http2_frames_fuzz -max_total_time="${SHARDFLOW_FUZZ_SECONDS:-15}" \
        "$corpus" tests/fuzz/corpus_http2 2>&1 | tail -n 3
    rm -rf "$corpus"
    corpus=$(mktemp -d)
    build/fuzz/tests/fuzz/json_fields_fuzz -max_total_time="${SHARDFLOW_FUZZ_SECONDS:-15}" \
        -dict=tests/fuzz/kinesis_request.dict "$corpus" 2>&1 | tail -n 3
    rm -rf "$corpus"
    corpus=$(mktemp -d)
    build/fuzz/tests/fuzz/sql_parser_fuzz -max_total_time="${SHARDFLOW_FUZZ_SECONDS:-15}" \
        "$corpus" tests/fuzz/corpus/sql_parser 2>&1 | tail -n 3
    rm -rf "$corpus"
    corpus=$(mktemp -d)
    build/fuzz/tests/fuzz/sql_plan_fuzz -max_total_time="${SHARDFLOW_FUZZ_SECONDS:-15}" \
        "$corpus" tests/fuzz/corpus/sql_plan tests/fuzz/corpus/sql_parser 2>&1 | tail -n 3
    rm -rf "$corpus"
fi
