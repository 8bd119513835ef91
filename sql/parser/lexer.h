#pragma once
// The SQL lexer: source text to tokens with line, column and byte offsets.

#include "sql/ast.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace shardflow::sql {

enum class TokenKind : uint8_t {
    kEnd,               // end of input
    kIdentifier,        // unquoted name or keyword, spelled as written
    kQuotedIdentifier,  // "name" or `name`, text without the quotes
    kString,            // 'text', text unescaped
    kInteger,           // digits, as written
    kDecimal,           // 1.5, .5, 1e3, as written
    kOperator,          // + - * / % || = <> != < <= > >= ( ) , . ;
    kError,             // a lexical error; text is the message
};

struct Token {
    TokenKind kind = TokenKind::kEnd;
    std::string text;
    Position pos;
    size_t begin = 0;  // byte offsets of the token in the source: [begin, end)
    size_t end = 0;
};

/// Splits SQL text into tokens, skipping whitespace and comments. Not thread-safe; the text
/// must outlive the lexer.
class Lexer {
public:
    explicit Lexer(std::string_view text)
        : text_(text) {}

    /// The next token: kEnd at (and after) the end of input. A kError token reports an
    /// unterminated string, quoted identifier or comment (the rest of the input is consumed) or
    /// a stray character (only that byte is consumed).
    Token next();

private:
    char at(size_t i) const { return i < text_.size() ? text_[i] : '\0'; }
    Position position(size_t offset) const;
    void advance_to(size_t offset);
    void skip_space_and_comments(Token& error);
    Token quoted(TokenKind kind, char quote, std::string_view unterminated);
    Token number();
    Token make(TokenKind kind, size_t begin, std::string text);

    std::string_view text_;
    size_t offset_ = 0;
    int line_ = 1;
    size_t line_start_ = 0;
};

/// All tokens of the text. The last token is kEnd, or kError at the first lexical error (the
/// parser reports it once it gets that far, so errors come in source order).
std::vector<Token> tokenize(std::string_view text);

}  // namespace shardflow::sql
