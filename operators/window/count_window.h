#pragma once
// Keyed count windows: every `count` records of a key make one window, in the order the key's
// records arrive. No event time is needed; window_start and window_end are the ordinals of the
// window's first record and one past its last (0 and 100, then 100 and 200, ...). A key's last,
// incomplete window is not emitted (as Flink's countWindow).

#include "operators/window/keyed_window_operator.h"

#include <unordered_map>

namespace shardflow::ops {

/// Threading: one instance per worker.
template <class T, class K, class Agg>
class CountAggregate final : public KeyedWindowOperator<T, K, Agg> {
    using Base = KeyedWindowOperator<T, K, Agg>;
    using typename Base::Acc;

public:
    using Base::Base;
    using typename Base::Result;

    void on_batch(std::span<T> batch) override {
        const int64_t count = this->options_.count;
        for (T& record : batch) {
            auto [it, inserted] =
                keys_.try_emplace(this->key_(record), Window{0, this->agg_.template init<T>()});
            Window& w = it->second;
            this->agg_.add(w.acc, record);
            if (++w.records % count == 0) {
                this->out_.push_back(
                    Result{it->first, w.records - count, w.records, this->agg_.result(w.acc)});
                w.acc = this->agg_.template init<T>();
            }
        }
        this->flush();
    }

    void on_watermark(runtime::EventTime watermark) override {
        this->next_.on_watermark(watermark);
    }

private:
    struct Window {
        int64_t records;  // seen for the key so far
        Acc acc;          // of the records since the last full window
        static auto fields(auto& self) { return std::tie(self.records, self.acc); }
    };

    void save_windows(runtime::StateWriter& w) const override {
        if constexpr (runtime::kEncodable<K, Acc>) {  // else the base refuses to checkpoint
            runtime::encode(w, keys_);
        }
    }
    void load_windows(runtime::StateReader& r) override {
        if constexpr (runtime::kEncodable<K, Acc>) {  // else the base refuses to checkpoint
            runtime::decode(r, keys_);
        }
    }

    std::unordered_map<K, Window> keys_;
};

/// Windows of `count` records per key.
inline WindowBuilder<CountAggregate> CountWindow(int64_t count) {
    return {fmt::format("count({} records)", count),
            WindowOptions{.count = count, .needs_event_time = false}};
}

}  // namespace shardflow::ops
