#pragma once
// Binary encoding of operator state for checkpoints. Codec<T> knows the standard types
// (numbers, strings, optional, pair, tuple, vector, array, map, unordered_map, unordered_set);
// a struct opts in with `static auto fields(auto& self) { return std::tie(self.a, self.b); }`.
// The format is only read back by the same build: it is not a storage format for other tools.

#include "engine/common/error.h"

#include <array>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

namespace shardflow::runtime {

class StateWriter {
public:
    void bytes(const void* data, size_t n) { out_.append(static_cast<const char*>(data), n); }
    std::string take() { return std::move(out_); }

private:
    std::string out_;
};

/// Reads what a StateWriter wrote; reading past the end marks the reader failed (no throw).
class StateReader {
public:
    explicit StateReader(std::string_view in)
        : in_(in) {}
    bool bytes(void* data, size_t n) {
        if (failed_ || in_.size() < n) {
            failed_ = true;
            return false;
        }
        std::memcpy(data, in_.data(), n);
        in_.remove_prefix(n);
        return true;
    }
    std::string_view take(size_t n) {
        if (failed_ || in_.size() < n) {
            failed_ = true;
            return {};
        }
        auto out = in_.substr(0, n);
        in_.remove_prefix(n);
        return out;
    }
    bool failed() const { return failed_; }
    /// Stops reading with a reason of the caller's.
    void fail(std::string reason) {
        failed_ = true;
        reason_ = std::move(reason);
    }
    /// Ok when everything was read and nothing was missing.
    Status status() const {
        if (!reason_.empty()) {
            return Error{ErrorCode::kInvalidArgument, reason_};
        }
        if (failed_ || !in_.empty()) {
            return Error{ErrorCode::kCorruption,
                         "checkpoint state does not match this query's operators"};
        }
        return ok();
    }

private:
    std::string_view in_;
    bool failed_ = false;
    std::string reason_;
};

template <class T, class = void>
struct Codec;

template <class T>
void encode(StateWriter& w, const T& v) {
    Codec<T>::encode(w, v);
}
template <class T>
void decode(StateReader& r, T& v) {
    Codec<T>::decode(r, v);
}

template <class T>
struct Codec<T, std::enable_if_t<std::is_arithmetic_v<T> || std::is_enum_v<T>>> {
    static void encode(StateWriter& w, const T& v) { w.bytes(&v, sizeof v); }
    static void decode(StateReader& r, T& v) { r.bytes(&v, sizeof v); }
};

template <>
struct Codec<std::string> {
    static void encode(StateWriter& w, const std::string& v) {
        runtime::encode(w, uint64_t{v.size()});
        w.bytes(v.data(), v.size());
    }
    static void decode(StateReader& r, std::string& v) {
        uint64_t n = 0;
        runtime::decode(r, n);
        v = std::string(r.take(n));
    }
};

template <class T>
struct Codec<std::optional<T>> {
    static void encode(StateWriter& w, const std::optional<T>& v) {
        runtime::encode(w, v.has_value());
        if (v) {
            runtime::encode(w, *v);
        }
    }
    static void decode(StateReader& r, std::optional<T>& v) {
        bool present = false;
        runtime::decode(r, present);
        v.reset();
        if (present) {
            runtime::decode(r, v.emplace());
        }
    }
};

template <class... Ts>
struct Codec<std::tuple<Ts...>> {
    static void encode(StateWriter& w, const std::tuple<Ts...>& v) {
        std::apply([&](const auto&... e) { (runtime::encode(w, e), ...); }, v);
    }
    static void decode(StateReader& r, std::tuple<Ts...>& v) {
        std::apply([&](auto&... e) { (runtime::decode(r, e), ...); }, v);
    }
};

template <>
struct Codec<std::monostate> {
    static void encode(StateWriter&, const std::monostate&) {}
    static void decode(StateReader&, std::monostate&) {}
};

/// The alternative's index, then its value.
template <class... Ts>
struct Codec<std::variant<Ts...>> {
    static void encode(StateWriter& w, const std::variant<Ts...>& v) {
        runtime::encode(w, static_cast<uint8_t>(v.index()));
        std::visit([&](const auto& e) { runtime::encode(w, e); }, v);
    }
    static void decode(StateReader& r, std::variant<Ts...>& v) {
        uint8_t index = 0;
        runtime::decode(r, index);
        decode_alternative(r, v, index, std::index_sequence_for<Ts...>{});
    }

private:
    template <size_t... Is>
    static void decode_alternative(StateReader& r,
                                   std::variant<Ts...>& v,
                                   uint8_t index,
                                   std::index_sequence<Is...>) {
        bool known =
            ((index == Is ? (runtime::decode(r, v.template emplace<Is>()), true) : false) || ...);
        if (!known) {
            r.fail("a checkpointed variant holds an unknown alternative");
        }
    }
};

template <class A, class B>
struct Codec<std::pair<A, B>> {
    static void encode(StateWriter& w, const std::pair<A, B>& v) {
        runtime::encode(w, v.first);
        runtime::encode(w, v.second);
    }
    static void decode(StateReader& r, std::pair<A, B>& v) {
        runtime::decode(r, v.first);
        runtime::decode(r, v.second);
    }
};

template <class T, size_t N>
struct Codec<std::array<T, N>> {
    static void encode(StateWriter& w, const std::array<T, N>& v) {
        for (const auto& e : v) {
            runtime::encode(w, e);
        }
    }
    static void decode(StateReader& r, std::array<T, N>& v) {
        for (auto& e : v) {
            runtime::decode(r, e);
        }
    }
};

/// Sequences and associative containers: a count, then the elements (pairs for maps).
template <class C>
struct ContainerCodec {
    static void encode(StateWriter& w, const C& c) {
        runtime::encode(w, uint64_t{c.size()});
        for (const auto& e : c) {
            runtime::encode(w, e);
        }
    }
    static void decode(StateReader& r, C& c) {
        uint64_t n = 0;
        runtime::decode(r, n);
        c.clear();  // a corrupt count ends at the first failed read, not after n allocations
        for (uint64_t i = 0; i < n && !r.failed(); ++i) {
            if constexpr (requires { typename C::mapped_type; }) {
                std::pair<typename C::key_type, typename C::mapped_type> e{};
                runtime::decode(r, e);
                c.insert(std::move(e));
            } else if constexpr (requires { typename C::key_type; }) {
                typename C::key_type e{};
                runtime::decode(r, e);
                c.insert(std::move(e));
            } else {
                runtime::decode(r, c.emplace_back());
            }
        }
    }
};

template <class T, class A>
struct Codec<std::vector<T, A>> : ContainerCodec<std::vector<T, A>> {};
template <class K, class V, class C, class A>
struct Codec<std::map<K, V, C, A>> : ContainerCodec<std::map<K, V, C, A>> {};
template <class K, class V, class C, class A>
struct Codec<std::multimap<K, V, C, A>> : ContainerCodec<std::multimap<K, V, C, A>> {};
template <class K, class V, class H, class E, class A>
struct Codec<std::unordered_map<K, V, H, E, A>>
    : ContainerCodec<std::unordered_map<K, V, H, E, A>> {};
template <class K, class C, class A>
struct Codec<std::set<K, C, A>> : ContainerCodec<std::set<K, C, A>> {};
template <class K, class H, class E, class A>
struct Codec<std::unordered_set<K, H, E, A>> : ContainerCodec<std::unordered_set<K, H, E, A>> {};

/// Structs that list their fields.
template <class T>
struct Codec<T, std::void_t<decltype(T::fields(std::declval<T&>()))>> {
    static void encode(StateWriter& w, const T& v) {
        std::apply([&](const auto&... e) { (runtime::encode(w, e), ...); }, T::fields(v));
    }
    static void decode(StateReader& r, T& v) {
        auto refs = T::fields(v);
        std::apply([&](auto&... e) { (runtime::decode(r, e), ...); }, refs);
    }
};

/// Whether Codec<T> can encode T: operators holding user types check it, so a type that cannot
/// be encoded only matters to a query that checkpoints.
template <class T>
struct Encodable : std::bool_constant<std::is_arithmetic_v<T> || std::is_enum_v<T>> {};
template <class T>
requires requires(T& t) {
    T::fields(t);
}
struct Encodable<T> : std::true_type {};
template <>
struct Encodable<std::string> : std::true_type {};
template <class T>
struct Encodable<std::optional<T>> : Encodable<T> {};
template <class... Ts>
struct Encodable<std::tuple<Ts...>> : std::conjunction<Encodable<Ts>...> {};
template <>
struct Encodable<std::monostate> : std::true_type {};
template <class... Ts>
struct Encodable<std::variant<Ts...>> : std::conjunction<Encodable<Ts>...> {};
template <class A, class B>
struct Encodable<std::pair<A, B>>
    : std::conjunction<Encodable<std::remove_const_t<A>>, Encodable<B>> {};
template <class T, size_t N>
struct Encodable<std::array<T, N>> : Encodable<T> {};
template <class T, class A>
struct Encodable<std::vector<T, A>> : Encodable<T> {};
template <class K, class C, class A>
struct Encodable<std::set<K, C, A>> : Encodable<K> {};
template <class K, class H, class E, class A>
struct Encodable<std::unordered_set<K, H, E, A>> : Encodable<K> {};
template <class K, class V, class C, class A>
struct Encodable<std::map<K, V, C, A>> : std::conjunction<Encodable<K>, Encodable<V>> {};
template <class K, class V, class C, class A>
struct Encodable<std::multimap<K, V, C, A>> : std::conjunction<Encodable<K>, Encodable<V>> {};
template <class K, class V, class H, class E, class A>
struct Encodable<std::unordered_map<K, V, H, E, A>> : std::conjunction<Encodable<K>, Encodable<V>> {
};

template <class... Ts>
inline constexpr bool kEncodable = std::conjunction_v<Encodable<Ts>...>;

/// Encodes `save(w)` when every type can be encoded, else a marker that makes restore fail
/// with a reason naming what to add.
template <class... Ts, class Save>
void encode_if_encodable(StateWriter& w, Save save) {
    runtime::encode(w, kEncodable<Ts...>);
    if constexpr (kEncodable<Ts...>) {
        save(w);
    }
}
template <class... Ts, class Load>
void decode_if_encodable(StateReader& r, Load load) {
    bool encoded = false;
    runtime::decode(r, encoded);
    if (!encoded) {
        r.fail(
            "this query's state holds a type without `static auto fields(auto& self)`: it cannot "
            "checkpoint");
        return;
    }
    if constexpr (kEncodable<Ts...>) {
        load(r);
    }
}

/// An operator (or anything else) whose state goes into checkpoints.
class Stateful {
public:
    virtual ~Stateful() = default;
    virtual void snapshot(StateWriter& w) const = 0;
    virtual void restore(StateReader& r) = 0;
};

}  // namespace shardflow::runtime
