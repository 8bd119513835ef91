// Statements other than SELECT: CREATE, INSERT, SHOW, DESCRIBE, EXPLAIN, DROP, SET, and the
// column types and WITH options they share.

#include "sql/parser/script_parser.h"
#include "sql/sql_error.h"

#include <array>

namespace shardflow::sql {

namespace {

struct TypeName {
    std::string_view name;
    SqlType type;
    int max_params;  // how many integers may follow in parentheses: VARCHAR(n), DECIMAL(p, s)
};

constexpr std::array<TypeName, 18> kTypes = {{
    {"BOOLEAN", SqlType::kBoolean, 0},
    {"BOOL", SqlType::kBoolean, 0},
    {"BIGINT", SqlType::kBigint, 0},
    {"INT", SqlType::kBigint, 0},
    {"INTEGER", SqlType::kBigint, 0},
    {"SMALLINT", SqlType::kBigint, 0},
    {"TINYINT", SqlType::kBigint, 0},
    {"DOUBLE", SqlType::kDouble, 0},
    {"FLOAT", SqlType::kDouble, 0},
    {"REAL", SqlType::kDouble, 0},
    {"DECIMAL", SqlType::kDouble, 2},
    {"NUMERIC", SqlType::kDouble, 2},
    {"VARCHAR", SqlType::kVarchar, 1},
    {"STRING", SqlType::kVarchar, 0},
    {"TEXT", SqlType::kVarchar, 0},
    {"CHAR", SqlType::kVarchar, 1},
    {"TIMESTAMP", SqlType::kTimestamp, 1},
    {"TIMESTAMP_LTZ", SqlType::kTimestamp, 1},
}};

constexpr std::string_view kStatementStart =
    "a statement (CREATE, INSERT, SELECT, SHOW, DESCRIBE, EXPLAIN, DROP or SET)";

}  // namespace

Result<Statement> ScriptParser::statement() {
    const Token& first = peek();
    Statement statement;
    statement.pos = first.pos;
    if (at_keyword("SELECT")) {
        SF_ASSIGN_OR_RETURN(statement.node, select());
    } else if (at_keyword("CREATE")) {
        SF_ASSIGN_OR_RETURN(statement, create());
    } else if (at_keyword("INSERT")) {
        SF_ASSIGN_OR_RETURN(statement, insert());
    } else if (at_keyword("SHOW")) {
        SF_ASSIGN_OR_RETURN(statement.node, show());
    } else if (at_keyword("DESCRIBE") || at_keyword("DESC")) {
        advance();
        if (!accept_keyword("STREAM")) {
            accept_keyword("TABLE");
        }
        SF_ASSIGN_OR_RETURN(std::string name, identifier("a stream or table name"));
        statement.node = Describe{std::move(name)};
    } else if (at_keyword("EXPLAIN")) {
        advance();
        if (at_keyword("EXPLAIN")) {
            return syntax_error(peek(), "a statement to explain other than EXPLAIN");
        }
        SF_ASSIGN_OR_RETURN(Statement inner, this->statement());
        statement.node = Explain{std::make_shared<const Statement>(std::move(inner))};
    } else if (at_keyword("DROP")) {
        SF_ASSIGN_OR_RETURN(statement.node, drop());
    } else if (at_keyword("SET")) {
        SF_ASSIGN_OR_RETURN(statement.node, set());
    } else {
        return syntax_error(first, kStatementStart);
    }
    statement.pos = first.pos;
    const Token& last = tokens_[next_ - 1];
    statement.text = std::string(text_.substr(first.begin, last.end - first.begin));
    return statement;
}

Result<Statement> ScriptParser::create() {
    advance();
    if (at_keyword("STREAM")) {
        Statement statement;
        SF_ASSIGN_OR_RETURN(statement.node, create_stream());
        return statement;
    }
    if (at_keyword("TABLE")) {
        return create_table();
    }
    if (at_keyword("SINK")) {
        Statement statement;
        SF_ASSIGN_OR_RETURN(statement.node, create_sink());
        return statement;
    }
    return syntax_error(peek(), "STREAM, TABLE or SINK");
}

Result<CreateSink> ScriptParser::create_sink() {
    advance();
    CreateSink sink;
    SF_ASSIGN_OR_RETURN(sink.if_not_exists, if_exists(true));
    SF_ASSIGN_OR_RETURN(sink.name, identifier("a sink name"));
    SF_TRY(expect_keyword("FROM"));
    if (accept_op("(")) {
        if (!at_keyword("SELECT")) {
            return syntax_error(peek(), "SELECT");
        }
        SF_ASSIGN_OR_RETURN(sink.query, select());
        SF_TRY(expect_op(")"));
    } else {
        auto star = std::make_shared<Expr>();
        star->kind = ExprKind::kStar;
        star->pos = peek().pos;
        sink.query.items.push_back({std::move(star), "", peek().pos});
        sink.query.pos = peek().pos;
        SF_ASSIGN_OR_RETURN(sink.query.from.name, identifier("a stream name or (SELECT ...)"));
        sink.query.from.pos = sink.query.pos;
        sink.whole_stream = true;
    }
    if (!at_keyword("WITH")) {
        return syntax_error(peek(), "WITH (connector = 'files', path = ...)");
    }
    advance();
    SF_ASSIGN_OR_RETURN(sink.options, with_options());
    return sink;
}

Result<CreateStream> ScriptParser::create_stream() {
    advance();
    CreateStream stream;
    SF_ASSIGN_OR_RETURN(stream.if_not_exists, if_exists(true));
    SF_ASSIGN_OR_RETURN(stream.name, identifier("a stream name"));
    SF_ASSIGN_OR_RETURN(stream.columns, column_list(&stream.watermark));
    if (accept_keyword("WITH")) {
        SF_ASSIGN_OR_RETURN(stream.options, with_options());
    }
    return stream;
}

Result<Statement> ScriptParser::create_table() {
    advance();
    SF_ASSIGN_OR_RETURN(bool if_not_exists, if_exists(true));
    SF_ASSIGN_OR_RETURN(std::string name, identifier("a table name"));
    Statement statement;
    if (at_op("(") || if_not_exists) {
        CreateTable table{std::move(name), if_not_exists, {}, {}};
        SF_ASSIGN_OR_RETURN(table.columns, column_list(nullptr));
        if (accept_keyword("WITH")) {
            SF_ASSIGN_OR_RETURN(table.options, with_options());
        }
        statement.node = std::move(table);
        return statement;
    }
    CreateTableAs table;
    table.name = std::move(name);
    if (accept_keyword("WITH")) {
        SF_ASSIGN_OR_RETURN(table.options, with_options());
    } else if (!at_keyword("AS")) {
        return syntax_error(peek(), "'(', WITH or AS");
    }
    SF_TRY(expect_keyword("AS"));
    SF_ASSIGN_OR_RETURN(table.query, select());
    statement.node = std::move(table);
    return statement;
}

Result<Statement> ScriptParser::insert() {
    advance();
    SF_TRY(expect_keyword("INTO"));
    SF_ASSIGN_OR_RETURN(std::string target, identifier("a stream name"));
    Statement statement;
    if (at_keyword("SELECT")) {
        InsertSelect insert{std::move(target), {}};
        SF_ASSIGN_OR_RETURN(insert.query, select());
        statement.node = std::move(insert);
        return statement;
    }
    InsertValues insert{std::move(target), {}, {}};
    if (accept_op("(")) {
        do {
            SF_ASSIGN_OR_RETURN(std::string column, identifier("a column name"));
            insert.columns.push_back(std::move(column));
        } while (accept_op(","));
        if (!accept_op(")")) {
            return syntax_error(peek(), "',' or ')'");
        }
    } else if (!at_keyword("VALUES")) {
        return syntax_error(peek(), "SELECT or VALUES");
    }
    SF_TRY(expect_keyword("VALUES"));
    do {
        SF_TRY(expect_op("("));
        SF_ASSIGN_OR_RETURN(std::vector<ExprPtr> row, expression_list());
        if (!accept_op(")")) {
            return syntax_error(peek(), "',' or ')'");
        }
        insert.rows.push_back(std::move(row));
    } while (accept_op(","));
    statement.node = std::move(insert);
    return statement;
}

Result<Show> ScriptParser::show() {
    advance();
    if (accept_keyword("STREAMS")) {
        return Show{ShowWhat::kStreams};
    }
    if (accept_keyword("TABLES")) {
        return Show{ShowWhat::kTables};
    }
    if (accept_keyword("QUERIES")) {
        return Show{ShowWhat::kQueries};
    }
    return syntax_error(peek(), "STREAMS, TABLES or QUERIES");
}

Result<Drop> ScriptParser::drop() {
    advance();
    Drop drop;
    if (accept_keyword("QUERY")) {
        drop.what = DropWhat::kQuery;
    } else if (accept_keyword("TABLE")) {
        drop.what = DropWhat::kTable;
    } else if (accept_keyword("STREAM")) {
        drop.what = DropWhat::kStream;
    } else if (accept_keyword("SINK")) {
        drop.what = DropWhat::kSink;
    } else {
        return syntax_error(peek(), "QUERY, TABLE, STREAM or SINK");
    }
    SF_ASSIGN_OR_RETURN(drop.if_exists, if_exists(false));
    // Query ids may be written as strings too: DROP QUERY 'q-1'.
    if (drop.what == DropWhat::kQuery && peek().kind == TokenKind::kString) {
        drop.name = advance().text;
        return drop;
    }
    SF_ASSIGN_OR_RETURN(drop.name, identifier("a name"));
    return drop;
}

Result<Set> ScriptParser::set() {
    advance();
    if (peek().kind != TokenKind::kString) {
        return syntax_error(peek(), "a quoted key, as in SET 'key' = 'value'");
    }
    Set set{advance().text, {}};
    SF_TRY(expect_op("="));
    const TokenKind kind = peek().kind;
    if (kind != TokenKind::kString && kind != TokenKind::kInteger && kind != TokenKind::kDecimal) {
        return syntax_error(peek(), "a quoted value");
    }
    set.value = advance().text;
    return set;
}

Result<bool> ScriptParser::if_exists(bool with_not) {
    // IF is not reserved, so `IF` only starts the clause when NOT or EXISTS follows.
    if (!at_keyword("IF") || !at_keyword(with_not ? "NOT" : "EXISTS", 1)) {
        return false;
    }
    advance();
    if (with_not) {
        advance();
    }
    SF_TRY(expect_keyword("EXISTS"));
    return true;
}

Result<std::vector<ColumnDef>> ScriptParser::column_list(std::optional<Watermark>* watermark) {
    SF_TRY(expect_op("("));
    std::vector<ColumnDef> columns;
    do {
        if (watermark != nullptr && at_keyword("WATERMARK") && at_keyword("FOR", 1)) {
            const Position pos = peek().pos;
            if (watermark->has_value()) {
                return sql_error(pos, "a stream has at most one WATERMARK");
            }
            advance();
            advance();
            Watermark mark;
            mark.pos = pos;
            SF_ASSIGN_OR_RETURN(mark.column, identifier("a column name"));
            SF_TRY(expect_keyword("AS"));
            SF_ASSIGN_OR_RETURN(mark.expr, expression());
            *watermark = std::move(mark);
            continue;
        }
        ColumnDef column;
        column.pos = peek().pos;
        SF_ASSIGN_OR_RETURN(column.name, identifier("a column name"));
        SF_ASSIGN_OR_RETURN(column.type, type());
        columns.push_back(std::move(column));
    } while (accept_op(","));
    if (!accept_op(")")) {
        return syntax_error(peek(), "',' or ')'");
    }
    return columns;
}

Result<SqlType> ScriptParser::type() {
    const Token& token = peek();
    const TypeName* found = nullptr;
    if (token.kind == TokenKind::kIdentifier) {
        for (const TypeName& t : kTypes) {
            if (iequals(t.name, token.text)) {
                found = &t;
            }
        }
    }
    if (found == nullptr) {
        return syntax_error(token, "a type name");
    }
    advance();
    if (found->type == SqlType::kDouble && iequals(found->name, "DOUBLE")) {
        accept_keyword("PRECISION");
    }
    if (found->max_params > 0 && accept_op("(")) {
        int count = 0;
        do {
            if (peek().kind != TokenKind::kInteger || count == found->max_params) {
                return syntax_error(peek(), "an integer");
            }
            SF_TRY(integer(advance()));
            ++count;
        } while (accept_op(","));
        if (!accept_op(")")) {
            return syntax_error(peek(), "',' or ')'");
        }
    }
    return found->type;
}

Result<WithOptions> ScriptParser::with_options() {
    SF_TRY(expect_op("("));
    WithOptions options;
    do {
        WithOption option;
        option.pos = peek().pos;
        // Keys: 'quoted.key' or dotted names; reserved words are fine here (`table.name`).
        if (peek().kind == TokenKind::kString) {
            option.key = advance().text;
        } else {
            do {
                const TokenKind kind = peek().kind;
                if (kind != TokenKind::kIdentifier && kind != TokenKind::kQuotedIdentifier) {
                    return syntax_error(peek(), "an option name");
                }
                if (!option.key.empty()) {
                    option.key += '.';
                }
                option.key += advance().text;
            } while (accept_op("."));
        }
        option.key = to_lower(option.key);
        SF_TRY(expect_op("="));
        const TokenKind kind = peek().kind;
        if (kind != TokenKind::kString && kind != TokenKind::kInteger &&
            kind != TokenKind::kDecimal) {
            return syntax_error(peek(), "a quoted string or a number");
        }
        option.value = advance().text;
        options.push_back(std::move(option));
    } while (accept_op(","));
    if (!accept_op(")")) {
        return syntax_error(peek(), "',' or ')'");
    }
    return options;
}

}  // namespace shardflow::sql
