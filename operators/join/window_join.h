#pragma once
// Keyed window join of two streams: a left and a right record with the same key join when they
// fall into the same tumbling window of `size` (Flink's window join; SQL's join of two TUMBLE
// relations on window_start). Each window's records are kept until the watermark closes the
// window; a left join then emits the left records that never matched, with no right.

#include "operators/join/keyed_join.h"
#include "operators/window/window_spec.h"

#include <map>
#include <unordered_map>
#include <variant>
#include <vector>

namespace shardflow::ops {

/// Input std::variant<L, R> (from connect()). Threading: one instance per worker.
template <class T, class K>
class WindowJoinOperator final : public KeyedJoinOperator<T, K> {
    using Base = KeyedJoinOperator<T, K>;
    using typename Base::L;
    using typename Base::Left;
    using typename Base::R;

public:
    using Base::Base;
    using typename Base::Result;

    void on_batch(std::span<T> batch) override {
        for (T& record : batch) {
            runtime::EventTime t = this->event_time_(record);
            runtime::EventTime start = window_start_of(t, this->options_.size_ms);
            if (this->watermark_ != runtime::kMinEventTime &&
                start + this->options_.size_ms - 1 <= this->watermark_) {
                ++this->late_records_;
                continue;
            }
            K key = this->key_(record);
            Sides& sides = windows_[start][key];
            if (record.index() == 0) {
                Left left{std::get<0>(std::move(record)), !sides.rights.empty()};
                for (const R& right : sides.rights) {
                    if (!this->emit(Result{key, left.value, right})) {
                        return;
                    }
                }
                sides.lefts.push_back(std::move(left));
            } else {
                R right = std::get<1>(std::move(record));
                for (Left& left : sides.lefts) {
                    if (!this->emit(Result{key, left.value, right})) {
                        return;
                    }
                    left.matched = true;
                }
                sides.rights.push_back(std::move(right));
            }
        }
        this->flush();
    }

    void on_watermark(runtime::EventTime watermark) override {
        this->watermark_ = std::max(this->watermark_, watermark);
        while (!windows_.empty() &&
               windows_.begin()->first + this->options_.size_ms - 1 <= this->watermark_) {
            auto window = windows_.extract(windows_.begin());
            if (this->options_.left_outer) {
                for (auto& [key, sides] : window.mapped()) {
                    for (Left& left : sides.lefts) {
                        if (!left.matched) {
                            if (!this->emit(Result{key, std::move(left.value), std::nullopt})) {
                                return;
                            }
                        }
                    }
                }
            }
        }
        this->flush();
        this->next_.on_watermark(watermark);
    }

private:
    void save_state(runtime::StateWriter& w) const override {
        if constexpr (runtime::kEncodable<K, L, R>) {  // else the base refuses to checkpoint
            runtime::encode(w, windows_);
        }
    }
    void load_state(runtime::StateReader& r) override {
        if constexpr (runtime::kEncodable<K, L, R>) {  // else the base refuses to checkpoint
            runtime::decode(r, windows_);
        }
    }

    struct Sides {
        std::vector<Left> lefts;
        std::vector<R> rights;
        static auto fields(auto& self) { return std::tie(self.lefts, self.rights); }
    };

    std::map<runtime::EventTime, std::unordered_map<K, Sides>> windows_;  // by window start
};

/// On a connect()ed stream: `WindowJoin(10s)` or `WindowJoin(10s).left()`.
inline JoinSpec<WindowJoinOperator> WindowJoin(std::chrono::milliseconds size) {
    return {fmt::format("window_join({} ms", size.count()), JoinOptions{.size_ms = size.count()}};
}

}  // namespace shardflow::ops
