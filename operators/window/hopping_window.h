#pragma once
// Keyed hopping (sliding) windows of `size` every `slide`, pane-based: each record is added to
// one pane of gcd(size, slide); a window's result merges its panes through a two-stacks queue,
// so a small slide costs O(1) merges per window, not size/slide re-aggregations.

#include "operators/window/keyed_window_operator.h"
#include "operators/window/two_stacks.h"

#include <map>
#include <numeric>
#include <unordered_map>

namespace shardflow::ops {

/// Emits each (key, window) that holds records once the watermark passes its end - 1 + allowed
/// lateness. A record whose pane the watermark has passed is late (it may still fall into
/// windows that are open: unlike Flink, it is not added to those).
/// Threading: one instance per worker.
template <class T, class K, class Agg>
class HoppingAggregate final : public KeyedWindowOperator<T, K, Agg> {
public:
    using Base = KeyedWindowOperator<T, K, Agg>;
    using typename Base::Acc;
    using typename Base::Result;

    HoppingAggregate(WindowOptions options,
                     Agg agg,
                     std::function<K(const T&)> key,
                     std::function<runtime::EventTime(const T&)> event_time,
                     runtime::Downstream<Result>& next)
        : Base(std::move(options), std::move(agg), std::move(key), std::move(event_time), next)
        , pane_ms_(std::gcd(options_.size_ms, options_.slide_ms)) {}

    void on_batch(std::span<T> batch) override {
        for (T& record : batch) {
            runtime::EventTime pane = window_start_of(event_time_(record), pane_ms_);
            if (watermark_ != runtime::kMinEventTime &&
                pane + pane_ms_ - 1 + options_.allowed_lateness_ms <= watermark_) {
                this->set_late(record);
                continue;
            }
            auto [it, inserted] = keys_.try_emplace(key_(record), MergeFn{&agg_});
            auto [pane_it, new_pane] = it->second.open.try_emplace(pane, agg_.template init<T>());
            agg_.add(pane_it->second, record);
        }
        this->send_late();
    }

    void on_watermark(runtime::EventTime watermark) override {
        watermark_ = std::max(watermark_, watermark);
        // Event times below `closable` are final; windows ending at or before it can be emitted.
        runtime::EventTime closable = watermark_ == runtime::kMaxEventTime
                                          ? runtime::kMaxEventTime
                                          : watermark_ + 1 - options_.allowed_lateness_ms;
        if (closable == runtime::kMaxEventTime || window_start_of(closable, pane_ms_) > scanned_) {
            scanned_ =
                closable == runtime::kMaxEventTime ? closable : window_start_of(closable, pane_ms_);
            for (auto it = keys_.begin(); it != keys_.end();) {
                emit_closed(it->first, it->second, closable);
                it = it->second.open.empty() && it->second.complete.empty() ? keys_.erase(it)
                                                                            : std::next(it);
            }
            flush();
        }
        next_.on_watermark(watermark);
    }

private:
    void save_windows(runtime::StateWriter& w) const override {
        if constexpr (runtime::kEncodable<K, Acc>) {  // else the base refuses to checkpoint
            runtime::encode(w, scanned_);
            runtime::encode(w, uint64_t{keys_.size()});
            for (const auto& [key, ks] : keys_) {
                runtime::encode(w, key);
                runtime::encode(w, ks.open);
                runtime::encode(w, ks.complete);
                runtime::encode(w, ks.next_end);
            }
        }
    }
    void load_windows(runtime::StateReader& r) override {
        if constexpr (runtime::kEncodable<K, Acc>) {  // else the base refuses to checkpoint
            runtime::decode(r, scanned_);
            uint64_t n = 0;
            runtime::decode(r, n);
            keys_.clear();
            for (uint64_t i = 0; i < n && !r.failed(); ++i) {
                K key{};
                runtime::decode(r, key);
                auto& ks = keys_.try_emplace(std::move(key), MergeFn{&agg_}).first->second;
                runtime::decode(r, ks.open);
                runtime::decode(r, ks.complete);
                runtime::decode(r, ks.next_end);
            }
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

    struct MergeFn {
        const Agg* agg;
        void operator()(Acc& older, const Acc& newer) const { agg->merge(older, newer); }
    };
    struct KeyState {
        explicit KeyState(MergeFn merge)
            : complete(merge) {}
        std::map<runtime::EventTime, Acc> open;  // panes by start, still taking records
        TwoStacks<Acc, MergeFn> complete;        // panes of the windows being emitted
        runtime::EventTime next_end = runtime::kMinEventTime;
    };

    void emit_closed(const K& key, KeyState& ks, runtime::EventTime closable) {
        while (true) {
            runtime::EventTime oldest;
            if (!ks.complete.empty()) {
                oldest = ks.complete.oldest_start();
            } else if (!ks.open.empty()) {
                oldest = ks.open.begin()->first;
            } else {
                return;
            }
            // Not stored before it is due: a record of an earlier pane may still arrive.
            runtime::EventTime end = std::max(
                ks.next_end, window_start_of(oldest, options_.slide_ms) + options_.slide_ms);
            if (closable != runtime::kMaxEventTime && end > closable) {
                return;
            }
            ks.next_end = end;
            while (!ks.open.empty() && ks.open.begin()->first < ks.next_end) {
                auto node = ks.open.extract(ks.open.begin());
                ks.complete.push(node.key(), std::move(node.mapped()));
            }
            runtime::EventTime start = ks.next_end - options_.size_ms;
            while (!ks.complete.empty() && ks.complete.oldest_start() < start) {
                ks.complete.pop_oldest();
            }
            if (!ks.complete.empty()) {
                out_.push_back(Result{key, start, ks.next_end, agg_.result(ks.complete.total())});
            }
            ks.next_end += options_.slide_ms;
        }
    }

    runtime::EventTime pane_ms_;
    std::unordered_map<K, KeyState> keys_;
    runtime::EventTime scanned_ = runtime::kMinEventTime;
};

/// Windows of `size` starting every `slide` (size a multiple of slide or not: panes are their gcd).
inline WindowBuilder<HoppingAggregate> HoppingWindow(std::chrono::milliseconds size,
                                                     std::chrono::milliseconds slide) {
    return {fmt::format("hopping({} ms every {} ms)", size.count(), slide.count()),
            WindowOptions{.size_ms = size.count(), .slide_ms = slide.count()}};
}

}  // namespace shardflow::ops
