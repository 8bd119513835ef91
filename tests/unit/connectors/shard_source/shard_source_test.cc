// The shard source under a query: every acknowledged record read once, per-key order across
// splits and merges (before and while the query runs), start positions, a SQLite table sink.

#include "connectors/shard_source/shard_source.h"

#include "connectors/sinks/collect_sink.h"
#include "connectors/sinks/sqlite_table_sink.h"
#include "connectors/sinks/stream_sink.h"
#include "operators/query.h"
#include "operators/window/tumbling_window.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <map>
#include <thread>

namespace shardflow::connectors {
namespace {

using namespace std::chrono_literals;

/// A record reduced to what the checks need: its key and its position in the key's sequence.
struct Event {
    std::string key;
    int n;
    uint32_t shard;
};

class ShardSourceTest : public ::testing::Test {
protected:
    void SetUp() override {
        store_ = tests::open_test_store(dir_.path() / "store");
        ASSERT_TRUE(store_->create_stream({"s", 2, store::StreamMode::kProvisioned, {}}));
    }

    /// Puts `count` records spread over 20 keys; the data is the record's number within its key.
    void put(int count) {
        for (int i = 0; i < count; ++i) {
            std::string key = fmt::format("key-{}", i % 20);
            std::string data = std::to_string(next_[key]++);
            ASSERT_TRUE(store_->put_record("s", {key, data, std::nullopt}));
        }
    }

    /// Every key's events arrived exactly once and in order.
    void expect_in_order_once(const std::vector<Event>& events) {
        std::map<std::string, int> seen;
        for (const auto& e : events) {
            ASSERT_EQ(e.n, seen[e.key])
                << e.key << " out of order or repeated (shard " << e.shard << ")";
            ++seen[e.key];
        }
        EXPECT_EQ(seen, next_);
    }

    static Event to_event(const ShardRecord& r) {
        return {std::string(r.partition_key), std::stoi(std::string(r.data)), r.shard_index};
    }

    std::vector<Event> run_bounded(ShardSourceOptions options = {}, size_t workers = 2) {
        ops::Query q("events");
        auto sink = std::make_shared<CollectSink<Event>>();
        q.source<ShardRecord>(std::make_shared<ShardSource>(*store_, "s", std::move(options)))
            .map(&to_event)
            .sink(sink);
        runtime::ExecutorOptions run;
        run.workers = workers;
        run.batch_size = 37;
        run.bounded = true;
        auto stats = q.run(run);
        EXPECT_TRUE(stats) << stats.error().message;
        return sink->records();
    }

