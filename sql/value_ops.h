#pragma once
// What SQL does with values at run time: compare, convert, show. NULL handling is the caller's
// (expressions propagate it before they get here); a conversion that cannot succeed gives NULL,
// as ksqlDB and SQLite do, instead of stopping the query.

#include "engine/common/error.h"
#include "sql/value.h"

#include <optional>
#include <string>
#include <string_view>

namespace shardflow::sql {

/// Orders two non-NULL values: numbers by value (BIGINT and DOUBLE compare with each other),
/// strings bytewise, FALSE before TRUE; values of unrelated types by their kind.
int compare_values(const Value& a, const Value& b);

/// compare_values with NULL first: ORDER BY's order (ASC puts NULLs first, DESC last, as Flink).
int compare_for_order(const Value& a, const Value& b);

/// The value as text: timestamps as "2026-01-01 00:00:00.000", NULL as "NULL".
std::string value_text(const Value& v, SqlType type);

/// `v` (of type `from`) as `to`, or NULL when it does not convert ('abc' AS BIGINT).
Value cast_value(const Value& v, SqlType from, SqlType to);

/// A number as double, for the functions that compute in floating point.
double as_double(const Value& v);

/// a + b for SUM: BIGINT while the sum fits, else DOUBLE; a NULL `a` is an empty sum (b).
Value add_numbers(const Value& a, const Value& b);

}  // namespace shardflow::sql
