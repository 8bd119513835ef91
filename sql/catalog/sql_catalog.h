#pragma once
// The SQL catalog: the statements that created streams, tables and continuous queries, kept in
// the SQL database (the file that also holds result tables and checkpoints) so a restart
// declares them again and resumes the queries from their checkpoints.

#include "engine/common/error.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

struct sqlite3;

namespace shardflow::sql {

enum class ObjectKind : uint8_t { kStream, kTable, kQuery };

struct CatalogEntry {
    ObjectKind kind = ObjectKind::kStream;
    std::string name;
    std::string sql;  // the statement that created it
};

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

    /// Runs a read-only SELECT (over result and reference tables): column names and rows as text.
    Result<std::pair<std::vector<std::string>, std::vector<std::vector<std::string>>>> query(
        const std::string& sql);
    /// Runs a statement that returns nothing (CREATE TABLE, DROP TABLE).
    Status exec(const std::string& sql);

private:
    explicit SqlCatalog(sqlite3* db)
        : db_(db) {}
    sqlite3* db_;
};

}  // namespace shardflow::sql
