#include "sql/planner/fold_subquery.h"

#include "sql/planner/select_plan.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace shardflow::sql {
namespace {

struct NamedColumn {
    std::string name;
    ExprPtr expr;
};

class Folder {
public:
    Folder(std::vector<NamedColumn> columns, std::string alias)
        : columns_(std::move(columns))
        , alias_(std::move(alias)) {}

    Result<ExprPtr> fold(const ExprPtr& e) const {
        if (!e) {
            return e;
        }
        if (e->kind == ExprKind::kColumn) {
            return column(*e);
        }
        auto copy = std::make_shared<Expr>(*e);
        for (auto& arg : copy->args) {
            SF_ASSIGN_OR_RETURN(arg, fold(arg));
        }
        return ExprPtr(std::move(copy));
    }

    const std::vector<NamedColumn>& columns() const { return columns_; }
    bool reads(const std::string& qualifier) const {
        return qualifier.empty() || same_name(qualifier, alias_);
    }

private:
    Result<ExprPtr> column(const Expr& e) const {
        if (!reads(e.qualifier)) {
            return sql_error(e.pos,
                             "{}.{}: a Top-N's subquery reads only its FROM subquery{}",
                             e.qualifier,
                             e.name,
                             alias_.empty() ? "" : " (" + alias_ + ")");
        }
        for (const auto& c : columns_) {
            if (same_name(c.name, e.name)) {
                return c.expr;
            }
        }
        std::vector<std::string> names;
        for (const auto& c : columns_) {
            names.push_back(c.name);
        }
        return sql_error(e.pos,
                         "unknown column '{}': the subquery in FROM has {}",
                         e.name,
                         fmt::join(names, ", "));
    }

    std::vector<NamedColumn> columns_;
    std::string alias_;
};

ExprPtr both(ExprPtr a, ExprPtr b) {
    if (!a) {
        return b;
    }
    auto e = std::make_shared<Expr>();
    e->kind = ExprKind::kBinary;
    e->op = "AND";
    e->pos = a->pos;
    e->args = {std::move(a), std::move(b)};
    return e;
}

Status check_innermost(const Select& middle, const Select& innermost) {
    if (innermost.from.subquery) {
        return sql_error(innermost.from.pos,
                         "a Top-N reads at most two levels of subqueries: this one reads a third");
    }
    if (!middle.joins.empty()) {
        return sql_error(middle.joins.front().pos, "a Top-N's subquery cannot join a subquery");
    }
    if (innermost.distinct || !innermost.order_by.empty() || innermost.limit ||
        innermost.emit != EmitClause::kNone) {
        return sql_error(innermost.pos,
                         "DISTINCT, ORDER BY, LIMIT and EMIT are not supported in a Top-N's "
                         "innermost SELECT");
    }
    for (const SelectItem& item : innermost.items) {
        if (item.expr->kind == ExprKind::kStar) {
            return sql_error(item.pos, "name the columns of a Top-N's innermost SELECT, not *");
        }
    }
    return ok();
}

}  // namespace

Result<Select> fold_subquery(const Select& middle) {
    const Select& innermost = *middle.from.subquery;
    SF_TRY(check_innermost(middle, innermost));
    std::vector<NamedColumn> columns;
    for (size_t i = 0; i < innermost.items.size(); ++i) {
        columns.push_back({output_name(innermost.items[i], i), innermost.items[i].expr});
    }
    Folder folder(std::move(columns), middle.from.alias);
    Select folded = innermost;
    folded.items.clear();
    for (const SelectItem& item : middle.items) {
        const Expr& e = *item.expr;
        if (e.kind == ExprKind::kStar) {
            if (!folder.reads(e.qualifier)) {
                return sql_error(e.pos, "{}.* names no subquery of FROM", e.qualifier);
            }
            for (const auto& c : folder.columns()) {
                folded.items.push_back({c.expr, c.name, item.pos});
            }
            continue;
        }
        SF_ASSIGN_OR_RETURN(ExprPtr expr, folder.fold(item.expr));
        std::string alias = item.alias.empty() && e.kind == ExprKind::kColumn ? e.name : item.alias;
        folded.items.push_back({std::move(expr), std::move(alias), item.pos});
    }
    SF_ASSIGN_OR_RETURN(ExprPtr where, folder.fold(middle.where));
    if (where && !innermost.group_by.empty()) {
        folded.having = both(innermost.having, std::move(where));
    } else if (where) {
        folded.where = both(innermost.where, std::move(where));
    }
    folded.pos = middle.pos;
    return folded;
}

}  // namespace shardflow::sql
