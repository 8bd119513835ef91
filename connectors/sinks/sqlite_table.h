#pragma once
// A SQLite table that result rows are upserted into, keyed so that a rerun over the same input
// replaces rows instead of duplicating them.

#include "engine/common/error.h"
#include "engine/common/value.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace shardflow::connectors {

struct SqlColumn {
    std::string name;
    std::string type;  // INTEGER, REAL, TEXT
};

struct TableSchema {
    std::string name;
    std::vector<SqlColumn> columns;
    std::vector<std::string> key;  // the upsert key: a subset of the columns; none: append
};

/// Threading: one thread at a time (the sink locks around it).
class SqliteTable {
public:
    /// Opens the database (WAL) and creates the table with its primary key if it is missing.
    static Result<std::unique_ptr<SqliteTable>> open(const std::filesystem::path& db,
                                                     TableSchema schema);
    ~SqliteTable();
    SqliteTable(const SqliteTable&) = delete;
    SqliteTable& operator=(const SqliteTable&) = delete;

    /// The table in a database someone else owns (a checkpoint store's), which stays open.
    static Result<std::unique_ptr<SqliteTable>> attach(sqlite3* db, TableSchema schema);

    /// Inserts or replaces every row in one transaction.
    Status upsert(std::span<const Row> rows);
    /// Inserts or replaces every row inside the caller's open transaction.
    Status write(std::span<const Row> rows);

private:
    SqliteTable(sqlite3* db, bool owns_db, TableSchema schema)
        : db_(db)
        , owns_db_(owns_db)
        , schema_(std::move(schema)) {}
    static Result<std::unique_ptr<SqliteTable>> make(sqlite3* db, bool owns_db, TableSchema schema);

    sqlite3* db_;
    bool owns_db_;
    sqlite3_stmt* upsert_ = nullptr;
    TableSchema schema_;
};

}  // namespace shardflow::connectors
