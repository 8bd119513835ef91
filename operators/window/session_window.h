#pragma once
// Keyed session windows: a key's records closer than `gap` to each other form one session
// [first event time, last event time + gap); a record that bridges two sessions merges them.

#include "engine/runtime/downstream.h"
#include "engine/runtime/pipeline.h"
#include "operators/aggregate/aggregates.h"
#include "operators/window/keyed_window_operator.h"
#include "operators/window/window_spec.h"

#include <map>
#include <unordered_map>

namespace shardflow::ops {

/// Emits each session once the watermark passes its end - 1 + allowed lateness. A record whose
/// own session [t, t + gap) would already be closed is late.
/// Threading: one instance per worker.
template <class T, class K, class Agg>
class SessionAggregate final : public KeyedWindowOperator<T, K, Agg> {
public:
    using Base = KeyedWindowOperator<T, K, Agg>;
    using Base::Base;
    using typename Base::Acc;
    using typename Base::Result;

    void on_batch(std::span<T> batch) override {
        const runtime::EventTime gap = options_.gap_ms;
        for (T& record : batch) {
            runtime::EventTime t = event_time_(record);
            if (watermark_ != runtime::kMinEventTime &&
                t + gap - 1 + options_.allowed_lateness_ms <= watermark_) {
                this->set_late(record);
                continue;
            }
            K key = key_(record);
            auto& sessions = keys_[key];
            auto it = sessions.upper_bound(t);
            if (it != sessions.begin() && std::prev(it)->second.end > t) {
                --it;
            }
            bool overlaps_one =
                it != sessions.end() && it->first <= t && it->first < t + gap &&
                (std::next(it) == sessions.end() || std::next(it)->first >= t + gap);
            if (overlaps_one) {  // the common case: the record extends its key's current session
                agg_.add(it->second.acc, record);
                it->second.end = std::max(it->second.end, t + gap);
                continue;
            }
            Session merged{t + gap, agg_.template init<T>()};
            agg_.add(merged.acc, record);
            runtime::EventTime start = t;
            bool kept_a_start = false;
            while (it != sessions.end() && it->first < t + gap) {
                kept_a_start = kept_a_start || it->first <= start;
                start = std::min(start, it->first);
                merged.end = std::max(merged.end, it->second.end);
                agg_.merge(it->second.acc, merged.acc);
                merged.acc = std::move(it->second.acc);
                it = sessions.erase(it);
            }
            if (!kept_a_start) {  // a session with a new start needs its own timer
                timers_.emplace(merged.end, std::pair{key, start});
            }
            sessions.emplace(start, std::move(merged));
        }
        this->send_late();
    }

    void on_watermark(runtime::EventTime watermark) override {
        watermark_ = std::max(watermark_, watermark);
        bool all = watermark_ == runtime::kMaxEventTime;
        runtime::EventTime closable =
            all ? watermark_ : watermark_ + 1 - options_.allowed_lateness_ms;
        while (!timers_.empty() && (all || timers_.begin()->first <= closable)) {
            auto timer = timers_.extract(timers_.begin());
            const auto& [key, start] = timer.mapped();
            auto key_it = keys_.find(key);
            if (key_it == keys_.end()) {
                continue;
            }
            auto& sessions = key_it->second;
            auto session = sessions.find(start);
            if (session == sessions.end()) {
                continue;  // merged into an older session, which has its own timer
            }
            if (!all && session->second.end > closable) {
                timers_.emplace(session->second.end,
                                timer.mapped());  // extended since: wait for its end
                continue;
            }
            out_.push_back(
                Result{key, start, session->second.end, agg_.result(session->second.acc)});
            sessions.erase(session);
            if (sessions.empty()) {
                keys_.erase(key_it);
            }
        }
        flush();
        next_.on_watermark(watermark);
    }

private:
    void save_windows(runtime::StateWriter& w) const override {
        if constexpr (runtime::kEncodable<K, Acc>) {  // else the base refuses to checkpoint
            runtime::encode(w, keys_);
            runtime::encode(w, timers_);
        }
    }
    void load_windows(runtime::StateReader& r) override {
        if constexpr (runtime::kEncodable<K, Acc>) {  // else the base refuses to checkpoint
            runtime::decode(r, keys_);
            runtime::decode(r, timers_);
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

    struct Session {
        runtime::EventTime end;  // exclusive: last event time + gap
        Acc acc;
        static auto fields(auto& self) { return std::tie(self.end, self.acc); }
    };

    std::unordered_map<K, std::map<runtime::EventTime, Session>> keys_;  // sessions by start
    /// (session end when last checked) -> (key, session start); re-armed when a session grew.
    std::multimap<runtime::EventTime, std::pair<K, runtime::EventTime>> timers_;
};

/// Sessions that close after `gap` without records of their key.
inline WindowBuilder<SessionAggregate> SessionWindow(std::chrono::milliseconds gap) {
    return {fmt::format("session(gap {} ms)", gap.count()), WindowOptions{.gap_ms = gap.count()}};
}

}  // namespace shardflow::ops
