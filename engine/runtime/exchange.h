#pragma once
// The exchange between the reader side and the workers: routes each record to the worker that
// owns its key (hash partitioning), or keeps a partition's records together on one worker when
// the stream is not keyed, and tracks the newest event time for the watermark.

#include "engine/runtime/downstream.h"
#include "engine/runtime/source.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace shardflow::runtime {

/// Spreads a hash over [0, n) with the high bits of a multiplicative mix, so that the workers'
/// hash tables (which use the low bits) stay balanced. n < 2^32.
inline size_t worker_of(size_t hash, size_t n) {
    uint64_t mixed = (static_cast<uint64_t>(hash) * 0x9E3779B97F4A7C15ull) >> 32;
    return static_cast<size_t>((mixed * n) >> 32);
}

/// How the exchange sees a record: its worker routing and its event time (both optional).
template <class T>
struct ExchangeSpec {
    std::function<size_t(const T&)> key_hash;  // unset: the whole partition goes to one worker
    std::function<EventTime(const T&)> event_time;
};

/// The tail of one partition's reader chain. Threading: one per partition.
template <class T>
class ExchangeWriter final : public Downstream<T> {
public:
    ExchangeWriter(const ExchangeSpec<T>& spec, PartitionId partition, size_t workers)
        : spec_(spec)
        , partition_(partition)
        , outboxes_(workers) {}

    void on_batch(std::span<T> batch) override {
        if (spec_.event_time) {
            for (const T& record : batch) {
                max_event_time_ = std::max(max_event_time_, spec_.event_time(record));
            }
        }
        if (!spec_.key_hash) {
            auto& out = outboxes_[partition_ % outboxes_.size()];
            std::move(batch.begin(), batch.end(), std::back_inserter(out));
            return;
        }
        for (T& record : batch) {
            outboxes_[worker_of(spec_.key_hash(record), outboxes_.size())].push_back(
                std::move(record));
        }
    }
    void on_watermark(EventTime) override {}  // the executor combines watermarks across partitions
    void on_end() override {}

    std::vector<T>& outbox(size_t worker) { return outboxes_[worker]; }
    /// The newest event time since the last call.
    EventTime take_max_event_time() { return std::exchange(max_event_time_, kMinEventTime); }

private:
    const ExchangeSpec<T>& spec_;
    PartitionId partition_;
    std::vector<std::vector<T>> outboxes_;
    EventTime max_event_time_ = kMinEventTime;
};

/// Where one worker's chain takes what an exchange routed to it: batches, then the watermark,
/// each watermark once.
template <class T>
class WorkerInbox {
public:
    void set_head(Downstream<T>& head) { head_ = &head; }
    Downstream<T>& head() { return *head_; }

    /// Hands over what `box` holds and empties it.
    void take(std::vector<T>& box) {
        if (!box.empty()) {
            head_->on_batch(box);
            box.clear();
        }
    }
    void advance(EventTime watermark) {
        if (watermark > last_watermark_) {
            last_watermark_ = watermark;
            head_->on_watermark(watermark);
        }
    }

private:
    Downstream<T>* head_ = nullptr;
    EventTime last_watermark_ = kMinEventTime;
};

}  // namespace shardflow::runtime
