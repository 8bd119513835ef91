#pragma once
// A keyed aggregate without a window (GROUP BY without TUMBLE/HOP/SESSION, a ksqlDB table): one
// accumulator per key for the life of the query, and after every batch the new value of each
// key the batch touched (an update stream; a table sink upserts it by key).

#include "engine/runtime/downstream.h"
#include "engine/runtime/pipeline.h"
#include "engine/runtime/state_codec.h"
#include "operators/aggregate/aggregates.h"

#include <fmt/format.h>

#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

namespace shardflow::ops {

template <class K, class V>
struct KeyedResult {
    K key;
    V value;

    bool operator==(const KeyedResult&) const = default;
};

/// Threading: one instance per worker.
template <class T, class K, class Agg>
class RunningAggregateOperator final : public runtime::Downstream<T>, public runtime::Stateful {
public:
    using Acc = AccOf<Agg, T>;
    using Result = KeyedResult<K, OutOf<Agg, T>>;

    RunningAggregateOperator(Agg agg,
                             std::function<K(const T&)> key,
                             runtime::Downstream<Result>& next)
        : agg_(std::move(agg))
        , key_(std::move(key))
        , next_(next) {}

    void on_batch(std::span<T> batch) override {
        for (T& record : batch) {
            auto [it, inserted] =
                groups_.try_emplace(key_(record), Entry{agg_.template init<T>(), false});
            agg_.add(it->second.acc, record);
            if (!it->second.dirty) {
                it->second.dirty = true;
                dirty_.push_back(&*it);
            }
        }
        for (auto* group : dirty_) {
            group->second.dirty = false;
            out_.push_back(Result{group->first, agg_.result(group->second.acc)});
        }
        dirty_.clear();
        if (!out_.empty()) {
            next_.on_batch(out_);
            out_.clear();
        }
    }

    void on_watermark(runtime::EventTime watermark) override { next_.on_watermark(watermark); }
    void on_end() override { next_.on_end(); }

    void snapshot(runtime::StateWriter& w) const override {
        runtime::encode_if_encodable<K, Acc>(w, [this](runtime::StateWriter& out) {
            if constexpr (runtime::kEncodable<K, Acc>) {
                runtime::encode(out, groups_);
            }
        });
    }
    void restore(runtime::StateReader& r) override {
        runtime::decode_if_encodable<K, Acc>(r, [this](runtime::StateReader& in) {
            if constexpr (runtime::kEncodable<K, Acc>) {
                runtime::decode(in, groups_);
            }
        });
    }

private:
    struct Entry {
        Acc acc;
        bool dirty;
        static auto fields(auto& self) { return std::tie(self.acc, self.dirty); }
    };
    using Groups = std::unordered_map<K, Entry>;

    Agg agg_;
    std::function<K(const T&)> key_;
    runtime::Downstream<Result>& next_;
    Groups groups_;
    std::vector<typename Groups::value_type*> dirty_;
    std::vector<Result> out_;
};

/// The spec KeyedStream::apply takes: `key_by(&Click::page).apply(RunningAggregate(Count{}))`.
template <class Agg>
class RunningAggregate {
public:
    template <class T, class K>
    using Output = typename RunningAggregateOperator<T, K, Agg>::Result;

    explicit RunningAggregate(Agg agg)
        : agg_(std::move(agg)) {}

    bool needs_event_time() const { return false; }
    std::string describe() const { return "running_aggregate(emit changes)"; }

    template <class T, class K>
    runtime::Downstream<T>& build(runtime::StageArena& arena,
                                  std::function<K(const T&)> key,
                                  std::function<runtime::EventTime(const T&)>,
                                  runtime::Downstream<Output<T, K>>& next) const {
        return arena.make<RunningAggregateOperator<T, K, Agg>>(agg_, std::move(key), next);
    }

private:
    Agg agg_;
};

}  // namespace shardflow::ops
