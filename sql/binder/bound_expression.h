#pragma once
// Expressions bound to a schema: a type known before the query runs and a function from a row
// to a value. Binding checks names and types once, so evaluating a record does no lookups.

#include "engine/common/error.h"
#include "sql/ast.h"
#include "sql/binder/schema.h"
#include "sql/value.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace shardflow::sql {

struct BoundExpr {
    BoundExpr() = default;
    BoundExpr(SqlType type, std::function<Value(const Row&)> eval)
        : type(type)
        , eval(std::move(eval)) {}

    SqlType type = SqlType::kNull;
    std::function<Value(const Row&)> eval;
    /// Set for a column or a constant: where the value already is, so that an operator or a
    /// function reads it in place (value_in) instead of copying it for every record.
    std::optional<size_t> column;
    std::shared_ptr<const Value> constant;
};

/// `e`'s value for `row`: read in place for a column or a constant, else computed into
/// `scratch`.
inline const Value& value_in(const BoundExpr& e, const Row& row, Value& scratch) {
    if (e.column) {
        return row[*e.column];
    }
    if (e.constant) {
        return *e.constant;
    }
    scratch = e.eval(row);
    return scratch;
}

/// What names mean where an expression is bound.
struct BindScope {
    const Schema& schema;
    std::string_view clause;  // "SELECT", "WHERE", ... for errors
    /// After GROUP BY: a whole expression that is already a column of the row (a grouping key,
    /// an aggregate's result) is read from there; checked before anything else.
    std::function<std::optional<size_t>(const Expr&)> computed = nullptr;
    /// After GROUP BY: the rows before it. A column of theirs that is neither grouped nor
    /// aggregated is an error; `schema` then only has the computed columns.
    const Schema* before_grouping = nullptr;
};

Result<BoundExpr> bind_expression(const Expr& expr, const BindScope& scope);

/// A canonical text of the expression, to match SELECT items against GROUP BY keys, and for
/// EXPLAIN.
std::string expression_text(const Expr& expr);

/// The value of an expression without columns (a literal, INTERVAL '1' MINUTE * 5, ...).
Result<Value> constant_value(const Expr& expr, std::string_view clause);

}  // namespace shardflow::sql
