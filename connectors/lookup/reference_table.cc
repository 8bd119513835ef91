// Reads a whole SQLite table once; column values keep their SQLite storage class.

#include "connectors/lookup/reference_table.h"

#include <sqlite3.h>

namespace shardflow::connectors {
namespace {

Value value_of(sqlite3_stmt* stmt, int column) {
    switch (sqlite3_column_type(stmt, column)) {
        case SQLITE_INTEGER:
            return sqlite3_column_int64(stmt, column);
        case SQLITE_FLOAT:
            return sqlite3_column_double(stmt, column);
        case SQLITE_NULL:
            return std::monostate{};
        default:
            return std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, column)),
                               static_cast<size_t>(sqlite3_column_bytes(stmt, column)));
    }
}

std::string key_text(const Value& v) {
    if (const auto* i = std::get_if<int64_t>(&v)) {
        return std::to_string(*i);
    }
    if (const auto* d = std::get_if<double>(&v)) {
        return fmt::format("{}", *d);
    }
    return std::get<std::string>(v);
}

}  // namespace

Result<std::shared_ptr<const ReferenceTable>> ReferenceTable::load(const std::filesystem::path& db,
                                                                   const std::string& table,
                                                                   const std::string& key_column) {
    sqlite3* conn = nullptr;
    if (sqlite3_open_v2(db.c_str(), &conn, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        Error e = Error::make(ErrorCode::kIoError,
                              "cannot open reference data {}: {}",
                              db.string(),
                              sqlite3_errmsg(conn));
        sqlite3_close(conn);
        return e;
    }
    std::unique_ptr<sqlite3, decltype(&sqlite3_close)> closer(conn, sqlite3_close);
    std::string sql = fmt::format("SELECT * FROM \"{}\"", table);
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(conn, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
        return Error::make(ErrorCode::kInvalidArgument,
                           "reference table {} in {}: {}",
                           table,
                           db.string(),
                           sqlite3_errmsg(conn));
    }
    std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> stmt(raw, sqlite3_finalize);
    auto out = std::make_shared<ReferenceTable>();
    int columns = sqlite3_column_count(raw);
    std::optional<int> key;
    for (int i = 0; i < columns; ++i) {
        out->columns_.emplace_back(sqlite3_column_name(raw, i));
        if (out->columns_.back() == key_column) {
            key = i;
        }
    }
    if (!key) {
        return Error::make(
            ErrorCode::kInvalidArgument, "reference table {} has no column {}", table, key_column);
    }
    int rc;
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
        Row row;
        for (int i = 0; i < columns; ++i) {
            row.push_back(value_of(raw, i));
        }
        if (std::holds_alternative<std::monostate>(row[*key])) {
            return Error::make(
                ErrorCode::kInvalidArgument, "reference table {} has a NULL {}", table, key_column);
        }
        std::string k = key_text(row[*key]);
        if (!out->rows_.emplace(k, std::move(row)).second) {
            return Error::make(ErrorCode::kInvalidArgument,
                               "reference table {} has {} = {} twice",
                               table,
                               key_column,
                               k);
        }
    }
    if (rc != SQLITE_DONE) {
        return Error::make(
            ErrorCode::kIoError, "reading reference table {}: {}", table, sqlite3_errmsg(conn));
    }
    return std::shared_ptr<const ReferenceTable>(std::move(out));
}

const Row* ReferenceTable::find(std::string_view key) const {
    auto it = rows_.find(key);
    return it == rows_.end() ? nullptr : &it->second;
}

std::optional<size_t> ReferenceTable::column(std::string_view name) const {
    for (size_t i = 0; i < columns_.size(); ++i) {
        if (columns_[i] == name) {
            return i;
        }
    }
    return std::nullopt;
}

}  // namespace shardflow::connectors
