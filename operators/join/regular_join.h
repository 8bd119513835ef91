#pragma once
// Keyed regular join of two streams: every left record joins every right record with the same
// key, with no time bounds (Flink SQL's regular join, `a JOIN b ON a.k = b.k`). Both sides are
// kept per key for the life of the query, so state grows with the input; inner only, since a
// left join's unmatched row could never be known final without retracting it later.

#include "operators/join/keyed_join.h"

#include <algorithm>
#include <unordered_map>
#include <variant>
#include <vector>

namespace shardflow::ops {

/// Input std::variant<L, R> (from connect()). A record emits one result per record of the other
/// side already held for its key, so each pair comes out once, when its later record arrives.
/// Needs no event time and drops nothing as late; watermarks pass through.
/// Threading: one instance per worker.
template <class T, class K>
class RegularJoinOperator final : public KeyedJoinOperator<T, K> {
    using Base = KeyedJoinOperator<T, K>;
    using typename Base::L;
    using typename Base::R;

public:
    using Base::Base;
    using typename Base::Result;

    void on_batch(std::span<T> batch) override {
        size_t kept = 0;  // both sides are kept for the life of the query
        for (T& record : batch) {
            auto [it, inserted] = keys_.try_emplace(this->key_(record));
            const K& k = it->first;
            Sides& sides = it->second;
            kept +=
                runtime::footprint(record) + (inserted ? runtime::footprint(k) + sizeof(Sides) : 0);
            if (record.index() == 0) {
                L& left = std::get<0>(record);
                for (const R& right : sides.rights) {
                    if (!this->emit(Result{k, left, right})) {
                        return;
                    }
                }
                sides.lefts.push_back(std::move(left));
            } else {
                R& right = std::get<1>(record);
                for (const L& left : sides.lefts) {
                    if (!this->emit(Result{k, left, right})) {
                        return;
                    }
                }
                sides.rights.push_back(std::move(right));
            }
        }
        runtime::count_state(static_cast<int64_t>(kept));  // once a batch: the total is shared
        this->flush();
    }

    void on_watermark(runtime::EventTime watermark) override {
        this->watermark_ = std::max(this->watermark_, watermark);
        this->next_.on_watermark(watermark);
    }

private:
    void save_state(runtime::StateWriter& w) const override {
        if constexpr (runtime::kEncodable<K, L, R>) {  // else the base refuses to checkpoint
            runtime::encode(w, keys_);
        }
    }
    void load_state(runtime::StateReader& r) override {
        if constexpr (runtime::kEncodable<K, L, R>) {  // else the base refuses to checkpoint
            runtime::decode(r, keys_);
            for (const auto& [key, sides] : keys_) {
                runtime::count_state(static_cast<int64_t>(runtime::footprint(key) + sizeof(Sides) +
                                                          runtime::footprint(sides.lefts) +
                                                          runtime::footprint(sides.rights)));
            }
        }
    }

    /// Every record of a key so far, in arrival order: appends only, no per-record tree work.
    struct Sides {
        std::vector<L> lefts;
        std::vector<R> rights;
        static auto fields(auto& self) { return std::tie(self.lefts, self.rights); }
    };

    std::unordered_map<K, Sides> keys_;
};

/// On a connect()ed stream: `RegularJoin()`. Inner only: `.left()` makes the query fail to run.
inline JoinSpec<RegularJoinOperator> RegularJoin() {
    return {"regular_join(unbounded", JoinOptions{.needs_event_time = false, .inner_only = true}};
}

}  // namespace shardflow::ops
