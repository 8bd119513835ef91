#!/usr/bin/env bash
# Long libFuzzer runs of the five fuzz targets (the request decoder on JSON and CBOR bodies, HTTP/2
# frames on a live connection, the JSON record scanner, the SQL parser, the SQL binder and
# planner), 10^7 executions each by default: hours on 2 cores, so
# not part of CI, which runs them for seconds (scripts/test.sh). Crashes are written to
# build/fuzz/crashes/.
#   scripts/fuzz.sh              SHARDFLOW_FUZZ_RUNS=1000000 scripts/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh fuzz kinesis_request_fuzz http2_frames_fuzz json_fields_fuzz sql_parser_fuzz sql_plan_fuzz
runs="${SHARDFLOW_FUZZ_RUNS:-10000000}"
mkdir -p build/fuzz/crashes
for target in kinesis_request_fuzz http2_frames_fuzz json_fields_fuzz sql_parser_fuzz sql_plan_fuzz; do
    corpus=$(mktemp -d)
    seeds=()
    case "$target" in
        kinesis_request_fuzz) seeds=(tests/fuzz/corpus) ;;
        http2_frames_fuzz) seeds=(tests/fuzz/corpus_http2) ;;
        sql_parser_fuzz) seeds=(tests/fuzz/corpus/sql_parser) ;;
        sql_plan_fuzz) seeds=(tests/fuzz/corpus/sql_plan tests/fuzz/corpus/sql_parser) ;;
    esac
    dict=()
    case "$target" in
        kinesis_request_fuzz | json_fields_fuzz) dict=(-dict=tests/fuzz/kinesis_request.dict) ;;
    esac
    echo "fuzz.sh: $target, $runs executions"
    "build/fuzz/tests/fuzz/$target" -runs="$runs" "${dict[@]}" \
        -artifact_prefix=build/fuzz/crashes/ "$corpus" "${seeds[@]}" 2>&1 | tail -n 3
    rm -rf "$corpus"
done
