#pragma once
// Aggregate functions over records of any type T. An aggregate is a value type with
//   template <class T> Acc init() const;          the empty accumulator
//   template <class T> void add(Acc&, const T&) const;
//   void merge(Acc& older, const Acc& newer) const;   combines two partial accumulators
//   Out result(const Acc&) const;
// so a user aggregate in C++ is a struct with these four members. merge() lets hopping windows
// combine panes instead of re-adding records.

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <tuple>
#include <type_traits>

namespace shardflow::ops {

template <class Agg, class T>
using AccOf = decltype(std::declval<const Agg&>().template init<T>());

template <class Agg, class T>
using OutOf =
    std::decay_t<decltype(std::declval<const Agg&>().result(std::declval<const AccOf<Agg, T>&>()))>;

struct Count {
    template <class T>
    int64_t init() const {
        return 0;
    }
    template <class T>
    void add(int64_t& acc, const T&) const {
        ++acc;
    }
    void merge(int64_t& acc, int64_t other) const { acc += other; }
    int64_t result(int64_t acc) const { return acc; }
};

/// Sum of a field (an accessor or member pointer).
template <class F>
struct Sum {
    F field;
    template <class T>
    auto init() const {
        return std::decay_t<std::invoke_result_t<const F&, const T&>>{};
    }
    template <class Acc, class T>
    void add(Acc& acc, const T& r) const {
        acc += std::invoke(field, r);
    }
    template <class Acc>
    void merge(Acc& acc, const Acc& other) const {
        acc += other;
    }
    template <class Acc>
    Acc result(const Acc& acc) const {
        return acc;
    }
};
template <class F>
Sum(F) -> Sum<F>;

/// A field's value kept in an optional: empty until the group's first record (groups are never
/// emitted empty, so result() reads it).
template <class F>
struct OptionalField {
    F field;
    template <class T>
    auto init() const {
        return std::optional<std::decay_t<std::invoke_result_t<const F&, const T&>>>{};
    }
    template <class V>
    V result(const std::optional<V>& acc) const {
        return *acc;
    }
};

/// Min (minimum(field)) and max (maximum(field)) of a field; empty groups never reach result(), so
/// the accumulator is optional only to tell "nothing yet" apart from a real extreme.
template <class F, class Better>
struct Extreme : OptionalField<F> {
    template <class Acc, class T>
    void add(Acc& acc, const T& r) const {
        auto v = std::invoke(this->field, r);
        if (!acc || Better{}(v, *acc)) {
            acc = v;
        }
    }
    template <class Acc>
    void merge(Acc& acc, const Acc& other) const {
        if (other && (!acc || Better{}(*other, *acc))) {
            acc = other;
        }
    }
};
template <class F>
Extreme<F, std::less<>> minimum(F field) {
    return {std::move(field)};
}
template <class F>
Extreme<F, std::greater<>> maximum(F field) {
    return {std::move(field)};
}

template <class F>
struct Avg {
    F field;
    struct Acc {
        double sum = 0;
        int64_t count = 0;
        static auto fields(auto& self) { return std::tie(self.sum, self.count); }
    };
    template <class T>
    Acc init() const {
        return {};
    }
    template <class T>
    void add(Acc& acc, const T& r) const {
        acc.sum += static_cast<double>(std::invoke(field, r));
        ++acc.count;
    }
    void merge(Acc& acc, const Acc& other) const {
        acc.sum += other.sum;
        acc.count += other.count;
    }
    double result(const Acc& acc) const { return acc.sum / static_cast<double>(acc.count); }
};
template <class F>
Avg(F) -> Avg<F>;

/// The first and the last value of a field, in the order records reached the group.
template <class F>
struct FirstValue : OptionalField<F> {
    template <class Acc, class T>
    void add(Acc& acc, const T& r) const {
        if (!acc) {
            acc = std::invoke(this->field, r);
        }
    }
    template <class Acc>
    void merge(Acc& acc, const Acc& newer) const {
        if (!acc) {
            acc = newer;
        }
    }
};
template <class F>
FirstValue(F) -> FirstValue<F>;

template <class F>
struct LastValue : OptionalField<F> {
    template <class Acc, class T>
    void add(Acc& acc, const T& r) const {
        acc = std::invoke(this->field, r);
    }
    template <class Acc>
    void merge(Acc& acc, const Acc& newer) const {
        if (newer) {
            acc = newer;
        }
    }
};
template <class F>
LastValue(F) -> LastValue<F>;

/// Several aggregates over the same group; the result is a tuple in the same order.
template <class... Aggs>
struct All {
    std::tuple<Aggs...> aggs;
    explicit All(Aggs... a)
        : aggs(std::move(a)...) {}
    template <class T>
    auto init() const {
        return std::apply([](const auto&... a) { return std::make_tuple(a.template init<T>()...); },
                          aggs);
    }
    template <class Acc, class T>
    void add(Acc& acc, const T& r) const {
        add_each(acc, r, std::index_sequence_for<Aggs...>{});
    }
    template <class Acc>
    void merge(Acc& acc, const Acc& other) const {
        merge_each(acc, other, std::index_sequence_for<Aggs...>{});
    }
    template <class Acc>
    auto result(const Acc& acc) const {
        return result_each(acc, std::index_sequence_for<Aggs...>{});
    }

private:
    template <class Acc, class T, size_t... I>
    void add_each(Acc& acc, const T& r, std::index_sequence<I...>) const {
        (std::get<I>(aggs).add(std::get<I>(acc), r), ...);
    }
    template <class Acc, size_t... I>
    void merge_each(Acc& acc, const Acc& other, std::index_sequence<I...>) const {
        (std::get<I>(aggs).merge(std::get<I>(acc), std::get<I>(other)), ...);
    }
    template <class Acc, size_t... I>
    auto result_each(const Acc& acc, std::index_sequence<I...>) const {
        return std::make_tuple(std::get<I>(aggs).result(std::get<I>(acc))...);
    }
};

}  // namespace shardflow::ops
