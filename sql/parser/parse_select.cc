// SELECT: the select list, FROM with window table functions and joins, and the trailing clauses.

#include "sql/parser/script_parser.h"
#include "sql/sql_error.h"

#include <array>

namespace shardflow::sql {

namespace {

struct WindowName {
    std::string_view name;
    WindowKind kind;
    size_t intervals;
    std::string_view meaning;
};

constexpr std::array<WindowName, 4> kWindows = {{
    {"TUMBLE", WindowKind::kTumble, 1, "1 interval (the size)"},
    {"HOP", WindowKind::kHop, 2, "2 intervals (the slide, then the size)"},
    {"SESSION", WindowKind::kSession, 1, "1 interval (the gap)"},
    {"STAGGER", WindowKind::kStagger, 1, "1 interval (the size)"},
}};

const WindowName* window_name(const Token& token) {
    if (token.kind != TokenKind::kIdentifier) {
        return nullptr;
    }
    for (const WindowName& w : kWindows) {
        if (iequals(w.name, token.text)) {
            return &w;
        }
    }
    return nullptr;
}

}  // namespace

bool ScriptParser::at_unsupported_join() const {
    const Token& word = peek();
    return word.kind == TokenKind::kIdentifier &&
           (iequals(word.text, "RIGHT") || iequals(word.text, "FULL") ||
            iequals(word.text, "CROSS") || iequals(word.text, "NATURAL")) &&
           (at_keyword("JOIN", 1) || at_keyword("OUTER", 1));
}

Result<Select> ScriptParser::select() {
    Select select;
    select.pos = peek().pos;
    SF_TRY(expect_keyword("SELECT"));
    select.distinct = accept_keyword("DISTINCT");
    if (!select.distinct) {
        accept_keyword("ALL");
    }
    do {
        SF_ASSIGN_OR_RETURN(SelectItem item, select_item());
        select.items.push_back(std::move(item));
    } while (accept_op(","));
    SF_TRY(expect_keyword("FROM"));
    SF_ASSIGN_OR_RETURN(select.from, table_ref());
    while (true) {
        Join join;
        join.pos = peek().pos;
        if (accept_keyword("INNER")) {
            SF_TRY(expect_keyword("JOIN"));
        } else if (accept_keyword("LEFT")) {
            accept_keyword("OUTER");
            SF_TRY(expect_keyword("JOIN"));
            join.type = JoinType::kLeft;
        } else if (!accept_keyword("JOIN")) {
            if (at_unsupported_join()) {
                return sql_error(peek().pos,
                                 "{} JOIN is not supported (use JOIN or LEFT JOIN)",
                                 to_upper(peek().text));
            }
            break;
        }
        SF_ASSIGN_OR_RETURN(join.right, table_ref());
        SF_TRY(expect_keyword("ON"));
        SF_ASSIGN_OR_RETURN(join.on, expression());
        select.joins.push_back(std::move(join));
    }
    if (accept_keyword("WHERE")) {
        SF_ASSIGN_OR_RETURN(select.where, expression());
    }
    if (accept_keyword("GROUP")) {
        SF_TRY(expect_keyword("BY"));
        SF_ASSIGN_OR_RETURN(select.group_by, expression_list());
    }
    if (accept_keyword("HAVING")) {
        SF_ASSIGN_OR_RETURN(select.having, expression());
    }
    if (accept_keyword("ORDER")) {
        SF_TRY(expect_keyword("BY"));
        do {
            OrderItem item;
            SF_ASSIGN_OR_RETURN(item.expr, expression());
            if (accept_keyword("DESC")) {
                item.descending = true;
            } else {
                accept_keyword("ASC");
            }
            select.order_by.push_back(std::move(item));
        } while (accept_op(","));
    }
    // LIMIT and EMIT in either order: Flink writes LIMIT last, ksqlDB `EMIT CHANGES LIMIT n`.
    for (int clause = 0; clause < 2; ++clause) {
        if (!select.limit && accept_keyword("LIMIT")) {
            if (peek().kind != TokenKind::kInteger) {
                return syntax_error(peek(), "a non-negative integer");
            }
            SF_ASSIGN_OR_RETURN(select.limit, integer(advance()));
        } else if (select.emit == EmitClause::kNone && accept_keyword("EMIT")) {
            if (accept_keyword("CHANGES")) {
                select.emit = EmitClause::kChanges;
            } else if (accept_keyword("FINAL")) {
                select.emit = EmitClause::kFinal;
            } else {
                return syntax_error(peek(), "CHANGES or FINAL");
            }
        }
    }
    return select;
}

Result<SelectItem> ScriptParser::select_item() {
    SelectItem item;
    item.pos = peek().pos;
    auto star = std::make_shared<Expr>();
    star->kind = ExprKind::kStar;
    star->pos = item.pos;
    if (accept_op("*")) {
        item.expr = std::move(star);
        return item;
    }
    if (at_identifier() && at_op(".", 1) && at_op("*", 2)) {
        star->qualifier = advance().text;
        advance();
        advance();
        item.expr = std::move(star);
        return item;
    }
    SF_ASSIGN_OR_RETURN(item.expr, expression());
    SF_ASSIGN_OR_RETURN(item.alias, optional_alias(false));
    return item;
}

Result<std::string> ScriptParser::optional_alias(bool table) {
    if (accept_keyword("AS")) {
        return identifier("an alias");
    }
    // In a select list an alias is followed by ',' or FROM; otherwise `SELECT a FORM t` would
    // read FORM as an alias and report the error at t.
    const bool fits = table ? !at_unsupported_join() : at_op(",", 1) || at_keyword("FROM", 1);
    if (at_identifier() && fits) {
        return advance().text;
    }
    return std::string();
}

Result<TableRef> ScriptParser::table_ref() {
    TableRef ref;
    ref.pos = peek().pos;
    if (at_keyword("TABLE") && at_op("(", 1)) {
        // Flink's spelling: TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL ...)).
        advance();
        advance();
        if (window_name(peek()) == nullptr || !at_op("(", 1)) {
            return syntax_error(peek(), "TUMBLE, HOP, SESSION or STAGGER");
        }
        SF_TRY(window_call(ref));
        SF_TRY(expect_op(")"));
    } else if (window_name(peek()) != nullptr && at_op("(", 1)) {
        SF_TRY(window_call(ref));
    } else if (accept_op("(")) {
        SF_ASSIGN_OR_RETURN(ref.subquery, subquery(ref.pos));
    } else {
        SF_ASSIGN_OR_RETURN(ref.name, identifier("a stream or table name"));
    }
    SF_ASSIGN_OR_RETURN(ref.alias, optional_alias(true));
    return ref;
}

Result<std::shared_ptr<const Select>> ScriptParser::subquery(Position pos) {
    if (!at_keyword("SELECT")) {
        return syntax_error(peek(), "SELECT");
    }
    // Each level of nesting recurses: bounded like expressions, so deep input is an error.
    if (depth_ >= kMaxDepth) {
        return sql_error(pos, "subqueries nested too deeply");
    }
    ++depth_;
    auto inner = select();
    --depth_;
    if (!inner) {
        return std::move(inner).error();
    }
    SF_TRY(expect_op(")"));
    return std::make_shared<const Select>(std::move(*inner));
}

Status ScriptParser::window_call(TableRef& ref) {
    const Token& name = advance();
    const WindowName* window = window_name(name);
    WindowCall call;
    call.kind = window->kind;
    call.pos = name.pos;
    advance();
    // TABLE and DESCRIPTOR may be left out: TUMBLE(clicks, ts, INTERVAL '1' MINUTE).
    accept_keyword("TABLE");
    SF_ASSIGN_OR_RETURN(ref.name, identifier("a stream or table name"));
    SF_TRY(expect_op(","));
    if (at_keyword("DESCRIPTOR") && at_op("(", 1)) {
        advance();
        advance();
        SF_ASSIGN_OR_RETURN(call.time_column, identifier("a column name"));
        SF_TRY(expect_op(")"));
    } else {
        SF_ASSIGN_OR_RETURN(call.time_column, identifier("DESCRIPTOR(column)"));
    }
    while (accept_op(",")) {
        SF_ASSIGN_OR_RETURN(ExprPtr arg, expression());
        call.args.push_back(std::move(arg));
    }
    if (!accept_op(")")) {
        return syntax_error(peek(), "',' or ')'");
    }
    if (call.args.size() != window->intervals) {
        return sql_error(call.pos,
                         "{} takes a table, a DESCRIPTOR and {}; got {} interval{}",
                         window->name,
                         window->meaning,
                         call.args.size(),
                         call.args.size() == 1 ? "" : "s");
    }
    ref.window = std::move(call);
    return ok();
}

}  // namespace shardflow::sql
