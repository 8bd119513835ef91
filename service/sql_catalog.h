#pragma once
// The SQL catalog: the statements that created streams, tables and continuous queries, kept in
// the SQL database (the file that also holds result tables and checkpoints) so a restart
// declares them again and resumes the queries from their checkpoints.

#include "engine/common/error.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace shardflow::service {

enum class ObjectKind : uint8_t { kStream, kTable, kQuery };

struct CatalogEntry {
    ObjectKind kind = ObjectKind::kStream;
    std::string name;
    std::string sql;  // the statement that created it
};

/// What a user's SELECT over result tables may do: read only these tables and views, within
/// these limits.
struct UserQueryLimits {
    std::vector<std::string> readable;          // table and view names, any case
    int max_value_bytes = 16 << 20;             // SQLITE_LIMIT_LENGTH: the largest string or blob
    size_t max_result_bytes = 64 << 20;         // the whole answer, as text
    std::chrono::milliseconds timeout{30000};   // then the statement is interrupted (0: never)
    const std::atomic<bool>* cancel = nullptr;  // set: interrupted at once
};

using TextRows = std::pair<std::vector<std::string>, std::vector<std::vector<std::string>>>;

/// Threading: one thread at a time (the engine locks).
class SqlCatalog {
public:
    static Result<std::unique_ptr<SqlCatalog>> open(const std::filesystem::path& db);
    ~SqlCatalog();
    SqlCatalog(const SqlCatalog&) = delete;
    SqlCatalog& operator=(const SqlCatalog&) = delete;

    Status put(const CatalogEntry& entry);
    Status remove(ObjectKind kind, const std::string& name);
    /// In the order they were created.
    Result<std::vector<CatalogEntry>> entries();

    /// Runs one of the engine's own read-only SELECTs: column names and rows as text.
    Result<TextRows> query(const std::string& sql);
    /// Runs a user's SELECT under an authorizer that allows reading `limits.readable` only (no
    /// catalog, checkpoints, PRAGMA, ATTACH or extension loading) and within its limits.
    Result<TextRows> user_query(const std::string& sql, const UserQueryLimits& limits);
    /// Runs a statement that returns nothing (CREATE TABLE, DROP TABLE).
    Status exec(const std::string& sql);

private:
    explicit SqlCatalog(sqlite3* db)
        : db_(db) {}

    Result<TextRows> read_rows(sqlite3_stmt* statement, size_t max_result_bytes);
    sqlite3* db_;
};

}  // namespace shardflow::service
