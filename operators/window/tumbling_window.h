#pragma once
// Keyed tumbling windows: fixed, non-overlapping windows of `size` aligned to the epoch, one
// accumulator per (window, key).

#include "engine/runtime/downstream.h"
#include "engine/runtime/pipeline.h"
#include "operators/aggregate/aggregates.h"
#include "operators/window/window_result.h"

#include <fmt/format.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <unordered_map>
#include <vector>

namespace shardflow::ops {

/// Floor of t to a multiple of size, for negative times too.
inline runtime::EventTime window_start_of(runtime::EventTime t, runtime::EventTime size) {
    runtime::EventTime r = t % size;
    return t - (r < 0 ? r + size : r);
}

/// Emits each (key, window) once the watermark passes its end - 1 + allowed lateness (kFinal),
/// or its current value after every batch that touched it (kChanges). Records for a window
/// already closed go to the late output if there is one, and are counted either way.
/// Threading: one instance per worker.
template <class T, class K, class Agg>
class TumblingAggregate final : public runtime::Downstream<T> {
public:
    using Acc = AccOf<Agg, T>;
    using Result = WindowResult<K, OutOf<Agg, T>>;

    struct Options {
        runtime::EventTime size_ms;
        runtime::EventTime allowed_lateness_ms = 0;
        EmitMode emit = EmitMode::kFinal;
        std::shared_ptr<runtime::Downstream<T>> late;  // optional late side output
    };

    TumblingAggregate(Options options,
                      Agg agg,
                      std::function<K(const T&)> key,
                      std::function<runtime::EventTime(const T&)> event_time,
                      runtime::Downstream<Result>& next)
        : options_(std::move(options))
        , agg_(std::move(agg))
        , key_(std::move(key))
        , event_time_(std::move(event_time))
        , next_(next) {}

    void on_batch(std::span<T> batch) override {
        for (T& record : batch) {
            runtime::EventTime start = window_start_of(event_time_(record), options_.size_ms);
            if (closes_by(start, watermark_)) {
                ++late_records_;
                late_.push_back(std::move(record));
                continue;
            }
            auto& groups = windows_[start];
            auto [it, inserted] =
                groups.try_emplace(key_(record), Entry{agg_.template init<T>(), false});
            agg_.add(it->second.acc, record);
            if (options_.emit == EmitMode::kChanges && !it->second.dirty) {
                it->second.dirty = true;
                dirty_.push_back({start, &*it});
            }
        }
        emit_changes();
        if (!late_.empty()) {
            if (options_.late) {
                options_.late->on_batch(late_);
            }
            late_.clear();
        }
    }

    void on_watermark(runtime::EventTime watermark) override {
        watermark_ = std::max(watermark_, watermark);
        while (!windows_.empty() && closes_by(windows_.begin()->first, watermark_)) {
            auto node = windows_.extract(windows_.begin());
            if (options_.emit == EmitMode::kFinal) {
                for (auto& [key, entry] : node.mapped()) {
                    out_.push_back(result_of(node.key(), key, entry.acc));
                }
            }
        }
        flush();
        next_.on_watermark(watermark);
    }

    void on_end() override {
        flush();
        if (options_.late) {
            options_.late->on_end();
        }
        next_.on_end();
    }

    uint64_t late_records() const { return late_records_; }

private:
    struct Entry {
        Acc acc;
        bool dirty;
    };
    using Groups = std::unordered_map<K, Entry>;

    bool closes_by(runtime::EventTime start, runtime::EventTime watermark) const {
        if (watermark == runtime::kMinEventTime) {
            return false;
        }
        runtime::EventTime last = start + options_.size_ms - 1 + options_.allowed_lateness_ms;
        return watermark == runtime::kMaxEventTime || last <= watermark;
    }

    Result result_of(runtime::EventTime start, const K& key, const Acc& acc) const {
        return Result{key, start, start + options_.size_ms, agg_.result(acc)};
    }

    void emit_changes() {
        for (auto& [start, entry] : dirty_) {
            entry->second.dirty = false;
            out_.push_back(result_of(start, entry->first, entry->second.acc));
        }
        dirty_.clear();
        flush();
    }

    void flush() {
        if (!out_.empty()) {
            next_.on_batch(out_);
            out_.clear();
        }
    }

    Options options_;
    Agg agg_;
    std::function<K(const T&)> key_;
    std::function<runtime::EventTime(const T&)> event_time_;
    runtime::Downstream<Result>& next_;
    std::map<runtime::EventTime, Groups> windows_;  // by window start, oldest first
    std::vector<std::pair<runtime::EventTime, typename Groups::value_type*>> dirty_;
    std::vector<Result> out_;
    std::vector<T> late_;
    runtime::EventTime watermark_ = runtime::kMinEventTime;
    uint64_t late_records_ = 0;
};

/// The spec KeyedStream::apply takes:
/// `TumblingWindow(60s).allowed_lateness(5s).aggregate(Count{})`.
template <class Agg>
class TumblingSpec {
public:
    template <class T, class K>
    using Output = WindowResult<K, OutOf<Agg, T>>;

    TumblingSpec(runtime::EventTime size_ms, runtime::EventTime lateness_ms, EmitMode emit, Agg agg)
        : size_ms_(size_ms)
        , lateness_ms_(lateness_ms)
        , emit_(emit)
        , agg_(std::move(agg)) {}

    /// Records later than the allowed lateness go to `late` (they are counted either way).
    template <class T>
    TumblingSpec late_to(std::shared_ptr<runtime::Downstream<T>> late) && {
        late_ = std::move(late);
        return std::move(*this);
    }

    std::string describe() const {
        return fmt::format("tumbling({} ms, lateness {} ms, emit {})",
                           size_ms_,
                           lateness_ms_,
                           emit_ == EmitMode::kFinal ? "final" : "changes");
    }

    template <class T, class K>
    runtime::Downstream<T>& build(runtime::StageArena& arena,
                                  std::function<K(const T&)> key,
                                  std::function<runtime::EventTime(const T&)> event_time,
                                  runtime::Downstream<Output<T, K>>& next) const {
        typename TumblingAggregate<T, K, Agg>::Options options{
            size_ms_, lateness_ms_, emit_, std::static_pointer_cast<runtime::Downstream<T>>(late_)};
        return arena.make<TumblingAggregate<T, K, Agg>>(
            options, agg_, std::move(key), std::move(event_time), next);
    }

private:
    runtime::EventTime size_ms_;
    runtime::EventTime lateness_ms_;
    EmitMode emit_;
    Agg agg_;
    std::shared_ptr<void> late_;
};

class TumblingWindow {
public:
    explicit TumblingWindow(std::chrono::milliseconds size)
        : size_ms_(size.count()) {}
    TumblingWindow& allowed_lateness(std::chrono::milliseconds lateness) {
        lateness_ms_ = lateness.count();
        return *this;
    }
    TumblingWindow& emit(EmitMode mode) {
        emit_ = mode;
        return *this;
    }
    template <class Agg>
    TumblingSpec<Agg> aggregate(Agg agg) const {
        return TumblingSpec<Agg>(size_ms_, lateness_ms_, emit_, std::move(agg));
    }

private:
    runtime::EventTime size_ms_;
    runtime::EventTime lateness_ms_ = 0;
    EmitMode emit_ = EmitMode::kFinal;
};

}  // namespace shardflow::ops
