// Reference tables: rows by key with their SQLite types; bad tables are clear errors.

#include "connectors/lookup/reference_table.h"

#include "tests/support/temp_dir.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

namespace shardflow::connectors {
namespace {

class ReferenceTableTest : public ::testing::Test {
protected:
    void exec(const char* sql) {
        sqlite3* db = nullptr;
        ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
        ASSERT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK)
            << sqlite3_errmsg(db);
        sqlite3_close(db);
    }

    tests::TempDir dir_;
    std::filesystem::path path_ = dir_.path() / "ref.db";
};

TEST_F(ReferenceTableTest, FindsRowsByTheTextOfTheirKey) {
    exec(
        "CREATE TABLE products (id INTEGER, name TEXT, price REAL, note TEXT);"
        "INSERT INTO products VALUES (1, 'lamp', 19.5, NULL), (2, 'desk', 120.0, 'oak');");
    auto table = ReferenceTable::load(path_, "products", "id");
    ASSERT_TRUE(table) << table.error().message;
    EXPECT_EQ((*table)->size(), 2u);
    const Row* desk = (*table)->find("2");
    ASSERT_NE(desk, nullptr);
    EXPECT_EQ(std::get<std::string>((*desk)[*(*table)->column("name")]), "desk");
    EXPECT_EQ(std::get<double>((*desk)[*(*table)->column("price")]), 120.0);
    EXPECT_TRUE(std::holds_alternative<std::monostate>((*(*table)->find("1"))[3]));
    EXPECT_EQ((*table)->find("3"), nullptr);
    EXPECT_FALSE((*table)->column("colour"));
}

TEST_F(ReferenceTableTest, RefusesMissingTablesColumnsAndAmbiguousKeys) {
    exec(
        "CREATE TABLE t (k TEXT, v INTEGER); INSERT INTO t VALUES ('a', 1), ('a', 2);"
        "CREATE TABLE n (k TEXT); INSERT INTO n VALUES (NULL);");
    EXPECT_EQ(ReferenceTable::load(path_, "t", "k").error().message,
              "reference table t has k = a twice");
    EXPECT_EQ(ReferenceTable::load(path_, "t", "x").error().message,
              "reference table t has no column x");
    EXPECT_EQ(ReferenceTable::load(path_, "n", "k").error().message,
              "reference table n has a NULL k");
    EXPECT_NE(ReferenceTable::load(path_, "missing", "k").error().message.find("no such table"),
              std::string::npos);
    EXPECT_FALSE(ReferenceTable::load(dir_.path() / "nope.db", "t", "k"));
}

}  // namespace
}  // namespace shardflow::connectors
