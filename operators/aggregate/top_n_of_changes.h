#pragma once
// A Top-N over an update stream (Change records): every record not taken back is kept, since
// taking back one of the n best lets the next one in. result() is the n best, as TopNRows ranks
// them (with kRank, ties at the boundary too); ties keep arrival order.

#include "operators/aggregate/change.h"
#include "operators/aggregate/top_n_rows.h"

#include <algorithm>
#include <cstddef>
#include <vector>

namespace shardflow::ops {

template <class Better>
struct TopNOfChanges {
    TopNRows<Better> top;

    template <class C>
    std::vector<decltype(C::value)> init() const {
        return {};
    }
    template <class T>
    void add(std::vector<T>& all, const Change<T>& change) const {
        auto [first, last] = std::equal_range(all.begin(), all.end(), change.value, top.better);
        if (!change.retract) {
            all.insert(last, change.value);
            return;
        }
        auto found = std::find(first, last, change.value);
        if (found != last) {  // else it was never added: nothing to take back
            all.erase(found);
        }
    }
    template <class T>
    std::vector<T> result(const std::vector<T>& all) const {
        return {all.begin(), all.begin() + static_cast<std::ptrdiff_t>(top.kept(all))};
    }
};
template <class Better>
TopNOfChanges(TopNRows<Better>) -> TopNOfChanges<Better>;

}  // namespace shardflow::ops
