// ScriptParser's token access, syntax errors and statement list; the reserved words.

#include "sql/parser/script_parser.h"

#include "sql/sql_error.h"

#include <algorithm>
#include <array>

namespace shardflow::sql {

namespace {

// Kept small so everyday column names (ts, page, key, value, timestamp) need no quotes.
constexpr std::array<std::string_view, 47> kReserved = {
    "ALL",      "AND",      "AS",     "BETWEEN", "BY",    "CASE",   "CAST",     "CREATE",
    "DESCRIBE", "DISTINCT", "DROP",   "ELSE",    "EMIT",  "END",    "EXPLAIN",  "FALSE",
    "FROM",     "GROUP",    "HAVING", "IN",      "INNER", "INSERT", "INTERVAL", "INTO",
    "IS",       "JOIN",     "LEFT",   "LIKE",    "LIMIT", "NOT",    "NULL",     "ON",
    "OR",       "ORDER",    "OUTER",  "SELECT",  "SET",   "SHOW",   "STREAM",   "TABLE",
    "THEN",     "TRUE",     "UNION",  "VALUES",  "WHEN",  "WHERE",  "WITH",
};

constexpr size_t kMaxQuotedToken = 40;

char upper(char c) {
    return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

char lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return upper(x) == upper(y);
           });
}

std::string to_upper(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), upper);
    return out;
}

std::string to_lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), lower);
    return out;
}

bool is_reserved(std::string_view word) {
    auto match = [word](std::string_view r) {
        return iequals(r, word);
    };
    return std::any_of(kReserved.begin(), kReserved.end(), match);
}

ScriptParser::ScriptParser(std::string_view text)
    : text_(text)
    , tokens_(tokenize(text)) {}

const Token& ScriptParser::peek(size_t ahead) const {
    return tokens_[std::min(next_ + ahead, tokens_.size() - 1)];
}

const Token& ScriptParser::advance() {
    const Token& token = tokens_[next_];
    if (next_ + 1 < tokens_.size()) {
        ++next_;
    }
    return token;
}

bool ScriptParser::at_keyword(std::string_view keyword, size_t ahead) const {
    const Token& token = peek(ahead);
    return token.kind == TokenKind::kIdentifier && iequals(token.text, keyword);
}

bool ScriptParser::accept_keyword(std::string_view keyword) {
    if (!at_keyword(keyword)) {
        return false;
    }
    advance();
    return true;
}

Status ScriptParser::expect_keyword(std::string_view keyword) {
    if (accept_keyword(keyword)) {
        return ok();
    }
    return syntax_error(peek(), keyword);
}

bool ScriptParser::at_op(std::string_view op, size_t ahead) const {
    const Token& token = peek(ahead);
    return token.kind == TokenKind::kOperator && token.text == op;
}

bool ScriptParser::accept_op(std::string_view op) {
    if (!at_op(op)) {
        return false;
    }
    advance();
    return true;
}

Status ScriptParser::expect_op(std::string_view op) {
    if (accept_op(op)) {
        return ok();
    }
    return syntax_error(peek(), fmt::format("'{}'", op));
}

bool ScriptParser::at_identifier(size_t ahead) const {
    const Token& token = peek(ahead);
    return token.kind == TokenKind::kQuotedIdentifier ||
           (token.kind == TokenKind::kIdentifier && !is_reserved(token.text));
}

Result<std::string> ScriptParser::identifier(std::string_view what) {
    if (!at_identifier()) {
        return syntax_error(peek(), what);
    }
    return advance().text;
}

Error ScriptParser::syntax_error(const Token& at, std::string_view expected) const {
    switch (at.kind) {
        case TokenKind::kError:
            return sql_error(at.pos, "{}", at.text);
        case TokenKind::kEnd:
            return sql_error(at.pos, "syntax error at end of input: expected {}", expected);
        default:
            break;
    }
    // The token as written, cut at a line end or after a few dozen bytes (on a UTF-8 boundary).
    std::string_view raw = text_.substr(at.begin, at.end - at.begin);
    size_t cut = std::min({raw.size(), raw.find('\n'), kMaxQuotedToken});
    while (cut > 0 && cut < raw.size() && (static_cast<unsigned char>(raw[cut]) & 0xC0) == 0x80) {
        --cut;
    }
    std::string shown(raw.substr(0, cut));
    if (cut < raw.size()) {
        shown += "...";
    }
    if (at.kind != TokenKind::kString && at.kind != TokenKind::kQuotedIdentifier) {
        shown = fmt::format("'{}'", shown);
    }
    return sql_error(at.pos, "syntax error at {}: expected {}", shown, expected);
}

Result<std::vector<Statement>> ScriptParser::script() {
    std::vector<Statement> statements;
    while (true) {
        while (accept_op(";")) {
        }
        if (peek().kind == TokenKind::kEnd) {
            return statements;
        }
        SF_ASSIGN_OR_RETURN(Statement statement, this->statement());
        if (!at_op(";") && peek().kind != TokenKind::kEnd) {
            return syntax_error(peek(), "';' or end of input");
        }
        statements.push_back(std::move(statement));
    }
}

}  // namespace shardflow::sql
