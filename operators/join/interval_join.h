#pragma once
// Keyed interval join of two streams: a left record l and a right record r with the same key
// join when lower <= r.time - l.time <= upper (Flink's intervalJoin between(lower, upper);
// SQL's `r.ts BETWEEN l.ts + lower AND l.ts + upper`). Each side is buffered per key until the
// watermark says no record of the other side can still match it; a left join then emits the
// left records that never matched, with no right.

#include "operators/join/keyed_join.h"

#include <fmt/format.h>

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <unordered_map>
#include <variant>

namespace shardflow::ops {

/// Input std::variant<L, R> (from connect()). Threading: one instance per worker.
template <class T, class K>
class IntervalJoinOperator final : public KeyedJoinOperator<T, K> {
    using Base = KeyedJoinOperator<T, K>;
    using typename Base::L;
    using typename Base::Left;
    using typename Base::R;

public:
    using Base::Base;
    using typename Base::Result;

    void on_batch(std::span<T> batch) override {
        for (T& record : batch) {
            runtime::EventTime t = this->event_time_(record);
            if (this->watermark_ != runtime::kMinEventTime && t <= this->watermark_) {
                ++this->late_records_;  // the other side may already have dropped its matches
                continue;
            }
            K key = this->key_(record);
            Sides& sides = keys_[key];
            if (record.index() == 0) {
                Left left{std::get<0>(std::move(record)), false};
                auto end = sides.rights.upper_bound(t + this->options_.upper_ms);
                for (auto it = sides.rights.lower_bound(t + this->options_.lower_ms); it != end;
                     ++it) {
                    if (!this->emit(Result{key, left.value, it->second})) {
                        return;
                    }
                    left.matched = true;
                }
                schedule(key, sides, t + this->options_.upper_ms);
                sides.lefts.emplace(t, std::move(left));
            } else {
                R right = std::get<1>(std::move(record));
                auto end = sides.lefts.upper_bound(t - this->options_.lower_ms);
                for (auto it = sides.lefts.lower_bound(t - this->options_.upper_ms); it != end;
                     ++it) {
                    if (!this->emit(Result{key, it->second.value, right})) {
                        return;
                    }
                    it->second.matched = true;
                }
                schedule(key, sides, t - this->options_.lower_ms);
                sides.rights.emplace(t, std::move(right));
            }
        }
        this->flush();
    }

    void on_watermark(runtime::EventTime watermark) override {
        this->watermark_ = std::max(this->watermark_, watermark);
        while (!expiry_.empty() && expiry_.begin()->first <= this->watermark_) {
            auto node = expiry_.extract(expiry_.begin());
            auto it = keys_.find(node.mapped());
            if (it == keys_.end() || it->second.scheduled != node.key()) {
                continue;  // superseded by an earlier entry for the key, already handled
            }
            Sides& sides = it->second;
            expire(it->first, sides);
            sides.scheduled = runtime::kMaxEventTime;
            if (sides.lefts.empty() && sides.rights.empty()) {
                keys_.erase(it);
                continue;
            }
            runtime::EventTime next = runtime::kMaxEventTime;
            if (!sides.lefts.empty()) {
                next = sides.lefts.begin()->first + this->options_.upper_ms;
            }
            if (!sides.rights.empty()) {
                next = std::min(next, sides.rights.begin()->first - this->options_.lower_ms);
            }
            schedule(it->first, sides, next);
        }
        this->flush();
        this->next_.on_watermark(watermark);
    }

private:
    void save_state(runtime::StateWriter& w) const override {
        if constexpr (runtime::kEncodable<K, L, R>) {  // else the base refuses to checkpoint
            runtime::encode(w, keys_);
            runtime::encode(w, expiry_);
        }
    }
    void load_state(runtime::StateReader& r) override {
        if constexpr (runtime::kEncodable<K, L, R>) {  // else the base refuses to checkpoint
            runtime::decode(r, keys_);
            runtime::decode(r, expiry_);
        }
    }

    struct Sides {
        std::multimap<runtime::EventTime, Left> lefts;  // by event time
        std::multimap<runtime::EventTime, R> rights;
        runtime::EventTime scheduled = runtime::kMaxEventTime;  // its earliest entry in expiry_
        static auto fields(auto& self) { return std::tie(self.lefts, self.rights, self.scheduled); }
    };

    /// One expiry entry per key at a time (plus an earlier one when an out-of-order record
    /// needs it): a record does not cost two more tree operations.
    void schedule(const K& key, Sides& sides, runtime::EventTime when) {
        if (when < sides.scheduled) {
            sides.scheduled = when;
            expiry_.emplace(when, key);
        }
    }

    /// Drops what no future record can match: with the watermark at w, future rights have
    /// times > w, so a left at t is done once t + upper <= w; a right at t once t - lower <= w.
    void expire(const K& key, Sides& sides) {
        while (!sides.lefts.empty() &&
               sides.lefts.begin()->first + this->options_.upper_ms <= this->watermark_) {
            auto node = sides.lefts.extract(sides.lefts.begin());
            if (this->options_.left_outer && !node.mapped().matched) {
                if (!this->emit(Result{key, std::move(node.mapped().value), std::nullopt})) {
                    return;
                }
            }
        }
        while (!sides.rights.empty() &&
               sides.rights.begin()->first - this->options_.lower_ms <= this->watermark_) {
            sides.rights.erase(sides.rights.begin());
        }
    }

    std::unordered_map<K, Sides> keys_;
    std::multimap<runtime::EventTime, K> expiry_;  // when a key has records to drop
};

/// On a connect()ed stream: `IntervalJoin(-5min, 10min)` or `IntervalJoin(0s, 10min).left()`.
inline JoinSpec<IntervalJoinOperator> IntervalJoin(std::chrono::milliseconds lower,
                                                   std::chrono::milliseconds upper) {
    return {fmt::format("interval_join({} ms, {} ms", lower.count(), upper.count()),
            JoinOptions{.lower_ms = lower.count(), .upper_ms = upper.count()}};
}

}  // namespace shardflow::ops
