#pragma once
// Per-partition watermarks with bounded out-of-orderness; the stream's watermark is the minimum
// over the partitions that are neither finished nor idle.

#include "engine/common/clock.h"
#include "engine/runtime/event_time.h"
#include "engine/runtime/source.h"

#include <algorithm>
#include <chrono>
#include <map>

namespace shardflow::runtime {

struct WatermarkOptions {
    /// A record may arrive this much later than the newest event time of its partition.
    std::chrono::milliseconds out_of_orderness{0};
    /// A partition without records for this long (processing time) stops holding the
    /// watermark back, until it has records again.
    std::chrono::milliseconds idle_timeout{std::chrono::seconds(30)};
};

/// Watermark t promises no more records with event time <= t (Flink's convention): per partition
/// it is the newest event time seen minus the out-of-orderness, minus 1. Never goes back.
/// Threading: not thread-safe; the executor updates it between phases of a round.
class WatermarkTracker {
public:
    WatermarkTracker(WatermarkOptions options, const Clock& clock)
        : options_(options)
        , clock_(clock) {}

    /// A partition that is being read; a new one starts at the current watermark.
    void add(PartitionId partition);
    /// Records of `partition` arrived, the newest with event time `max_event_time`.
    void observe(PartitionId partition, EventTime max_event_time);
    /// The partition is closed and drained: it no longer holds the watermark back.
    void finish(PartitionId partition);
    /// Recomputes and returns the stream's watermark.
    EventTime advance();
    EventTime current() const { return current_; }
    /// Resuming from a checkpoint: the watermark never goes below the saved one.
    void restore(EventTime watermark) { current_ = std::max(current_, watermark); }

private:
    struct PartitionState {
        EventTime max_event_time;
        EpochMillis last_record_ms;
    };

    WatermarkOptions options_;
    const Clock& clock_;
    std::map<PartitionId, PartitionState> partitions_;
    EventTime current_ = kMinEventTime;
};

}  // namespace shardflow::runtime
