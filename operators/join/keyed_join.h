#pragma once
// What the join operators share: the result row, the options, the inputs of a keyed operator
// on a connect()ed stream (std::variant<L, R>), checkpoints, and the spec KeyedStream::apply
// builds them from.

#include "engine/runtime/downstream.h"
#include "engine/runtime/pipeline.h"
#include "engine/runtime/run_scope.h"
#include "engine/runtime/state_codec.h"

#include <fmt/format.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

namespace shardflow::ops {

template <class K, class L, class R>
struct JoinResult {
    K key;
    L left;
    std::optional<R> right;  // empty only in a left join, for a left record that never matched

    bool operator==(const JoinResult&) const = default;
};

struct JoinOptions {
    runtime::EventTime lower_ms = 0;  // interval joins: right.time - left.time in [lower, upper]
    runtime::EventTime upper_ms = 0;
    runtime::EventTime size_ms = 0;  // window joins
    bool left_outer = false;
    bool needs_event_time = true;  // false for regular joins, which keep every record
    bool inner_only = false;       // regular joins: a left row never knows it stays unmatched
};

/// Threading: one instance per worker.
template <class T, class K>
class KeyedJoinOperator : public runtime::Downstream<T>,
                          public runtime::Stateful,
                          public runtime::CountsLateRecords {
public:
    using L = std::variant_alternative_t<0, T>;
    using R = std::variant_alternative_t<1, T>;
    using Result = JoinResult<K, L, R>;

    KeyedJoinOperator(JoinOptions options,
                      std::function<K(const T&)> key,
                      std::function<runtime::EventTime(const T&)> event_time,
                      runtime::Downstream<Result>& next)
        : options_(options)
        , key_(std::move(key))
        , event_time_(std::move(event_time))
        , next_(next) {}

    void on_end() override { next_.on_end(); }

    void snapshot(runtime::StateWriter& w) const final {
        runtime::encode(w, watermark_);
        runtime::encode(w, late_records_);
        runtime::encode_if_encodable<K, L, R>(
            w, [this](runtime::StateWriter& out) { save_state(out); });
    }
    void restore(runtime::StateReader& r) final {
        runtime::decode(r, watermark_);
        runtime::decode(r, late_records_);
        runtime::decode_if_encodable<K, L, R>(r,
                                              [this](runtime::StateReader& in) { load_state(in); });
    }

    uint64_t late_records() const override { return late_records_; }

protected:
    /// A buffered left record; a left join emits it alone if it never matched.
    struct Left {
        L value;
        bool matched;
        static auto fields(auto& self) { return std::tie(self.value, self.matched); }
    };

    /// The buffered records, for checkpoints (called only when K, L and R can be encoded).
    virtual void save_state(runtime::StateWriter& w) const = 0;
    virtual void load_state(runtime::StateReader& r) = 0;

    void flush() {
        if (!out_.empty()) {
            next_.on_batch(out_);
            out_.clear();
        }
    }

    /// Queues a result and hands on every full chunk, so that a key with many matches never
    /// holds them all at once; false when the run is cancelled, and the caller stops (the run
    /// is abandoned, so what it leaves undone does not matter).
    [[nodiscard]] bool emit(Result result) {
        constexpr size_t kChunk = 4096;
        out_.push_back(std::move(result));
        if (out_.size() < kChunk) {
            return true;
        }
        flush();
        return !runtime::cancel_requested();
    }

    JoinOptions options_;
    std::function<K(const T&)> key_;
    std::function<runtime::EventTime(const T&)> event_time_;
    runtime::Downstream<Result>& next_;
    std::vector<Result> out_;
    runtime::EventTime watermark_ = runtime::kMinEventTime;
    uint64_t late_records_ = 0;
};

/// A join operator template Op<T, K> bound to its options, for KeyedStream::apply.
template <template <class, class> class Op>
class JoinSpec {
public:
    template <class T, class K>
    using Output = typename Op<T, K>::Result;

    JoinSpec(std::string kind, JoinOptions options)
        : kind_(std::move(kind))
        , options_(options) {}

    /// Keeps left records that never matched, with an empty right.
    JoinSpec left() && {
        options_.left_outer = true;
        return std::move(*this);
    }

    bool needs_event_time() const { return options_.needs_event_time; }

    /// Why this spec cannot run as asked, or empty.
    std::string misuse() const {
        if (options_.left_outer && options_.inner_only) {
            return "a regular join is inner only: a left join would have to retract each unmatched "
                   "left row once its first match came, and join outputs are append-only (a left "
                   "join needs time bounds: IntervalJoin or WindowJoin)";
        }
        return {};
    }

    std::string describe() const {
        return fmt::format("{}, {})", kind_, options_.left_outer ? "left" : "inner");
    }

    template <class T, class K>
    runtime::Downstream<T>& build(runtime::StageArena& arena,
                                  std::function<K(const T&)> key,
                                  std::function<runtime::EventTime(const T&)> event_time,
                                  runtime::Downstream<Output<T, K>>& next) const {
        return arena.make<Op<T, K>>(options_, std::move(key), std::move(event_time), next);
    }

private:
    std::string kind_;
    JoinOptions options_;
};

}  // namespace shardflow::ops
