#pragma once
// The scalar functions SQL queries can call: string, math, null, time and JSON functions, by
// upper-case name. Each checks its argument types when bound and computes on values when run.

#include "engine/common/error.h"
#include "sql/value.h"

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace shardflow::sql {

struct ScalarFunction {
    size_t min_args = 0;
    size_t max_args = 0;  // SIZE_MAX: any number
    /// The result type for these argument types, or the reason they do not fit.
    std::function<Result<SqlType>(std::span<const SqlType>)> result_type;
    /// Called with the evaluated arguments; a NULL argument gives NULL without a call unless
    /// `takes_null` (COALESCE, CONCAT_WS...).
    std::function<Value(std::span<const Value>, std::span<const SqlType>)> call;
    bool takes_null = false;
    bool deterministic = true;
};

const ScalarFunction* find_scalar_function(std::string_view upper_name);
std::vector<std::string> scalar_function_names();

}  // namespace shardflow::sql
