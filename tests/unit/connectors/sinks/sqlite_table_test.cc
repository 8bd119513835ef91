// SqliteTable: every kind of value stored in its SQLite storage class (booleans as 0/1), rows
// with the same key replaced, rows of the wrong width refused.

#include "connectors/sinks/sqlite_table.h"

#include "tests/support/temp_dir.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

namespace shardflow::connectors {
namespace {

/// Every row of `table` as "typeof:value" cells, ordered by its first column.
std::vector<std::vector<std::string>> read_back(const std::filesystem::path& db,
                                                const std::string& table) {
    sqlite3* conn = nullptr;
    EXPECT_EQ(sqlite3_open(db.c_str(), &conn), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    std::string query = "SELECT * FROM " + table + " ORDER BY 1";
    EXPECT_EQ(sqlite3_prepare_v2(conn, query.c_str(), -1, &stmt, nullptr), SQLITE_OK);
    std::vector<std::vector<std::string>> rows;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        std::vector<std::string> cells;
        for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
            const char* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
            cells.push_back(std::to_string(sqlite3_column_type(stmt, i)) + ":" +
                            (text ? text : "NULL"));
        }
        rows.push_back(std::move(cells));
    }
    sqlite3_finalize(stmt);
    sqlite3_close(conn);
    return rows;
}

TEST(SqliteTable, StoresEveryKindOfValueAndReplacesRowsByKey) {
    tests::TempDir dir;
    const auto db = dir.path() / "t.db";
    TableSchema schema{
        "t", {{"k", "TEXT"}, {"n", "INTEGER"}, {"x", "REAL"}, {"ok", "INTEGER"}}, {"k"}};
    auto table = SqliteTable::open(db, schema);
    ASSERT_TRUE(table) << table.error().message;
    const std::vector<Row> rows = {{std::string("a"), int64_t{7}, 2.5, true},
                                   {std::string("b"), Value(), -1.0, false}};
    ASSERT_TRUE((*table)->upsert(rows));
    const std::vector<Row> again = {{std::string("a"), int64_t{8}, 0.5, true}};
    ASSERT_TRUE((*table)->upsert(again));
    const std::string i = std::to_string(SQLITE_INTEGER), f = std::to_string(SQLITE_FLOAT),
                      t = std::to_string(SQLITE_TEXT), n = std::to_string(SQLITE_NULL);
    EXPECT_EQ(
        read_back(db, "t"),
        (std::vector<std::vector<std::string>>{{t + ":a", i + ":8", f + ":0.5", i + ":1"},
                                               {t + ":b", n + ":NULL", f + ":-1.0", i + ":0"}}));
}

TEST(SqliteTable, RefusesARowOfTheWrongWidth) {
    tests::TempDir dir;
    auto table = SqliteTable::open(dir.path() / "t.db", {"t", {{"k", "TEXT"}}, {"k"}});
    ASSERT_TRUE(table);
    const std::vector<Row> rows = {{std::string("a"), int64_t{1}}};
    auto status = (*table)->upsert(rows);
    ASSERT_FALSE(status);
    EXPECT_NE(status.error().message.find("has 1 columns, a row has 2 values"), std::string::npos);
}

}  // namespace
}  // namespace shardflow::connectors
