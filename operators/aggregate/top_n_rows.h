#pragma once
// The n best records of a group by an order, best first: a Top-N (SQL's ROW_NUMBER() or RANK()
// OVER (PARTITION BY ... ORDER BY ...) <= n) as an aggregate, so RunningAggregate keeps one list
// per key and emits a key's list after each batch that touched it, and a window one per window.
//
// Ties keep arrival order: a record ranks after the kept records it ties with, so of two equal
// records the earlier one wins (Flink's Top-N does the same). merge() keeps that too: the older
// accumulator's records win ties against the newer's. With TopNTies::kRank tied records share a
// rank (1 + the number of strictly better records) and every record ranked <= n is kept, so the
// list may hold more than n records when they tie at the boundary.

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <vector>

namespace shardflow::ops {

/// How a Top-N ranks tied records: one after the other (ROW_NUMBER) or together (RANK).
enum class TopNTies { kRowNumber, kRank };

/// `better(a, b)`: a ranks before b (a strict weak order, as for std::sort).
template <class Better>
struct TopNRows {
    size_t n;
    Better better;
    TopNTies ties = TopNTies::kRowNumber;

    template <class T>
    std::vector<T> init() const {
        return {};
    }
    template <class T>
    void add(std::vector<T>& acc, const T& record) const {
        if (n == 0 || (acc.size() >= n && worse_than_kept(acc, record))) {
            return;  // most records of a busy key: not in its top n
        }
        acc.insert(std::upper_bound(acc.begin(), acc.end(), record, better), record);
        trim(acc);
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
        trim(both);
        older = std::move(both);
    }
    template <class T>
    const std::vector<T>& result(const std::vector<T>& acc) const {
        return acc;
    }

    /// The rank of each record of a list (result()): 1, 2, 3, ... or, with kRank, the rank it
    /// shares with the records it ties with.
    template <class T>
    std::vector<size_t> ranks(const std::vector<T>& list) const {
        std::vector<size_t> out(list.size());
        for (size_t i = 0; i < list.size(); ++i) {
            bool tied = ties == TopNTies::kRank && i > 0 && !better(list[i - 1], list[i]);
            out[i] = tied ? out[i - 1] : i + 1;
        }
        return out;
    }

    /// How many records of a list sorted by `better` rank <= n: the first n, and with kRank
    /// those that tie with the n-th.
    template <class T>
    size_t kept(const std::vector<T>& sorted) const {
        if (sorted.size() <= n || n == 0) {
            return std::min(sorted.size(), n);
        }
        auto keep = sorted.begin() + static_cast<std::ptrdiff_t>(n);
        if (ties == TopNTies::kRank) {
            keep = std::upper_bound(keep, sorted.end(), *(keep - 1), better);
        }
        return static_cast<size_t>(keep - sorted.begin());
    }

private:
    /// A full list cannot take `record`: with ROW_NUMBER it is not better than the last kept
    /// (which came earlier), with RANK it is strictly worse (a tie shares the last rank).
    template <class T>
    bool worse_than_kept(const std::vector<T>& acc, const T& record) const {
        return ties == TopNTies::kRank ? better(acc.back(), record) : !better(record, acc.back());
    }
    /// Drops the records ranked after n.
    template <class T>
    void trim(std::vector<T>& acc) const {
        acc.erase(acc.begin() + static_cast<std::ptrdiff_t>(kept(acc)), acc.end());
    }
};
template <class Better>
TopNRows(size_t, Better) -> TopNRows<Better>;
template <class Better>
TopNRows(size_t, Better, TopNTies) -> TopNRows<Better>;

}  // namespace shardflow::ops
