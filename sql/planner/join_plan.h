#pragma once
// A JOIN in a SELECT, from its ON clause: key equalities between the two sides, then either
// time bounds (an interval join), equal windows (a window join, both sides TUMBLE of one
// size), neither (a regular join, inner only) or, when the right side is a table, a lookup join.

#include "sql/binder/bound_expression.h"
#include "sql/catalog/stream_def.h"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace shardflow::sql {

/// A table lookup joins can read: CREATE TABLE in the SQL database, or another SQLite file.
struct LookupTable {
    std::string name;
    std::vector<ColumnDef> columns;
    std::filesystem::path database;
    std::string table;  // its name in `database`
};

enum class JoinKind : uint8_t { kInterval, kWindow, kLookup, kRegular };

struct JoinPlan {
    JoinKind kind = JoinKind::kInterval;
    bool left_outer = false;
    const StreamDef* right_stream = nullptr;   // interval, window and regular joins
    const LookupTable* right_table = nullptr;  // lookup joins
    Schema right_input;                        // the right side's rows

    std::vector<BoundExpr> left_keys;     // over the left side's rows
    std::vector<BoundExpr> right_keys;    // over the right side's rows (for lookups: one column)
    std::optional<size_t> lookup_column;  // lookups: the table's key column
    size_t left_time = 0;  // event time columns of each side (interval and window joins)
    size_t right_time = 0;
    int64_t lower_ms = 0;  // interval joins: right time - left time in [lower, upper]
    int64_t upper_ms = 0;
    int64_t window_ms = 0;              // window joins
    std::optional<BoundExpr> residual;  // the rest of ON, over the joined row (inner joins)
};

/// Which window table function a side of a window join is, when it is one.
struct JoinSide {
    const Schema& schema;  // its rows (with window_start, window_end when windowed)
    std::optional<int64_t> tumble_ms;
    std::optional<size_t> window_time;  // the DESCRIPTOR column
};

/// Plans `left JOIN right ON on`; `joined` is left's columns then right's.
Result<JoinPlan> plan_join(const Join& join,
                           const JoinSide& left,
                           const JoinSide& right,
                           const Schema& joined,
                           JoinPlan base);

}  // namespace shardflow::sql
