#pragma once
// The SQL parser's entry points: script text to statements (sql/ast.h).

#include "engine/common/error.h"
#include "sql/ast.h"

#include <string_view>
#include <vector>

namespace shardflow::sql {

/// Parses statements separated by ';' (the last may omit it; empty statements are skipped).
/// Each Statement has the position of its first token and its exact source text without the
/// ';' and surrounding whitespace or comments. Errors are kInvalidArgument with a message
/// "line L, column C: ..." naming the first problem; nothing throws.
Result<std::vector<Statement>> parse_script(std::string_view text);

/// True when the text holds a ';' outside strings, quoted identifiers and comments: the REPL
/// stops reading lines there and hands the text to parse_script.
bool is_complete_statement(std::string_view text);

}  // namespace shardflow::sql
