#pragma once
// Keyed tumbling windows: fixed, non-overlapping windows of `size` aligned to the epoch, one
// accumulator per (window, key).

#include "operators/window/keyed_window_operator.h"

#include <fmt/format.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <unordered_map>
#include <vector>

namespace shardflow::ops {

/// Emits each (key, window) once the watermark passes its end - 1 + allowed lateness (kFinal),
/// or its current value after every batch that touched it (kChanges). Records for a window
/// already closed go to the late output if there is one, and are counted either way.
/// Threading: one instance per worker.
template <class T, class K, class Agg>
class TumblingAggregate final : public KeyedWindowOperator<T, K, Agg> {
public:
    using Base = KeyedWindowOperator<T, K, Agg>;
    using Base::Base;
    using typename Base::Acc;
    using typename Base::Result;

    void on_batch(std::span<T> batch) override {
        for (T& record : batch) {
            runtime::EventTime start = window_start_of(event_time_(record), options_.size_ms);
            if (closes_by(start, watermark_)) {
                this->set_late(record);
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
        this->send_late();
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

private:
    void save_windows(runtime::StateWriter& w) const override {
        if constexpr (runtime::kEncodable<K, Acc>) {  // else the base refuses to checkpoint
            runtime::encode(w, windows_);
        }
    }
    void load_windows(runtime::StateReader& r) override {
        if constexpr (runtime::kEncodable<K, Acc>) {  // else the base refuses to checkpoint
            runtime::decode(r, windows_);
        }
    }

    using Base::agg_;
    using Base::event_time_;
    using Base::flush;
    using Base::key_;
    using Base::next_;
    using Base::options_;
    using Base::out_;
    using Base::watermark_;

    struct Entry {
        Acc acc;
        bool dirty;
        static auto fields(auto& self) { return std::tie(self.acc, self.dirty); }
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

    std::map<runtime::EventTime, Groups> windows_;  // by window start, oldest first
    std::vector<std::pair<runtime::EventTime, typename Groups::value_type*>> dirty_;
};

inline WindowBuilder<TumblingAggregate> TumblingWindow(std::chrono::milliseconds size) {
    return {fmt::format("tumbling({} ms)", size.count()),
            WindowOptions{.size_ms = size.count(), .can_emit_changes = true}};
}

}  // namespace shardflow::ops
