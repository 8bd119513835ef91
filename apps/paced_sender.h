#pragma once
// Producing at a steady rate, as the Kinesis Data Generator does: generated records go out
// through a PutRecords batcher in one round every tick, as many per round as the rate says
// are due, until a count, a deadline or a stop.

#include "connectors/kinesis_client/put_records_batcher.h"
#include "connectors/record_template/record_generator.h"

#include <chrono>
#include <cstdint>
#include <functional>

namespace shardflow::app {

struct Pacing {
    double rate = 100;  // records per second
    uint64_t limit = UINT64_MAX;
    std::chrono::steady_clock::time_point end = std::chrono::steady_clock::time_point::max();
    std::chrono::milliseconds tick{100};  // at 100 records/s, PutRecords calls of 10
    /// Waits up to the given time between rounds; true means stop now.
    std::function<bool(std::chrono::milliseconds)> pause;
    /// After every round, with the seconds since the start.
    std::function<void(const connectors::PutRecordsBatcherStats&, double elapsed_s)> progress;
};

/// Runs to the end, flushes, and counts what is still pending after the batcher's retries as
/// failed. The error is the first delivery error that stopped the run, if any.
Status send_paced(connectors::RecordGenerator& generator,
                  connectors::PutRecordsBatcher& batcher,
                  const Pacing& pacing);

}  // namespace shardflow::app
