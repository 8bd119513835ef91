#include "sql/planner/join_plan.h"

#include "sql/sql_error.h"

namespace shardflow::sql {
namespace {

void conjuncts(const ExprPtr& e, std::vector<ExprPtr>& out) {
    if (e->kind == ExprKind::kBinary && e->op == "AND") {
        conjuncts(e->args[0], out);
        conjuncts(e->args[1], out);
    } else {
        out.push_back(e);
    }
}

/// Which side every column of `e` is on: 0 left, 1 right, -1 none, 2 both (or unknown).
int side_of(const Expr& e, const Schema& left, const Schema& right) {
    if (e.kind == ExprKind::kColumn) {
        bool l = static_cast<bool>(left.resolve(e.qualifier, e.name, e.pos, ""));
        bool r = static_cast<bool>(right.resolve(e.qualifier, e.name, e.pos, ""));
        return l && !r ? 0 : r && !l ? 1 : 2;
    }
    int side = -1;
    for (const auto& arg : e.args) {
        int s = side_of(*arg, left, right);
        if (s == -1) {
            continue;
        }
        if (side != -1 && s != side) {
            return 2;
        }
        side = s;
    }
    return side;
}

/// `side.column [+|- INTERVAL]`: a time attribute shifted by a constant.
struct TimeTerm {
    int side = 0;
    size_t column = 0;
    int64_t shift_ms = 0;
};

std::optional<TimeTerm> time_term(const Expr& e, const Schema& left, const Schema& right) {
    const Expr* column = &e;
    int64_t shift = 0;
    if (e.kind == ExprKind::kBinary && (e.op == "+" || e.op == "-")) {
        auto v = constant_value(*e.args[1], "ON");
        auto* ms = v ? std::get_if<int64_t>(&*v) : nullptr;
        if (!ms) {
            return std::nullopt;
        }
        column = e.args[0].get();
        shift = e.op == "+" ? *ms : -*ms;
    }
    if (column->kind != ExprKind::kColumn) {
        return std::nullopt;
    }
    for (int side : {0, 1}) {
        const Schema& s = side == 0 ? left : right;
        auto index = s.resolve(column->qualifier, column->name, column->pos, "ON");
        if (index && s.columns[*index].type == SqlType::kTimestamp) {
            return TimeTerm{side, *index, shift};
        }
    }
    return std::nullopt;
}

/// Bounds on right time - left time from `a op b` over time terms of both sides.
struct Bounds {
    std::optional<int64_t> lower, upper;
    std::optional<size_t> left_time, right_time;
};

bool add_bound(const TimeTerm& a, std::string op, const TimeTerm& b, Bounds& bounds) {
    if (a.side == b.side) {
        return false;
    }
    const TimeTerm& l = a.side == 0 ? a : b;
    const TimeTerm& r = a.side == 0 ? b : a;
    if (a.side == 1) {  // written right op left: flip to left op right
        op = op == "<" ? ">" : op == "<=" ? ">=" : op == ">" ? "<" : op == ">=" ? "<=" : op;
    }
    if ((bounds.left_time && *bounds.left_time != l.column) ||
        (bounds.right_time && *bounds.right_time != r.column)) {
        return false;
    }
    bounds.left_time = l.column;
    bounds.right_time = r.column;
    // l.t + l.shift OP r.t + r.shift  <=>  r.t - l.t  OP'  l.shift - r.shift
    int64_t d = l.shift_ms - r.shift_ms;
    auto tighten_lower = [&](int64_t v) {
        bounds.lower = bounds.lower ? std::max(*bounds.lower, v) : v;
    };
    auto tighten_upper = [&](int64_t v) {
        bounds.upper = bounds.upper ? std::min(*bounds.upper, v) : v;
    };
    if (op == "<=") {
        tighten_lower(d);
    } else if (op == "<") {
        tighten_lower(d + 1);
    } else if (op == ">=") {
        tighten_upper(d);
    } else if (op == ">") {
        tighten_upper(d - 1);
    } else if (op == "=") {
        tighten_lower(d);
        tighten_upper(d);
    } else {
        return false;
    }
    return true;
}

/// A conjunct that bounds time: a comparison or BETWEEN of time terms of both sides.
bool time_bounds(const Expr& e, const Schema& left, const Schema& right, Bounds& bounds) {
    if (e.kind == ExprKind::kBetween && !e.negated) {
        auto t = time_term(*e.args[0], left, right);
        auto lo = time_term(*e.args[1], left, right);
        auto hi = time_term(*e.args[2], left, right);
        return t && lo && hi && add_bound(*t, ">=", *lo, bounds) &&
               add_bound(*t, "<=", *hi, bounds);
    }
    if (e.kind != ExprKind::kBinary) {
        return false;
    }
    auto a = time_term(*e.args[0], left, right);
    auto b = time_term(*e.args[1], left, right);
    return a && b && add_bound(*a, e.op, *b, bounds);
}

bool is_window_bound_equality(const Expr& e, const Schema& left, const Schema& right) {
    if (e.kind != ExprKind::kBinary || e.op != "=") {
        return false;
    }
    for (const auto& arg : e.args) {
        if (arg->kind != ExprKind::kColumn ||
            !(same_name(arg->name, "window_start") || same_name(arg->name, "window_end"))) {
            return false;
        }
    }
    return side_of(e, left, right) == 2;
}

}  // namespace

Result<JoinPlan> plan_join(const Join& join,
                           const JoinSide& left,
                           const JoinSide& right,
                           const Schema& joined,
                           JoinPlan plan) {
    plan.left_outer = join.type == JoinType::kLeft;
    std::vector<ExprPtr> parts;
    conjuncts(join.on, parts);
    Bounds bounds;
    bool windows_equal = false;
    std::vector<ExprPtr> rest;
    for (const auto& part : parts) {
        if (part->kind == ExprKind::kBinary && part->op == "=") {
            int a = side_of(*part->args[0], left.schema, right.schema);
            int b = side_of(*part->args[1], left.schema, right.schema);
            if ((a == 0 && b == 1) || (a == 1 && b == 0)) {
                const Expr& l = *part->args[a == 0 ? 0 : 1];
                const Expr& r = *part->args[a == 0 ? 1 : 0];
                if (is_window_bound_equality(*part, left.schema, right.schema)) {
                    windows_equal = true;
                    continue;
                }
                if (plan.kind != JoinKind::kLookup &&
                    time_bounds(*part, left.schema, right.schema, bounds)) {
                    continue;  // l.ts = r.ts: an interval of zero
                }
                SF_ASSIGN_OR_RETURN(auto lk, bind_expression(l, BindScope{left.schema, "ON"}));
                SF_ASSIGN_OR_RETURN(auto rk, bind_expression(r, BindScope{right.schema, "ON"}));
                if (lk.type != rk.type) {
                    return sql_error(part->pos,
                                     "join keys must have one type: {} and {}",
                                     type_name(lk.type),
                                     type_name(rk.type));
                }
                if (plan.kind == JoinKind::kLookup) {
                    if (r.kind != ExprKind::kColumn || plan.lookup_column) {
                        return sql_error(
                            part->pos,
                            "a lookup join needs one equality with a column of the table");
                    }
                    plan.lookup_column = *right.schema.resolve(r.qualifier, r.name, r.pos, "ON");
                }
                plan.left_keys.push_back(std::move(lk));
                plan.right_keys.push_back(std::move(rk));
                continue;
            }
        }
        if (plan.kind != JoinKind::kLookup &&
            time_bounds(*part, left.schema, right.schema, bounds)) {
            continue;
        }
        rest.push_back(part);
    }
    if (plan.left_keys.empty()) {
        return sql_error(join.on->pos,
                         "a JOIN needs an equality between a column of each side in ON");
    }
    if (plan.kind == JoinKind::kInterval) {
        if (left.tumble_ms && right.tumble_ms && windows_equal) {
            if (*left.tumble_ms != *right.tumble_ms) {
                return sql_error(join.pos,
                                 "a window join needs TUMBLE windows of one size on both sides");
            }
            plan.kind = JoinKind::kWindow;
            plan.window_ms = *left.tumble_ms;
            plan.left_time = *left.window_time;
            plan.right_time = *right.window_time;
        } else if (bounds.lower && bounds.upper) {
            if (*bounds.lower > *bounds.upper) {
                return sql_error(join.on->pos, "the time bounds of this join leave no interval");
            }
            plan.lower_ms = *bounds.lower;
            plan.upper_ms = *bounds.upper;
            plan.left_time = *bounds.left_time;
            plan.right_time = *bounds.right_time;
        } else if (!bounds.left_time && !windows_equal && !left.tumble_ms && !right.tumble_ms) {
            if (plan.left_outer) {
                return sql_error(
                    join.pos,
                    "a join of two streams without time bounds is a regular join, and a regular "
                    "join is inner only: LEFT JOIN needs time bounds in ON (e.g. b.ts BETWEEN "
                    "a.ts AND a.ts + INTERVAL '10' MINUTE) or TUMBLE windows on both sides with "
                    "a.window_start = b.window_start");
            }
            plan.kind = JoinKind::kRegular;
        } else {
            // One time bound alone is more likely a forgotten bound than a regular join meant
            // to keep every record forever; a TUMBLE side, a window join missing its equality.
            return sql_error(
                join.on->pos,
                "a join of two streams needs both time bounds in ON (e.g. b.ts BETWEEN a.ts AND "
                "a.ts + INTERVAL '10' MINUTE), TUMBLE windows on both sides with "
                "a.window_start = b.window_start, or neither (a regular join: key equalities "
                "only, time conditions in WHERE)");
        }
    }
    if (!rest.empty()) {
        if (plan.left_outer) {
            return sql_error(
                rest.front()->pos,
                "LEFT JOIN's ON takes key equalities and time bounds only: move this condition "
                "to WHERE");
        }
        ExprPtr all = rest.front();
        for (size_t i = 1; i < rest.size(); ++i) {
            auto both = std::make_shared<Expr>();
            both->kind = ExprKind::kBinary;
            both->op = "AND";
            both->pos = rest[i]->pos;
            both->args = {all, rest[i]};
            all = both;
        }
        SF_ASSIGN_OR_RETURN(auto residual, bind_expression(*all, BindScope{joined, "ON"}));
        plan.residual = std::move(residual);
    }
    return plan;
}

}  // namespace shardflow::sql
