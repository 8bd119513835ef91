#pragma once
// The columns a query's rows hold at one point of its plan, and name lookup in them with the
// errors users expect: unknown (with the closest name), ambiguous.

#include "engine/common/error.h"
#include "sql/ast.h"
#include "sql/value.h"

#include <string>
#include <string_view>
#include <vector>

namespace shardflow::sql {

struct Column {
    std::string name;
    SqlType type = SqlType::kNull;
    std::string qualifier;  // the stream or alias it came from (joins), or empty
};

struct Schema {
    std::vector<Column> columns;

    /// The index of [qualifier.]name, matched case-insensitively. `clause` names where the
    /// reference was ("SELECT", "WHERE") for the error.
    Result<size_t> resolve(std::string_view qualifier,
                           std::string_view name,
                           Position pos,
                           std::string_view clause) const;

    size_t size() const { return columns.size(); }
};

bool same_name(std::string_view a, std::string_view b);

/// The name in lower case: how catalogs key names that match case-insensitively.
std::string lower_name(std::string_view name);

/// The candidate closest to `wanted` by edit distance when it is close enough to be a typo.
std::string closest_name(std::string_view wanted, const std::vector<std::string>& candidates);

/// ", did you mean 'x'?" or nothing.
std::string did_you_mean(std::string_view wanted, const std::vector<std::string>& candidates);

}  // namespace shardflow::sql
