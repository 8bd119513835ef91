#pragma once
// Keyed interval join of two streams: a left record l and a right record r with the same key
// join when lower <= r.time - l.time <= upper (Flink's intervalJoin between(lower, upper);
// SQL's `r.ts BETWEEN l.ts + lower AND l.ts + upper`). Each side is buffered per key until the
// watermark says no record of the other side can still match it; a left join then emits the
// left records that never matched, with no right.

#include "engine/runtime/downstream.h"
#include "engine/runtime/pipeline.h"
#include "engine/runtime/state_codec.h"

#include <fmt/format.h>

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <unordered_map>
#include <variant>

namespace shardflow::ops {

template <class K, class L, class R>
struct JoinResult {
    K key;
    L left;
    std::optional<R> right;  // empty only in a left join, for a left record that never matched

    bool operator==(const JoinResult&) const = default;
};

/// Input std::variant<L, R> (from connect()). Threading: one instance per worker.
template <class T, class K>
class IntervalJoinOperator final : public runtime::Downstream<T>, public runtime::Stateful {
public:
    using L = std::variant_alternative_t<0, T>;
    using R = std::variant_alternative_t<1, T>;
    using Result = JoinResult<K, L, R>;

    struct Options {
        runtime::EventTime lower_ms;
        runtime::EventTime upper_ms;
        bool left_outer = false;
    };

    IntervalJoinOperator(Options options,
                         std::function<K(const T&)> key,
                         std::function<runtime::EventTime(const T&)> event_time,
                         runtime::Downstream<Result>& next)
        : options_(options)
        , key_(std::move(key))
        , event_time_(std::move(event_time))
        , next_(next) {}

    void on_batch(std::span<T> batch) override {
        for (T& record : batch) {
            runtime::EventTime t = event_time_(record);
            if (watermark_ != runtime::kMinEventTime && t <= watermark_) {
                ++late_records_;  // the other side may already have dropped its matches
                continue;
            }
            K key = key_(record);
            Sides& sides = keys_[key];
            if (record.index() == 0) {
                Left left{std::get<0>(std::move(record)), false};
                auto end = sides.rights.upper_bound(t + options_.upper_ms);
                for (auto it = sides.rights.lower_bound(t + options_.lower_ms); it != end; ++it) {
                    out_.push_back(Result{key, left.value, it->second});
                    left.matched = true;
                }
                expiry_.emplace(t + options_.upper_ms, key);
                sides.lefts.emplace(t, std::move(left));
            } else {
                R right = std::get<1>(std::move(record));
                auto end = sides.lefts.upper_bound(t - options_.lower_ms);
                for (auto it = sides.lefts.lower_bound(t - options_.upper_ms); it != end; ++it) {
                    out_.push_back(Result{key, it->second.value, right});
                    it->second.matched = true;
                }
                expiry_.emplace(t - options_.lower_ms, key);
                sides.rights.emplace(t, std::move(right));
            }
        }
        flush();
    }

    void on_watermark(runtime::EventTime watermark) override {
        watermark_ = std::max(watermark_, watermark);
        while (!expiry_.empty() && expiry_.begin()->first <= watermark_) {
            auto node = expiry_.extract(expiry_.begin());
            auto it = keys_.find(node.mapped());
            if (it != keys_.end()) {
                expire(it->first, it->second);
                if (it->second.lefts.empty() && it->second.rights.empty()) {
                    keys_.erase(it);
                }
            }
        }
        flush();
        next_.on_watermark(watermark);
    }

    void on_end() override { next_.on_end(); }

    void snapshot(runtime::StateWriter& w) const override {
        runtime::encode(w, watermark_);
        runtime::encode(w, late_records_);
        runtime::encode_if_encodable<K, L, R>(w, [this](runtime::StateWriter& out) {
            if constexpr (runtime::kEncodable<K, L, R>) {
                runtime::encode(out, keys_);
                runtime::encode(out, expiry_);
            }
        });
    }
    void restore(runtime::StateReader& r) override {
        runtime::decode(r, watermark_);
        runtime::decode(r, late_records_);
        runtime::decode_if_encodable<K, L, R>(r, [this](runtime::StateReader& in) {
            if constexpr (runtime::kEncodable<K, L, R>) {
                runtime::decode(in, keys_);
                runtime::decode(in, expiry_);
            }
        });
    }

    uint64_t late_records() const { return late_records_; }

private:
    struct Left {
        L value;
        bool matched;
        static auto fields(auto& self) { return std::tie(self.value, self.matched); }
    };
    struct Sides {
        std::multimap<runtime::EventTime, Left> lefts;  // by event time
        std::multimap<runtime::EventTime, R> rights;
        static auto fields(auto& self) { return std::tie(self.lefts, self.rights); }
    };

    /// Drops what no future record can match: with the watermark at w, future rights have
    /// times > w, so a left at t is done once t + upper <= w; a right at t once t - lower <= w.
    void expire(const K& key, Sides& sides) {
        while (!sides.lefts.empty() &&
               sides.lefts.begin()->first + options_.upper_ms <= watermark_) {
            auto node = sides.lefts.extract(sides.lefts.begin());
            if (options_.left_outer && !node.mapped().matched) {
                out_.push_back(Result{key, std::move(node.mapped().value), std::nullopt});
            }
        }
        while (!sides.rights.empty() &&
               sides.rights.begin()->first - options_.lower_ms <= watermark_) {
            sides.rights.erase(sides.rights.begin());
        }
    }

    void flush() {
        if (!out_.empty()) {
            next_.on_batch(out_);
            out_.clear();
        }
    }

    Options options_;
    std::function<K(const T&)> key_;
    std::function<runtime::EventTime(const T&)> event_time_;
    runtime::Downstream<Result>& next_;
    std::unordered_map<K, Sides> keys_;
    std::multimap<runtime::EventTime, K> expiry_;  // when a key may have records to drop
    std::vector<Result> out_;
    runtime::EventTime watermark_ = runtime::kMinEventTime;
    uint64_t late_records_ = 0;
};

/// The spec KeyedStream::apply takes, on a connect()ed stream:
/// `IntervalJoin(-5min, 10min)` or `IntervalJoin(0s, 10min).left()`.
class IntervalJoin {
public:
    template <class T, class K>
    using Output = typename IntervalJoinOperator<T, K>::Result;

    IntervalJoin(std::chrono::milliseconds lower, std::chrono::milliseconds upper)
        : lower_ms_(lower.count())
        , upper_ms_(upper.count()) {}

    /// Keeps left records that never matched, with an empty right.
    IntervalJoin left() && {
        left_outer_ = true;
        return std::move(*this);
    }

    bool needs_event_time() const { return true; }

    std::string describe() const {
        return fmt::format("interval_join({} ms, {} ms, {})",
                           lower_ms_,
                           upper_ms_,
                           left_outer_ ? "left" : "inner");
    }

    template <class T, class K>
    runtime::Downstream<T>& build(runtime::StageArena& arena,
                                  std::function<K(const T&)> key,
                                  std::function<runtime::EventTime(const T&)> event_time,
                                  runtime::Downstream<Output<T, K>>& next) const {
        return arena.make<IntervalJoinOperator<T, K>>(
            typename IntervalJoinOperator<T, K>::Options{lower_ms_, upper_ms_, left_outer_},
            std::move(key),
            std::move(event_time),
            next);
    }

private:
    runtime::EventTime lower_ms_;
    runtime::EventTime upper_ms_;
    bool left_outer_ = false;
};

}  // namespace shardflow::ops
