#pragma once
// SQL's operators on bound operands: arithmetic, comparison, AND/OR/NOT with three-valued
// logic, ||, IS NULL, BETWEEN, IN, LIKE.

#include "sql/binder/bound_expression.h"

#include <vector>

namespace shardflow::sql {

/// The type both sides of a comparison, CASE branches or IN list fit in: BIGINT and DOUBLE
/// meet in DOUBLE, NULL fits anything, a string compared with a TIMESTAMP is read as one.
Result<SqlType> common_type(SqlType a, SqlType b, Position pos, std::string_view what);

/// `e` is a kUnary, kBinary, kIsNull, kBetween, kIn or kLike node; `args` its bound operands.
Result<BoundExpr> bind_operator(const Expr& e, std::vector<BoundExpr> args);

/// SQL LIKE: % any run, _ one character, no escape.
bool like_match(std::string_view text, std::string_view pattern);

}  // namespace shardflow::sql
