#pragma once
// Keyed stagger windows (Kinesis Data Analytics' STAGGER): a key's window opens when its first
// record arrives and lasts `size`; the next record after it opens the next one. Keys whose
// records start at different moments get windows that start at those moments, so results of
// a busy key are not all due at the same wall-clock boundary.

#include "operators/window/per_key_windows.h"

namespace shardflow::ops {

/// A record joins its key's window [start, start + size) that contains it, else opens
/// [t, t + size). Records of a key are expected roughly in order: one earlier than its key's
/// open window opens a window of its own. Emits each window once the watermark passes its end
/// - 1 + allowed lateness. Threading: one instance per worker.
template <class T, class K, class Agg>
class StaggerAggregate final : public PerKeyWindowsOperator<T, K, Agg> {
    using Base = PerKeyWindowsOperator<T, K, Agg>;
    using typename Base::Window;

public:
    using Base::Base;

    void on_batch(std::span<T> batch) override {
        const runtime::EventTime size = this->options_.size_ms;
        const auto& agg = this->agg_;
        for (T& record : batch) {
            runtime::EventTime t = this->event_time_(record);
            if (this->watermark_ != runtime::kMinEventTime &&
                t + size - 1 + this->options_.allowed_lateness_ms <= this->watermark_) {
                this->set_late(record);
                continue;
            }
            K key = this->key_(record);
            auto& windows = this->windows_[key];
            auto it = windows.upper_bound(t);
            if (it != windows.begin() && t < std::prev(it)->second.end) {
                agg.add(std::prev(it)->second.acc, record);
                continue;
            }
            auto opened = windows.emplace(t, Window{t + size, agg.template init<T>()}).first;
            agg.add(opened->second.acc, record);
            this->arm(key, t, t + size);
        }
        this->send_late();
    }
};

/// Windows of `size` that open per key with its first record.
inline WindowBuilder<StaggerAggregate> StaggerWindow(std::chrono::milliseconds size) {
    return {fmt::format("stagger({} ms)", size.count()), WindowOptions{.size_ms = size.count()}};
}

}  // namespace shardflow::ops
