#pragma once
// Top-N, Flink's pattern: SELECT ... FROM (SELECT ..., ROW_NUMBER() (or RANK()) OVER ([PARTITION
// BY ...] ORDER BY ...) AS rn FROM ... [JOIN ...] [WHERE ...]) [AS t] WHERE rn <= N [AND ...].
// The subquery is planned as any SELECT over streams; the ranking, the outer WHERE and the outer
// SELECT list follow its rows (SelectPlan::top_n). A window Top-N's subquery reads a TUMBLE or
// HOP window TVF, its rows or a window aggregation (possibly one level deeper, as Flink writes
// it: fold_subquery.h), partitioned by window_start, window_end: each window ranked once.

#include "sql/planner/select_plan.h"

#include <string_view>

namespace shardflow::sql {

/// The error for a subquery in FROM that is of neither supported form.
inline constexpr std::string_view kSubqueryForms =
    "a subquery in FROM is supported as a Top-N: SELECT ... FROM (SELECT ..., ROW_NUMBER() OVER "
    "([PARTITION BY ...] ORDER BY ...) AS rn FROM ...) WHERE rn <= N, or as a GROUP BY without a "
    "window (or a Top-N over one) that the outer query aggregates";

/// Whether `outer` reads a Top-N: its FROM subquery has a ROW_NUMBER() or RANK() item.
bool is_top_n(const Select& outer);

/// Plans a SELECT whose FROM is a subquery.
Result<SelectPlan> plan_top_n(const Select& outer, const PlanCatalog& catalog);

}  // namespace shardflow::sql
