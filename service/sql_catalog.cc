#include "service/sql_catalog.h"

#include "engine/common/quoting.h"
#include "engine/common/sqlite_util.h"
#include "sql/value_ops.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <limits>

namespace shardflow::service {
namespace {

Error sqlite_error(sqlite3* db, std::string_view what) {
    return shardflow::sqlite_error(db, ErrorCode::kInvalidArgument, what);
}

/// Functions a user's SELECT may not call: they reach outside the database.
constexpr std::string_view kDeniedFunctions[] = {
    "load_extension", "fts3_tokenizer", "readfile", "writefile", "edit"};

bool same_name(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) ==
               std::tolower(static_cast<unsigned char>(y));
    });
}

/// For the length of a user's SELECT: the authorizer, the value size limit and the progress
/// handler that stops it at its deadline or when cancelled; all undone on destruction.
class UserQueryGuard {
public:
    /// `hidden`: the tables and views of every schema, which the query may read only if
    /// `limits.readable` names them.
    UserQueryGuard(sqlite3* db, const UserQueryLimits& limits, std::vector<std::string> hidden)
        : db_(db)
        , limits_(limits)
        , hidden_(std::move(hidden))
        , deadline_(std::chrono::steady_clock::now() + limits.timeout)
        , old_length_(sqlite3_limit(db, SQLITE_LIMIT_LENGTH, limits.max_value_bytes)) {
        sqlite3_set_authorizer(db_, &UserQueryGuard::authorize, this);
        sqlite3_progress_handler(db_, 1000, &UserQueryGuard::progress, this);
    }
    ~UserQueryGuard() {
        sqlite3_progress_handler(db_, 0, nullptr, nullptr);
        sqlite3_set_authorizer(db_, nullptr, nullptr);
        sqlite3_limit(db_, SQLITE_LIMIT_LENGTH, old_length_);
    }
    UserQueryGuard(const UserQueryGuard&) = delete;
    UserQueryGuard& operator=(const UserQueryGuard&) = delete;

    bool timed_out() const { return timed_out_; }

private:
    bool named(const std::vector<std::string>& names, const char* name) const {
        return name && std::any_of(names.begin(), names.end(), [&](const std::string& n) {
                   return same_name(n, name);
               });
    }
    /// A table of the query's own (a CTE, a subquery) is not hidden; one named like a hidden
    /// table is refused all the same, since the authorizer cannot tell them apart.
    bool readable(const char* table, const char* view) const {
        if (named(limits_.readable, view) || named(limits_.readable, table)) {
            return true;
        }
        std::string_view name = table ? table : "";
        return !named(hidden_, table) && !same_name(name.substr(0, 7), "sqlite_");
    }

    static int authorize(void* self_ptr,
                         int action,
                         const char* first,
                         const char* second,
                         const char* /*database*/,
                         const char* view) {
        const auto* self = static_cast<const UserQueryGuard*>(self_ptr);
        switch (action) {
            case SQLITE_SELECT:
            case SQLITE_RECURSIVE:
                return SQLITE_OK;
            case SQLITE_READ:  // a table's column, directly or through a view
                return self->readable(first, view) ? SQLITE_OK : SQLITE_DENY;
            case SQLITE_FUNCTION:
                return std::any_of(std::begin(kDeniedFunctions),
                                   std::end(kDeniedFunctions),
                                   [&](std::string_view f) { return same_name(f, second); })
                           ? SQLITE_DENY
                           : SQLITE_OK;
            default:
                return SQLITE_DENY;
        }
    }

    static int progress(void* self_ptr) {
        auto* self = static_cast<UserQueryGuard*>(self_ptr);
        if (self->limits_.cancel && self->limits_.cancel->load()) {
            return 1;
        }
        self->timed_out_ =
            self->limits_.timeout.count() > 0 && std::chrono::steady_clock::now() > self->deadline_;
        return self->timed_out_ ? 1 : 0;
    }

    sqlite3* db_;
    const UserQueryLimits& limits_;
    std::vector<std::string> hidden_;
    std::chrono::steady_clock::time_point deadline_;
    int old_length_;
    bool timed_out_ = false;
};

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

Result<TextRows> SqlCatalog::query(const std::string& sql) {
    SqliteStatement p;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &p.stmt, nullptr) != SQLITE_OK) {
        return sqlite_error(db_, "SQLite");
    }
    return read_rows(p.stmt, std::numeric_limits<size_t>::max());
}

Result<TextRows> SqlCatalog::user_query(const std::string& sql, const UserQueryLimits& limits) {
    SF_ASSIGN_OR_RETURN(auto schemas, query("SELECT name FROM pragma_database_list"));
    std::vector<std::string> tables;
    for (const auto& schema : schemas.second) {
        SF_ASSIGN_OR_RETURN(
            auto named,
            query(fmt::format("SELECT name FROM {}.sqlite_schema WHERE type IN ('table', 'view')",
                              with_quotes(schema[0], '"'))));
        for (auto& row : named.second) {
            tables.push_back(std::move(row[0]));
        }
    }
    UserQueryGuard guard(db_, limits, std::move(tables));
    SqliteStatement p;
    int prepared = sqlite3_prepare_v2(db_, sql.c_str(), -1, &p.stmt, nullptr);
    if (prepared == SQLITE_AUTH) {
        return Error{ErrorCode::kInvalidArgument,
                     "a SELECT over tables may read only the tables and views SQL created (SHOW "
                     "TABLES), and call no PRAGMA, ATTACH or extension"};
    }
    if (prepared != SQLITE_OK) {
        return sqlite_error(db_, "SQLite");
    }
    auto rows = read_rows(p.stmt, limits.max_result_bytes);
    if (!rows && limits.cancel && limits.cancel->load()) {
        return Error{ErrorCode::kCancelled, "the SELECT was cancelled"};
    }
    if (!rows && guard.timed_out()) {
        return Error::make(ErrorCode::kLimitExceeded,
                           "the SELECT ran longer than its timeout of {} ms and was stopped",
                           limits.timeout.count());
    }
    return rows;
}

Result<TextRows> SqlCatalog::read_rows(sqlite3_stmt* statement, size_t max_result_bytes) {
    if (!sqlite3_stmt_readonly(statement)) {
        return Error{ErrorCode::kInvalidArgument, "only SELECT runs on result tables"};
    }
    std::vector<std::string> columns;
    for (int i = 0; i < sqlite3_column_count(statement); ++i) {
        columns.emplace_back(sqlite3_column_name(statement, i));
    }
    std::vector<std::vector<std::string>> rows;
    size_t bytes = 0;
    int rc = 0;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
        std::vector<std::string> row;
        for (int i = 0; i < sqlite3_column_count(statement); ++i) {
            auto* text = sqlite3_column_text(statement, i);
            bool real = sqlite3_column_type(statement, i) == SQLITE_FLOAT;
            row.push_back(
                !text  ? "NULL"
                : real ? sql::value_text(sqlite3_column_double(statement, i), sql::SqlType::kDouble)
                       : reinterpret_cast<const char*>(text));
            bytes += row.back().size();
        }
        if (bytes > max_result_bytes) {
            return Error::make(ErrorCode::kLimitExceeded,
                               "the answer is larger than {} MiB; select fewer rows (LIMIT) or "
                               "columns",
                               max_result_bytes >> 20);
        }
        rows.push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) {
        return sqlite_error(db_, "SQLite");
    }
    return std::pair{std::move(columns), std::move(rows)};
}

}  // namespace shardflow::service
