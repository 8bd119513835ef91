// Watermark bookkeeping: max event time per partition, idle detection, monotone minimum.

#include "engine/runtime/watermark_tracker.h"

#include <algorithm>

namespace shardflow::runtime {

void WatermarkTracker::add(PartitionId partition) {
    EventTime start = current_ == kMinEventTime ? kMinEventTime
                                                : current_ + options_.out_of_orderness.count() + 1;
    partitions_.try_emplace(partition, PartitionState{start, clock_.now_ms()});
}

void WatermarkTracker::observe(PartitionId partition, EventTime max_event_time) {
    auto [it, inserted] = partitions_.try_emplace(partition, PartitionState{max_event_time, 0});
    it->second.max_event_time = std::max(it->second.max_event_time, max_event_time);
    it->second.last_record_ms = clock_.now_ms();
}

void WatermarkTracker::finish(PartitionId partition) {
    partitions_.erase(partition);
}

EventTime WatermarkTracker::advance() {
    EpochMillis now = clock_.now_ms();
    EventTime lowest = kMaxEventTime;
    bool any_active = false;
    for (const auto& [id, p] : partitions_) {
        if (now - p.last_record_ms >= options_.idle_timeout.count()) {
            continue;
        }
        any_active = true;
        lowest = std::min(lowest, p.max_event_time);
    }
    if (any_active && lowest != kMinEventTime) {
        current_ = std::max(current_, lowest - options_.out_of_orderness.count() - 1);
    }
    return current_;
}

}  // namespace shardflow::runtime
