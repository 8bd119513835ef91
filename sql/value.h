#pragma once
// The types of SQL's values (engine/common/value.h): a column's SqlType is known when the query
// is planned, so a TIMESTAMP travels as int64 milliseconds since the epoch and is shown as a
// timestamp only where its type says so.

#include "engine/common/value.h"

#include <cstdint>
#include <string_view>

namespace shardflow::sql {

enum class SqlType : uint8_t {
    kNull,  // the type of the literal NULL only
    kBoolean,
    kBigint,
    kDouble,
    kVarchar,
    kTimestamp,
};

/// The type a value has on its own: NULL is kNull, an int64 is a BIGINT (a TIMESTAMP only by
/// its column's type).
SqlType type_of(const Value& v);

/// "BIGINT", "VARCHAR", ... as users write them.
std::string_view type_name(SqlType type);

}  // namespace shardflow::sql
