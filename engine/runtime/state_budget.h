#pragma once
// The state a query may keep: operators whose state has no bound in time (a regular join keeps
// every record of both sides, an aggregation without a window every group) count what they
// keep, about, and the executor fails the run once the total passes the limit, with an error
// that says so, before it takes the machine's memory.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

namespace shardflow::runtime {

/// Threading: add() from every worker at once.
class StateBudget {
public:
    explicit StateBudget(size_t limit_bytes)
        : limit_(limit_bytes) {}

    void add(int64_t bytes) { held_.fetch_add(bytes, std::memory_order_relaxed); }
    size_t held() const {
        int64_t held = held_.load(std::memory_order_relaxed);
        return held > 0 ? static_cast<size_t>(held) : 0;
    }
    size_t limit() const { return limit_; }
    bool exceeded() const { return held() > limit_; }

private:
    const size_t limit_;
    std::atomic<int64_t> held_{0};
};

namespace detail {
template <class T>
struct IsVector : std::false_type {};
template <class T, class A>
struct IsVector<std::vector<T, A>> : std::true_type {};
template <class T>
struct IsVariant : std::false_type {};
template <class... Ts>
struct IsVariant<std::variant<Ts...>> : std::true_type {};
template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};
}  // namespace detail

/// The bytes `value` takes, about: its own size and what it owns on the heap (strings, vectors,
/// variants and optionals of them; other types count their size only).
template <class T>
size_t footprint(const T& value) {
    if constexpr (std::is_same_v<T, std::string>) {
        // Short strings live inside the object (SSO).
        return sizeof(std::string) + (value.capacity() > 15 ? value.capacity() : 0);
    } else if constexpr (detail::IsVector<T>::value) {
        size_t bytes =
            sizeof(T) + (value.capacity() - value.size()) * sizeof(typename T::value_type);
        for (const auto& element : value) {
            bytes += footprint(element);
        }
        return bytes;
    } else if constexpr (detail::IsVariant<T>::value) {
        return std::visit(
            [](const auto& alternative) {
                return sizeof(T) - sizeof(alternative) + footprint(alternative);
            },
            value);
    } else if constexpr (detail::IsOptional<T>::value) {
        return value ? sizeof(T) - sizeof(*value) + footprint(*value) : sizeof(T);
    } else {
        return sizeof(T);
    }
}

}  // namespace shardflow::runtime
