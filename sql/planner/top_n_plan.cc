#include "sql/planner/top_n_plan.h"

#include "sql/planner/fold_subquery.h"
#include "sql/sql_error.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <optional>
#include <span>

namespace shardflow::sql {
namespace {

Status check_outer(const Select& outer) {
    if (!outer.joins.empty()) {
        return sql_error(outer.joins.front().pos,
                         "a Top-N cannot be joined: INSERT it into a stream and join that");
    }
    if (outer.distinct || !outer.group_by.empty() || outer.having) {
        return sql_error(outer.pos,
                         "DISTINCT, GROUP BY and HAVING belong one level up: SELECT ... FROM "
                         "(SELECT ... FROM (...) WHERE rn <= N) GROUP BY ... (over a Top-N of a "
                         "GROUP BY without a window)");
    }
    return ok();
}

/// The subquery's ROW_NUMBER() or RANK() item; without one the subquery is not a Top-N.
Result<size_t> ranking_item(const Select& inner, Position from) {
    std::optional<size_t> found;
    for (size_t i = 0; i < inner.items.size(); ++i) {
        if (inner.items[i].expr->kind != ExprKind::kRowNumber) {
            continue;
        }
        if (found) {
            return sql_error(inner.items[i].pos, "a Top-N has one ROW_NUMBER() or RANK()");
        }
        found = i;
    }
    if (!found) {
        return sql_error(from, "{}", kSubqueryForms);
    }
    return *found;
}

Status check_inner(const Select& inner) {
    if (inner.distinct) {
        return sql_error(inner.pos, "a Top-N over DISTINCT is not supported");
    }
    if (!inner.order_by.empty() || inner.limit || inner.emit != EmitClause::kNone) {
        return sql_error(inner.pos, "ORDER BY, LIMIT and EMIT belong to a Top-N's outer SELECT");
    }
    return ok();
}

bool is_column(const Expr& e, std::string_view name) {
    return e.kind == ExprKind::kColumn && same_name(e.name, name);
}

/// A window Top-N ranks each partition when its window closes: only a partition of one window
/// is complete then.
Status check_window_partition(const Select& inner, const Expr& ranking) {
    const auto partitions = std::span(ranking.args).first(ranking.partition_count);
    for (std::string_view bound : {"window_start", "window_end"}) {
        if (std::none_of(partitions.begin(), partitions.end(), [&](const ExprPtr& p) {
                return is_column(*p, bound);
            })) {
            return sql_error(ranking.pos,
                             "a Top-N over a window table function needs PARTITION BY "
                             "window_start, window_end (and any other keys): only then is each "
                             "partition complete when its window closes");
        }
    }
    const WindowKind kind = inner.from.window->kind;
    if (kind != WindowKind::kTumble && kind != WindowKind::kHop) {
        return sql_error(inner.from.window->pos, "a window Top-N needs a TUMBLE or HOP window");
    }
    return ok();
}

/// The first reference to window_start or window_end in `e`, or null.
const Expr* window_bound_in(const ExprPtr& e) {
    if (!e) {
        return nullptr;
    }
    if (is_column(*e, "window_start") || is_column(*e, "window_end")) {
        return e.get();
    }
    for (const auto& arg : e->args) {
        if (const Expr* found = window_bound_in(arg)) {
            return found;
        }
    }
    return nullptr;
}

/// Over a window TVF's rows the window is known only when it closes, after WHERE, the
/// PARTITION BY keys and the SELECT list's expressions: they may read its bounds only as plain
/// columns (then set), or in ORDER BY (the same for all of a partition's rows).
Status check_window_rows(const Select& inner, const Expr& ranking) {
    auto refuse = [](const Expr* bound, std::string_view where) {
        return sql_error(bound->pos,
                         "{} in {} of a Top-N over a window table function's rows is not "
                         "supported: the window is known when it closes, after {}",
                         bound->name,
                         where,
                         where);
    };
    if (const Expr* bound = window_bound_in(inner.where)) {
        return refuse(bound, "WHERE");
    }
    for (size_t i = 0; i < ranking.partition_count; ++i) {
        const Expr& p = *ranking.args[i];
        if (p.kind != ExprKind::kColumn) {
            if (const Expr* bound = window_bound_in(ranking.args[i])) {
                return refuse(bound, "a PARTITION BY expression");
            }
        }
    }
    for (const SelectItem& item : inner.items) {
        if (item.expr->kind != ExprKind::kColumn && item.expr->kind != ExprKind::kRowNumber) {
            if (const Expr* bound = window_bound_in(item.expr)) {
                return refuse(bound, "a SELECT expression");
            }
        }
    }
    return ok();
}

/// What a column of the subquery's SELECT list reads, to find the PARTITION BY columns there.
struct InnerColumn {
    std::optional<size_t> input;  // an input column (`*` or a column reference)
    std::string text;             // else the expression's text
    bool rank = false;            // the ROW_NUMBER() column
};

Result<std::vector<InnerColumn>> inner_columns(const Select& inner, const SelectPlan& plan) {
    std::vector<InnerColumn> out;
    for (const SelectItem& item : inner.items) {
        const Expr& e = *item.expr;
        if (e.kind == ExprKind::kStar) {
            SF_ASSIGN_OR_RETURN(auto columns, star_columns(e, plan));
            for (size_t c : columns) {
                out.push_back({c, "", false});
            }
            continue;
        }
        InnerColumn column{std::nullopt, expression_text(e), e.kind == ExprKind::kRowNumber};
        if (e.kind == ExprKind::kColumn) {
            auto c = plan.input.resolve(e.qualifier, e.name, e.pos, "SELECT");
            column.input = c ? std::optional<size_t>(*c) : std::nullopt;
        }
        out.push_back(std::move(column));
    }
    return out;
}

bool is_rank_column(const ExprPtr& e, const TopNPlan& top) {
    if (e->kind != ExprKind::kColumn) {
        return false;
    }
    auto c = top.ranked.resolve(e->qualifier, e->name, e->pos, "WHERE");
    return c && *c == top.rank_column;
}

/// N of `rn <= N`, `rn < N + 1` or `rn = 1` (either way round); nothing for other conditions.
Result<std::optional<int64_t>> rank_bound(const Expr& e, const TopNPlan& top) {
    if (e.kind != ExprKind::kBinary) {
        return std::optional<int64_t>();
    }
    std::string op = e.op;
    ExprPtr bound = e.args[1];
    if (!is_rank_column(e.args[0], top)) {
        if (!is_rank_column(e.args[1], top)) {
            return std::optional<int64_t>();
        }
        bound = e.args[0];
        op = op == ">=" ? "<=" : op == ">" ? "<" : op == "=" ? "=" : "";
    }
    if (op != "<=" && op != "<" && op != "=") {
        return std::optional<int64_t>();
    }
    const std::string& rank = top.ranked.columns[top.rank_column].name;
    const int64_t* n =
        bound->kind == ExprKind::kLiteral ? std::get_if<int64_t>(&bound->literal) : nullptr;
    if (!n) {
        return sql_error(bound->pos, "{} {} N needs N to be an integer literal", rank, op);
    }
    if (op == "=" && *n != 1) {
        return sql_error(e.pos, "{} = N is supported for N = 1 only: use {} <= N", rank, rank);
    }
    int64_t limit = op == "<" ? *n - 1 : *n;
    if (limit < 1) {
        return sql_error(e.pos, "{} {} {} keeps no rows: a Top-N keeps at least 1", rank, op, *n);
    }
    return std::optional<int64_t>(limit);
}

void split_and(const ExprPtr& e, std::vector<ExprPtr>& out) {
    if (e && e->kind == ExprKind::kBinary && e->op == "AND") {
        split_and(e->args[0], out);
        split_and(e->args[1], out);
    } else if (e) {
        out.push_back(e);
    }
}

/// The outer WHERE: the rank bound sets N; the other conditions filter the ranked rows (after
/// the Top-N, as in Flink: a row they drop still holds its rank).
Status plan_outer_where(const Select& outer, TopNPlan& top) {
    std::vector<ExprPtr> conditions;
    split_and(outer.where, conditions);
    std::optional<int64_t> limit;
    std::vector<BoundExpr> filters;
    for (const ExprPtr& condition : conditions) {
        if (!limit) {
            SF_ASSIGN_OR_RETURN(limit, rank_bound(*condition, top));
            if (limit) {
                continue;
            }
        }
        SF_ASSIGN_OR_RETURN(auto bound,
                            bind_expression(*condition, BindScope{top.ranked, "WHERE"}));
        if (bound.type != SqlType::kBoolean && bound.type != SqlType::kNull) {
            return sql_error(
                condition->pos, "WHERE needs a BOOLEAN condition, not {}", type_name(bound.type));
        }
        filters.push_back(std::move(bound));
    }
    if (!limit) {
        const std::string& rank = top.ranked.columns[top.rank_column].name;
        return sql_error(outer.where ? outer.where->pos : outer.pos,
                         "a Top-N needs WHERE {} <= N (or {} < N, or {} = 1) with an integer N: "
                         "{} is its {}() column",
                         rank,
                         rank,
                         rank,
                         rank,
                         top.rank ? "RANK" : "ROW_NUMBER");
    }
    top.limit = static_cast<size_t>(*limit);
    if (!filters.empty()) {
        top.filter = BoundExpr{SqlType::kBoolean, [filters](const Row& row) -> Value {
                                   for (const auto& f : filters) {
                                       if (f.eval(row) != Value(true)) {
                                           return false;
                                       }
                                   }
                                   return true;
                               }};
    }
    return ok();
}

/// The outer SELECT list over the ranked rows; `reads` gets the ranked column each output column
/// copies, when it is a plain one (for the output key).
Status plan_outer_projection(const Select& outer,
                             TopNPlan& top,
                             Schema& output,
                             std::vector<std::optional<size_t>>& reads) {
    const BindScope scope{top.ranked, "SELECT"};
    for (size_t i = 0; i < outer.items.size(); ++i) {
        const SelectItem& item = outer.items[i];
        const Expr& e = *item.expr;
        if (e.kind == ExprKind::kStar) {
            if (!e.qualifier.empty() && !same_name(e.qualifier, outer.from.alias)) {
                return sql_error(e.pos, "{}.* names no stream or table of FROM", e.qualifier);
            }
            for (size_t c = 0; c < top.ranked.size(); ++c) {
                const Column& column = top.ranked.columns[c];
                top.projection.push_back(BoundExpr{column.type, [c](const Row& row) {
                                                       return row[c];
                                                   }});
                output.columns.push_back({column.name, column.type, ""});
                reads.emplace_back(c);
            }
            continue;
        }
        SF_ASSIGN_OR_RETURN(auto bound, bind_expression(e, scope));
        std::string name = output_name(item, i);
        for (const auto& c : output.columns) {
            if (same_name(c.name, name)) {
                return sql_error(
                    item.pos, "the output has two columns named '{}': add AS to one", name);
            }
        }
        std::optional<size_t> read;
        if (e.kind == ExprKind::kColumn) {
            SF_ASSIGN_OR_RETURN(read, top.ranked.resolve(e.qualifier, e.name, e.pos, "SELECT"));
        }
        reads.push_back(read);
        output.columns.push_back(
            {name, bound.type == SqlType::kNull ? SqlType::kVarchar : bound.type, ""});
        top.projection.push_back(std::move(bound));
    }
    return ok();
}

/// A table upserts a Top-N's rows by partition and rank: the outer SELECT list must have them
/// (the rank may be left out when N = 1 and there is a PARTITION BY: one row per partition).
Result<std::vector<size_t>> output_key(const Select& outer,
                                       const Expr& row_number,
                                       const std::vector<InnerColumn>& inner,
                                       const TopNPlan& top,
                                       const SelectPlan& plan,
                                       const std::vector<std::optional<size_t>>& reads) {
    auto selected = [&](size_t ranked_column) -> std::optional<size_t> {
        for (size_t o = 0; o < reads.size(); ++o) {
            if (reads[o] == ranked_column) {
                return o;
            }
        }
        return std::nullopt;
    };
    std::vector<size_t> key;
    std::vector<std::string> missing;
    for (size_t i = 0; i < row_number.partition_count; ++i) {
        const Expr& p = *row_number.args[i];
        std::optional<size_t> input;
        if (p.kind == ExprKind::kColumn) {
            SF_ASSIGN_OR_RETURN(input, plan.input.resolve(p.qualifier, p.name, p.pos, ""));
        }
        std::optional<size_t> ranked;
        for (size_t c = 0; c < inner.size() && !ranked; ++c) {
            if (!inner[c].rank && ((input && inner[c].input == input) ||
                                   (!inner[c].input && inner[c].text == expression_text(p)))) {
                ranked = c;
            }
        }
        if (!ranked) {
            return sql_error(p.pos,
                             "PARTITION BY {} must be in the subquery's SELECT list too: a Top-N's "
                             "rows are keyed by their partition and rank",
                             expression_text(p));
        }
        if (auto o = selected(*ranked)) {
            key.push_back(*o);
        } else {
            missing.push_back(top.ranked.columns[*ranked].name);
        }
    }
    if (auto o = selected(top.rank_column)) {
        key.push_back(*o);
    } else if (top.limit > 1 || row_number.partition_count == 0) {
        missing.push_back(top.ranked.columns[top.rank_column].name);
    }
    if (!missing.empty()) {
        return sql_error(outer.pos,
                         "select {} in the outer SELECT list: a Top-N's rows are keyed by their "
                         "PARTITION BY columns and rank (the rank may be left out when N = 1 "
                         "and there is a PARTITION BY)",
                         fmt::join(missing, ", "));
    }
    return key;
}

/// Appends the PARTITION BY and ORDER BY values (and the event time of a window Top-N) to the
/// subquery's SELECT list, after its own columns: the Top-N keys and ranks by them, whether or
/// not they are selected. Planned with the rest of the list, they may read aggregates.
void add_ranking_values(Select& rows, const Expr& ranking, ExprPtr time) {
    for (size_t i = 0; i < ranking.args.size(); ++i) {
        const bool partition = i < ranking.partition_count;
        std::string alias = fmt::format("${}{}",
                                        partition ? "partition" : "order",
                                        partition ? i : i - ranking.partition_count);
        rows.items.push_back({ranking.args[i], std::move(alias), ranking.args[i]->pos});
    }
    if (time) {
        rows.items.push_back({std::move(time), "$time", ranking.pos});
    }
}

ExprPtr column_named(std::string name, Position pos) {
    auto e = std::make_shared<Expr>();
    e->kind = ExprKind::kColumn;
    e->name = std::move(name);
    e->pos = pos;
    return e;
}

/// Where the Top-N finds the values add_ranking_values appended, and for a window Top-N how it
/// ranks.
void plan_ranking(const Expr& ranking,
                  const SelectPlan& plan,
                  const std::vector<InnerColumn>& columns,
                  TopNPlan& top) {
    const size_t first = top.ranked.size();
    for (size_t i = 0; i < ranking.args.size(); ++i) {
        const size_t at = first + i;
        if (i < ranking.partition_count) {
            top.partition_keys.push_back(
                BoundExpr{plan.output.columns[at].type, [at](const Row& row) {
                              return row[at];
                          }});
            top.partition_names.push_back(expression_text(*ranking.args[i]));
        } else {
            top.order_columns.push_back(at);
            top.descending.push_back(ranking.descending[i - ranking.partition_count]);
        }
    }
    if (!plan.window) {
        return;
    }
    WindowTopN window;
    window.window = *plan.window;
    window.time_value = first + ranking.args.size();
    if (plan.aggregates) {  // the aggregation's rows, stamped window_end - 1
        window.window.kind = WindowKind::kTumble;
        window.window.size_ms =
            plan.window->kind == WindowKind::kHop ? plan.window->slide_ms : plan.window->size_ms;
        window.time_offset_ms = -1;
    } else {  // the TVF's rows: their window bounds are set when it closes
        const size_t start = plan.source_input.size();
        for (size_t c = 0; c < columns.size(); ++c) {
            if (columns[c].input == start) {
                window.start_columns.push_back(c);
            } else if (columns[c].input == start + 1) {
                window.end_columns.push_back(c);
            }
        }
    }
    top.window = std::move(window);
}

}  // namespace

bool is_top_n(const Select& outer) {
    const auto& items = outer.from.subquery->items;
    return std::any_of(items.begin(), items.end(), [](const SelectItem& item) {
        return item.expr->kind == ExprKind::kRowNumber;
    });
}

Result<SelectPlan> plan_top_n(const Select& outer, const PlanCatalog& catalog) {
    SF_TRY(check_outer(outer));
    SF_TRY(ranking_item(*outer.from.subquery, outer.from.pos));
    SF_TRY(check_inner(*outer.from.subquery));
    Select inner = *outer.from.subquery;
    if (inner.from.subquery) {
        SF_ASSIGN_OR_RETURN(inner, fold_subquery(inner));
    }
    SF_ASSIGN_OR_RETURN(size_t rank_item, ranking_item(inner, outer.from.pos));
    const ExprPtr ranking_expr = inner.items[rank_item].expr;
    const Expr& ranking = *ranking_expr;
    // A window TVF read alone (not a window join's side): a window Top-N.
    const bool windowed = inner.from.window && inner.joins.empty();
    if (windowed) {
        SF_TRY(check_window_partition(inner, ranking));
        if (!has_aggregation(inner)) {
            SF_TRY(check_window_rows(inner, ranking));
        }
    }

    // The subquery as a plain SELECT: NULL holds rownum's place until the Top-N ranks the row.
    Select rows = inner;
    auto placeholder = std::make_shared<Expr>();
    placeholder->pos = ranking.pos;
    rows.items[rank_item].expr = std::move(placeholder);
    ExprPtr time;
    if (windowed) {  // the aggregation's window_end, or the TVF's DESCRIPTOR column
        time = column_named(inner.group_by.empty() ? inner.from.window->time_column : "window_end",
                            ranking.pos);
    }
    add_ranking_values(rows, ranking, time);
    SF_ASSIGN_OR_RETURN(SelectPlan plan, plan_select(rows, catalog, windowed));
    // A window Top-N's rows are final when its window closes; its aggregation too.
    plan.emit = windowed ? EmitClause::kNone : outer.emit;

    TopNPlan top;
    top.rank = ranking.name == "RANK";
    SF_ASSIGN_OR_RETURN(auto columns, inner_columns(inner, plan));
    top.ranked.columns.assign(
        plan.output.columns.begin(),
        plan.output.columns.begin() + static_cast<std::ptrdiff_t>(columns.size()));
    for (size_t c = 0; c < columns.size(); ++c) {
        top.ranked.columns[c].qualifier = outer.from.alias;
        if (columns[c].rank) {
            top.rank_column = c;
            top.ranked.columns[c].type = SqlType::kBigint;
        }
    }
    plan_ranking(ranking, plan, columns, top);
    SF_TRY(plan_outer_where(outer, top));
    Schema output;
    std::vector<std::optional<size_t>> reads;
    SF_TRY(plan_outer_projection(outer, top, output, reads));
    plan.output_key.clear();  // the subquery's (its GROUP BY's) is not the Top-N's
    if (!windowed && top.rank) {
        plan.unkeyed_updates = sql_error(
            ranking.pos,
            "a running RANK() Top-N cannot be written into a table or stream: tied rows share a "
            "rank, so its updates have no key to upsert by; use ROW_NUMBER(), a window Top-N "
            "(PARTITION BY window_start, window_end), or batch mode");
    } else if (!windowed) {  // else each partition is emitted once: appended
        auto key = output_key(outer, ranking, columns, top, plan, reads);
        if (key) {
            plan.output_key = std::move(*key);
        } else {
            plan.unkeyed_updates = std::move(key.error());
        }
    }
    plan.output = std::move(output);
    plan.top_n = std::move(top);
    return plan;
}

}  // namespace shardflow::sql
