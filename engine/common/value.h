#pragma once
// The one value type of rows, from SQL's expressions to the SQLite tables and lookup tables:
// NULL, BOOLEAN, BIGINT (and TIMESTAMP, as milliseconds since the epoch), DOUBLE, VARCHAR. What a
// value means beyond its kind (a BIGINT or a TIMESTAMP) is its column's type.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace shardflow {

using Value = std::variant<std::monostate, bool, int64_t, double, std::string>;
using Row = std::vector<Value>;

inline bool is_null(const Value& v) {
    return std::holds_alternative<std::monostate>(v);
}

/// What a conversion or a function found, or NULL when it found nothing.
template <class T>
Value value_or_null(std::optional<T> found) {
    return found ? Value(std::move(*found)) : Value();
}

}  // namespace shardflow
