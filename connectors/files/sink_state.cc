// Sink state rows: deleted and rewritten whole by each checkpoint (a sink has few buffers).

#include "connectors/files/sink_state.h"

#include "engine/common/sqlite_util.h"

#include <boost/json.hpp>

namespace shardflow::connectors::files {
namespace {

constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS shardflow_files_sink_buffers (sink TEXT NOT NULL, buffer TEXT "
    "NOT NULL, prefix TEXT NOT NULL, staging_file TEXT NOT NULL, length INTEGER NOT NULL, "
    "records INTEGER NOT NULL, first_arrival_ms INTEGER NOT NULL, opened_ms INTEGER NOT NULL, "
    "PRIMARY KEY (sink, buffer));"
    "CREATE TABLE IF NOT EXISTS shardflow_files_sink_columns (sink TEXT PRIMARY KEY, columns "
    "TEXT NOT NULL)";

Error state_error(sqlite3* db, std::string_view what, std::string_view sink) {
    return sqlite_error(db, ErrorCode::kIoError, fmt::format("files sink {}: {}", sink, what));
}

Status prepare(sqlite3* db, SqliteStatement& s, const char* sql, std::string_view sink) {
    if (sqlite3_prepare_v2(db, sql, -1, &s.stmt, nullptr) != SQLITE_OK) {
        return state_error(db, "prepare", sink);
    }
    sqlite3_bind_text(s.stmt, 1, sink.data(), static_cast<int>(sink.size()), SQLITE_TRANSIENT);
    return ok();
}

void bind_text(SqliteStatement& s, int index, std::string_view text) {
    sqlite3_bind_text(s.stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

std::string column_text(SqliteStatement& s, int column) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s.stmt, column));
    return text ? std::string(text, static_cast<size_t>(sqlite3_column_bytes(s.stmt, column)))
                : std::string();
}

Result<std::vector<std::string>> decode_columns(std::string_view text, std::string_view sink) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(text, ec);
    std::vector<std::string> columns;
    if (!ec && v.is_array()) {
        for (const auto& c : v.get_array()) {
            if (!c.is_string()) {
                break;
            }
            columns.emplace_back(c.get_string());
        }
        if (columns.size() == v.get_array().size()) {
            return columns;
        }
    }
    return Error::make(
        ErrorCode::kCorruption, "files sink {}: stored CSV columns '{}'", sink, text);
}

std::string encode_columns(const std::vector<std::string>& columns) {
    boost::json::array a;
    for (const std::string& c : columns) {
        a.emplace_back(c);
    }
    return boost::json::serialize(a);
}

Status run(SqliteStatement& s, sqlite3* db, std::string_view what, std::string_view sink) {
    if (sqlite3_step(s.stmt) != SQLITE_DONE) {
        return state_error(db, what, sink);
    }
    return ok();
}

}  // namespace

Result<SinkState> load_sink_state(sqlite3* db, std::string_view sink) {
    if (sqlite3_exec(db, kSchema, nullptr, nullptr, nullptr) != SQLITE_OK) {
        return state_error(db, "create the state tables", sink);
    }
    SinkState state;
    {
        SqliteStatement s;
        SF_TRY(prepare(
            db, s, "SELECT columns FROM shardflow_files_sink_columns WHERE sink = ?", sink));
        if (sqlite3_step(s.stmt) == SQLITE_ROW) {
            SF_ASSIGN_OR_RETURN(state.csv_columns, decode_columns(column_text(s, 0), sink));
        }
    }
    SqliteStatement s;
    SF_TRY(prepare(db,
                   s,
                   "SELECT buffer, prefix, staging_file, length, records, first_arrival_ms, "
                   "opened_ms FROM shardflow_files_sink_buffers WHERE sink = ? ORDER BY buffer",
                   sink));
    int rc = 0;
    while ((rc = sqlite3_step(s.stmt)) == SQLITE_ROW) {
        state.buffers.push_back({
            column_text(s, 0),
            column_text(s, 1),
            column_text(s, 2),
            static_cast<uint64_t>(sqlite3_column_int64(s.stmt, 3)),
            static_cast<uint64_t>(sqlite3_column_int64(s.stmt, 4)),
            sqlite3_column_int64(s.stmt, 5),
            sqlite3_column_int64(s.stmt, 6),
        });
    }
    if (rc != SQLITE_DONE) {
        return state_error(db, "read the buffers", sink);
    }
    return state;
}

Status save_sink_state(sqlite3* db, std::string_view sink, const SinkState& state) {
    if (sqlite3_exec(db, kSchema, nullptr, nullptr, nullptr) != SQLITE_OK) {
        return state_error(db, "create the state tables", sink);
    }
    {
        SqliteStatement s;
        SF_TRY(prepare(db, s, "DELETE FROM shardflow_files_sink_buffers WHERE sink = ?", sink));
        SF_TRY(run(s, db, "clear the buffers", sink));
    }
    for (const StagedBuffer& b : state.buffers) {
        SqliteStatement s;
        SF_TRY(prepare(db,
                       s,
                       "INSERT INTO shardflow_files_sink_buffers (sink, buffer, prefix, "
                       "staging_file, length, records, first_arrival_ms, opened_ms) VALUES (?, "
                       "?, ?, ?, ?, ?, ?, ?)",
                       sink));
        bind_text(s, 2, b.buffer);
        bind_text(s, 3, b.prefix);
        bind_text(s, 4, b.staging_file);
        sqlite3_bind_int64(s.stmt, 5, static_cast<int64_t>(b.length));
        sqlite3_bind_int64(s.stmt, 6, static_cast<int64_t>(b.records));
        sqlite3_bind_int64(s.stmt, 7, b.first_arrival_ms);
        sqlite3_bind_int64(s.stmt, 8, b.opened_ms);
        SF_TRY(run(s, db, "save a buffer", sink));
    }
    if (!state.csv_columns) {
        return ok();
    }
    SqliteStatement s;
    SF_TRY(prepare(db,
                   s,
                   "INSERT OR REPLACE INTO shardflow_files_sink_columns (sink, columns) VALUES "
                   "(?, ?)",
                   sink));
    bind_text(s, 2, encode_columns(*state.csv_columns));
    return run(s, db, "save the CSV columns", sink);
}

}  // namespace shardflow::connectors::files
