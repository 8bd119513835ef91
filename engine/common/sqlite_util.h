#pragma once
// What every SQLite user here needs: errors carrying SQLite's message, and prepared statements
// that finalize themselves. Header-only; the including library links SQLite.

#include "engine/common/error.h"

#include <sqlite3.h>

#include <string_view>

namespace shardflow {

/// "<what>: <SQLite's message for db>" as an Error of `code`.
inline Error sqlite_error(sqlite3* db, ErrorCode code, std::string_view what) {
    return Error::make(code, "{}: {}", what, sqlite3_errmsg(db));
}

/// A prepared statement, finalized on scope exit.
struct SqliteStatement {
    sqlite3_stmt* stmt = nullptr;

    SqliteStatement() = default;
    ~SqliteStatement() { sqlite3_finalize(stmt); }
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;
};

}  // namespace shardflow
