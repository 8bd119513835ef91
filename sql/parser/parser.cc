// parse_script and is_complete_statement: the parser library's public entry points.

#include "sql/parser/parser.h"

#include "sql/parser/lexer.h"
#include "sql/parser/script_parser.h"

#include <new>

namespace shardflow::sql {

Result<std::vector<Statement>> parse_script(std::string_view text) {
    // Nothing below throws on purpose; only allocation can, and that is not an input error.
    try {
        return ScriptParser(text).script();
    } catch (const std::bad_alloc&) {
        return Error::make(ErrorCode::kInvalidArgument, "SQL text too large to parse");
    }
}

bool is_complete_statement(std::string_view text) {
    Lexer lexer(text);
    while (true) {
        const Token token = lexer.next();
        if (token.kind == TokenKind::kEnd) {
            return false;
        }
        if (token.kind == TokenKind::kOperator && token.text == ";") {
            return true;
        }
    }
}

}  // namespace shardflow::sql
