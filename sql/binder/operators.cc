#include "sql/binder/operators.h"

#include "sql/sql_error.h"
#include "sql/value_ops.h"

#include <cmath>

namespace shardflow::sql {
namespace {

bool numeric(SqlType t) {
    return t == SqlType::kBigint || t == SqlType::kDouble || t == SqlType::kNull;
}

/// A string operand next to a TIMESTAMP is read as a timestamp ('2026-01-01 10:00:00').
BoundExpr as_type(BoundExpr e, SqlType to) {
    if (e.type == to || e.type == SqlType::kNull) {
        return e;
    }
    SqlType from = e.type;
    return BoundExpr{to, [inner = std::move(e.eval), from, to](const Row& row) {
                         return cast_value(inner(row), from, to);
                     }};
}

Result<BoundExpr> arithmetic(const Expr& e, BoundExpr a, BoundExpr b) {
    const std::string& op = e.op;
    bool time_shift =
        (a.type == SqlType::kTimestamp && numeric(b.type) && (op == "+" || op == "-")) ||
        (b.type == SqlType::kTimestamp && numeric(a.type) && op == "+");
    bool time_difference =
        a.type == SqlType::kTimestamp && b.type == SqlType::kTimestamp && op == "-";
    if (!time_shift && !time_difference && (!numeric(a.type) || !numeric(b.type))) {
        return sql_error(e.pos,
                         "operator {} needs numbers, not {} and {}",
                         op,
                         type_name(a.type),
                         type_name(b.type));
    }
    SqlType type = time_shift ? SqlType::kTimestamp
                   : (a.type == SqlType::kDouble || b.type == SqlType::kDouble) ? SqlType::kDouble
                                                                                : SqlType::kBigint;
    char o = op[0];
    return BoundExpr{
        type, [a = std::move(a.eval), b = std::move(b.eval), o](const Row& row) -> Value {
            Value x = a(row), y = b(row);
            if (is_null(x) || is_null(y)) {
                return {};
            }
            if (x.index() == 2 && y.index() == 2) {
                int64_t i = std::get<int64_t>(x), j = std::get<int64_t>(y), r = 0;
                switch (o) {
                    case '+':
                        return __builtin_add_overflow(i, j, &r) ? Value{} : Value(r);
                    case '-':
                        return __builtin_sub_overflow(i, j, &r) ? Value{} : Value(r);
                    case '*':
                        return __builtin_mul_overflow(i, j, &r) ? Value{} : Value(r);
                    case '/':
                        return j == 0 || (j == -1 && i == INT64_MIN) ? Value{} : Value(i / j);
                    default:  // INT64_MIN % -1 overflows
                        return j == 0 ? Value{} : Value(j == -1 ? 0 : i % j);
                }
            }
            double d = as_double(x), f = as_double(y);
            switch (o) {
                case '+':
                    return d + f;
                case '-':
                    return d - f;
                case '*':
                    return d * f;
                case '/':
                    return f == 0 ? Value{} : Value(d / f);
                default:
                    return f == 0 ? Value{} : Value(std::fmod(d, f));
            }
        }};
}

Result<BoundExpr> comparison(const Expr& e, BoundExpr a, BoundExpr b) {
    SF_ASSIGN_OR_RETURN(SqlType type, common_type(a.type, b.type, e.pos, "compare"));
    a = as_type(std::move(a), type);
    b = as_type(std::move(b), type);
    const std::string op = e.op;
    auto test = op == "="    ? +[](int c) { return c == 0; }
                : op == "<>" ? +[](int c) { return c != 0; }
                : op == "<"  ? +[](int c) { return c < 0; }
                : op == "<=" ? +[](int c) { return c <= 0; }
                : op == ">"  ? +[](int c) { return c > 0; }
                             : +[](int c) { return c >= 0; };
    return BoundExpr{SqlType::kBoolean,
                     [a = std::move(a), b = std::move(b), test](const Row& row) -> Value {
                         Value scratch_x, scratch_y;
                         const Value& x = value_in(a, row, scratch_x);
                         const Value& y = value_in(b, row, scratch_y);
                         if (is_null(x) || is_null(y)) {
                             return {};
                         }
                         return test(compare_values(x, y));
                     }};
}

Result<BoundExpr> logical(const Expr& e, BoundExpr a, BoundExpr b) {
    for (const auto* side : {&a, &b}) {
        if (side->type != SqlType::kBoolean && side->type != SqlType::kNull) {
            return sql_error(
                e.pos, "{} needs BOOLEAN operands, not {}", e.op, type_name(side->type));
        }
    }
    bool is_and = e.op == "AND";
    return BoundExpr{
        SqlType::kBoolean,
        [a = std::move(a.eval), b = std::move(b.eval), is_and](const Row& row) -> Value {
            Value x = a(row);
            if (x == Value(!is_and)) {
                return x;  // FALSE AND ..., TRUE OR ...
            }
            Value y = b(row);
            if (y == Value(!is_and)) {
                return y;
            }
            if (is_null(x) || is_null(y)) {
                return {};
            }
            return is_and;
        }};
}

Result<BoundExpr> binary(const Expr& e, BoundExpr a, BoundExpr b) {
    const std::string& op = e.op;
    if (op == "AND" || op == "OR") {
        return logical(e, std::move(a), std::move(b));
    }
    if (op == "=" || op == "<>" || op == "<" || op == "<=" || op == ">" || op == ">=") {
        return comparison(e, std::move(a), std::move(b));
    }
    if (op == "||") {
        SqlType ta = a.type, tb = b.type;
        return BoundExpr{
            SqlType::kVarchar,
            [a = std::move(a.eval), b = std::move(b.eval), ta, tb](const Row& row) -> Value {
                Value x = a(row), y = b(row);
                if (is_null(x) || is_null(y)) {
                    return {};
                }
                return value_text(x, ta) + value_text(y, tb);
            }};
    }
    return arithmetic(e, std::move(a), std::move(b));
}

Result<BoundExpr> unary(const Expr& e, BoundExpr a) {
    if (e.op == "NOT") {
        if (a.type != SqlType::kBoolean && a.type != SqlType::kNull) {
            return sql_error(e.pos, "NOT needs a BOOLEAN, not {}", type_name(a.type));
        }
        return BoundExpr{SqlType::kBoolean, [a = std::move(a.eval)](const Row& row) -> Value {
                             Value x = a(row);
                             return is_null(x) ? x : Value(!std::get<bool>(x));
                         }};
    }
    if (!numeric(a.type)) {
        return sql_error(e.pos, "unary {} needs a number, not {}", e.op, type_name(a.type));
    }
    if (e.op == "+") {
        return a;
    }
    return BoundExpr{a.type, [a = std::move(a.eval)](const Row& row) -> Value {
                         Value x = a(row);
                         if (auto* i = std::get_if<int64_t>(&x)) {
                             return *i == INT64_MIN ? Value{} : Value(-*i);
                         }
                         if (auto* d = std::get_if<double>(&x)) {
                             return -*d;
                         }
                         return x;
                     }};
}

Result<BoundExpr> in_list(const Expr& e, std::vector<BoundExpr> args) {
    SqlType type = args[0].type;
    for (size_t i = 1; i < args.size(); ++i) {
        SF_ASSIGN_OR_RETURN(type, common_type(type, args[i].type, e.pos, "IN"));
    }
    for (auto& a : args) {
        a = as_type(std::move(a), type);
    }
    bool negated = e.negated;
    return BoundExpr{SqlType::kBoolean, [args = std::move(args), negated](const Row& row) -> Value {
                         Value scratch_x, scratch_y;
                         const Value& x = value_in(args[0], row, scratch_x);
                         if (is_null(x)) {
                             return {};
                         }
                         bool saw_null = false;
                         for (size_t i = 1; i < args.size(); ++i) {
                             const Value& y = value_in(args[i], row, scratch_y);
                             if (is_null(y)) {
                                 saw_null = true;
                             } else if (compare_values(x, y) == 0) {
                                 return !negated;
                             }
                         }
                         return saw_null ? Value{} : Value(negated);
                     }};
}

Expr operator_node(ExprKind kind, Position pos, std::string op) {
    Expr e;
    e.kind = kind;
    e.pos = pos;
    e.op = std::move(op);
    return e;
}

}  // namespace

Result<SqlType> common_type(SqlType a, SqlType b, Position pos, std::string_view what) {
    if (a == b || b == SqlType::kNull) {
        return a;
    }
    if (a == SqlType::kNull) {
        return b;
    }
    if (numeric(a) && numeric(b)) {
        return SqlType::kDouble;
    }
    if ((a == SqlType::kTimestamp && b == SqlType::kVarchar) ||
        (b == SqlType::kTimestamp && a == SqlType::kVarchar)) {
        return SqlType::kTimestamp;
    }
    return sql_error(pos, "cannot {} {} with {}", what, type_name(a), type_name(b));
}

bool like_match(std::string_view text, std::string_view pattern) {
    size_t t = 0, p = 0, star_p = std::string_view::npos, star_t = 0;
    while (t < text.size()) {
        if (p < pattern.size() && (pattern[p] == '_' || pattern[p] == text[t])) {
            ++t;
            ++p;
        } else if (p < pattern.size() && pattern[p] == '%') {
            star_p = p++;
            star_t = t;
        } else if (star_p != std::string_view::npos) {
            p = star_p + 1;
            t = ++star_t;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '%') {
        ++p;
    }
    return p == pattern.size();
}

Result<BoundExpr> bind_operator(const Expr& e, std::vector<BoundExpr> args) {
    switch (e.kind) {
        case ExprKind::kUnary:
            return unary(e, std::move(args[0]));
        case ExprKind::kBinary:
            return binary(e, std::move(args[0]), std::move(args[1]));
        case ExprKind::kIsNull:
            return BoundExpr{
                SqlType::kBoolean,
                [a = std::move(args[0].eval), negated = e.negated](const Row& row) -> Value {
                    return is_null(a(row)) != negated;
                }};
        case ExprKind::kBetween: {
            // x BETWEEN lo AND hi is lo <= x AND x <= hi, with the comparisons' type rules.
            Expr ge = operator_node(ExprKind::kBinary, e.pos, ">=");
            Expr le = operator_node(ExprKind::kBinary, e.pos, "<=");
            Expr both = operator_node(ExprKind::kBinary, e.pos, "AND");
            SF_ASSIGN_OR_RETURN(auto low, comparison(ge, args[0], std::move(args[1])));
            SF_ASSIGN_OR_RETURN(auto high, comparison(le, std::move(args[0]), std::move(args[2])));
            SF_ASSIGN_OR_RETURN(auto inside, logical(both, std::move(low), std::move(high)));
            if (!e.negated) {
                return inside;
            }
            Expr negate = operator_node(ExprKind::kUnary, e.pos, "NOT");
            return unary(negate, std::move(inside));
        }
        case ExprKind::kIn:
            return in_list(e, std::move(args));
        case ExprKind::kLike: {
            for (const auto& a : args) {
                if (a.type != SqlType::kVarchar && a.type != SqlType::kNull) {
                    return sql_error(
                        e.pos, "LIKE needs VARCHAR operands, not {}", type_name(a.type));
                }
            }
            return BoundExpr{SqlType::kBoolean,
                             [a = std::move(args[0].eval),
                              p = std::move(args[1].eval),
                              negated = e.negated](const Row& row) -> Value {
                                 Value x = a(row), y = p(row);
                                 if (is_null(x) || is_null(y)) {
                                     return {};
                                 }
                                 return like_match(std::get<std::string>(x),
                                                   std::get<std::string>(y)) != negated;
                             }};
        }
        default:
            return sql_error(e.pos, "unsupported operator");
    }
}

}  // namespace shardflow::sql
