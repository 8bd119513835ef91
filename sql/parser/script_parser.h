#pragma once
// The recursive-descent parser behind parse_script (internal to shardflow_sql_parser). Its
// methods are split by topic: script_parser.cc (tokens, statements list), parse_statement.cc,
// parse_select.cc, parse_expression.cc.

#include "engine/common/error.h"
#include "sql/ast.h"
#include "sql/parser/lexer.h"

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace shardflow::sql {

bool iequals(std::string_view a, std::string_view b);
std::string to_upper(std::string_view s);
std::string to_lower(std::string_view s);
/// Reserved words cannot be unquoted identifiers (the list is kept small on purpose).
bool is_reserved(std::string_view word);

/// Parses one script. Single use, not thread-safe; the text must outlive it.
class ScriptParser {
public:
    /// Nesting limit for expressions, so deep input is an error rather than a stack overflow.
    static constexpr int kMaxDepth = 200;
    /// Height limit for expression trees: whoever walks them recursively (the binder, even
    /// the destructor) can rely on it. Chains like `a + b + ...` grow trees without recursion.
    static constexpr int kMaxHeight = 1000;

    explicit ScriptParser(std::string_view text);

    Result<std::vector<Statement>> script();

private:
    // Tokens (script_parser.cc).
    const Token& peek(size_t ahead = 0) const;
    const Token& advance();
    bool at_keyword(std::string_view keyword, size_t ahead = 0) const;
    bool accept_keyword(std::string_view keyword);
    Status expect_keyword(std::string_view keyword);
    bool at_op(std::string_view op, size_t ahead = 0) const;
    bool accept_op(std::string_view op);
    Status expect_op(std::string_view op);
    /// An unreserved or quoted identifier can name a column, table or alias.
    bool at_identifier(size_t ahead = 0) const;
    Result<std::string> identifier(std::string_view what);
    /// "syntax error at 'X': expected <expected>", or the lexer's message at a lexical error.
    Error syntax_error(const Token& at, std::string_view expected) const;

    // Statements (parse_statement.cc).
    Result<Statement> statement();
    Result<Statement> create();
    Result<CreateStream> create_stream();
    Result<Statement> create_table();
    Result<CreateSink> create_sink();
    Result<Statement> insert();
    Result<Show> show();
    Result<Drop> drop();
    Result<Set> set();
    Result<std::vector<ColumnDef>> column_list(std::optional<Watermark>* watermark);
    Result<SqlType> type();
    Result<WithOptions> with_options();
    Result<bool> if_exists(bool with_not);

    // SELECT (parse_select.cc).
    Result<Select> select();
    Result<SelectItem> select_item();
    Result<TableRef> table_ref();
    Status window_call(TableRef& ref);
    /// `(SELECT ...)` in FROM, after its '(' at `pos`.
    Result<std::shared_ptr<const Select>> subquery(Position pos);
    Result<std::string> optional_alias(bool table);
    /// RIGHT, FULL, CROSS or NATURAL before JOIN or OUTER: refused by name, not read as an alias.
    bool at_unsupported_join() const;

    // Expressions (parse_expression.cc), loosest binding first.
    Result<ExprPtr> expression() { return binary(0); }
    Result<ExprPtr> binary(int min_precedence);
    Result<ExprPtr> binary_loop(ExprPtr left, int min_precedence);
    Result<ExprPtr> comparison_suffix(ExprPtr left);
    Result<ExprPtr> unary();
    Result<ExprPtr> primary();
    Result<ExprPtr> literal_at(const Token& token);
    Result<ExprPtr> column_or_call();
    Result<ExprPtr> call(const Token& name);
    /// After a call's ')': ROW_NUMBER() OVER (...), or the call as it is; other OVERs refused.
    Result<ExprPtr> over_or_call(std::shared_ptr<Expr> call);
    Result<ExprPtr> case_expr();
    Result<ExprPtr> cast();
    Result<ExprPtr> interval();
    Result<std::vector<ExprPtr>> expression_list();
    Result<int64_t> integer(const Token& token) const;

    Result<ExprPtr> negative_number();
    /// Checks and records the height of a new node; every node with arguments passes here.
    Result<ExprPtr> seal(std::shared_ptr<Expr> expr);

    std::string_view text_;
    std::vector<Token> tokens_;
    size_t next_ = 0;
    int depth_ = 0;
    std::unordered_map<const Expr*, int> heights_;  // nodes with arguments; leaves are 1
};

}  // namespace shardflow::sql
