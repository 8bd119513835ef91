#pragma once
// A keyed aggregate without a window (GROUP BY without TUMBLE/HOP/SESSION, a ksqlDB table): one
// accumulator per key for the life of the query, and after every batch the new value of each
// key the batch touched (an update stream; a table sink upserts it by key). A bounded run can ask
// for final values only: every key once, when the input ends. changes() emits each new value with
// the one it replaces (KeyedChange), and nothing when a batch left the value as it was: what an
// aggregate over this aggregate's rows needs to take the old row back (a retraction).

#include "engine/runtime/downstream.h"
#include "engine/runtime/pipeline.h"
#include "engine/runtime/run_scope.h"
#include "engine/runtime/state_codec.h"
#include "operators/aggregate/aggregates.h"

#include <fmt/format.h>

#include <functional>
#include <optional>
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

/// A key's new value and the one it replaces (none: the key is new).
template <class K, class V>
struct KeyedChange {
    K key;
    std::optional<V> before;
    V after;

    bool operator==(const KeyedChange&) const = default;
};

/// Threading: one instance per worker.
template <class T, class K, class Agg, bool kChanges>
class RunningAggregateOperator final : public runtime::Downstream<T>, public runtime::Stateful {
public:
    using Acc = AccOf<Agg, T>;
    using Value = OutOf<Agg, T>;
    using Result = std::conditional_t<kChanges, KeyedChange<K, Value>, KeyedResult<K, Value>>;

    RunningAggregateOperator(Agg agg,
                             bool final_only,
                             std::function<K(const T&)> key,
                             runtime::Downstream<Result>& next)
        : agg_(std::move(agg))
        , final_only_(final_only)
        , key_(std::move(key))
        , next_(next) {}

    void on_batch(std::span<T> batch) override {
        int64_t new_groups_bytes = 0;  // a group lives as long as the query
        for (T& record : batch) {
            auto [it, inserted] =
                groups_.try_emplace(key_(record), Entry{agg_.template init<T>(), false});
            if (inserted) {
                new_groups_bytes += group_bytes(it->first);
            }
            if (!final_only_ && !it->second.dirty) {
                it->second.dirty = true;
                dirty_.push_back(&*it);
                if constexpr (kChanges) {  // the value before the batch's first record
                    befores_.push_back(inserted ? std::nullopt
                                                : std::optional(agg_.result(it->second.acc)));
                }
            }
            agg_.add(it->second.acc, record);
        }
        runtime::count_state(new_groups_bytes);  // once a batch: the total is shared
        for (size_t i = 0; i < dirty_.size(); ++i) {
            auto& [key, group] = *dirty_[i];
            group.dirty = false;
            if constexpr (kChanges) {
                Value after = agg_.result(group.acc);
                if (befores_[i] != after) {
                    out_.push_back(Result{key, std::move(befores_[i]), std::move(after)});
                }
            } else {
                out_.push_back(Result{key, agg_.result(group.acc)});
            }
        }
        dirty_.clear();
        befores_.clear();
        if (!out_.empty()) {
            next_.on_batch(out_);
            out_.clear();
        }
    }

    /// The end of a bounded input (watermark +inf) is when final values go out.
    void on_watermark(runtime::EventTime watermark) override {
        if (final_only_ && watermark == runtime::kMaxEventTime) {
            for (const auto& [key, group] : groups_) {
                if constexpr (kChanges) {
                    out_.push_back(Result{key, std::nullopt, agg_.result(group.acc)});
                } else {
                    out_.push_back(Result{key, agg_.result(group.acc)});
                }
            }
            groups_.clear();
            if (!out_.empty()) {
                next_.on_batch(out_);
                out_.clear();
            }
        }
        next_.on_watermark(watermark);
    }
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
                int64_t restored_bytes = 0;
                for (const auto& [key, group] : groups_) {
                    restored_bytes += group_bytes(key);
                }
                runtime::count_state(restored_bytes);
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

    /// What a group holds, about: its key, its accumulator and the map's node.
    static int64_t group_bytes(const K& key) {
        constexpr size_t kNode = 2 * sizeof(void*);
        return static_cast<int64_t>(runtime::footprint(key) + sizeof(Entry) + kNode);
    }

    Agg agg_;
    bool final_only_;
    std::function<K(const T&)> key_;
    runtime::Downstream<Result>& next_;
    Groups groups_;
    std::vector<typename Groups::value_type*> dirty_;
    std::vector<std::optional<Value>> befores_;  // with kChanges: one per dirty_ group
    std::vector<Result> out_;
};

/// The spec KeyedStream::apply takes: `key_by(&Click::page).apply(RunningAggregate(Count{}))`.
template <class Agg, bool kChanges = false>
class RunningAggregate {
public:
    template <class T, class K>
    using Output = typename RunningAggregateOperator<T, K, Agg, kChanges>::Result;

    explicit RunningAggregate(Agg agg)
        : agg_(std::move(agg)) {}

    /// Only each key's final value, when a bounded input ends.
    RunningAggregate final_only() && {
        final_only_ = true;
        return std::move(*this);
    }

    /// Each new value with the one it replaces (KeyedChange), when they differ.
    RunningAggregate<Agg, true> changes() && {
        RunningAggregate<Agg, true> out(std::move(agg_));
        return final_only_ ? std::move(out).final_only() : std::move(out);
    }

    bool needs_event_time() const { return false; }
    std::string describe() const {
        return fmt::format("running_aggregate(emit {}{})",
                           final_only_ ? "final" : "changes",
                           kChanges ? ", with the values they replace" : "");
    }

    template <class T, class K>
    runtime::Downstream<T>& build(runtime::StageArena& arena,
                                  std::function<K(const T&)> key,
                                  std::function<runtime::EventTime(const T&)>,
                                  runtime::Downstream<Output<T, K>>& next) const {
        return arena.make<RunningAggregateOperator<T, K, Agg, kChanges>>(
            agg_, final_only_, std::move(key), next);
    }

private:
    Agg agg_;
    bool final_only_ = false;
};

}  // namespace shardflow::ops
