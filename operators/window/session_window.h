#pragma once
// Keyed session windows: a key's records closer than `gap` to each other form one session
// [first event time, last event time + gap); a record that bridges two sessions merges them.

#include "operators/window/per_key_windows.h"

namespace shardflow::ops {

/// Emits each session once the watermark passes its end - 1 + allowed lateness. A record whose
/// own session [t, t + gap) would already be closed is late.
/// Threading: one instance per worker.
template <class T, class K, class Agg>
class SessionAggregate final : public PerKeyWindowsOperator<T, K, Agg> {
    using Base = PerKeyWindowsOperator<T, K, Agg>;
    using typename Base::Window;

public:
    using Base::Base;

    void on_batch(std::span<T> batch) override {
        const runtime::EventTime gap = this->options_.gap_ms;
        const auto& agg = this->agg_;
        for (T& record : batch) {
            runtime::EventTime t = this->event_time_(record);
            if (this->watermark_ != runtime::kMinEventTime &&
                t + gap - 1 + this->options_.allowed_lateness_ms <= this->watermark_) {
                this->set_late(record);
                continue;
            }
            K key = this->key_(record);
            auto& sessions = this->windows_[key];
            auto it = sessions.upper_bound(t);
            if (it != sessions.begin() && std::prev(it)->second.end > t) {
                --it;
            }
            bool overlaps_one =
                it != sessions.end() && it->first <= t && it->first < t + gap &&
                (std::next(it) == sessions.end() || std::next(it)->first >= t + gap);
            if (overlaps_one) {  // the common case: the record extends its key's current session
                agg.add(it->second.acc, record);
                it->second.end = std::max(it->second.end, t + gap);
                continue;
            }
            Window merged{t + gap, agg.template init<T>()};
            agg.add(merged.acc, record);
            runtime::EventTime start = t;
            bool kept_a_start = false;
            while (it != sessions.end() && it->first < t + gap) {
                kept_a_start = kept_a_start || it->first <= start;
                start = std::min(start, it->first);
                merged.end = std::max(merged.end, it->second.end);
                agg.merge(it->second.acc, merged.acc);
                merged.acc = std::move(it->second.acc);
                it = sessions.erase(it);
            }
            if (!kept_a_start) {  // a session with a new start needs its own timer
                this->arm(key, start, merged.end);
            }
            sessions.emplace(start, std::move(merged));
        }
        this->send_late();
    }
};

/// Sessions that close after `gap` without records of their key.
inline WindowBuilder<SessionAggregate> SessionWindow(std::chrono::milliseconds gap) {
    return {fmt::format("session(gap {} ms)", gap.count()), WindowOptions{.gap_ms = gap.count()}};
}

}  // namespace shardflow::ops
