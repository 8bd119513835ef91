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

/// A function's arguments, each read in place (a column of the row, a constant) or computed for
/// the call.
class FunctionArgs {
public:
    explicit FunctionArgs(std::span<const Value* const> values)
        : values_(values) {}

    const Value& operator[](size_t i) const { return *values_[i]; }
    size_t size() const { return values_.size(); }
    /// The arguments from the `from`th on.
    FunctionArgs subspan(size_t from) const { return FunctionArgs(values_.subspan(from)); }

    struct Iterator {
        const Value* const* at;
        const Value& operator*() const { return **at; }
        Iterator& operator++() {
            ++at;
            return *this;
        }
        bool operator!=(const Iterator& other) const { return at != other.at; }
    };
    Iterator begin() const { return {values_.data()}; }
    Iterator end() const { return {values_.data() + values_.size()}; }

private:
    std::span<const Value* const> values_;
};

struct ScalarFunction {
    size_t min_args = 0;
    size_t max_args = 0;  // SIZE_MAX: any number
    /// The result type for these argument types, or the reason they do not fit.
    std::function<Result<SqlType>(std::span<const SqlType>)> result_type;
    /// Called with the evaluated arguments; a NULL argument gives NULL without a call unless
    /// `takes_null` (COALESCE, CONCAT_WS...).
    std::function<Value(FunctionArgs, std::span<const SqlType>)> call;
    bool takes_null = false;
    bool deterministic = true;
};

const ScalarFunction* find_scalar_function(std::string_view upper_name);
std::vector<std::string> scalar_function_names();

}  // namespace shardflow::sql
