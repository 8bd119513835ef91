// Expressions by precedence climbing: OR < AND < NOT < comparison < || < + - < * / % < unary.

#include "sql/parser/script_parser.h"
#include "sql/sql_error.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>

namespace shardflow::sql {

namespace {

constexpr int kOr = 1;
constexpr int kAnd = 2;
constexpr int kNot = 3;
constexpr int kComparison = 4;
constexpr int kConcat = 5;
constexpr int kAdditive = 6;
constexpr int kMultiplicative = 7;

struct OperatorPrecedence {
    std::string_view op;
    int precedence;
};

constexpr std::array<OperatorPrecedence, 13> kOperators = {{
    {"=", kComparison},
    {"<>", kComparison},
    {"!=", kComparison},
    {"<", kComparison},
    {"<=", kComparison},
    {">", kComparison},
    {">=", kComparison},
    {"||", kConcat},
    {"+", kAdditive},
    {"-", kAdditive},
    {"*", kMultiplicative},
    {"/", kMultiplicative},
    {"%", kMultiplicative},
}};

struct IntervalUnit {
    std::string_view name;
    int64_t ms;
};

constexpr std::array<IntervalUnit, 10> kUnits = {{
    {"MILLISECOND", 1},
    {"MILLISECONDS", 1},
    {"SECOND", 1000},
    {"SECONDS", 1000},
    {"MINUTE", 60'000},
    {"MINUTES", 60'000},
    {"HOUR", 3'600'000},
    {"HOURS", 3'600'000},
    {"DAY", 86'400'000},
    {"DAYS", 86'400'000},
}};

std::shared_ptr<Expr> new_expr(ExprKind kind, Position pos) {
    auto expr = std::make_shared<Expr>();
    expr->kind = kind;
    expr->pos = pos;
    return expr;
}

/// Raises the depth for one nested expression; the caller checks the limit first.
class DepthGuard {
public:
    explicit DepthGuard(int& depth)
        : depth_(++depth) {}
    ~DepthGuard() { --depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

private:
    int& depth_;
};

bool all_digits(std::string_view s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

/// '5', '0.5', ' 10 ' in units of unit_ms, as whole milliseconds; nullopt if malformed,
/// negative, fractional below a millisecond or out of range.
std::optional<int64_t> interval_ms(std::string_view text, int64_t unit_ms) {
    const size_t first = text.find_first_not_of(' ');
    if (first == std::string_view::npos) {
        return std::nullopt;
    }
    text = text.substr(first, text.find_last_not_of(' ') - first + 1);
    const size_t dot = text.find('.');
    const std::string_view whole = text.substr(0, dot);
    const std::string_view fraction =
        dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
    if (!all_digits(whole) || (dot != std::string_view::npos && !all_digits(fraction)) ||
        fraction.size() > 9) {
        return std::nullopt;
    }
    int64_t value = 0;
    if (std::from_chars(whole.data(), whole.data() + whole.size(), value).ec != std::errc() ||
        __builtin_mul_overflow(value, unit_ms, &value)) {
        return std::nullopt;
    }
    if (fraction.empty()) {
        return value;
    }
    int64_t numerator = 0;
    std::from_chars(fraction.data(), fraction.data() + fraction.size(), numerator);
    int64_t scale = 1;
    for (size_t i = 0; i < fraction.size(); ++i) {
        scale *= 10;
    }
    numerator *= unit_ms;  // < 10^9 * 86'400'000: no overflow
    if (numerator % scale != 0 || __builtin_add_overflow(value, numerator / scale, &value)) {
        return std::nullopt;
    }
    return value;
}

}  // namespace

Result<ExprPtr> ScriptParser::seal(std::shared_ptr<Expr> expr) {
    if (expr->args.empty()) {
        return ExprPtr(std::move(expr));
    }
    int height = 0;
    for (const ExprPtr& arg : expr->args) {
        // Every node with arguments was sealed and is alive, so its entry is current.
        height = std::max(height, arg->args.empty() ? 1 : heights_[arg.get()]);
    }
    if (++height > kMaxHeight) {
        return sql_error(expr->pos, "expression nested too deeply");
    }
    heights_[expr.get()] = height;
    return ExprPtr(std::move(expr));
}

Result<ExprPtr> ScriptParser::binary(int min_precedence) {
    if (depth_ >= kMaxDepth) {
        return sql_error(peek().pos, "expression nested too deeply");
    }
    DepthGuard guard(depth_);
    ExprPtr left;
    if (min_precedence <= kNot && at_keyword("NOT")) {
        const Position pos = advance().pos;
        SF_ASSIGN_OR_RETURN(ExprPtr operand, binary(kNot));
        auto expr = new_expr(ExprKind::kUnary, pos);
        expr->op = "NOT";
        expr->args = {std::move(operand)};
        SF_ASSIGN_OR_RETURN(left, seal(std::move(expr)));
    } else {
        SF_ASSIGN_OR_RETURN(left, unary());
    }
    return binary_loop(std::move(left), min_precedence);
}

Result<ExprPtr> ScriptParser::binary_loop(ExprPtr left, int min_precedence) {
    while (true) {
        const Token& token = peek();
        int precedence = 0;
        bool special = false;  // IS, [NOT] BETWEEN, [NOT] IN, [NOT] LIKE
        if (token.kind == TokenKind::kOperator) {
            for (const OperatorPrecedence& op : kOperators) {
                if (op.op == token.text) {
                    precedence = op.precedence;
                }
            }
        } else if (token.kind == TokenKind::kIdentifier) {
            const size_t word = at_keyword("NOT") ? 1 : 0;
            if (at_keyword("OR")) {
                precedence = kOr;
            } else if (at_keyword("AND")) {
                precedence = kAnd;
            } else if ((word == 0 && at_keyword("IS")) || at_keyword("BETWEEN", word) ||
                       at_keyword("IN", word) || at_keyword("LIKE", word)) {
                precedence = kComparison;
                special = true;
            }
        }
        if (precedence == 0 || precedence < min_precedence) {
            return left;
        }
        if (special) {
            SF_ASSIGN_OR_RETURN(left, comparison_suffix(std::move(left)));
            continue;
        }
        std::string op = to_upper(advance().text);
        if (op == "!=") {
            op = "<>";
        }
        SF_ASSIGN_OR_RETURN(ExprPtr right, binary(precedence + 1));
        auto expr = new_expr(ExprKind::kBinary, left->pos);
        expr->op = std::move(op);
        expr->args = {std::move(left), std::move(right)};
        SF_ASSIGN_OR_RETURN(left, seal(std::move(expr)));
    }
}

Result<ExprPtr> ScriptParser::comparison_suffix(ExprPtr left) {
    std::shared_ptr<Expr> expr;
    if (accept_keyword("IS")) {
        expr = new_expr(ExprKind::kIsNull, left->pos);
        expr->negated = accept_keyword("NOT");
        if (!accept_keyword("NULL")) {
            return syntax_error(peek(), expr->negated ? "NULL" : "NULL or NOT NULL");
        }
        expr->args = {std::move(left)};
        return seal(std::move(expr));
    }
    const bool negated = accept_keyword("NOT");
    if (accept_keyword("BETWEEN")) {
        expr = new_expr(ExprKind::kBetween, left->pos);
        SF_ASSIGN_OR_RETURN(ExprPtr low, binary(kConcat));
        SF_TRY(expect_keyword("AND"));
        SF_ASSIGN_OR_RETURN(ExprPtr high, binary(kConcat));
        expr->args = {std::move(left), std::move(low), std::move(high)};
    } else if (accept_keyword("IN")) {
        expr = new_expr(ExprKind::kIn, left->pos);
        SF_TRY(expect_op("("));
        SF_ASSIGN_OR_RETURN(std::vector<ExprPtr> list, expression_list());
        if (!accept_op(")")) {
            return syntax_error(peek(), "',' or ')'");
        }
        expr->args.push_back(std::move(left));
        expr->args.insert(expr->args.end(), list.begin(), list.end());
    } else {
        SF_TRY(expect_keyword("LIKE"));
        expr = new_expr(ExprKind::kLike, left->pos);
        SF_ASSIGN_OR_RETURN(ExprPtr pattern, binary(kConcat));
        expr->args = {std::move(left), std::move(pattern)};
    }
    expr->negated = negated;
    return seal(std::move(expr));
}

Result<ExprPtr> ScriptParser::unary() {
    // Signs are collected in a loop, not by recursion, so `- - - ... 1` cannot exhaust the stack.
    std::vector<const Token*> signs;
    while (at_op("-") || at_op("+")) {
        signs.push_back(&advance());
    }
    ExprPtr operand;
    const TokenKind kind = peek().kind;
    if (!signs.empty() && signs.back()->text == "-" &&
        (kind == TokenKind::kInteger || kind == TokenKind::kDecimal)) {
        SF_ASSIGN_OR_RETURN(operand, negative_number());
        signs.pop_back();
    } else {
        SF_ASSIGN_OR_RETURN(operand, primary());
    }
    for (auto sign = signs.rbegin(); sign != signs.rend(); ++sign) {
        auto expr = new_expr(ExprKind::kUnary, (*sign)->pos);
        expr->op = (*sign)->text;
        expr->args = {std::move(operand)};
        SF_ASSIGN_OR_RETURN(operand, seal(std::move(expr)));
    }
    return operand;
}

Result<ExprPtr> ScriptParser::negative_number() {
    // -9223372036854775808 is a BIGINT although 9223372036854775808 alone is not.
    const Token& minus = tokens_[next_ - 1];
    const Token& number = advance();
    auto expr = new_expr(ExprKind::kLiteral, minus.pos);
    if (number.kind == TokenKind::kDecimal) {
        SF_ASSIGN_OR_RETURN(ExprPtr positive, literal_at(number));
        expr->literal = -std::get<double>(positive->literal);
        return seal(std::move(expr));
    }
    const std::string text = "-" + number.text;
    int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) {
        return sql_error(minus.pos, "integer literal {} is out of range for BIGINT", text);
    }
    expr->literal = value;
    return seal(std::move(expr));
}

Result<ExprPtr> ScriptParser::primary() {
    const Token& token = peek();
    switch (token.kind) {
        case TokenKind::kInteger:
        case TokenKind::kDecimal:
        case TokenKind::kString:
            return literal_at(advance());
        case TokenKind::kQuotedIdentifier:
            return column_or_call();
        case TokenKind::kOperator:
            if (accept_op("(")) {
                SF_ASSIGN_OR_RETURN(ExprPtr inner, expression());
                SF_TRY(expect_op(")"));
                return inner;
            }
            return syntax_error(token, "an expression");
        case TokenKind::kIdentifier:
            break;
        case TokenKind::kEnd:
        case TokenKind::kError:
            return syntax_error(token, "an expression");
    }
    if (at_keyword("NULL") || at_keyword("TRUE") || at_keyword("FALSE")) {
        return literal_at(advance());
    }
    if (at_keyword("CASE")) {
        return case_expr();
    }
    if (at_keyword("CAST")) {
        return cast();
    }
    if (at_keyword("INTERVAL")) {
        return interval();
    }
    if (at_keyword("TIMESTAMP") && peek(1).kind == TokenKind::kString) {
        auto expr = new_expr(ExprKind::kCast, advance().pos);
        SF_ASSIGN_OR_RETURN(ExprPtr text, literal_at(advance()));
        expr->cast_type = SqlType::kTimestamp;
        expr->args = {std::move(text)};
        return seal(std::move(expr));
    }
    // LEFT is reserved for joins but is also a string function.
    if (!is_reserved(token.text) || (at_keyword("LEFT") && at_op("(", 1))) {
        return column_or_call();
    }
    return syntax_error(token, "an expression");
}

Result<ExprPtr> ScriptParser::literal_at(const Token& token) {
    auto expr = new_expr(ExprKind::kLiteral, token.pos);
    switch (token.kind) {
        case TokenKind::kInteger: {
            SF_ASSIGN_OR_RETURN(expr->literal, integer(token));
            return seal(std::move(expr));
        }
        case TokenKind::kDecimal: {
            double value = 0;
            const char* end = token.text.data() + token.text.size();
            const auto result = std::from_chars(token.text.data(), end, value);
            if (result.ec != std::errc() || result.ptr != end) {
                return sql_error(token.pos, "decimal literal {} is out of range", token.text);
            }
            expr->literal = value;
            return seal(std::move(expr));
        }
        case TokenKind::kString:
            expr->literal = token.text;
            return seal(std::move(expr));
        default:
            break;
    }
    if (iequals(token.text, "TRUE") || iequals(token.text, "FALSE")) {
        expr->literal = iequals(token.text, "TRUE");
    }
    return seal(std::move(expr));
}

Result<int64_t> ScriptParser::integer(const Token& token) const {
    int64_t value = 0;
    const char* end = token.text.data() + token.text.size();
    const auto result = std::from_chars(token.text.data(), end, value);
    if (result.ec != std::errc() || result.ptr != end) {
        return sql_error(token.pos, "integer literal {} is out of range for BIGINT", token.text);
    }
    return value;
}

Result<ExprPtr> ScriptParser::column_or_call() {
    const Token& first = advance();
    if (at_op("(")) {
        return call(first);
    }
    auto expr = new_expr(ExprKind::kColumn, first.pos);
    if (!accept_op(".")) {
        expr->name = first.text;
        return seal(std::move(expr));
    }
    if (at_op("*")) {
        return sql_error(first.pos, "{}.* is only allowed in a select list", first.text);
    }
    expr->qualifier = first.text;
    SF_ASSIGN_OR_RETURN(expr->name, identifier("a column name"));
    return seal(std::move(expr));
}

Result<ExprPtr> ScriptParser::call(const Token& name) {
    advance();
    auto expr = new_expr(ExprKind::kFunction, name.pos);
    expr->name = to_upper(name.text);
    if (accept_op(")")) {
        return over_or_call(std::move(expr));
    }
    if (at_op("*") && at_op(")", 1)) {
        expr->args = {new_expr(ExprKind::kStar, advance().pos)};
        advance();
        return over_or_call(std::move(expr));
    }
    expr->distinct = accept_keyword("DISTINCT");
    SF_ASSIGN_OR_RETURN(expr->args, expression_list());
    if (!accept_op(")")) {
        return syntax_error(peek(), "',' or ')'");
    }
    return over_or_call(std::move(expr));
}

Result<ExprPtr> ScriptParser::over_or_call(std::shared_ptr<Expr> call) {
    // OVER is not reserved: only `OVER (` starts a window, so a column may still be named over.
    const bool over = at_keyword("OVER") && at_op("(", 1);
    if (call->name != "ROW_NUMBER" && call->name != "RANK") {
        if (over) {
            return sql_error(peek().pos,
                             "{} OVER (...) is not supported: the only window functions are "
                             "ROW_NUMBER() and RANK(), for a Top-N",
                             call->name);
        }
        return seal(std::move(call));
    }
    if (!over) {
        return sql_error(
            call->pos, "{}() needs OVER ([PARTITION BY ...] ORDER BY ...)", call->name);
    }
    if (!call->args.empty()) {
        return sql_error(call->pos, "{}() takes no arguments", call->name);
    }
    const Position over_pos = advance().pos;
    advance();
    auto expr = new_expr(ExprKind::kRowNumber, call->pos);
    expr->name = call->name;
    if (accept_keyword("PARTITION")) {
        SF_TRY(expect_keyword("BY"));
        SF_ASSIGN_OR_RETURN(expr->args, expression_list());
        expr->partition_count = expr->args.size();
    }
    if (!accept_keyword("ORDER")) {
        if (at_keyword("ROWS") || at_keyword("RANGE")) {
            return sql_error(peek().pos, "window frames (ROWS, RANGE) are not supported");
        }
        return sql_error(
            over_pos, "{}() OVER (...) needs ORDER BY: the order that ranks the rows", expr->name);
    }
    SF_TRY(expect_keyword("BY"));
    do {
        SF_ASSIGN_OR_RETURN(ExprPtr key, expression());
        expr->args.push_back(std::move(key));
        expr->descending.push_back(accept_keyword("DESC"));
        if (!expr->descending.back()) {
            accept_keyword("ASC");
        }
    } while (accept_op(","));
    if (at_keyword("ROWS") || at_keyword("RANGE")) {
        return sql_error(peek().pos, "window frames (ROWS, RANGE) are not supported");
    }
    if (!accept_op(")")) {
        return syntax_error(peek(), "',' or ')'");
    }
    return seal(std::move(expr));
}

Result<ExprPtr> ScriptParser::case_expr() {
    auto expr = new_expr(ExprKind::kCase, advance().pos);
    if (!at_keyword("WHEN") && !at_keyword("END")) {
        SF_ASSIGN_OR_RETURN(ExprPtr operand, expression());
        expr->args.push_back(std::move(operand));
        expr->case_has_operand = true;
    }
    if (!at_keyword("WHEN")) {
        return syntax_error(peek(), "WHEN");
    }
    while (accept_keyword("WHEN")) {
        SF_ASSIGN_OR_RETURN(ExprPtr when, expression());
        SF_TRY(expect_keyword("THEN"));
        SF_ASSIGN_OR_RETURN(ExprPtr then, expression());
        expr->args.push_back(std::move(when));
        expr->args.push_back(std::move(then));
    }
    if (accept_keyword("ELSE")) {
        SF_ASSIGN_OR_RETURN(ExprPtr otherwise, expression());
        expr->args.push_back(std::move(otherwise));
        expr->case_has_else = true;
    }
    SF_TRY(expect_keyword("END"));
    return seal(std::move(expr));
}

Result<ExprPtr> ScriptParser::cast() {
    auto expr = new_expr(ExprKind::kCast, advance().pos);
    SF_TRY(expect_op("("));
    SF_ASSIGN_OR_RETURN(ExprPtr operand, expression());
    SF_TRY(expect_keyword("AS"));
    SF_ASSIGN_OR_RETURN(expr->cast_type, type());
    SF_TRY(expect_op(")"));
    expr->args = {std::move(operand)};
    return seal(std::move(expr));
}

Result<ExprPtr> ScriptParser::interval() {
    auto expr = new_expr(ExprKind::kInterval, advance().pos);
    const Token& amount = peek();
    if (amount.kind != TokenKind::kString && amount.kind != TokenKind::kInteger) {
        return syntax_error(amount, "a quoted number, as in INTERVAL '5' SECOND");
    }
    advance();
    const IntervalUnit* unit = nullptr;
    for (const IntervalUnit& u : kUnits) {
        if (at_keyword(u.name)) {
            unit = &u;
        }
    }
    if (unit == nullptr) {
        return syntax_error(peek(), "MILLISECOND, SECOND, MINUTE, HOUR or DAY");
    }
    advance();
    const std::optional<int64_t> ms = interval_ms(amount.text, unit->ms);
    if (!ms) {
        return sql_error(amount.pos,
                         "invalid interval '{}': expected a non-negative number of whole "
                         "milliseconds",
                         amount.text);
    }
    expr->interval_ms = *ms;
    return seal(std::move(expr));
}

Result<std::vector<ExprPtr>> ScriptParser::expression_list() {
    std::vector<ExprPtr> list;
    do {
        SF_ASSIGN_OR_RETURN(ExprPtr expr, expression());
        list.push_back(std::move(expr));
    } while (accept_op(","));
    return list;
}

}  // namespace shardflow::sql
