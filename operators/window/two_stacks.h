#pragma once
// Sliding-window aggregation over a FIFO of partial aggregates in amortised O(1) merges per
// push, pop and query (the "two stacks" algorithm; FlatFAT in WindFlow solves the same
// problem). Order is kept, so non-commutative merges (first/last value) stay correct.

#include "engine/runtime/event_time.h"

#include <optional>
#include <tuple>
#include <vector>

namespace shardflow::ops {

/// Threading: one owner.
template <class Acc, class Merge>
class TwoStacks {
public:
    explicit TwoStacks(Merge merge)
        : merge_(std::move(merge)) {}

    bool empty() const { return front_.empty() && back_.empty(); }

    /// Appends the newest partial, which starts at `start`.
    void push(runtime::EventTime start, Acc acc) {
        if (back_.empty()) {
            back_total_ = acc;
        } else {
            merge_(*back_total_, acc);
        }
        back_.push_back({start, std::move(acc)});
    }

    runtime::EventTime oldest_start() {
        return front_.empty() ? back_.front().start : front_.back().start;
    }

    void pop_oldest() {
        if (front_.empty()) {
            flip();
        }
        front_.pop_back();
    }

    /// The merge of every partial, oldest first.
    Acc total() const {
        if (front_.empty()) {
            return *back_total_;
        }
        Acc out = front_.back().suffix;
        if (!back_.empty()) {
            merge_(out, *back_total_);
        }
        return out;
    }

    /// For checkpoints (the merge function is not state).
    static auto fields(auto& self) { return std::tie(self.front_, self.back_, self.back_total_); }

private:
    struct Partial {
        runtime::EventTime start;
        Acc acc;
        static auto fields(auto& self) { return std::tie(self.start, self.acc); }
    };
    struct FrontItem {
        runtime::EventTime start;
        Acc suffix;  // this partial merged with every newer one in the front stack
        static auto fields(auto& self) { return std::tie(self.start, self.suffix); }
    };

    /// Moves the back stack to the front, newest first, so the oldest ends on top.
    void flip() {
        for (auto it = back_.rbegin(); it != back_.rend(); ++it) {
            Acc suffix = std::move(it->acc);
            if (!front_.empty()) {
                merge_(suffix, front_.back().suffix);
            }
            front_.push_back({it->start, std::move(suffix)});
        }
        back_.clear();
        back_total_.reset();
    }

    Merge merge_;
    std::vector<FrontItem> front_;  // back() is the oldest
    std::vector<Partial> back_;     // back() is the newest
    std::optional<Acc> back_total_;
};

}  // namespace shardflow::ops
