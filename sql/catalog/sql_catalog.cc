#include "sql/catalog/sql_catalog.h"

#include "engine/common/sqlite_util.h"
#include "sql/value_ops.h"

#include <fmt/format.h>
#include <sqlite3.h>

namespace shardflow::sql {
namespace {

Error sqlite_error(sqlite3* db, std::string_view what) {
    return shardflow::sqlite_error(db, ErrorCode::kInvalidArgument, what);
}

}  // namespace

Result<std::unique_ptr<SqlCatalog>> SqlCatalog::open(const std::filesystem::path& path) {
    sqlite3* db = nullptr;
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
        Error e = sqlite_error(db, "open " + path.string());
        sqlite3_close(db);
        return e;
    }
    std::unique_ptr<SqlCatalog> catalog(new SqlCatalog(db));
    SF_TRY(catalog->exec(
        "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;"
        "CREATE TABLE IF NOT EXISTS shardflow_sql_catalog (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
        "kind INTEGER NOT NULL, name TEXT NOT NULL COLLATE NOCASE, sql TEXT NOT NULL, "
        "UNIQUE (kind, name))"));
    return catalog;
}

SqlCatalog::~SqlCatalog() {
    sqlite3_close(db_);
}

Status SqlCatalog::exec(const std::string& sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        Error e{ErrorCode::kInvalidArgument, message ? message : "SQLite error"};
        sqlite3_free(message);
        return e;
    }
    return ok();
}

Status SqlCatalog::put(const CatalogEntry& entry) {
    SqliteStatement p;
    if (sqlite3_prepare_v2(db_,
                           "INSERT INTO shardflow_sql_catalog (kind, name, sql) VALUES (?, ?, ?)",
                           -1,
                           &p.stmt,
                           nullptr) != SQLITE_OK) {
        return sqlite_error(db_, "catalog");
    }
    sqlite3_bind_int(p.stmt, 1, static_cast<int>(entry.kind));
    sqlite3_bind_text(p.stmt, 2, entry.name.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(p.stmt, 3, entry.sql.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(p.stmt) != SQLITE_DONE) {
        return sqlite_error(db_, "catalog");
    }
    return ok();
}

Status SqlCatalog::remove(ObjectKind kind, const std::string& name) {
    SqliteStatement p;
    if (sqlite3_prepare_v2(db_,
                           "DELETE FROM shardflow_sql_catalog WHERE kind = ? AND name = ?",
                           -1,
                           &p.stmt,
                           nullptr) != SQLITE_OK) {
        return sqlite_error(db_, "catalog");
    }
    sqlite3_bind_int(p.stmt, 1, static_cast<int>(kind));
    sqlite3_bind_text(p.stmt, 2, name.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(p.stmt) != SQLITE_DONE) {
        return sqlite_error(db_, "catalog");
    }
    return ok();
}

Result<std::vector<CatalogEntry>> SqlCatalog::entries() {
    SqliteStatement p;
    if (sqlite3_prepare_v2(db_,
                           "SELECT kind, name, sql FROM shardflow_sql_catalog ORDER BY seq",
                           -1,
                           &p.stmt,
                           nullptr) != SQLITE_OK) {
        return sqlite_error(db_, "catalog");
    }
    std::vector<CatalogEntry> out;
    while (sqlite3_step(p.stmt) == SQLITE_ROW) {
        out.push_back({static_cast<ObjectKind>(sqlite3_column_int(p.stmt, 0)),
                       reinterpret_cast<const char*>(sqlite3_column_text(p.stmt, 1)),
                       reinterpret_cast<const char*>(sqlite3_column_text(p.stmt, 2))});
    }
    return out;
}

Result<std::pair<std::vector<std::string>, std::vector<std::vector<std::string>>>>
SqlCatalog::query(const std::string& sql) {
    SqliteStatement p;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &p.stmt, nullptr) != SQLITE_OK) {
        return sqlite_error(db_, "SQLite");
    }
    if (!sqlite3_stmt_readonly(p.stmt)) {
        return Error{ErrorCode::kInvalidArgument, "only SELECT runs on result tables"};
    }
    std::vector<std::string> columns;
    for (int i = 0; i < sqlite3_column_count(p.stmt); ++i) {
        columns.emplace_back(sqlite3_column_name(p.stmt, i));
    }
    std::vector<std::vector<std::string>> rows;
    int rc = 0;
    while ((rc = sqlite3_step(p.stmt)) == SQLITE_ROW) {
        std::vector<std::string> row;
        for (int i = 0; i < sqlite3_column_count(p.stmt); ++i) {
            auto* text = sqlite3_column_text(p.stmt, i);
            bool real = sqlite3_column_type(p.stmt, i) == SQLITE_FLOAT;
            row.push_back(!text  ? "NULL"
                          : real ? value_text(sqlite3_column_double(p.stmt, i), SqlType::kDouble)
                                 : reinterpret_cast<const char*>(text));
        }
        rows.push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) {
        return sqlite_error(db_, "SQLite");
    }
    return std::pair{std::move(columns), std::move(rows)};
}

}  // namespace shardflow::sql
