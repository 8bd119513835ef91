#pragma once
// The syntax tree the parser builds and the planner reads. Every node keeps the position of its
// first token so errors can name the line and column.

#include "sql/value.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace shardflow::sql {

struct Position {
    int line = 1;    // from 1
    int column = 1;  // from 1, in bytes
    bool operator==(const Position&) const = default;
};

struct Expr;
using ExprPtr = std::shared_ptr<const Expr>;

enum class ExprKind : uint8_t {
    kLiteral,   // literal: NULL, TRUE/FALSE, integer, decimal, 'string'
    kColumn,    // [qualifier.]name
    kStar,      // * or qualifier.* (select lists and COUNT(*))
    kUnary,     // op in {"-", "+", "NOT"}; args[0]
    kBinary,    // op in {"+","-","*","/","%","||","=","<>","<","<=",">",">=","AND","OR"}
    kFunction,  // name (upper case) with args; distinct for COUNT(DISTINCT x)
    kCase,      // CASE [operand] WHEN a THEN b ... [ELSE e] END (see Expr::case_*)
    kCast,      // CAST(args[0] AS cast_type)
    kInterval,  // INTERVAL '5' SECOND: interval_ms
    kIsNull,    // args[0] IS [NOT] NULL (negated for NOT)
    kBetween,   // args[0] [NOT] BETWEEN args[1] AND args[2]
    kIn,        // args[0] [NOT] IN (args[1..])
    kLike,      // args[0] [NOT] LIKE args[1]
    // ROW_NUMBER() or RANK() (name) OVER (PARTITION BY args[0..partition_count) ORDER BY
    // args[partition_count..]): one `descending` flag per ORDER BY item. Only in a Top-N's
    // subquery (see Select).
    kRowNumber,
};

struct Expr {
    ExprKind kind = ExprKind::kLiteral;
    Position pos;
    Value literal;          // kLiteral
    std::string qualifier;  // kColumn, kStar: the table or alias before the dot, or empty
    std::string name;       // kColumn: column name as written; kFunction: upper case
    std::string op;         // kUnary, kBinary: upper case for keywords
    std::vector<ExprPtr> args;
    bool distinct = false;          // kFunction
    bool negated = false;           // kIsNull, kBetween, kIn, kLike
    bool case_has_operand = false;  // kCase: args[0] is the operand `CASE x WHEN ...`
    bool case_has_else = false;     // kCase: the last arg is the ELSE value
    // kCase args: [operand], when1, then1, when2, then2, ..., [else]
    SqlType cast_type = SqlType::kNull;  // kCast
    int64_t interval_ms = 0;             // kInterval
    size_t partition_count = 0;          // kRowNumber
    std::vector<bool> descending;        // kRowNumber
};

struct ColumnDef {
    std::string name;
    SqlType type = SqlType::kNull;
    Position pos;
};

/// WITH (key = 'value', ...): keys lower case, values as written (string or number literal).
struct WithOption {
    std::string key;
    std::string value;
    Position pos;
};
using WithOptions = std::vector<WithOption>;

/// `WATERMARK FOR ts AS ts - INTERVAL '5' SECOND`
struct Watermark {
    std::string column;
    ExprPtr expr;
    Position pos;
};

enum class WindowKind : uint8_t { kTumble, kHop, kSession, kStagger };

/// TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '1' MINUTE), also inside TABLE(...) as Flink
/// writes it. HOP takes slide then size (Flink's order); SESSION and STAGGER take the gap or
/// the size.
struct WindowCall {
    WindowKind kind = WindowKind::kTumble;
    std::string time_column;    // DESCRIPTOR(ts)
    std::vector<ExprPtr> args;  // the INTERVAL arguments in the order written
    Position pos;
};

struct Select;

struct TableRef {
    std::string name;   // the stream or table
    std::string alias;  // AS x, or empty
    std::optional<WindowCall> window;
    /// FROM (SELECT ...) [AS] alias: the planner takes it as a Top-N only (name is empty).
    std::shared_ptr<const Select> subquery;
    Position pos;
};

enum class JoinType : uint8_t { kInner, kLeft };

struct Join {
    JoinType type = JoinType::kInner;
    TableRef right;
    ExprPtr on;
    Position pos;
};

struct SelectItem {
    ExprPtr expr;
    std::string alias;  // AS alias, or empty
    Position pos;
};

struct OrderItem {
    ExprPtr expr;
    bool descending = false;
};

enum class EmitClause : uint8_t { kNone, kChanges, kFinal };

struct Select {
    bool distinct = false;
    std::vector<SelectItem> items;
    TableRef from;
    std::vector<Join> joins;
    ExprPtr where;  // or null
    std::vector<ExprPtr> group_by;
    ExprPtr having;  // or null
    std::vector<OrderItem> order_by;
    std::optional<int64_t> limit;
    EmitClause emit = EmitClause::kNone;
    Position pos;
};

struct CreateStream {
    std::string name;
    bool if_not_exists = false;
    std::vector<ColumnDef> columns;
    std::optional<Watermark> watermark;
    WithOptions options;
};

/// CREATE TABLE name (columns) WITH (...): a SQLite reference table for lookup joins.
struct CreateTable {
    std::string name;
    bool if_not_exists = false;
    std::vector<ColumnDef> columns;
    WithOptions options;
};

/// CREATE TABLE name [WITH (...)] AS SELECT: a continuous query into a SQLite table.
struct CreateTableAs {
    std::string name;
    WithOptions options;
    Select query;
};

/// CREATE SINK name FROM stream | FROM (SELECT ...) WITH (connector = 'files', ...): the
/// stream's records (or the query's rows) delivered to files, as Firehose delivers to S3.
struct CreateSink {
    std::string name;
    bool if_not_exists = false;
    Select query;               // FROM stream is SELECT * FROM stream
    bool whole_stream = false;  // FROM stream: records that do not decode go to the error output
    WithOptions options;
};

/// INSERT INTO stream SELECT ...: a continuous query into an output stream.
struct InsertSelect {
    std::string target;
    Select query;
};

/// INSERT INTO stream [(columns)] VALUES (...), (...): records written once.
struct InsertValues {
    std::string target;
    std::vector<std::string> columns;  // empty: all, in declared order
    std::vector<std::vector<ExprPtr>> rows;
};

enum class ShowWhat : uint8_t { kStreams, kTables, kQueries };
struct Show {
    ShowWhat what = ShowWhat::kStreams;
};

struct Describe {
    std::string name;
};

enum class DropWhat : uint8_t { kQuery, kTable, kStream, kSink };
struct Drop {
    DropWhat what = DropWhat::kStream;
    std::string name;
    bool if_exists = false;
};

/// SET 'key' = 'value' (Flink's form; 'execution.runtime-mode' = 'batch' | 'streaming').
struct Set {
    std::string key;
    std::string value;
};

struct Statement;

/// EXPLAIN statement: prints the operator graph without running it.
struct Explain {
    std::shared_ptr<const Statement> statement;
};

struct Statement {
    std::variant<CreateStream,
                 CreateTable,
                 CreateTableAs,
                 CreateSink,
                 InsertSelect,
                 InsertValues,
                 Select,
                 Show,
                 Describe,
                 Drop,
                 Set,
                 Explain>
        node;
    Position pos;
    std::string text;  // the statement's source text without the final ';' (SQLite runs it)
};

}  // namespace shardflow::sql
