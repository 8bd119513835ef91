#pragma once
// What the keyed window operators share: their inputs, result rows going out in batches, the
// late side output and the end of input.

#include "engine/runtime/downstream.h"
#include "engine/runtime/state_codec.h"
#include "operators/aggregate/aggregates.h"
#include "operators/window/window_spec.h"

#include <functional>
#include <vector>

namespace shardflow::ops {

/// Threading: one instance per worker.
template <class T, class K, class Agg>
class KeyedWindowOperator : public runtime::Downstream<T>,
                            public runtime::Stateful,
                            public runtime::CountsLateRecords {
public:
    using Acc = AccOf<Agg, T>;
    using Result = WindowResult<K, OutOf<Agg, T>>;

    KeyedWindowOperator(WindowOptions options,
                        Agg agg,
                        std::function<K(const T&)> key,
                        std::function<runtime::EventTime(const T&)> event_time,
                        runtime::Downstream<Result>& next)
        : options_(std::move(options))
        , agg_(std::move(agg))
        , key_(std::move(key))
        , event_time_(std::move(event_time))
        , next_(next) {}

    void on_end() override {
        flush();
        if (auto* late = options_.template late_output<T>()) {
            late->on_end();
        }
        next_.on_end();
    }

    uint64_t late_records() const override { return late_records_; }

    void snapshot(runtime::StateWriter& w) const final {
        runtime::encode(w, watermark_);
        runtime::encode(w, late_records_);
        runtime::encode_if_encodable<K, Acc>(
            w, [this](runtime::StateWriter& out) { save_windows(out); });
    }
    void restore(runtime::StateReader& r) final {
        runtime::decode(r, watermark_);
        runtime::decode(r, late_records_);
        runtime::decode_if_encodable<K, Acc>(
            r, [this](runtime::StateReader& in) { load_windows(in); });
    }

protected:
    /// The operator's own state (open windows, timers) for checkpoints.
    virtual void save_windows(runtime::StateWriter& w) const = 0;
    virtual void load_windows(runtime::StateReader& r) = 0;

    /// Sets a record aside for the late output; send_late() hands them over after the batch.
    void set_late(T& record) {
        ++late_records_;
        late_.push_back(std::move(record));
    }

    void send_late() {
        if (late_.empty()) {
            return;
        }
        if (auto* late = options_.template late_output<T>()) {
            late->on_batch(late_);
        }
        late_.clear();
    }

    /// Hands the results gathered in out_ to the next stage.
    void flush() {
        if (!out_.empty()) {
            next_.on_batch(out_);
            out_.clear();
        }
    }

    WindowOptions options_;
    Agg agg_;
    std::function<K(const T&)> key_;
    std::function<runtime::EventTime(const T&)> event_time_;
    runtime::Downstream<Result>& next_;
    std::vector<Result> out_;
    runtime::EventTime watermark_ = runtime::kMinEventTime;

private:
    std::vector<T> late_;
    uint64_t late_records_ = 0;
};

}  // namespace shardflow::ops
