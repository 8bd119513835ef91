// SqlEngine as a server's clients use it: SET belongs to the session that said it, and a SELECT
// over streams ends at its timeout or when its caller stops, with the error that says which.

#include "service/sql_engine.h"

#include "tests/support/temp_dir.h"
#include "tests/support/test_store.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace shardflow::service {
namespace {

class SqlEngineTest : public ::testing::Test {
protected:
    void open(std::chrono::milliseconds timeout,
              size_t max_state_bytes = size_t{1} << 30,
              std::chrono::milliseconds stop_grace = RunningQuery::kStopGrace) {
        store_ = tests::open_test_store(dir_.path());
        SqlEngineOptions engine_options;
        engine_options.database = dir_.path() / "sql.db";
        engine_options.workers = workers_;
        engine_options.statement_timeout = timeout;
        engine_options.max_state_bytes = max_state_bytes;
        engine_options.stop_grace = stop_grace;
        engine_ = SqlEngine::open(*store_, engine_options).value();
    }

    /// Runs `script` and expects it to succeed; the last statement's result.
    ResultSet run(const std::string& script, SqlSession* session = nullptr) {
        auto done = engine_->execute(script, {}, session);
        EXPECT_FALSE(done.error) << done.error->message;
        return done.results.empty() ? ResultSet{} : done.results.back();
    }

    /// A stream whose every record has the same key: joined with itself, n² rows.
    void fill(const std::string& stream, int records) {
        run(fmt::format(
            "CREATE STREAM {} (k VARCHAR, v BIGINT) WITH (format = 'json', shards = 1);", stream));
        for (int start = 0; start < records; start += 500) {  // PutRecords takes 500 at most
            std::string values;
            for (int i = start; i < std::min(records, start + 500); ++i) {
                values += fmt::format("{}('same', {})", i > start ? ", " : "", i);
            }
            run(fmt::format("INSERT INTO {} VALUES {};", stream, values));
        }
    }

    static constexpr const char* kRunawayJoin =
        "SELECT a.v FROM a JOIN b ON a.k = b.k WHERE a.v = b.v + 1000000;";

    size_t workers_ = 1;
    tests::TempDir dir_;
    std::unique_ptr<store::StreamStore> store_;
    std::unique_ptr<SqlEngine> engine_;
};

TEST_F(SqlEngineTest, SetChangesOnlyTheSessionThatSaidIt) {
    open(std::chrono::seconds(30));
    fill("clicks", 3);
    SqlSession batch_client;
    SqlSession other_client;
    run("SET 'execution.runtime-mode' = 'batch';", &batch_client);
    EXPECT_NE(run("CREATE TABLE streamed AS SELECT v FROM clicks;", &other_client)
                  .message.find("started"),
              std::string::npos);
    EXPECT_NE(run("CREATE TABLE batched AS SELECT v FROM clicks;", &batch_client)
                  .message.find("read 3 records"),
              std::string::npos);
    EXPECT_NE(run("CREATE TABLE own AS SELECT v FROM clicks;").message.find("started"),
              std::string::npos)
        << "the engine's own session has its own settings too";
}

TEST_F(SqlEngineTest, ASelectPastItsTimeoutFailsAndFreesWhatItRead) {
    open(std::chrono::milliseconds(300));
    fill("a", 4000);
    fill("b", 4000);
    auto started = std::chrono::steady_clock::now();
    auto done = engine_->execute(kRunawayJoin);
    ASSERT_TRUE(done.error);
    EXPECT_EQ(done.error->code, ErrorCode::kLimitExceeded);
    EXPECT_NE(done.error->message.find("ran longer than its timeout of 300 ms"), std::string::npos)
        << done.error->message;
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
    run("DROP STREAM a;");
}

TEST_F(SqlEngineTest, ASelectEndsWhenItsCallerStops) {
    open(std::chrono::milliseconds(0));
    fill("a", 4000);
    fill("b", 4000);
    std::atomic<bool> stop{false};
    PushOptions push;
    push.stop = &stop;
    std::thread stopper([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        stop = true;
    });
    auto done = engine_->execute(kRunawayJoin, push);
    stopper.join();
    ASSERT_TRUE(done.error);
    EXPECT_EQ(done.error->code, ErrorCode::kCancelled);
}

TEST_F(SqlEngineTest, ABatchQueryPastItsTimeoutFails) {
    open(std::chrono::milliseconds(300));
    fill("a", 4000);
    fill("b", 4000);
    SqlSession session;
    run("SET 'execution.runtime-mode' = 'batch';", &session);
    auto done = engine_->execute(
        "CREATE TABLE joined AS SELECT a.v FROM a JOIN b ON a.k = b.k WHERE a.v = b.v + 1000000;",
        {},
        &session);
    ASSERT_TRUE(done.error);
    EXPECT_NE(done.error->message.find("ran longer than its timeout"), std::string::npos)
        << done.error->message;
}

TEST_F(SqlEngineTest, AQueryThatKeepsTooMuchStateFailsAndSaysSo) {
    open(std::chrono::seconds(30), 256 << 10);
    fill("a", 4000);
    fill("b", 4000);
    auto done = engine_->execute("SELECT a.v FROM a JOIN b ON a.k = b.k AND a.v = b.v;");
    ASSERT_TRUE(done.error);
    EXPECT_EQ(done.error->code, ErrorCode::kLimitExceeded);
    EXPECT_NE(done.error->message.find("MiB of state, more than its limit of 0.2 MiB"),
              std::string::npos)
        << done.error->message;

    run("CREATE TABLE joined AS SELECT a.v FROM a JOIN b ON a.k = b.k AND a.v = b.v;");
    std::string state;
    for (int i = 0; i < 200 && state.find("FAILED") == std::string::npos; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        state = engine_->query_progress().at(0).state;
    }
    EXPECT_NE(state.find("FAILED: the query keeps"), std::string::npos) << state;
}

TEST_F(SqlEngineTest, AContinuousQueryInALongRoundStopsWithinItsGrace) {
    open(std::chrono::seconds(30), size_t{1} << 30, std::chrono::milliseconds(100));
    fill("a", 8000);
    fill("b", 8000);
    run("CREATE TABLE joined AS SELECT a.v FROM a JOIN b ON a.k = b.k WHERE a.v = b.v + 1000000;");
    std::this_thread::sleep_for(std::chrono::milliseconds(500));  // into a round of 32 M matches
    auto started = std::chrono::steady_clock::now();
    run("DROP QUERY ctas_joined;");
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
}

TEST_F(SqlEngineTest, AQueryResumesWithTheWorkersOfItsCheckpoint) {
    open(std::chrono::seconds(30));
    fill("clicks", 100);
    run("CREATE TABLE counted AS SELECT k, COUNT(*) AS n FROM clicks GROUP BY k;");
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // past its first checkpoint
    engine_.reset();
    store_.reset();
    workers_ = 2;
    open(std::chrono::seconds(30));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    std::string state = engine_->query_progress().at(0).state;
    EXPECT_EQ(state.find("FAILED"), std::string::npos) << state;
}

}  // namespace
}  // namespace shardflow::service
