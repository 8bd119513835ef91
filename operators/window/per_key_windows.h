#pragma once
// What session and stagger windows share: windows that start per key rather than on a global
// grid, kept per key by start, each with a timer at its end; the watermark emits them.

#include "operators/window/keyed_window_operator.h"

#include <map>
#include <unordered_map>

namespace shardflow::ops {

/// Derived operators put records into windows_ and call arm() for each new window; a window
/// whose end has moved since its timer was armed (a session that grew) waits for its new end.
/// Threading: one instance per worker.
template <class T, class K, class Agg>
class PerKeyWindowsOperator : public KeyedWindowOperator<T, K, Agg> {
public:
    using Base = KeyedWindowOperator<T, K, Agg>;
    using Base::Base;
    using typename Base::Acc;
    using typename Base::Result;

    void on_watermark(runtime::EventTime watermark) override {
        this->watermark_ = std::max(this->watermark_, watermark);
        bool all = this->watermark_ == runtime::kMaxEventTime;
        runtime::EventTime closable =
            all ? this->watermark_ : this->watermark_ + 1 - this->options_.allowed_lateness_ms;
        while (!timers_.empty() && (all || timers_.begin()->first <= closable)) {
            auto timer = timers_.extract(timers_.begin());
            const auto& [key, start] = timer.mapped();
            auto key_it = windows_.find(key);
            if (key_it == windows_.end()) {
                continue;
            }
            auto window = key_it->second.find(start);
            if (window == key_it->second.end()) {
                continue;  // merged into an older window, which has its own timer
            }
            if (!all && window->second.end > closable) {
                timers_.emplace(window->second.end, timer.mapped());
                continue;
            }
            this->out_.push_back(
                Result{key, start, window->second.end, this->agg_.result(window->second.acc)});
            key_it->second.erase(window);
            if (key_it->second.empty()) {
                windows_.erase(key_it);
            }
        }
        this->flush();
        this->next_.on_watermark(watermark);
    }

protected:
    struct Window {
        runtime::EventTime end;  // exclusive
        Acc acc;
        static auto fields(auto& self) { return std::tie(self.end, self.acc); }
    };

    void arm(const K& key, runtime::EventTime start, runtime::EventTime end) {
        timers_.emplace(end, std::pair{key, start});
    }

    std::unordered_map<K, std::map<runtime::EventTime, Window>> windows_;  // per key, by start

private:
    void save_windows(runtime::StateWriter& w) const override {
        if constexpr (runtime::kEncodable<K, Acc>) {  // else the base refuses to checkpoint
            runtime::encode(w, windows_);
            runtime::encode(w, timers_);
        }
    }
    void load_windows(runtime::StateReader& r) override {
        if constexpr (runtime::kEncodable<K, Acc>) {  // else the base refuses to checkpoint
            runtime::decode(r, windows_);
            runtime::decode(r, timers_);
        }
    }

    /// (window end when armed) -> (key, window start)
    std::multimap<runtime::EventTime, std::pair<K, runtime::EventTime>> timers_;
};

}  // namespace shardflow::ops
