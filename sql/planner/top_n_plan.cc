#include "sql/planner/top_n_plan.h"

#include "sql/sql_error.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <optional>

namespace shardflow::sql {
namespace {

Status check_outer(const Select& outer) {
    if (!outer.joins.empty()) {
        return sql_error(outer.joins.front().pos,
                         "a Top-N cannot be joined: INSERT it into a stream and join that");
    }
    if (outer.distinct || !outer.group_by.empty() || outer.having) {
        return sql_error(outer.pos, "DISTINCT, GROUP BY and HAVING over a Top-N are not supported");
    }
    return ok();
}

/// The subquery's ROW_NUMBER() item; without one the subquery is not a Top-N.
Result<size_t> row_number_item(const Select& outer) {
    const Select& inner = *outer.from.subquery;
    std::optional<size_t> found;
    for (size_t i = 0; i < inner.items.size(); ++i) {
        if (inner.items[i].expr->kind != ExprKind::kRowNumber) {
            continue;
        }
        if (found) {
            return sql_error(inner.items[i].pos, "a Top-N has one ROW_NUMBER()");
        }
        found = i;
    }
    if (!found) {
        return sql_error(outer.from.pos, "{}", kSubqueryIsTopNOnly);
    }
    return *found;
}

/// The subquery ranks the rows of a stream or a join as they come: nothing that aggregates.
Status check_inner(const Select& inner) {
    if (inner.from.subquery) {
        return sql_error(inner.from.pos, "a Top-N's subquery reads streams, not another subquery");
    }
    if (!inner.group_by.empty() || inner.having || inner.distinct) {
        return sql_error(inner.group_by.empty() ? inner.pos : inner.group_by.front()->pos,
                         "a Top-N over GROUP BY, HAVING or DISTINCT is not supported: its "
                         "subquery reads a stream or a join of streams without aggregating");
    }
    if (!inner.order_by.empty() || inner.limit || inner.emit != EmitClause::kNone) {
        return sql_error(inner.pos, "ORDER BY, LIMIT and EMIT belong to a Top-N's outer SELECT");
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
                         "{} is its ROW_NUMBER() column",
                         rank,
                         rank,
                         rank,
                         rank);
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

/// Appends the PARTITION BY and ORDER BY values to the subquery's rows: the Top-N keys and
/// ranks by them, whether or not they are selected.
Status plan_ranking(const Expr& row_number, SelectPlan& plan, TopNPlan& top) {
    for (size_t i = 0; i < row_number.args.size(); ++i) {
        const bool partition = i < row_number.partition_count;
        const Expr& e = *row_number.args[i];
        SF_ASSIGN_OR_RETURN(
            auto bound,
            bind_expression(e, BindScope{plan.input, partition ? "PARTITION BY" : "ORDER BY"}));
        const size_t at = plan.projection.size();
        if (partition) {
            top.partition_keys.push_back(BoundExpr{bound.type, [at](const Row& row) {
                                                       return row[at];
                                                   }});
            top.partition_names.push_back(expression_text(e));
        } else {
            top.order_columns.push_back(at);
            top.descending.push_back(row_number.descending[i - row_number.partition_count]);
        }
        plan.projection.push_back(std::move(bound));
    }
    return ok();
}

}  // namespace

Result<SelectPlan> plan_top_n(const Select& outer, const PlanCatalog& catalog) {
    SF_TRY(check_outer(outer));
    SF_ASSIGN_OR_RETURN(size_t rank_item, row_number_item(outer));
    const Select& inner = *outer.from.subquery;
    SF_TRY(check_inner(inner));
    const Expr& row_number = *inner.items[rank_item].expr;

    // The subquery as a plain SELECT: NULL holds rownum's place until the Top-N ranks the row.
    Select rows = inner;
    auto placeholder = std::make_shared<Expr>();
    placeholder->pos = row_number.pos;
    rows.items[rank_item].expr = std::move(placeholder);
    SF_ASSIGN_OR_RETURN(SelectPlan plan, plan_select(rows, catalog));
    if (plan.aggregates) {
        return sql_error(inner.pos,
                         "a Top-N over aggregates is not supported: its subquery reads a stream or "
                         "a join of streams without aggregating");
    }
    plan.emit = outer.emit;

    TopNPlan top;
    SF_ASSIGN_OR_RETURN(auto columns, inner_columns(inner, plan));
    top.ranked = plan.output;
    for (size_t c = 0; c < columns.size(); ++c) {
        top.ranked.columns[c].qualifier = outer.from.alias;
        if (columns[c].rank) {
            top.rank_column = c;
            top.ranked.columns[c].type = SqlType::kBigint;
        }
    }
    SF_TRY(plan_ranking(row_number, plan, top));
    SF_TRY(plan_outer_where(outer, top));
    Schema output;
    std::vector<std::optional<size_t>> reads;
    SF_TRY(plan_outer_projection(outer, top, output, reads));
    SF_ASSIGN_OR_RETURN(plan.output_key, output_key(outer, row_number, columns, top, plan, reads));
    plan.output = std::move(output);
    plan.top_n = std::move(top);
    return plan;
}

}  // namespace shardflow::sql
