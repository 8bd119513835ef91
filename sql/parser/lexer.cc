// The SQL lexer: one pass over the bytes, tracking line and column.

#include "sql/parser/lexer.h"

#include <fmt/format.h>

#include <array>
#include <climits>

namespace shardflow::sql {

namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// Bytes from 0x80 up are taken as identifier characters so UTF-8 names work unquoted.
bool is_ident_start(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           static_cast<unsigned char>(c) >= 0x80;
}

bool is_ident_char(char c) {
    return is_ident_start(c) || is_digit(c) || c == '$';
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

constexpr std::array<std::string_view, 5> kTwoCharOperators = {"||", "<>", "!=", "<=", ">="};
constexpr std::string_view kOneCharOperators = "+-*/%=<>(),.;";

}  // namespace

Position Lexer::position(size_t offset) const {
    const size_t column = offset - line_start_ + 1;
    return Position{line_, column > INT_MAX ? INT_MAX : static_cast<int>(column)};
}

void Lexer::advance_to(size_t offset) {
    for (; offset_ < offset; ++offset_) {
        if (text_[offset_] == '\n') {
            line_ = line_ < INT_MAX ? line_ + 1 : line_;
            line_start_ = offset_ + 1;
        }
    }
}

Token Lexer::make(TokenKind kind, size_t begin, std::string text) {
    Token token{kind, std::move(text), position(begin), begin, begin};
    return token;
}

void Lexer::skip_space_and_comments(Token& error) {
    while (offset_ < text_.size()) {
        const char c = text_[offset_];
        if (is_space(c)) {
            advance_to(offset_ + 1);
        } else if (c == '-' && at(offset_ + 1) == '-') {
            const size_t eol = text_.find('\n', offset_);
            advance_to(eol == std::string_view::npos ? text_.size() : eol);
        } else if (c == '/' && at(offset_ + 1) == '*') {
            const size_t close = text_.find("*/", offset_ + 2);
            if (close == std::string_view::npos) {
                error = make(TokenKind::kError, offset_, "unterminated comment");
                advance_to(text_.size());
                error.end = text_.size();
                return;
            }
            advance_to(close + 2);
        } else {
            return;
        }
    }
}

Token Lexer::quoted(TokenKind kind, char quote, std::string_view unterminated) {
    const size_t begin = offset_;
    std::string value;
    size_t i = begin + 1;
    while (true) {
        const size_t close = text_.find(quote, i);
        if (close == std::string_view::npos) {
            Token error = make(TokenKind::kError, begin, std::string(unterminated));
            advance_to(text_.size());
            error.end = text_.size();
            return error;
        }
        value.append(text_.substr(i, close - i));
        if (at(close + 1) != quote) {
            i = close + 1;
            break;
        }
        value.push_back(quote);  // a doubled quote stands for one
        i = close + 2;
    }
    Token token = make(kind, begin, std::move(value));
    if (kind == TokenKind::kQuotedIdentifier && token.text.empty()) {
        token = make(TokenKind::kError, begin, "empty quoted identifier");
    }
    advance_to(i);
    token.end = i;
    return token;
}

Token Lexer::number() {
    const size_t begin = offset_;
    size_t end = begin;
    bool decimal = false;
    while (is_digit(at(end))) {
        ++end;
    }
    if (at(end) == '.') {
        decimal = true;
        ++end;
        while (is_digit(at(end))) {
            ++end;
        }
    }
    const char e = at(end);
    const char sign = at(end + 1);
    if ((e == 'e' || e == 'E') &&
        (is_digit(sign) || ((sign == '+' || sign == '-') && is_digit(at(end + 2))))) {
        decimal = true;
        end += is_digit(sign) ? 1 : 2;
        while (is_digit(at(end))) {
            ++end;
        }
    }
    Token token = make(decimal ? TokenKind::kDecimal : TokenKind::kInteger,
                       begin,
                       std::string(text_.substr(begin, end - begin)));
    advance_to(end);
    token.end = end;
    return token;
}

Token Lexer::next() {
    Token error;
    skip_space_and_comments(error);
    if (error.kind == TokenKind::kError) {
        return error;
    }
    const size_t begin = offset_;
    if (begin >= text_.size()) {
        return make(TokenKind::kEnd, begin, "");
    }
    const char c = text_[begin];
    if (is_ident_start(c)) {
        size_t end = begin + 1;
        while (is_ident_char(at(end))) {
            ++end;
        }
        Token token =
            make(TokenKind::kIdentifier, begin, std::string(text_.substr(begin, end - begin)));
        advance_to(end);
        token.end = end;
        return token;
    }
    if (is_digit(c) || (c == '.' && is_digit(at(begin + 1)))) {
        return number();
    }
    switch (c) {
        case '\'':
            return quoted(TokenKind::kString, '\'', "unterminated string literal");
        case '"':
            return quoted(TokenKind::kQuotedIdentifier, '"', "unterminated quoted identifier");
        case '`':
            return quoted(TokenKind::kQuotedIdentifier, '`', "unterminated quoted identifier");
        default:
            break;
    }
    size_t length = 0;
    for (std::string_view op : kTwoCharOperators) {
        if (text_.substr(begin, 2) == op) {
            length = 2;
        }
    }
    if (length == 0 && kOneCharOperators.find(c) != std::string_view::npos) {
        length = 1;
    }
    Token token;
    if (length > 0) {
        token = make(TokenKind::kOperator, begin, std::string(text_.substr(begin, length)));
    } else {
        const auto byte = static_cast<unsigned char>(c);
        token = make(TokenKind::kError,
                     begin,
                     byte > 0x20 && byte < 0x7f ? fmt::format("unexpected character '{}'", c)
                                                : fmt::format("unexpected byte 0x{:02X}", byte));
        length = 1;
    }
    advance_to(begin + length);
    token.end = begin + length;
    return token;
}

std::vector<Token> tokenize(std::string_view text) {
    Lexer lexer(text);
    std::vector<Token> tokens;
    while (true) {
        tokens.push_back(lexer.next());
        const TokenKind kind = tokens.back().kind;
        if (kind == TokenKind::kEnd || kind == TokenKind::kError) {
            return tokens;
        }
    }
}

}  // namespace shardflow::sql
