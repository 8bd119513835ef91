// SQLite upserts: one prepared INSERT ... ON CONFLICT DO UPDATE, one transaction per batch.

#include "connectors/sinks/sqlite_table.h"

#include "engine/common/quoting.h"
#include "engine/common/sqlite_util.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sqlite3.h>

namespace shardflow::connectors {
namespace {

std::string sql_identifier(std::string_view name) {
    return with_quotes(name, '"');
}

Error sqlite_error(sqlite3* db, std::string_view what) {
    return shardflow::sqlite_error(db, ErrorCode::kIoError, fmt::format("sqlite: {}", what));
}

}  // namespace

Result<std::unique_ptr<SqliteTable>> SqliteTable::open(const std::filesystem::path& path,
                                                       TableSchema schema) {
    sqlite3* db = nullptr;
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
        Error e = sqlite_error(db, fmt::format("open {}", path.string()));
        sqlite3_close(db);
        return e;
    }
    // Other writers of the same file (another query's sink, another process) wait their turn.
    sqlite3_busy_timeout(db, 5000);
    if (sqlite3_exec(
            db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL", nullptr, nullptr, nullptr) !=
        SQLITE_OK) {
        Error e = sqlite_error(db, "set WAL mode");
        sqlite3_close(db);
        return e;
    }
    return make(db, true, std::move(schema));
}

Result<std::unique_ptr<SqliteTable>> SqliteTable::attach(sqlite3* db, TableSchema schema) {
    return make(db, false, std::move(schema));
}

Result<std::unique_ptr<SqliteTable>> SqliteTable::make(sqlite3* db,
                                                       bool owns_db,
                                                       TableSchema schema) {
    if (schema.columns.empty()) {
        if (owns_db) {
            sqlite3_close(db);
        }
        return Error::make(ErrorCode::kInvalidArgument, "table {} needs columns", schema.name);
    }
    std::unique_ptr<SqliteTable> table(new SqliteTable(db, owns_db, std::move(schema)));
    const TableSchema& s = table->schema_;
    std::vector<std::string> defs;
    std::vector<std::string> names;
    std::vector<std::string> updates;
    for (const auto& c : s.columns) {
        defs.push_back(fmt::format("{} {}", sql_identifier(c.name), c.type));
        names.push_back(sql_identifier(c.name));
        updates.push_back(fmt::format("{0} = excluded.{0}", sql_identifier(c.name)));
    }
    std::vector<std::string> keys;
    for (const auto& k : s.key) {
        keys.push_back(sql_identifier(k));
    }
    std::string primary_key =
        keys.empty() ? "" : fmt::format(", PRIMARY KEY ({})", fmt::join(keys, ", "));
    std::string create = fmt::format("CREATE TABLE IF NOT EXISTS {} ({}{});",
                                     sql_identifier(s.name),
                                     fmt::join(defs, ", "),
                                     primary_key);
    if (sqlite3_exec(db, create.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
        return sqlite_error(db, "create table " + s.name);
    }
    std::vector<std::string> marks(s.columns.size(), "?");
    std::string insert = fmt::format("INSERT INTO {} ({}) VALUES ({})",
                                     sql_identifier(s.name),
                                     fmt::join(names, ", "),
                                     fmt::join(marks, ", "));
    if (!keys.empty()) {
        insert += fmt::format(
            " ON CONFLICT ({}) DO UPDATE SET {}", fmt::join(keys, ", "), fmt::join(updates, ", "));
    }
    if (sqlite3_prepare_v2(db, insert.c_str(), -1, &table->upsert_, nullptr) != SQLITE_OK) {
        return sqlite_error(db, "prepare upsert into " + s.name);
    }
    return table;
}

SqliteTable::~SqliteTable() {
    sqlite3_finalize(upsert_);
    if (owns_db_) {
        sqlite3_close(db_);
    }
}

Status SqliteTable::upsert(std::span<const Row> rows) {
    if (sqlite3_exec(db_, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK) {
        return sqlite_error(db_, "begin");
    }
    if (Status written = write(rows); !written) {
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        return written;
    }
    if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
        return sqlite_error(db_, "commit");
    }
    return ok();
}

Status SqliteTable::write(std::span<const Row> rows) {
    for (const Row& row : rows) {
        if (row.size() != schema_.columns.size()) {
            return Error::make(ErrorCode::kInvalidArgument,
                               "table {} has {} columns, a row has {} values",
                               schema_.name,
                               schema_.columns.size(),
                               row.size());
        }
        for (size_t i = 0; i < row.size(); ++i) {
            int column = static_cast<int>(i + 1);
            std::visit(
                [&](const auto& v) {
                    using V = std::decay_t<decltype(v)>;
                    if constexpr (std::is_same_v<V, std::monostate>) {
                        sqlite3_bind_null(upsert_, column);
                    } else if constexpr (std::is_same_v<V, bool> || std::is_same_v<V, int64_t>) {
                        sqlite3_bind_int64(upsert_, column, v);  // SQLite keeps booleans as 0/1
                    } else if constexpr (std::is_same_v<V, double>) {
                        sqlite3_bind_double(upsert_, column, v);
                    } else {
                        sqlite3_bind_text(upsert_,
                                          column,
                                          v.data(),
                                          static_cast<int>(v.size()),
                                          SQLITE_TRANSIENT);
                    }
                },
                row[i]);
        }
        int rc = sqlite3_step(upsert_);
        sqlite3_reset(upsert_);
        if (rc != SQLITE_DONE) {
            return sqlite_error(db_, "upsert into " + schema_.name);
        }
    }
    return ok();
}

}  // namespace shardflow::connectors