    tests::TempDir dir_;
    std::unique_ptr<store::StreamStore> store_;
    std::map<std::string, int> next_;
};

TEST_F(ShardSourceTest, ReadsParentsBeforeChildrenAfterASplitAndAMerge) {
    put(500);
    ASSERT_TRUE(
        store_->split_shard("s", "shardId-000000000000", "85070591730234615865843651857942052864"));
    put(500);
    ASSERT_TRUE(store_->merge_shards("s", "shardId-000000000002", "shardId-000000000003"));
    put(500);
    auto events = run_bounded();
    EXPECT_EQ(events.size(), 1500u);
    expect_in_order_once(events);
}

TEST_F(ShardSourceTest, KeepsPerKeyOrderWhenShardsSplitWhileTheQueryRuns) {
    ops::Query q("live");
    auto sink = std::make_shared<CollectSink<Event>>();
    q.source<ShardRecord>(std::make_shared<ShardSource>(*store_, "s")).map(&to_event).sink(sink);
    std::atomic<bool> stop{false};
    runtime::ExecutorOptions run;
    run.workers = 2;
    run.batch_size = 16;
    run.poll_interval = 1ms;
    run.stop = &stop;
    std::optional<Result<runtime::RunStats>> stats;
    std::thread query([&] { stats.emplace(q.run(run)); });

    put(300);
    ASSERT_TRUE(store_->split_shard(
        "s", "shardId-000000000001", "255211775190703847597530955573826158592"));
    put(300);
    ASSERT_TRUE(store_->update_shard_count("s", 4));
    put(300);
    for (int i = 0; i < 2000 && sink->records().size() < 900; ++i) {
        std::this_thread::sleep_for(5ms);
    }
    stop = true;
    query.join();
    ASSERT_TRUE(*stats) << stats->error().message;
    expect_in_order_once(sink->records());
}

TEST_F(ShardSourceTest, LatestSkipsWhatIsAlreadyThere) {
    put(100);
    ShardSourceOptions latest;
    latest.start.type = store::IteratorType::kLatest;
    EXPECT_TRUE(run_bounded(latest).empty());
    EXPECT_EQ(run_bounded().size(), 100u);
}

TEST_F(ShardSourceTest, ADeletedStreamFailsTheQueryWithItsError) {
    ASSERT_TRUE(store_->delete_stream("s"));
    ops::Query q("gone");
    q.source<ShardRecord>(std::make_shared<ShardSource>(*store_, "s"))
        .sink(std::make_shared<CollectSink<ShardRecord>>());
    runtime::ExecutorOptions run;
    run.bounded = true;
    auto stats = q.run(run);
    ASSERT_FALSE(stats);
    EXPECT_EQ(stats.error().code, ErrorCode::kResourceNotFound);
}

TEST_F(ShardSourceTest, WindowCountsLandInASqliteTableAndARerunDoesNotDuplicate) {
    put(1000);
    auto db = dir_.path() / "out.db";
    for (int run_index = 0; run_index < 2; ++run_index) {
        using Row = ops::WindowResult<std::string, int64_t>;
        auto table =
            SqliteTable::open(db,
                              {"counts",
                               {{"key", "TEXT"}, {"window_start", "INTEGER"}, {"n", "INTEGER"}},
                               {"key", "window_start"}});
        ASSERT_TRUE(table) << table.error().message;
        auto sink = std::make_shared<SqliteTableSink<Row>>(std::move(*table), [](const Row& r) {
            return shardflow::Row{r.key, r.window_start, r.value};
        });
        ops::Query q("counts");
        q.source<ShardRecord>(std::make_shared<ShardSource>(*store_, "s"))
            .with_event_time(&ShardRecord::arrival_ms)
            .key_by([](const ShardRecord& r) { return std::string(r.partition_key); })
            .apply(ops::TumblingWindow(24h).aggregate(ops::Count{}))
            .sink(sink);
        runtime::ExecutorOptions options;
        options.bounded = true;
        ASSERT_TRUE(q.run(options));
        ASSERT_TRUE(sink->status()) << sink->status().error().message;
    }
    sqlite3* conn = nullptr;
    ASSERT_EQ(sqlite3_open(db.c_str(), &conn), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(conn, "SELECT COUNT(*), SUM(n) FROM counts", -1, &stmt, nullptr),
              SQLITE_OK);
    ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
    int64_t rows = sqlite3_column_int64(stmt, 0);
    int64_t total = sqlite3_column_int64(stmt, 1);
    sqlite3_finalize(stmt);
    sqlite3_close(conn);
    EXPECT_GE(rows, 20);  // 20 keys, one or two day-windows each
    EXPECT_EQ(total, 1000);
}

TEST_F(ShardSourceTest, AStreamSinkFeedsAnotherQueryAndReportsAMissingStream) {
    put(400);
    ASSERT_TRUE(store_->create_stream({"out", 3, store::StreamMode::kProvisioned, {}}));
    auto to_out = [this](std::string stream) {
        auto sink = std::make_shared<StreamSink<Event>>(
            *store_,
            std::move(stream),
            [](const Event& e) { return e.key; },
            [](const Event& e) { return std::to_string(e.n); });
        ops::Query q("copy");
        q.source<ShardRecord>(std::make_shared<ShardSource>(*store_, "s"))
            .map(&to_event)
            .sink(sink);
        runtime::ExecutorOptions run;
        run.bounded = true;
        EXPECT_TRUE(q.run(run));
        return sink->status();
    };
    ASSERT_TRUE(to_out("out"));

    ops::Query read_back("read_back");
    auto events = std::make_shared<CollectSink<Event>>();
    read_back.source<ShardRecord>(std::make_shared<ShardSource>(*store_, "out"))
        .map(&to_event)
        .sink(events);
    runtime::ExecutorOptions run;
    run.bounded = true;
    ASSERT_TRUE(read_back.run(run));
    expect_in_order_once(
        events->records());  // same keys, same per-key order, through another stream

    auto missing = to_out("nope");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::kResourceNotFound);
}

}  // namespace
}  // namespace shardflow::connectors
