#pragma once
// Keyed deduplication: the first record of a key passes; later records of the same key less than
// `within` away from it in event time are dropped and counted. One further away passes again.
// Producers that retry (at-least-once) send duplicates with the same id: key by the id.

#include "engine/runtime/downstream.h"
#include "engine/runtime/pipeline.h"
#include "engine/runtime/state_codec.h"

#include <fmt/format.h>

#include <chrono>
#include <functional>
#include <map>
#include <unordered_map>

namespace shardflow::ops {

/// Threading: one instance per worker.
template <class T, class K>
class DeduplicateOperator final : public runtime::Downstream<T>, public runtime::Stateful {
public:
    using Result = T;

    DeduplicateOperator(runtime::EventTime within_ms,
                        std::function<K(const T&)> key,
                        std::function<runtime::EventTime(const T&)> event_time,
                        runtime::Downstream<T>& next)
        : within_ms_(within_ms)
        , key_(std::move(key))
        , event_time_(std::move(event_time))
        , next_(next) {}

    void on_batch(std::span<T> batch) override {
        for (T& record : batch) {
            runtime::EventTime t = event_time_(record);
            auto [it, first] = passed_.try_emplace(key_(record), t);
            if (!first && t > it->second - within_ms_ && t < it->second + within_ms_) {
                ++duplicates_;
                continue;
            }
            if (!first) {
                it->second = t;
            }
            expiry_.emplace(t + within_ms_, it->first);
            out_.push_back(std::move(record));
        }
        if (!out_.empty()) {
            next_.on_batch(out_);
            out_.clear();
        }
    }

    /// Keys whose window the watermark has passed are forgotten: their next record passes.
    void on_watermark(runtime::EventTime watermark) override {
        while (!expiry_.empty() && expiry_.begin()->first <= watermark) {
            auto node = expiry_.extract(expiry_.begin());
            auto it = passed_.find(node.mapped());
            if (it != passed_.end() && it->second + within_ms_ <= watermark) {
                passed_.erase(it);
            }
        }
        next_.on_watermark(watermark);
    }

    void on_end() override { next_.on_end(); }

    void snapshot(runtime::StateWriter& w) const override {
        runtime::encode(w, duplicates_);
        runtime::encode_if_encodable<K>(w, [this](runtime::StateWriter& out) {
            if constexpr (runtime::kEncodable<K>) {
                runtime::encode(out, passed_);
                runtime::encode(out, expiry_);
            }
        });
    }
    void restore(runtime::StateReader& r) override {
        runtime::decode(r, duplicates_);
        runtime::decode_if_encodable<K>(r, [this](runtime::StateReader& in) {
            if constexpr (runtime::kEncodable<K>) {
                runtime::decode(in, passed_);
                runtime::decode(in, expiry_);
            }
        });
    }

    uint64_t duplicates() const { return duplicates_; }

private:
    runtime::EventTime within_ms_;
    std::function<K(const T&)> key_;
    std::function<runtime::EventTime(const T&)> event_time_;
    runtime::Downstream<T>& next_;
    std::unordered_map<K, runtime::EventTime>
        passed_;  // key -> event time of the record that passed
    std::multimap<runtime::EventTime, K> expiry_;
    std::vector<T> out_;
    uint64_t duplicates_ = 0;
};

/// The spec KeyedStream::apply takes: `key_by(&Event::id).apply(Deduplicate(10min))`.
class Deduplicate {
public:
    template <class T, class K>
    using Output = T;

    explicit Deduplicate(std::chrono::milliseconds within)
        : within_ms_(within.count()) {}

    bool needs_event_time() const { return true; }
    std::string describe() const { return fmt::format("deduplicate(within {} ms)", within_ms_); }

    template <class T, class K>
    runtime::Downstream<T>& build(runtime::StageArena& arena,
                                  std::function<K(const T&)> key,
                                  std::function<runtime::EventTime(const T&)> event_time,
                                  runtime::Downstream<T>& next) const {
        return arena.make<DeduplicateOperator<T, K>>(
            within_ms_, std::move(key), std::move(event_time), next);
    }

private:
    runtime::EventTime within_ms_;
};

}  // namespace shardflow::ops
