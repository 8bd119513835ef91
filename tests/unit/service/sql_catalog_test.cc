#include "service/sql_catalog.h"

#include "tests/support/temp_dir.h"

#include <gtest/gtest.h>

namespace shardflow::service {
namespace {

class UserQueryTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto opened = SqlCatalog::open(dir_.path() / "sql.db");
        ASSERT_TRUE(opened) << opened.error().message;
        catalog_ = std::move(*opened);
        ASSERT_TRUE(
            catalog_->exec("CREATE TABLE counts (page TEXT, n INTEGER);"
                           "INSERT INTO counts VALUES ('/a', 1), ('/b', 2);"
                           "CREATE TABLE checkpoints (query TEXT, state BLOB);"
                           "CREATE TEMP VIEW pages AS SELECT page FROM counts;"));
        ASSERT_TRUE(catalog_->put({ObjectKind::kStream, "clicks", "CREATE STREAM clicks"}));
        limits_.readable = {"Counts", "pages"};
    }

    Result<TextRows> run(const std::string& sql) { return catalog_->user_query(sql, limits_); }

    tests::TempDir dir_;
    std::unique_ptr<SqlCatalog> catalog_;
    UserQueryLimits limits_;
};

TEST_F(UserQueryTest, ReadsTheTablesAndViewsItMay) {
    auto rows = run("SELECT page, n FROM counts ORDER BY n");
    ASSERT_TRUE(rows) << rows.error().message;
    EXPECT_EQ(rows->second.size(), 2u);
    auto viewed = run("SELECT COUNT(*) FROM pages");
    ASSERT_TRUE(viewed) << viewed.error().message;
    EXPECT_EQ(viewed->second[0][0], "2");
}

TEST_F(UserQueryTest, ReadsNoOtherTable) {
    for (const char* sql : {"SELECT * FROM checkpoints",
                            "SELECT * FROM shardflow_sql_catalog",
                            "SELECT * FROM counts WHERE page IN (SELECT sql FROM sqlite_master)",
                            "SELECT * FROM counts, shardflow_sql_catalog"}) {
        auto rows = run(sql);
        ASSERT_FALSE(rows) << sql;
        EXPECT_NE(rows.error().message.find("may read only"), std::string::npos) << sql;
    }
}

TEST_F(UserQueryTest, CallsNoPragmaOrExtensionAndWritesNothing) {
    EXPECT_FALSE(run("SELECT load_extension('/tmp/x.so') FROM counts"));
    EXPECT_FALSE(run("PRAGMA table_info(counts)"));
    EXPECT_FALSE(run("ATTACH DATABASE '/tmp/x.db' AS x"));
    EXPECT_FALSE(run("DELETE FROM counts"));
    EXPECT_EQ(catalog_->query("SELECT COUNT(*) FROM counts")->second[0][0], "2");
}

TEST_F(UserQueryTest, ValuesAndAnswersAreBounded) {
    auto huge = run("SELECT hex(zeroblob(25000000)) FROM counts");
    ASSERT_FALSE(huge);
    EXPECT_NE(huge.error().message.find("too big"), std::string::npos);
    limits_.max_result_bytes = 1000;
    auto wide = run("SELECT hex(zeroblob(1000)) FROM counts");
    ASSERT_FALSE(wide);
    EXPECT_EQ(wide.error().code, ErrorCode::kLimitExceeded);
    // The limits hold for the user's statement only: the engine's own are not bounded.
    EXPECT_TRUE(catalog_->query("SELECT hex(zeroblob(25000000))"));
}

TEST_F(UserQueryTest, ARunawayStatementStopsAtItsTimeout) {
    limits_.timeout = std::chrono::milliseconds(200);
    auto endless =
        run("WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) "
            "SELECT COUNT(*) FROM r, counts");
    ASSERT_FALSE(endless);
    EXPECT_EQ(endless.error().code, ErrorCode::kLimitExceeded);
    EXPECT_NE(endless.error().message.find("timeout"), std::string::npos)
        << endless.error().message;
    EXPECT_TRUE(run("SELECT COUNT(*) FROM counts"));  // the connection is usable after it
}

TEST_F(UserQueryTest, ACancelledStatementStops) {
    std::atomic<bool> cancel{true};
    limits_.cancel = &cancel;
    EXPECT_FALSE(
        run("WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) "
            "SELECT COUNT(*) FROM r, counts"));
}

}  // namespace
}  // namespace shardflow::service
