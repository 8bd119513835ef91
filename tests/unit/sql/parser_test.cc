// The SQL lexer and parser: every statement form, expression precedence and error shape.

#include "sql/parser/parser.h"

#include "sql/parser/lexer.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace shardflow::sql {
namespace {

std::string show(const ExprPtr& e);

std::string show_args(const Expr& e, size_t from = 0) {
    std::string out;
    for (size_t i = from; i < e.args.size(); ++i) {
        out += " " + show(e.args[i]);
    }
    return out;
}

std::string show_literal(const Value& v) {
    if (is_null(v)) {
        return "NULL";
    }
    if (const bool* b = std::get_if<bool>(&v)) {
        return *b ? "TRUE" : "FALSE";
    }
    if (const int64_t* i = std::get_if<int64_t>(&v)) {
        return std::to_string(*i);
    }
    if (const double* d = std::get_if<double>(&v)) {
        return fmt::format("{}d", *d);
    }
    return "'" + std::get<std::string>(v) + "'";
}

// A Lisp-like rendering that makes the tree's shape (and so precedence) visible.
std::string show(const ExprPtr& e) {
    if (!e) {
        return "<null>";
    }
    const std::string neg = e->negated ? "NOT " : "";
    switch (e->kind) {
        case ExprKind::kLiteral:
            return show_literal(e->literal);
        case ExprKind::kColumn:
            return e->qualifier.empty() ? e->name : e->qualifier + "." + e->name;
        case ExprKind::kStar:
            return e->qualifier.empty() ? "*" : e->qualifier + ".*";
        case ExprKind::kUnary:
        case ExprKind::kBinary:
            return "(" + e->op + show_args(*e) + ")";
        case ExprKind::kFunction:
            return e->name + "(" + (e->distinct ? "DISTINCT" : "") + show_args(*e) + ")";
        case ExprKind::kCase:
            return fmt::format("(CASE{}{}{}{})",
                               e->case_has_operand ? " operand" : "",
                               e->case_has_else ? " else" : "",
                               ":",
                               show_args(*e));
        case ExprKind::kCast:
            return fmt::format("(CAST {} {})", show(e->args[0]), type_name(e->cast_type));
        case ExprKind::kInterval:
            return fmt::format("{}ms", e->interval_ms);
        case ExprKind::kIsNull:
            return "(IS " + neg + "NULL" + show_args(*e) + ")";
        case ExprKind::kBetween:
            return "(" + neg + "BETWEEN" + show_args(*e) + ")";
        case ExprKind::kIn:
            return "(" + neg + "IN" + show_args(*e) + ")";
        case ExprKind::kLike:
            return "(" + neg + "LIKE" + show_args(*e) + ")";
        case ExprKind::kRowNumber: {
            std::string desc;
            for (bool d : e->descending) {
                desc += d ? " DESC" : " ASC";
            }
            return fmt::format(
                "({} partitions {}{}{})", e->name, e->partition_count, desc, show_args(*e));
        }
    }
    return "?";
}

std::vector<Statement> parse_ok(std::string_view sql) {
    auto result = parse_script(sql);
    EXPECT_TRUE(result.has_value()) << sql << "\n -> " << result.error().message;
    return result.has_value() ? *std::move(result) : std::vector<Statement>{};
}

template <class T>
T parse_one(std::string_view sql) {
    std::vector<Statement> statements = parse_ok(sql);
    EXPECT_EQ(statements.size(), 1u) << sql;
    if (statements.size() != 1 || !std::holds_alternative<T>(statements[0].node)) {
        ADD_FAILURE() << "unexpected statement kind for: " << sql;
        return T{};
    }
    return std::get<T>(statements[0].node);
}

std::string parse_error(std::string_view sql) {
    auto result = parse_script(sql);
    if (result.has_value()) {
        return "<parsed>";
    }
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
    return result.error().message;
}

// The first select item of `SELECT <expr> FROM t`, rendered.
std::string expr(std::string_view text) {
    const Select select = parse_one<Select>(fmt::format("SELECT {} FROM t", text));
    return select.items.empty() ? "<none>" : show(select.items[0].expr);
}

std::string expr_error(std::string_view text) {
    return parse_error(fmt::format("SELECT {} FROM t", text));
}

TEST(Lexer, TokenKindsTextAndPositions) {
    const auto tokens = tokenize("SELECT \"My Col\", `b``q`, 'it''s', 42, 1.5\n  x.y -- note\n;");
    ASSERT_EQ(tokens.size(), 15u);
    EXPECT_EQ(tokens[0].kind, TokenKind::kIdentifier);
    EXPECT_EQ(tokens[0].text, "SELECT");
    EXPECT_EQ(tokens[1].kind, TokenKind::kQuotedIdentifier);
    EXPECT_EQ(tokens[1].text, "My Col");
    EXPECT_EQ(tokens[1].pos, (Position{1, 8}));
    EXPECT_EQ(tokens[3].text, "b`q");
    EXPECT_EQ(tokens[5].kind, TokenKind::kString);
    EXPECT_EQ(tokens[5].text, "it's");
    EXPECT_EQ(tokens[5].begin, 25u);
    EXPECT_EQ(tokens[5].end, 32u);
    EXPECT_EQ(tokens[7].kind, TokenKind::kInteger);
    EXPECT_EQ(tokens[9].kind, TokenKind::kDecimal);
    EXPECT_EQ(tokens[10].text, "x");
    EXPECT_EQ(tokens[10].pos, (Position{2, 3}));
    EXPECT_EQ(tokens[11].kind, TokenKind::kOperator);
    EXPECT_EQ(tokens[13].text, ";");
    EXPECT_EQ(tokens[13].pos, (Position{3, 1}));
    EXPECT_EQ(tokens[14].kind, TokenKind::kEnd);
}

TEST(Lexer, NumberForms) {
    for (const char* text : {"1.5", ".5", "1.", "1e3", "1E+3", "2.5e-3"}) {
        const auto tokens = tokenize(text);
        ASSERT_EQ(tokens.size(), 2u) << text;
        EXPECT_EQ(tokens[0].kind, TokenKind::kDecimal) << text;
        EXPECT_EQ(tokens[0].text, text);
    }
    const auto tokens = tokenize("12e");  // no exponent digits: a number, then a name
    ASSERT_EQ(tokens.size(), 3u);
    EXPECT_EQ(tokens[0].kind, TokenKind::kInteger);
    EXPECT_EQ(tokens[1].text, "e");
}

TEST(Lexer, Operators) {
    std::vector<std::string> ops;
    for (const Token& t : tokenize("+ - * / % || = <> != < <= > >= ( ) , . ;")) {
        if (t.kind == TokenKind::kOperator) {
            ops.push_back(t.text);
        }
    }
    EXPECT_EQ(ops,
              (std::vector<std::string>{"+",
                                        "-",
                                        "*",
                                        "/",
                                        "%",
                                        "||",
                                        "=",
                                        "<>",
                                        "!=",
                                        "<",
                                        "<=",
                                        ">",
                                        ">=",
                                        "(",
                                        ")",
                                        ",",
                                        ".",
                                        ";"}));
}

TEST(Lexer, CommentsAreSkipped) {
    const auto tokens = tokenize("/* a\n b */ x -- y\n/**/z");
    ASSERT_EQ(tokens.size(), 3u);
    EXPECT_EQ(tokens[0].text, "x");
    EXPECT_EQ(tokens[0].pos, (Position{2, 7}));
    EXPECT_EQ(tokens[1].text, "z");
    EXPECT_EQ(tokens[1].pos, (Position{3, 5}));
}

TEST(Lexer, ErrorsEndTheTokenList) {
    struct Case {
        const char* text;
        const char* message;
        Position pos;
    };
    for (const Case& c : {Case{"a\n  'abc", "unterminated string literal", {2, 3}},
                          Case{"a /* x", "unterminated comment", {1, 3}},
                          Case{"\"abc", "unterminated quoted identifier", {1, 1}},
                          Case{"a `b", "unterminated quoted identifier", {1, 3}},
                          Case{"a # b", "unexpected character '#'", {1, 3}},
                          Case{"a\x01", "unexpected byte 0x01", {1, 2}},
                          Case{"a | b", "unexpected character '|'", {1, 3}},
                          Case{"a \"\" b", "empty quoted identifier", {1, 3}}}) {
        const auto tokens = tokenize(c.text);
        EXPECT_EQ(tokens.back().kind, TokenKind::kError) << c.text;
        EXPECT_EQ(tokens.back().text, c.message) << c.text;
        EXPECT_EQ(tokens.back().pos, c.pos) << c.text;
    }
}

TEST(Script, SplitsStatementsAndKeepsTheirText) {
    const auto statements =
        parse_ok(";; SHOW STREAMS;\n  -- next\n  SELECT a\n FROM t /* c */ ;;\nSHOW TABLES");
    ASSERT_EQ(statements.size(), 3u);
    EXPECT_EQ(statements[0].text, "SHOW STREAMS");
    EXPECT_EQ(statements[0].pos, (Position{1, 4}));
    EXPECT_EQ(statements[1].text, "SELECT a\n FROM t");
    EXPECT_EQ(statements[1].pos, (Position{3, 3}));
    EXPECT_EQ(statements[2].text, "SHOW TABLES");
    EXPECT_EQ(statements[2].pos, (Position{5, 1}));
}

TEST(Script, KeepsCommentsInsideAStatement) {
    const auto statements = parse_ok("SELECT a /* why */ FROM t;");
    ASSERT_EQ(statements.size(), 1u);
    EXPECT_EQ(statements[0].text, "SELECT a /* why */ FROM t");
}

TEST(Script, EmptyInputGivesNoStatements) {
    EXPECT_TRUE(parse_ok("").empty());
    EXPECT_TRUE(parse_ok("  -- only a comment\n ; ; /* x */").empty());
}

TEST(Script, IsCompleteStatement) {
    EXPECT_FALSE(is_complete_statement(""));
    EXPECT_FALSE(is_complete_statement("SELECT a FROM t"));
    EXPECT_TRUE(is_complete_statement("SELECT a FROM t;"));
    EXPECT_TRUE(is_complete_statement("SELECT a\nFROM t\n;  -- done"));
    EXPECT_FALSE(is_complete_statement("SELECT ';"));
    EXPECT_FALSE(is_complete_statement("SELECT 'a'';"));
    EXPECT_TRUE(is_complete_statement("SELECT 'a'';';"));
    EXPECT_FALSE(is_complete_statement("SELECT \"a;\" -- ;"));
    EXPECT_FALSE(is_complete_statement("SELECT a /* ; */"));
    EXPECT_FALSE(is_complete_statement("SELECT a /* ; "));
    EXPECT_TRUE(is_complete_statement("SELECT # FROM t;"));  // bad, but complete: parse says why
}

TEST(CreateStream, ColumnsWatermarkAndOptions) {
    const auto s = parse_one<CreateStream>(
        "create stream IF NOT EXISTS Clicks (page VARCHAR, ts TIMESTAMP(3), n BIGINT,\n"
        "  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)\n"
        "WITH (Kinesis_Stream = 'clicks', 'format' = 'json', shards = 4, scan.Mode = 1.5)");
    EXPECT_EQ(s.name, "Clicks");
    EXPECT_TRUE(s.if_not_exists);
    ASSERT_EQ(s.columns.size(), 3u);
    EXPECT_EQ(s.columns[0].name, "page");
    EXPECT_EQ(s.columns[0].type, SqlType::kVarchar);
    EXPECT_EQ(s.columns[0].pos, (Position{1, 37}));
    EXPECT_EQ(s.columns[1].type, SqlType::kTimestamp);
    EXPECT_EQ(s.columns[2].type, SqlType::kBigint);
    ASSERT_TRUE(s.watermark.has_value());
    EXPECT_EQ(s.watermark->column, "ts");
    EXPECT_EQ(s.watermark->pos, (Position{2, 3}));
    EXPECT_EQ(show(s.watermark->expr), "(- ts 5000ms)");
    ASSERT_EQ(s.options.size(), 4u);
    EXPECT_EQ(s.options[0].key, "kinesis_stream");
    EXPECT_EQ(s.options[0].value, "clicks");
    EXPECT_EQ(s.options[1].key, "format");
    EXPECT_EQ(s.options[2].key, "shards");
    EXPECT_EQ(s.options[2].value, "4");
    EXPECT_EQ(s.options[3].key, "scan.mode");
    EXPECT_EQ(s.options[3].value, "1.5");
}

TEST(CreateStream, EveryTypeName) {
    struct Case {
        const char* type;
        SqlType expected;
    };
    for (const Case& c : {Case{"BOOLEAN", SqlType::kBoolean},
                          Case{"bool", SqlType::kBoolean},
                          Case{"BIGINT", SqlType::kBigint},
                          Case{"INT", SqlType::kBigint},
                          Case{"Integer", SqlType::kBigint},
                          Case{"SMALLINT", SqlType::kBigint},
                          Case{"TINYINT", SqlType::kBigint},
                          Case{"DOUBLE", SqlType::kDouble},
                          Case{"DOUBLE PRECISION", SqlType::kDouble},
                          Case{"FLOAT", SqlType::kDouble},
                          Case{"REAL", SqlType::kDouble},
                          Case{"DECIMAL", SqlType::kDouble},
                          Case{"DECIMAL(10, 2)", SqlType::kDouble},
                          Case{"VARCHAR", SqlType::kVarchar},
                          Case{"VARCHAR(20)", SqlType::kVarchar},
                          Case{"STRING", SqlType::kVarchar},
                          Case{"TEXT", SqlType::kVarchar},
                          Case{"CHAR(1)", SqlType::kVarchar},
                          Case{"TIMESTAMP", SqlType::kTimestamp},
                          Case{"TIMESTAMP_LTZ(3)", SqlType::kTimestamp}}) {
        const auto s = parse_one<CreateStream>(fmt::format("CREATE STREAM s (c {})", c.type));
        ASSERT_EQ(s.columns.size(), 1u) << c.type;
        EXPECT_EQ(s.columns[0].type, c.expected) << c.type;
    }
}

TEST(CreateStream, Errors) {
    EXPECT_EQ(parse_error("CREATE STREAM s (a BLOB)"),
              "line 1, column 20: syntax error at 'BLOB': expected a type name");
    EXPECT_EQ(parse_error("CREATE STREAM s (a INT b INT)"),
              "line 1, column 24: syntax error at 'b': expected ',' or ')'");
    EXPECT_EQ(parse_error("CREATE STREAM s ()"),
              "line 1, column 18: syntax error at ')': expected a column name");
    EXPECT_EQ(parse_error("CREATE STREAM s (a INT, WATERMARK FOR a AS a, WATERMARK FOR a AS a)"),
              "line 1, column 47: a stream has at most one WATERMARK");
    EXPECT_EQ(parse_error("CREATE STREAM s (a INT) WITH (k = v)"),
              "line 1, column 35: syntax error at 'v': expected a quoted string or a number");
    EXPECT_EQ(parse_error("CREATE STREAM s (a VARCHAR(x))"),
              "line 1, column 28: syntax error at 'x': expected an integer");
    EXPECT_EQ(parse_error("CREATE VIEW v"),
              "line 1, column 8: syntax error at 'VIEW': expected STREAM, TABLE or SINK");
}

TEST(CreateStream, WatermarkIsAnOrdinaryColumnName) {
    const auto s = parse_one<CreateStream>("CREATE STREAM s (watermark BIGINT)");
    ASSERT_EQ(s.columns.size(), 1u);
    EXPECT_EQ(s.columns[0].name, "watermark");
    EXPECT_FALSE(s.watermark.has_value());
}

TEST(CreateTable, WithColumns) {
    const auto t = parse_one<CreateTable>(
        "CREATE TABLE IF NOT EXISTS users (id BIGINT, name VARCHAR) WITH (path = 'u.db')");
    EXPECT_EQ(t.name, "users");
    EXPECT_TRUE(t.if_not_exists);
    ASSERT_EQ(t.columns.size(), 2u);
    EXPECT_EQ(t.columns[1].name, "name");
    ASSERT_EQ(t.options.size(), 1u);
    EXPECT_EQ(t.options[0].value, "u.db");
}

TEST(CreateTable, AsSelect) {
    const auto t = parse_one<CreateTableAs>(
        "CREATE TABLE counts WITH ('path' = 'c.db') AS SELECT page, COUNT(*) AS n FROM clicks "
        "GROUP BY page EMIT CHANGES");
    EXPECT_EQ(t.name, "counts");
    ASSERT_EQ(t.options.size(), 1u);
    EXPECT_EQ(t.options[0].key, "path");
    ASSERT_EQ(t.query.items.size(), 2u);
    EXPECT_EQ(t.query.items[1].alias, "n");
    EXPECT_EQ(t.query.emit, EmitClause::kChanges);
    EXPECT_EQ(parse_one<CreateTableAs>("CREATE TABLE c AS SELECT * FROM s").name, "c");
    EXPECT_EQ(parse_error("CREATE TABLE c SELECT * FROM s"),
              "line 1, column 16: syntax error at 'SELECT': expected '(', WITH or AS");
}

TEST(Insert, Select) {
    const auto i = parse_one<InsertSelect>("INSERT INTO out SELECT a FROM s WHERE a > 1");
    EXPECT_EQ(i.target, "out");
    EXPECT_EQ(show(i.query.where), "(> a 1)");
}

TEST(Insert, Values) {
    const auto i =
        parse_one<InsertValues>("INSERT INTO s (page, n) VALUES ('/a', 1), ('/b', -2 + 1)");
    EXPECT_EQ(i.target, "s");
    EXPECT_EQ(i.columns, (std::vector<std::string>{"page", "n"}));
    ASSERT_EQ(i.rows.size(), 2u);
    EXPECT_EQ(show(i.rows[0][0]), "'/a'");
    EXPECT_EQ(show(i.rows[1][1]), "(+ -2 1)");
    const auto all = parse_one<InsertValues>("INSERT INTO s VALUES (1)");
    EXPECT_TRUE(all.columns.empty());
    EXPECT_EQ(all.rows.size(), 1u);
}

TEST(Insert, Errors) {
    EXPECT_EQ(parse_error("INSERT s VALUES (1)"),
              "line 1, column 8: syntax error at 's': expected INTO");
    EXPECT_EQ(parse_error("INSERT INTO s (a) SELECT 1 FROM t"),
              "line 1, column 19: syntax error at 'SELECT': expected VALUES");
    EXPECT_EQ(parse_error("INSERT INTO s TABLE t"),
              "line 1, column 15: syntax error at 'TABLE': expected SELECT or VALUES");
    EXPECT_EQ(parse_error("INSERT INTO s VALUES (1,)"),
              "line 1, column 25: syntax error at ')': expected an expression");
    EXPECT_EQ(parse_error("INSERT INTO s VALUES ()"),
              "line 1, column 23: syntax error at ')': expected an expression");
}

TEST(Misc, Show) {
    EXPECT_EQ(parse_one<Show>("SHOW STREAMS").what, ShowWhat::kStreams);
    EXPECT_EQ(parse_one<Show>("show tables").what, ShowWhat::kTables);
    EXPECT_EQ(parse_one<Show>("SHOW Queries").what, ShowWhat::kQueries);
    EXPECT_EQ(parse_error("SHOW VIEWS"),
              "line 1, column 6: syntax error at 'VIEWS': expected STREAMS, TABLES or QUERIES");
}

TEST(Misc, Describe) {
    EXPECT_EQ(parse_one<Describe>("DESCRIBE clicks").name, "clicks");
    EXPECT_EQ(parse_one<Describe>("desc \"Clicks\"").name, "Clicks");
    EXPECT_EQ(parse_one<Describe>("DESCRIBE STREAM clicks").name, "clicks");
}

TEST(Misc, Explain) {
    const auto statements = parse_ok("EXPLAIN  SELECT a FROM t;");
    ASSERT_EQ(statements.size(), 1u);
    EXPECT_EQ(statements[0].text, "EXPLAIN  SELECT a FROM t");
    const auto& explain = std::get<Explain>(statements[0].node);
    ASSERT_TRUE(explain.statement);
    EXPECT_TRUE(std::holds_alternative<Select>(explain.statement->node));
    EXPECT_EQ(explain.statement->text, "SELECT a FROM t");
    EXPECT_EQ(explain.statement->pos, (Position{1, 10}));
    EXPECT_TRUE(std::holds_alternative<InsertSelect>(
        parse_one<Explain>("EXPLAIN INSERT INTO o SELECT * FROM s").statement->node));
    EXPECT_EQ(parse_error("EXPLAIN EXPLAIN SHOW STREAMS"),
              "line 1, column 9: syntax error at 'EXPLAIN': expected a statement to explain "
              "other than EXPLAIN");
}

TEST(Misc, Drop) {
    const auto q = parse_one<Drop>("DROP QUERY q1");
    EXPECT_EQ(q.what, DropWhat::kQuery);
    EXPECT_EQ(q.name, "q1");
    EXPECT_FALSE(q.if_exists);
    EXPECT_EQ(parse_one<Drop>("DROP QUERY 'query-7'").name, "query-7");
    const auto t = parse_one<Drop>("DROP TABLE IF EXISTS counts");
    EXPECT_EQ(t.what, DropWhat::kTable);
    EXPECT_TRUE(t.if_exists);
    EXPECT_EQ(t.name, "counts");
    EXPECT_EQ(parse_one<Drop>("drop stream clicks").what, DropWhat::kStream);
    EXPECT_EQ(parse_one<Drop>("DROP STREAM if").name, "if");  // IF is not reserved
    EXPECT_EQ(parse_one<Drop>("DROP SINK raw").what, DropWhat::kSink);
    EXPECT_EQ(parse_error("DROP VIEW v"),
              "line 1, column 6: syntax error at 'VIEW': expected QUERY, TABLE, STREAM or SINK");
}

TEST(CreateSink, FromAStreamOrAQuery) {
    const auto whole = parse_one<CreateSink>(
        "CREATE SINK IF NOT EXISTS raw FROM clicks WITH (connector = 'files', path = '/out')");
    EXPECT_EQ(whole.name, "raw");
    EXPECT_TRUE(whole.if_not_exists);
    EXPECT_TRUE(whole.whole_stream);
    EXPECT_EQ(whole.query.from.name, "clicks");
    ASSERT_EQ(whole.query.items.size(), 1u);
    EXPECT_EQ(whole.query.items[0].expr->kind, ExprKind::kStar);
    ASSERT_EQ(whole.options.size(), 2u);
    EXPECT_EQ(whole.options[1].key, "path");
    EXPECT_EQ(whole.options[1].value, "/out");

    const auto rows = parse_one<CreateSink>(
        "CREATE SINK s FROM (SELECT page FROM clicks WHERE page <> '/') WITH (connector = "
        "'files')");
    EXPECT_FALSE(rows.whole_stream);
    EXPECT_NE(rows.query.where, nullptr);

    EXPECT_EQ(parse_error("CREATE SINK s FROM clicks"),
              "line 1, column 26: syntax error at end of input: expected WITH (connector = "
              "'files', path = ...)");
    EXPECT_EQ(parse_error("CREATE SINK s FROM (SHOW STREAMS) WITH (a = 'b')"),
              "line 1, column 21: syntax error at 'SHOW': expected SELECT");
}

TEST(Misc, Set) {
    const auto s = parse_one<Set>("SET 'execution.runtime-mode' = 'batch'");
    EXPECT_EQ(s.key, "execution.runtime-mode");
    EXPECT_EQ(s.value, "batch");
    EXPECT_EQ(parse_one<Set>("SET 'parallelism' = 4").value, "4");
    EXPECT_EQ(parse_error("SET mode = 'batch'"),
              "line 1, column 5: syntax error at 'mode': expected a quoted key, as in SET 'key' "
              "= 'value'");
}

TEST(Select, AllClauses) {
    const auto s = parse_one<Select>(
        "SELECT DISTINCT c.*, *, page AS p, n m, COUNT(*) FROM clicks AS c\n"
        "JOIN users u ON c.uid = u.id INNER JOIN a ON TRUE LEFT OUTER JOIN b ON 1 = 1 "
        "LEFT JOIN x ON FALSE\n"
        "WHERE n > 0 GROUP BY page, n HAVING COUNT(*) > 1 ORDER BY page DESC, n ASC, m "
        "LIMIT 10 EMIT FINAL");
    EXPECT_TRUE(s.distinct);
    EXPECT_EQ(s.pos, (Position{1, 1}));
    ASSERT_EQ(s.items.size(), 5u);
    EXPECT_EQ(show(s.items[0].expr), "c.*");
    EXPECT_EQ(s.items[0].expr->kind, ExprKind::kStar);
    EXPECT_EQ(show(s.items[1].expr), "*");
    EXPECT_EQ(s.items[1].pos, (Position{1, 22}));
    EXPECT_EQ(s.items[2].alias, "p");
    EXPECT_EQ(s.items[3].alias, "m");
    EXPECT_EQ(s.items[4].alias, "");
    EXPECT_EQ(s.from.name, "clicks");
    EXPECT_EQ(s.from.alias, "c");
    EXPECT_FALSE(s.from.window.has_value());
    ASSERT_EQ(s.joins.size(), 4u);
    EXPECT_EQ(s.joins[0].type, JoinType::kInner);
    EXPECT_EQ(s.joins[0].right.name, "users");
    EXPECT_EQ(s.joins[0].right.alias, "u");
    EXPECT_EQ(s.joins[0].pos, (Position{2, 1}));
    EXPECT_EQ(show(s.joins[0].on), "(= c.uid u.id)");
    EXPECT_EQ(s.joins[1].type, JoinType::kInner);
    EXPECT_EQ(s.joins[2].type, JoinType::kLeft);
    EXPECT_EQ(s.joins[3].type, JoinType::kLeft);
    EXPECT_EQ(show(s.where), "(> n 0)");
    ASSERT_EQ(s.group_by.size(), 2u);
    EXPECT_EQ(show(s.having), "(> COUNT( *) 1)");
    ASSERT_EQ(s.order_by.size(), 3u);
    EXPECT_TRUE(s.order_by[0].descending);
    EXPECT_FALSE(s.order_by[1].descending);
    EXPECT_FALSE(s.order_by[2].descending);
    EXPECT_EQ(s.limit, 10);
    EXPECT_EQ(s.emit, EmitClause::kFinal);
}

TEST(Select, EmitAndLimitComeInEitherOrder) {
    const auto ksql = parse_one<Select>("SELECT a FROM t EMIT CHANGES LIMIT 3");
    EXPECT_EQ(ksql.emit, EmitClause::kChanges);
    EXPECT_EQ(ksql.limit, 3);
    const auto flink = parse_one<Select>("SELECT a FROM t LIMIT 3 EMIT CHANGES");
    EXPECT_EQ(flink.emit, EmitClause::kChanges);
    EXPECT_EQ(flink.limit, 3);
    EXPECT_EQ(parse_error("SELECT a FROM t LIMIT 3 LIMIT 4"),
              "line 1, column 25: syntax error at 'LIMIT': expected ';' or end of input");
}

TEST(Select, MinimalHasNoOptionalParts) {
    const auto s = parse_one<Select>("SELECT a FROM t");
    EXPECT_FALSE(s.distinct);
    EXPECT_TRUE(s.joins.empty());
    EXPECT_EQ(s.where, nullptr);
    EXPECT_EQ(s.having, nullptr);
    EXPECT_FALSE(s.limit.has_value());
    EXPECT_EQ(s.emit, EmitClause::kNone);
}

TEST(Select, WindowTableFunctions) {
    const auto tumble = parse_one<Select>(
        "SELECT * FROM TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '1' MINUTE)");
    ASSERT_TRUE(tumble.from.window.has_value());
    EXPECT_EQ(tumble.from.name, "clicks");
    EXPECT_EQ(tumble.from.window->kind, WindowKind::kTumble);
    EXPECT_EQ(tumble.from.window->time_column, "ts");
    EXPECT_EQ(tumble.from.window->pos, (Position{1, 15}));
    ASSERT_EQ(tumble.from.window->args.size(), 1u);
    EXPECT_EQ(show(tumble.from.window->args[0]), "60000ms");

    const auto hop = parse_one<Select>(
        "SELECT * FROM TABLE(HOP(TABLE clicks, DESCRIPTOR(ts), INTERVAL '1' MINUTE, "
        "INTERVAL '5' MINUTES)) AS w");
    ASSERT_TRUE(hop.from.window.has_value());
    EXPECT_EQ(hop.from.window->kind, WindowKind::kHop);
    EXPECT_EQ(hop.from.pos, (Position{1, 15}));
    EXPECT_EQ(hop.from.window->pos, (Position{1, 21}));
    EXPECT_EQ(hop.from.alias, "w");
    ASSERT_EQ(hop.from.window->args.size(), 2u);
    EXPECT_EQ(show(hop.from.window->args[0]), "60000ms");
    EXPECT_EQ(show(hop.from.window->args[1]), "300000ms");

    const auto session =
        parse_one<Select>("SELECT * FROM session(clicks, ts, INTERVAL '30' SECOND) s");
    EXPECT_EQ(session.from.window->kind, WindowKind::kSession);
    EXPECT_EQ(session.from.name, "clicks");
    EXPECT_EQ(session.from.window->time_column, "ts");
    EXPECT_EQ(session.from.alias, "s");

    const auto stagger = parse_one<Select>(
        "SELECT * FROM TABLE(STAGGER(TABLE c, DESCRIPTOR(ts), INTERVAL '1' HOUR)) JOIN "
        "TUMBLE(TABLE d, DESCRIPTOR(t2), INTERVAL '1' DAY) ON TRUE");
    EXPECT_EQ(stagger.from.window->kind, WindowKind::kStagger);
    ASSERT_EQ(stagger.joins.size(), 1u);
    EXPECT_EQ(stagger.joins[0].right.window->kind, WindowKind::kTumble);
    EXPECT_EQ(stagger.joins[0].right.name, "d");
}

TEST(Select, SubqueryInFromWithRowNumber) {
    const auto s = parse_one<Select>(
        "SELECT * FROM (SELECT a, ROW_NUMBER() OVER (PARTITION BY a, b ORDER BY c DESC, d) AS rn "
        "FROM t) AS x WHERE rn <= 3");
    ASSERT_NE(s.from.subquery, nullptr);
    EXPECT_EQ(s.from.name, "");
    EXPECT_EQ(s.from.alias, "x");
    EXPECT_EQ(s.from.pos, (Position{1, 15}));
    EXPECT_EQ(show(s.where), "(<= rn 3)");
    const Select& inner = *s.from.subquery;
    ASSERT_EQ(inner.items.size(), 2u);
    EXPECT_EQ(show(inner.items[1].expr), "(ROW_NUMBER partitions 2 DESC ASC a b c d)");
    EXPECT_EQ(inner.items[1].expr->pos, (Position{1, 26}));
    EXPECT_EQ(inner.items[1].alias, "rn");
    EXPECT_EQ(inner.from.name, "t");

    const auto bare =
        parse_one<Select>("SELECT * FROM (SELECT ROW_NUMBER() OVER (ORDER BY c) FROM t)");
    EXPECT_EQ(bare.from.alias, "");
    EXPECT_EQ(show(bare.from.subquery->items[0].expr), "(ROW_NUMBER partitions 0 ASC c)");
    const auto rank = parse_one<Select>(
        "SELECT * FROM (SELECT a, rank() OVER (PARTITION BY w ORDER BY c DESC) AS r FROM t) "
        "WHERE r <= 1");
    EXPECT_EQ(show(rank.from.subquery->items[1].expr), "(RANK partitions 1 DESC w c)");
    // OVER is a window only before '(': otherwise it is a name like any other.
    EXPECT_EQ(parse_one<Select>("SELECT COUNT(*) over FROM t").items[0].alias, "over");
}

TEST(Select, OverAndSubqueryErrors) {
    EXPECT_EQ(parse_error("SELECT ROW_NUMBER() OVER (PARTITION BY a) FROM t"),
              "line 1, column 21: ROW_NUMBER() OVER (...) needs ORDER BY: the order that ranks the "
              "rows");
    EXPECT_EQ(parse_error("SELECT ROW_NUMBER() OVER () FROM t"),
              "line 1, column 21: ROW_NUMBER() OVER (...) needs ORDER BY: the order that ranks the "
              "rows");
    EXPECT_EQ(parse_error("SELECT ROW_NUMBER() OVER (ROWS 1) FROM t"),
              "line 1, column 27: window frames (ROWS, RANGE) are not supported");
    EXPECT_EQ(parse_error("SELECT DENSE_RANK() OVER (ORDER BY a) FROM t"),
              "line 1, column 21: DENSE_RANK OVER (...) is not supported: the only window "
              "functions are ROW_NUMBER() and RANK(), for a Top-N");
    EXPECT_EQ(parse_error("SELECT RANK() OVER (PARTITION BY a) FROM t"),
              "line 1, column 15: RANK() OVER (...) needs ORDER BY: the order that ranks the rows");
    EXPECT_EQ(parse_error("SELECT RANK(a) OVER (ORDER BY a) FROM t"),
              "line 1, column 8: RANK() takes no arguments");
    EXPECT_EQ(parse_error("SELECT RANK() FROM t"),
              "line 1, column 8: RANK() needs OVER ([PARTITION BY ...] ORDER BY ...)");
    EXPECT_EQ(parse_error("SELECT ROW_NUMBER(a) OVER (ORDER BY a) FROM t"),
              "line 1, column 8: ROW_NUMBER() takes no arguments");
    EXPECT_EQ(parse_error("SELECT ROW_NUMBER() FROM t"),
              "line 1, column 8: ROW_NUMBER() needs OVER ([PARTITION BY ...] ORDER BY ...)");
    EXPECT_EQ(parse_error("SELECT ROW_NUMBER() OVER (ORDER BY a FROM t"),
              "line 1, column 38: syntax error at 'FROM': expected ',' or ')'");
    EXPECT_EQ(parse_error("SELECT * FROM (t)"),
              "line 1, column 16: syntax error at 't': expected SELECT");
    EXPECT_EQ(parse_error("SELECT * FROM (SELECT a FROM t"),
              "line 1, column 31: syntax error at end of input: expected ')'");
}

TEST(Select, TumbleIsAnOrdinaryNameWithoutParentheses) {
    EXPECT_EQ(parse_one<Select>("SELECT tumble FROM session").from.name, "session");
}

TEST(Select, WindowArgumentErrors) {
    EXPECT_EQ(parse_error("SELECT * FROM TUMBLE(TABLE c, DESCRIPTOR(ts))"),
              "line 1, column 15: TUMBLE takes a table, a DESCRIPTOR and 1 interval (the size); "
              "got 0 intervals");
    EXPECT_EQ(parse_error("SELECT * FROM TABLE(HOP(TABLE c, DESCRIPTOR(ts), INTERVAL '1' SECOND))"),
              "line 1, column 21: HOP takes a table, a DESCRIPTOR and 2 intervals (the slide, "
              "then the size); got 1 interval");
    EXPECT_EQ(
        parse_error("SELECT * FROM SESSION(TABLE c, DESCRIPTOR(ts), INTERVAL '1' SECOND, "
                    "INTERVAL '2' SECOND)"),
        "line 1, column 15: SESSION takes a table, a DESCRIPTOR and 1 interval (the gap); got 2 "
        "intervals");
    EXPECT_EQ(parse_error("SELECT * FROM TUMBLE(TABLE c)"),
              "line 1, column 29: syntax error at ')': expected ','");
    EXPECT_EQ(parse_error("SELECT * FROM TABLE(clicks)"),
              "line 1, column 21: syntax error at 'clicks': expected TUMBLE, HOP, SESSION or "
              "STAGGER");
    EXPECT_EQ(parse_error("SELECT * FROM TUMBLE(TABLE c, INTERVAL '1' SECOND)"),
              "line 1, column 31: syntax error at 'INTERVAL': expected DESCRIPTOR(column)");
}

TEST(Select, Errors) {
    EXPECT_EQ(parse_error("SELECT a, b, c AS d FORM t"),
              "line 1, column 21: syntax error at 'FORM': expected FROM");
    EXPECT_EQ(parse_error("SELECT * FORM counts"),
              "line 1, column 10: syntax error at 'FORM': expected FROM");
    EXPECT_EQ(parse_error("SELECT page FORM clicks"),
              "line 1, column 13: syntax error at 'FORM': expected FROM");
    EXPECT_EQ(parse_error("SELECT "),
              "line 1, column 8: syntax error at end of input: expected an expression");
    EXPECT_EQ(parse_error("SELECT a FROM"),
              "line 1, column 14: syntax error at end of input: expected a stream or table name");
    EXPECT_EQ(parse_error("SELECT a FROM select"),
              "line 1, column 15: syntax error at 'select': expected a stream or table name");
    EXPECT_EQ(parse_error("SELECT a FROM t LIMIT x"),
              "line 1, column 23: syntax error at 'x': expected a non-negative integer");
    EXPECT_EQ(parse_error("SELECT a FROM t EMIT NOW"),
              "line 1, column 22: syntax error at 'NOW': expected CHANGES or FINAL");
    EXPECT_EQ(parse_error("SELECT a FROM t JOIN u"),
              "line 1, column 23: syntax error at end of input: expected ON");
    EXPECT_EQ(parse_error("SELECT a FROM t RIGHT JOIN u ON TRUE"),
              "line 1, column 17: RIGHT JOIN is not supported (use JOIN or LEFT JOIN)");
    EXPECT_EQ(parse_error("SELECT a FROM t FULL OUTER JOIN u ON TRUE"),
              "line 1, column 17: FULL JOIN is not supported (use JOIN or LEFT JOIN)");
    EXPECT_EQ(parse_one<Select>("SELECT a FROM t right").from.alias, "right");
    EXPECT_EQ(parse_error("SELECT a FROM t GROUP page"),
              "line 1, column 23: syntax error at 'page': expected BY");
    EXPECT_EQ(parse_error("SELECT a FROM t x y"),
              "line 1, column 19: syntax error at 'y': expected ';' or end of input");
    EXPECT_EQ(parse_error("SELECT a FROM t UNION SELECT b FROM u"),
              "line 1, column 17: syntax error at 'UNION': expected ';' or end of input");
    EXPECT_EQ(parse_error("SELECT t.* + 1 FROM t"),
              "line 1, column 12: syntax error at '+': expected FROM");
    EXPECT_EQ(parse_error("SELECT a FROM t WHERE t.* = 1"),
              "line 1, column 23: t.* is only allowed in a select list");
}

TEST(Expr, Precedence) {
    EXPECT_EQ(expr("1 + 2 * 3"), "(+ 1 (* 2 3))");
    EXPECT_EQ(expr("(1 + 2) * 3"), "(* (+ 1 2) 3)");
    EXPECT_EQ(expr("1 - 2 - 3"), "(- (- 1 2) 3)");
    EXPECT_EQ(expr("8 / 4 % 3 * 2"), "(* (% (/ 8 4) 3) 2)");
    EXPECT_EQ(expr("a || b + 1"), "(|| a (+ b 1))");
    EXPECT_EQ(expr("a || b = c || d"), "(= (|| a b) (|| c d))");
    EXPECT_EQ(expr("a = 1 OR b = 2 AND c = 3"), "(OR (= a 1) (AND (= b 2) (= c 3)))");
    EXPECT_EQ(expr("(a OR b) AND c"), "(AND (OR a b) c)");
    EXPECT_EQ(expr("NOT a = b AND c"), "(AND (NOT (= a b)) c)");
    EXPECT_EQ(expr("NOT NOT a"), "(NOT (NOT a))");
    EXPECT_EQ(expr("a AND NOT b OR c"), "(OR (AND a (NOT b)) c)");
    EXPECT_EQ(expr("-a * b"), "(* (- a) b)");
    EXPECT_EQ(expr("- -a"), "(- (- a))");
    EXPECT_EQ(expr("+a"), "(+ a)");
    EXPECT_EQ(expr("a - -1"), "(- a -1)");
    EXPECT_EQ(expr("a + b IS NULL"), "(IS NULL (+ a b))");
    EXPECT_EQ(expr("a IS NOT NULL AND b IS NULL"), "(AND (IS NOT NULL a) (IS NULL b))");
    EXPECT_EQ(expr("a BETWEEN 1 AND 2 AND b"), "(AND (BETWEEN a 1 2) b)");
    EXPECT_EQ(expr("a NOT BETWEEN b + 1 AND c * 2"), "(NOT BETWEEN a (+ b 1) (* c 2))");
    EXPECT_EQ(expr("a IN (1, 2 + 3) OR b NOT IN ('x')"), "(OR (IN a 1 (+ 2 3)) (NOT IN b 'x'))");
    EXPECT_EQ(expr("a LIKE 'x%' AND b NOT LIKE c || '%'"),
              "(AND (LIKE a 'x%') (NOT LIKE b (|| c '%')))");
    EXPECT_EQ(expr("NOT a LIKE 'x'"), "(NOT (LIKE a 'x'))");
}

TEST(Expr, ComparisonOperators) {
    EXPECT_EQ(expr("a = 1"), "(= a 1)");
    EXPECT_EQ(expr("a <> 1"), "(<> a 1)");
    EXPECT_EQ(expr("a != 1"), "(<> a 1)");
    EXPECT_EQ(expr("a < 1"), "(< a 1)");
    EXPECT_EQ(expr("a <= 1"), "(<= a 1)");
    EXPECT_EQ(expr("a > 1"), "(> a 1)");
    EXPECT_EQ(expr("a >= 1"), "(>= a 1)");
    EXPECT_EQ(expr("a and b or c"), "(OR (AND a b) c)");
    EXPECT_EQ(expr("not a"), "(NOT a)");
}

TEST(Expr, Literals) {
    EXPECT_EQ(expr("NULL"), "NULL");
    EXPECT_EQ(expr("true"), "TRUE");
    EXPECT_EQ(expr("False"), "FALSE");
    EXPECT_EQ(expr("42"), "42");
    EXPECT_EQ(expr("9223372036854775807"), "9223372036854775807");
    EXPECT_EQ(expr("-9223372036854775808"), "-9223372036854775808");
    EXPECT_EQ(expr("1.5"), "1.5d");
    EXPECT_EQ(expr("-2.5"), "-2.5d");
    EXPECT_EQ(expr("1e3"), "1000d");
    EXPECT_EQ(expr(".5"), "0.5d");
    EXPECT_EQ(expr("1."), "1d");
    EXPECT_EQ(expr("'it''s'"), "'it's'");
    EXPECT_EQ(expr("''"), "''");
    EXPECT_EQ(expr("TIMESTAMP '2024-01-01 00:00:00'"), "(CAST '2024-01-01 00:00:00' TIMESTAMP(3))");
    const auto s = parse_one<Select>("SELECT 7 FROM t");
    EXPECT_TRUE(std::holds_alternative<int64_t>(s.items[0].expr->literal));
}

TEST(Expr, LiteralErrors) {
    EXPECT_EQ(expr_error("9223372036854775808"),
              "line 1, column 8: integer literal 9223372036854775808 is out of range for BIGINT");
    EXPECT_EQ(expr_error("1 + -9223372036854775809"),
              "line 1, column 12: integer literal -9223372036854775809 is out of range for BIGINT");
    EXPECT_EQ(expr_error("1e999"), "line 1, column 8: decimal literal 1e999 is out of range");
    EXPECT_EQ(parse_error("SELECT a FROM t LIMIT 99999999999999999999"),
              "line 1, column 23: integer literal 99999999999999999999 is out of range for BIGINT");
}

TEST(Expr, Columns) {
    EXPECT_EQ(expr("page"), "page");
    EXPECT_EQ(expr("c.Page"), "c.Page");
    EXPECT_EQ(expr("\"select\""), "select");
    EXPECT_EQ(expr("`my col`.\"x\""), "my col.x");
    // Everyday words are not reserved.
    EXPECT_EQ(expr("ts + key + value + page + timestamp + window_start"),
              "(+ (+ (+ (+ (+ ts key) value) page) timestamp) window_start)");
    const auto s = parse_one<Select>("SELECT\n  x.y FROM t");
    EXPECT_EQ(s.items[0].expr->pos, (Position{2, 3}));
    EXPECT_EQ(s.items[0].expr->qualifier, "x");
    EXPECT_EQ(s.items[0].expr->name, "y");
}

TEST(Expr, FunctionCalls) {
    EXPECT_EQ(expr("count(*)"), "COUNT( *)");
    EXPECT_EQ(expr("Count(DISTINCT user_id)"), "COUNT(DISTINCT user_id)");
    EXPECT_EQ(expr("now()"), "NOW()");
    EXPECT_EQ(expr("substr(a, 1, 2)"), "SUBSTR( a 1 2)");
    EXPECT_EQ(expr("left(a, 2) || right(b, 1) || replace(c, 'x', 'y')"),
              "(|| (|| LEFT( a 2) RIGHT( b 1)) REPLACE( c 'x' 'y'))");
    EXPECT_EQ(expr("\"f\"(1)"), "F( 1)");
    EXPECT_EQ(expr("timestamp(1)"), "TIMESTAMP( 1)");
    const auto s = parse_one<Select>("SELECT COUNT(*) FROM t");
    ASSERT_EQ(s.items[0].expr->args.size(), 1u);
    EXPECT_EQ(s.items[0].expr->args[0]->kind, ExprKind::kStar);
    EXPECT_FALSE(s.items[0].expr->distinct);
}

TEST(Expr, CastAndCase) {
    EXPECT_EQ(expr("CAST(a AS DOUBLE)"), "(CAST a DOUBLE)");
    EXPECT_EQ(expr("cast('1' as bigint) + 1"), "(+ (CAST '1' BIGINT) 1)");
    EXPECT_EQ(expr("CAST(ts AS TIMESTAMP(3))"), "(CAST ts TIMESTAMP(3))");
    EXPECT_EQ(expr("CASE WHEN a > 1 THEN 'x' WHEN a > 0 THEN 'y' END"),
              "(CASE: (> a 1) 'x' (> a 0) 'y')");
    EXPECT_EQ(expr("CASE a WHEN 1 THEN 'one' ELSE 'many' END"),
              "(CASE operand else: a 1 'one' 'many')");
    EXPECT_EQ(expr("CASE WHEN a THEN CASE WHEN b THEN 1 END ELSE 2 END"),
              "(CASE else: a (CASE: b 1) 2)");
}

TEST(Expr, Intervals) {
    EXPECT_EQ(expr("INTERVAL '5' SECOND"), "5000ms");
    EXPECT_EQ(expr("INTERVAL '5' seconds"), "5000ms");
    EXPECT_EQ(expr("INTERVAL '250' MILLISECOND"), "250ms");
    EXPECT_EQ(expr("INTERVAL '2' MILLISECONDS"), "2ms");
    EXPECT_EQ(expr("INTERVAL '1' MINUTE"), "60000ms");
    EXPECT_EQ(expr("INTERVAL '2' MINUTES"), "120000ms");
    EXPECT_EQ(expr("INTERVAL '1' HOUR"), "3600000ms");
    EXPECT_EQ(expr("INTERVAL '3' HOURS"), "10800000ms");
    EXPECT_EQ(expr("INTERVAL '1' DAY"), "86400000ms");
    EXPECT_EQ(expr("INTERVAL '7' DAYS"), "604800000ms");
    EXPECT_EQ(expr("INTERVAL '0.5' SECOND"), "500ms");
    EXPECT_EQ(expr("INTERVAL 10 SECOND"), "10000ms");
    EXPECT_EQ(expr("INTERVAL ' 10 ' SECOND"), "10000ms");
    EXPECT_EQ(expr("ts - INTERVAL '1' MINUTE"), "(- ts 60000ms)");
}

TEST(Expr, IntervalErrors) {
    EXPECT_EQ(expr_error("INTERVAL 'five' SECOND"),
              "line 1, column 17: invalid interval 'five': expected a non-negative number of "
              "whole milliseconds");
    EXPECT_EQ(expr_error("INTERVAL '-5' SECOND"),
              "line 1, column 17: invalid interval '-5': expected a non-negative number of "
              "whole milliseconds");
    EXPECT_EQ(expr_error("INTERVAL '0.5' MILLISECOND"),
              "line 1, column 17: invalid interval '0.5': expected a non-negative number of "
              "whole milliseconds");
    EXPECT_EQ(expr_error("INTERVAL '9999999999999999' DAY"),
              "line 1, column 17: invalid interval '9999999999999999': expected a non-negative "
              "number of whole milliseconds");
    EXPECT_EQ(expr_error("INTERVAL '5' WEEK"),
              "line 1, column 21: syntax error at 'WEEK': expected MILLISECOND, SECOND, MINUTE, "
              "HOUR or DAY");
    EXPECT_EQ(expr_error("INTERVAL SECOND"),
              "line 1, column 17: syntax error at 'SECOND': expected a quoted number, as in "
              "INTERVAL '5' SECOND");
}

TEST(Expr, Positions) {
    const auto s = parse_one<Select>("SELECT a + b * c, -1, NOT x FROM t");
    EXPECT_EQ(s.items[0].expr->pos, (Position{1, 8}));
    EXPECT_EQ(s.items[0].expr->args[1]->pos, (Position{1, 12}));
    EXPECT_EQ(s.items[1].expr->pos, (Position{1, 19}));
    EXPECT_EQ(s.items[2].expr->pos, (Position{1, 23}));
}

TEST(Expr, Errors) {
    EXPECT_EQ(expr_error("1 +"),
              "line 1, column 12: syntax error at 'FROM': expected an expression");
    EXPECT_EQ(expr_error("(1"), "line 1, column 11: syntax error at 'FROM': expected ')'");
    EXPECT_EQ(expr_error("f(1 2)"), "line 1, column 12: syntax error at '2': expected ',' or ')'");
    EXPECT_EQ(expr_error("a = NOT b"),
              "line 1, column 12: syntax error at 'NOT': expected an expression");
    EXPECT_EQ(expr_error("a IS 1"),
              "line 1, column 13: syntax error at '1': expected NULL or NOT NULL");
    EXPECT_EQ(expr_error("a BETWEEN 1 OR 2"),
              "line 1, column 20: syntax error at 'OR': expected AND");
    EXPECT_EQ(expr_error("a IN 1"), "line 1, column 13: syntax error at '1': expected '('");
    EXPECT_EQ(expr_error("CASE END"), "line 1, column 13: syntax error at 'END': expected WHEN");
    EXPECT_EQ(expr_error("CASE WHEN a THEN 1"),
              "line 1, column 27: syntax error at 'FROM': expected END");
    EXPECT_EQ(expr_error("CAST(a INT)"), "line 1, column 15: syntax error at 'INT': expected AS");
    EXPECT_EQ(expr_error("a.b.c"), "line 1, column 11: syntax error at '.': expected FROM");
    EXPECT_EQ(expr_error("x.from"),
              "line 1, column 10: syntax error at 'from': expected a column name");
    EXPECT_EQ(expr_error("select"),
              "line 1, column 8: syntax error at 'select': expected an expression");
}

TEST(Errors, LexicalErrorsCarryTheirPosition) {
    EXPECT_EQ(parse_error("SELECT a\nFROM 'abc"), "line 2, column 6: unterminated string literal");
    EXPECT_EQ(parse_error("SELECT\n    'abc"), "line 2, column 5: unterminated string literal");
    EXPECT_EQ(parse_error("SELECT a FROM t /* x"), "line 1, column 17: unterminated comment");
    EXPECT_EQ(parse_error("SELECT a # b FROM t"), "line 1, column 10: unexpected character '#'");
    EXPECT_EQ(parse_error("SELECT \"a FROM t"), "line 1, column 8: unterminated quoted identifier");
}

TEST(Errors, ComeInSourceOrder) {
    EXPECT_EQ(parse_error("SELECT * FORM t; SELECT 'x"),
              "line 1, column 10: syntax error at 'FORM': expected FROM");
}

TEST(Errors, StatementStart) {
    EXPECT_EQ(parse_error("UPDATE t SET a = 1"),
              "line 1, column 1: syntax error at 'UPDATE': expected a statement (CREATE, INSERT, "
              "SELECT, SHOW, DESCRIBE, EXPLAIN, DROP or SET)");
    EXPECT_EQ(parse_error("SHOW STREAMS SHOW TABLES"),
              "line 1, column 14: syntax error at 'SHOW': expected ';' or end of input");
    EXPECT_EQ(parse_error("SHOW STREAMS;\n  42"),
              "line 2, column 3: syntax error at '42': expected a statement (CREATE, INSERT, "
              "SELECT, SHOW, DESCRIBE, EXPLAIN, DROP or SET)");
}

TEST(Errors, ReservedWordsNeedQuotes) {
    EXPECT_EQ(parse_error("CREATE STREAM s (from BIGINT)"),
              "line 1, column 18: syntax error at 'from': expected a column name");
    EXPECT_EQ(parse_one<CreateStream>("CREATE STREAM s (\"from\" BIGINT)").columns[0].name, "from");
}

TEST(Errors, LongTokensAreShortened) {
    const std::string name(100, 'x');
    EXPECT_EQ(parse_error("SHOW " + name),
              fmt::format("line 1, column 6: syntax error at '{}...': expected STREAMS, TABLES "
                          "or QUERIES",
                          std::string(40, 'x')));
    EXPECT_EQ(parse_error("SHOW 'a\nb'"),
              "line 1, column 6: syntax error at 'a...: expected STREAMS, TABLES or QUERIES");
}

TEST(Errors, DeepNestingIsAnErrorNotACrash) {
    const std::string deep = "SELECT " + std::string(100000, '(') + "1 FROM t";
    EXPECT_EQ(parse_error(deep), "line 1, column 208: expression nested too deeply");
    std::string nots = "SELECT ";
    for (int i = 0; i < 10000; ++i) {
        nots += "NOT ";
    }
    EXPECT_EQ(parse_error(nots + "a FROM t"), "line 1, column 808: expression nested too deeply");
    const std::string minus = "SELECT " + std::string(100000, '-') + "1 FROM t";
    EXPECT_NE(parse_error(minus), "");  // `--` starts a comment: an error, but no recursion
    const std::string nested =
        "SELECT " + std::string(150, '(') + "1" + std::string(150, ')') + " FROM t";
    EXPECT_EQ(parse_ok(nested).size(), 1u);
}

// Signs and operator chains are parsed in loops, but the trees they build are limited too:
// the binder and even the destructor walk them recursively.
std::string repeat(std::string_view text, int times) {
    std::string out;
    for (int i = 0; i < times; ++i) {
        out += text;
    }
    return out;
}

TEST(Errors, TallTreesAreAnErrorNotACrash) {
    EXPECT_EQ(parse_ok("SELECT a" + repeat(" + a", 999) + " FROM t").size(), 1u);
    EXPECT_EQ(parse_ok("SELECT " + repeat("- ", 999) + "a FROM t").size(), 1u);
    EXPECT_EQ(parse_error("SELECT a" + repeat(" + a", 100000) + " FROM t"),
              "line 1, column 8: expression nested too deeply");
    EXPECT_EQ(parse_error("SELECT a" + repeat(" || a AND a", 100000) + " FROM t"),
              "line 1, column 8: expression nested too deeply");
    EXPECT_EQ(parse_error("SELECT " + repeat("- ", 100000) + "a FROM t"),
              "line 1, column 198008: expression nested too deeply");
}

}  // namespace
}  // namespace shardflow::sql
