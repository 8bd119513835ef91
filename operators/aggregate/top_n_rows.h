#pragma once
// The n best records of a group by an order, best first: a Top-N (SQL's ROW_NUMBER() OVER
// (PARTITION BY ... ORDER BY ...) <= n) as an aggregate, so RunningAggregate keeps one list per
// key and emits a key's list after each batch that touched it. The list's index is the rank.
//
// Ties keep arrival order: a record ranks after the kept records it ties with, so of two equal
// records the earlier one wins (Flink's Top-N does the same). merge() keeps that too: the older
// accumulator's records win ties against the newer's.

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <vector>

namespace shardflow::ops {

/// `better(a, b)`: a ranks before b (a strict weak order, as for std::sort).
template <class Better>
struct TopNRows {
    size_t n;
    Better better;

    template <class T>
    std::vector<T> init() const {
        return {};
    }
    template <class T>
    void add(std::vector<T>& acc, const T& record) const {
        if (n == 0 || (acc.size() == n && !better(record, acc.back()))) {
            return;  // most records of a busy key: not in its top n
        }
        acc.insert(std::upper_bound(acc.begin(), acc.end(), record, better), record);
        if (acc.size() > n) {
            acc.pop_back();
        }
    }
    template <class T>
    void merge(std::vector<T>& older, const std::vector<T>& newer) const {
        std::vector<T> both;
        both.reserve(older.size() + newer.size());
        // std::merge takes from its first range on ties: the older records win them.
        std::merge(std::make_move_iterator(older.begin()),
                   std::make_move_iterator(older.end()),
                   newer.begin(),
                   newer.end(),
                   std::back_inserter(both),
                   better);
        both.erase(both.begin() + static_cast<std::ptrdiff_t>(std::min(both.size(), n)),
                   both.end());
        older = std::move(both);
    }
    template <class T>
    const std::vector<T>& result(const std::vector<T>& acc) const {
        return acc;
    }
};
template <class Better>
TopNRows(size_t, Better) -> TopNRows<Better>;

}  // namespace shardflow::ops
