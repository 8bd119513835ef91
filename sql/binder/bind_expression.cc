#include "sql/binder/aggregate_functions.h"
#include "sql/binder/bound_expression.h"
#include "sql/binder/operators.h"
#include "sql/binder/scalar_functions.h"
#include "sql/sql_error.h"
#include "sql/value_ops.h"

#include <boost/container/small_vector.hpp>
#include <fmt/format.h>

namespace shardflow::sql {
namespace {

BoundExpr constant(Value v, SqlType type) {
    auto held = std::make_shared<const Value>(std::move(v));
    BoundExpr e(type, [held](const Row&) { return *held; });
    e.constant = std::move(held);
    return e;
}

Result<std::vector<BoundExpr>> bind_all(const std::vector<ExprPtr>& exprs,
                                        size_t from,
                                        const BindScope& scope) {
    std::vector<BoundExpr> out;
    for (size_t i = from; i < exprs.size(); ++i) {
        SF_ASSIGN_OR_RETURN(auto bound, bind_expression(*exprs[i], scope));
        out.push_back(std::move(bound));
    }
    return out;
}

Result<BoundExpr> bind_column(const Expr& e, const BindScope& scope) {
    if (scope.before_grouping) {
        SF_TRY(scope.before_grouping->resolve(e.qualifier, e.name, e.pos, scope.clause));
        return sql_error(e.pos,
                         "column '{}' in {} must appear in GROUP BY or inside an aggregate",
                         e.name,
                         scope.clause);
    }
    SF_ASSIGN_OR_RETURN(size_t index,
                        scope.schema.resolve(e.qualifier, e.name, e.pos, scope.clause));
    BoundExpr column(scope.schema.columns[index].type,
                     [index](const Row& row) { return row[index]; });
    column.column = index;
    return column;
}

Result<BoundExpr> bind_function(const Expr& e, const BindScope& scope) {
    if (is_aggregate_function(e.name)) {
        return sql_error(e.pos, "aggregate function {} is not allowed in {}", e.name, scope.clause);
    }
    const ScalarFunction* f = find_scalar_function(e.name);
    if (!f) {
        return sql_error(
            e.pos, "unknown function {}{}", e.name, did_you_mean(e.name, scalar_function_names()));
    }
    if (e.args.size() < f->min_args || e.args.size() > f->max_args) {
        return sql_error(e.pos,
                         "{} takes {} arguments, not {}",
                         e.name,
                         f->min_args == f->max_args
                             ? std::to_string(f->min_args)
                             : fmt::format("{} to {}", f->min_args, f->max_args),
                         e.args.size());
    }
    SF_ASSIGN_OR_RETURN(auto args, bind_all(e.args, 0, scope));
    std::vector<SqlType> types;
    for (const auto& a : args) {
        types.push_back(a.type);
    }
    auto type = f->result_type(types);
    if (!type) {
        return sql_error(e.pos, "{}: {}", e.name, type.error().message);
    }
    return BoundExpr{*type, [f, args = std::move(args), types](const Row& row) -> Value {
                         boost::container::small_vector<Value, 4> computed(args.size());
                         boost::container::small_vector<const Value*, 4> values;
                         for (size_t i = 0; i < args.size(); ++i) {
                             values.push_back(&value_in(args[i], row, computed[i]));
                             if (!f->takes_null && is_null(*values.back())) {
                                 return {};
                             }
                         }
                         return f->call(FunctionArgs(values), types);
                     }};
}

Result<BoundExpr> bind_case(const Expr& e, const BindScope& scope) {
    SF_ASSIGN_OR_RETURN(auto parts, bind_all(e.args, 0, scope));
    std::optional<BoundExpr> operand;
    if (e.case_has_operand) {
        operand = std::move(parts.front());
        parts.erase(parts.begin());
    }
    std::optional<BoundExpr> otherwise;
    if (e.case_has_else) {
        otherwise = std::move(parts.back());
        parts.pop_back();
    }
    SqlType type = SqlType::kNull;
    for (size_t i = 1; i < parts.size(); i += 2) {
        SF_ASSIGN_OR_RETURN(type, common_type(type, parts[i].type, e.pos, "CASE"));
    }
    if (otherwise) {
        SF_ASSIGN_OR_RETURN(type, common_type(type, otherwise->type, e.pos, "CASE"));
    }
    return BoundExpr{type, [operand, parts, otherwise](const Row& row) -> Value {
                         Value subject = operand ? operand->eval(row) : Value{};
                         for (size_t i = 0; i + 1 < parts.size(); i += 2) {
                             Value when = parts[i].eval(row);
                             bool hit = operand ? !is_null(subject) && !is_null(when) &&
                                                      compare_values(subject, when) == 0
                                                : when == Value(true);
                             if (hit) {
                                 return parts[i + 1].eval(row);
                             }
                         }
                         return otherwise ? otherwise->eval(row) : Value{};
                     }};
}

Result<BoundExpr> bind_cast(const Expr& e, const BindScope& scope) {
    SF_ASSIGN_OR_RETURN(auto inner, bind_expression(*e.args[0], scope));
    SqlType to = e.cast_type;
    SqlType from = inner.type;
    return BoundExpr{to, [inner = std::move(inner), from, to](const Row& row) {
                         return cast_value(inner.eval(row), from, to);
                     }};
}

}  // namespace

Result<BoundExpr> bind_expression(const Expr& e, const BindScope& scope) {
    if (scope.computed) {
        if (auto index = scope.computed(e)) {
            SqlType type = scope.schema.columns[*index].type;
            return BoundExpr{type, [i = *index](const Row& row) {
                                 return row[i];
                             }};
        }
    }
    switch (e.kind) {
        case ExprKind::kLiteral:
            return constant(e.literal, type_of(e.literal));
        case ExprKind::kInterval:
            return constant(e.interval_ms, SqlType::kBigint);
        case ExprKind::kColumn:
            return bind_column(e, scope);
        case ExprKind::kStar:
            return sql_error(e.pos, "* is allowed only in the SELECT list and COUNT(*)");
        case ExprKind::kFunction:
            return bind_function(e, scope);
        case ExprKind::kCase:
            return bind_case(e, scope);
        case ExprKind::kCast:
            return bind_cast(e, scope);
        case ExprKind::kUnary:
        case ExprKind::kBinary:
        case ExprKind::kIsNull:
        case ExprKind::kBetween:
        case ExprKind::kIn:
        case ExprKind::kLike: {
            SF_ASSIGN_OR_RETURN(auto args, bind_all(e.args, 0, scope));
            return bind_operator(e, std::move(args));
        }
        case ExprKind::kRowNumber:
            // The planner takes a Top-N's ROW_NUMBER() out of its SELECT list before binding.
            return sql_error(e.pos,
                             "{}() is supported only as a Top-N's select item: SELECT ... "
                             "FROM (SELECT ..., {}() OVER (...) AS rn FROM ...) WHERE rn <= N",
                             e.name,
                             e.name);
    }
    return sql_error(e.pos, "unsupported expression");
}

Result<Value> constant_value(const Expr& expr, std::string_view clause) {
    Schema none;
    SF_ASSIGN_OR_RETURN(auto bound, bind_expression(expr, BindScope{none, clause}));
    return bound.eval(Row{});
}

std::string expression_text(const Expr& e) {
    auto list = [](const std::vector<ExprPtr>& args, size_t from = 0) {
        std::string out;
        for (size_t i = from; i < args.size(); ++i) {
            out += (i > from ? ", " : "") + expression_text(*args[i]);
        }
        return out;
    };
    switch (e.kind) {
        case ExprKind::kLiteral:
            return std::holds_alternative<std::string>(e.literal)
                       ? "'" + std::get<std::string>(e.literal) + "'"
                       : value_text(e.literal, type_of(e.literal));
        case ExprKind::kInterval:
            return fmt::format("INTERVAL {} MS", e.interval_ms);
        case ExprKind::kColumn:
            return e.qualifier.empty() ? e.name : e.qualifier + "." + e.name;
        case ExprKind::kStar:
            return e.qualifier.empty() ? "*" : e.qualifier + ".*";
        case ExprKind::kUnary:
            return fmt::format("({} {})", e.op, expression_text(*e.args[0]));
        case ExprKind::kBinary:
            return fmt::format(
                "({} {} {})", expression_text(*e.args[0]), e.op, expression_text(*e.args[1]));
        case ExprKind::kFunction:
            return fmt::format("{}({}{})", e.name, e.distinct ? "DISTINCT " : "", list(e.args));
        case ExprKind::kCase:
            return fmt::format("CASE({})", list(e.args));
        case ExprKind::kCast:
            return fmt::format(
                "CAST({} AS {})", expression_text(*e.args[0]), type_name(e.cast_type));
        case ExprKind::kIsNull:
            return fmt::format(
                "({} IS {}NULL)", expression_text(*e.args[0]), e.negated ? "NOT " : "");
        case ExprKind::kBetween:
            return fmt::format("({} {}BETWEEN {})",
                               expression_text(*e.args[0]),
                               e.negated ? "NOT " : "",
                               list(e.args, 1));
        case ExprKind::kIn:
            return fmt::format("({} {}IN ({}))",
                               expression_text(*e.args[0]),
                               e.negated ? "NOT " : "",
                               list(e.args, 1));
        case ExprKind::kLike:
            return fmt::format("({} {}LIKE {})",
                               expression_text(*e.args[0]),
                               e.negated ? "NOT " : "",
                               expression_text(*e.args[1]));
        case ExprKind::kRowNumber: {
            std::string order;
            for (size_t i = e.partition_count; i < e.args.size(); ++i) {
                order += fmt::format("{}{}{}",
                                     i > e.partition_count ? ", " : "",
                                     expression_text(*e.args[i]),
                                     e.descending[i - e.partition_count] ? " DESC" : "");
            }
            std::vector<ExprPtr> partitions(
                e.args.begin(), e.args.begin() + static_cast<ptrdiff_t>(e.partition_count));
            return fmt::format(
                "{}() OVER (PARTITION BY {} ORDER BY {})", e.name, list(partitions), order);
        }
    }
    return "?";
}

}  // namespace shardflow::sql
