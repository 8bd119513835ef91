#pragma once
// Flink writes a Top-N over an aggregation one level deeper: SELECT ... FROM (SELECT *, RANK()
// OVER (...) AS rk FROM (SELECT ..., COUNT(*) AS num ... GROUP BY ...)) WHERE rk <= N. The
// middle SELECT only names the innermost's columns, so it folds into the innermost: each of its
// column references becomes the expression the innermost computes for it, and its WHERE joins
// the innermost's HAVING (or WHERE, when that does not aggregate).

#include "sql/ast.h"
#include "sql/sql_error.h"

namespace shardflow::sql {

/// `middle` reads FROM a subquery: one SELECT doing both.
Result<Select> fold_subquery(const Select& middle);

}  // namespace shardflow::sql
