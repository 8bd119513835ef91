#pragma once
// The values SQL rows hold. A row is a vector of Value; a column's SqlType is known when the
// query is planned, so a TIMESTAMP travels as int64 milliseconds since the epoch and is shown
// as a timestamp only where its type says so.

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace shardflow::sql {

enum class SqlType : uint8_t {
    kNull,  // the type of the literal NULL only
    kBoolean,
    kBigint,
    kDouble,
    kVarchar,
    kTimestamp,
};

using Value = std::variant<std::monostate, bool, int64_t, double, std::string>;
using Row = std::vector<Value>;

inline bool is_null(const Value& v) {
    return std::holds_alternative<std::monostate>(v);
}

/// The type a value has on its own: NULL is kNull, an int64 is a BIGINT (a TIMESTAMP only by
/// its column's type).
SqlType type_of(const Value& v);

/// "BIGINT", "VARCHAR", ... as users write them.
std::string_view type_name(SqlType type);

}  // namespace shardflow::sql
