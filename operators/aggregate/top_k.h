#pragma once
// The k most frequent values of a field in a group, with their counts, most frequent first
// (ties by value, so results are deterministic). Exact: memory grows with distinct values.

#include <algorithm>
#include <cstdint>
#include <functional>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

namespace shardflow::ops {

template <class F>
struct TopK {
    F field;
    size_t k;

    template <class T>
    auto init() const {
        return std::unordered_map<std::decay_t<std::invoke_result_t<const F&, const T&>>,
                                  int64_t>{};
    }
    template <class Acc, class T>
    void add(Acc& acc, const T& r) const {
        ++acc[std::invoke(field, r)];
    }
    template <class Acc>
    void merge(Acc& acc, const Acc& other) const {
        for (const auto& [value, count] : other) {
            acc[value] += count;
        }
    }
    template <class Acc>
    auto result(const Acc& acc) const {
        std::vector<std::pair<typename Acc::key_type, int64_t>> top(acc.begin(), acc.end());
        auto more_frequent = [](const auto& a, const auto& b) {
            return a.second != b.second ? a.second > b.second : a.first < b.first;
        };
        size_t n = std::min(k, top.size());
        std::partial_sort(
            top.begin(), top.begin() + static_cast<std::ptrdiff_t>(n), top.end(), more_frequent);
        top.resize(n);
        return top;
    }
};
template <class F>
TopK(F, size_t) -> TopK<F>;

}  // namespace shardflow::ops
