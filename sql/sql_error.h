#pragma once
// Errors in SQL text name where they are: "line 2, column 14: unknown column 'pgae' ...".

#include "engine/common/error.h"
#include "sql/ast.h"

#include <fmt/format.h>

namespace shardflow::sql {

template <class... Args>
Error sql_error(Position pos, fmt::format_string<Args...> f, Args&&... args) {
    return Error{ErrorCode::kInvalidArgument,
                 fmt::format("line {}, column {}: {}",
                             pos.line,
                             pos.column,
                             fmt::format(f, std::forward<Args>(args)...))};
}

}  // namespace shardflow::sql
