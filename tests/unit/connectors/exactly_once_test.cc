// Exactly-once table output across crashes: a child process runs a checkpointed query into an
// ExactlyOnceTableSink and is killed with SIGKILL at random moments (counted in the query's
// rounds, which it reports through a pipe, so a loaded machine does not let it finish first),
// then restarted from its checkpoint, until it finishes. The table must equal the one an
// uninterrupted run writes. Its own test binary: fork() and a oneTBB thread pool in the same
// process do not mix.

#include "connectors/shard_source/shard_source.h"
#include "connectors/sinks/sqlite_table_sink.h"
#include "operators/query.h"
#include "operators/window/tumbling_window.h"
#include "tests/support/temp_dir.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <optional>
#include <random>
#include <thread>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace shardflow::connectors {
namespace {

constexpr int kRecords = 12000;
constexpr int kResumedExit = 10;

store::StoreOptions store_options(const std::filesystem::path& dir) {
    store::StoreOptions options;
    options.data_dir = dir / "store";
    options.background_housekeeping = false;
    return options;
}

struct Reading {
    std::string key;
    int64_t ts;
};

/// Runs the query to the end against the checkpoint database `db`, writing a byte to
/// `progress_fd` after every round; the exit code says whether it resumed from a checkpoint.
int run_query(const std::filesystem::path& dir, const std::filesystem::path& db, int progress_fd) {
    auto store = store::StreamStore::open(store_options(dir));
    auto checkpoints = runtime::CheckpointStore::open(db);
    if (!store || !checkpoints) {
        return 2;
    }
    using Row = ops::WindowResult<std::string, std::tuple<int64_t, int64_t>>;
    auto sink = ExactlyOnceTableSink<Row>::create(
        **checkpoints,
        {"counts",
         {{"key", "TEXT"}, {"window_start", "INTEGER"}, {"n", "INTEGER"}, {"total", "INTEGER"}},
         {"key", "window_start"}},
        [](const Row& r) {
            return shardflow::Row{
                r.key, r.window_start, std::get<0>(r.value), std::get<1>(r.value)};
        });
    if (!sink) {
        return 3;
    }
    ops::Query q("counts");
    q.source<ShardRecord>(std::make_shared<ShardSource>(**store, "s"))
        .map([](const ShardRecord& r) {
            return Reading{std::string(r.partition_key), std::stoll(std::string(r.data))};
        })
        .with_event_time(&Reading::ts)
        .key_by(&Reading::key)
        .apply(ops::TumblingWindow(std::chrono::milliseconds(500))
                   .aggregate(ops::All(ops::Count{}, ops::Sum{&Reading::ts})))
        .sink(*sink);
    runtime::ExecutorOptions options;
    options.workers = 2;
    options.batch_size = 5;  // many small rounds, so kills land between and inside checkpoints
    options.bounded = true;
    options.checkpoints.store = checkpoints->get();
    options.checkpoints.interval = std::chrono::milliseconds(0);
    options.on_progress = [progress_fd](uint64_t, runtime::EventTime) {
        char round = 1;
        [[maybe_unused]] auto written = write(progress_fd, &round, 1);
    };
    auto stats = q.run(options);
    if (!stats) {
        return 4;
    }
    return stats->resumed ? kResumedExit : 0;
}

std::vector<std::string> table_rows(const std::filesystem::path& db) {
    sqlite3* conn = nullptr;
    std::vector<std::string> rows;
    if (sqlite3_open(db.c_str(), &conn) == SQLITE_OK) {
        sqlite3_stmt* stmt = nullptr;
        sqlite3_prepare_v2(
            conn,
            "SELECT key, window_start, n, total FROM counts ORDER BY key, window_start",
            -1,
            &stmt,
            nullptr);
        while (stmt && sqlite3_step(stmt) == SQLITE_ROW) {
            rows.push_back(fmt::format("{} {} {} {}",
                                       reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)),
                                       sqlite3_column_int64(stmt, 1),
                                       sqlite3_column_int64(stmt, 2),
                                       sqlite3_column_int64(stmt, 3)));
        }
        sqlite3_finalize(stmt);
    }
    sqlite3_close(conn);
    return rows;
}

TEST(ExactlyOnce, ATableAfterRepeatedKillNineEqualsOneUninterruptedRun) {
    tests::TempDir dir;
    {
        auto store = store::StreamStore::open(store_options(dir.path())).value();
        ASSERT_TRUE(store->create_stream({"s", 4, store::StreamMode::kProvisioned, {}}));
        std::vector<std::string> keys;
        std::vector<std::string> data;
        for (int i = 0; i < kRecords; ++i) {
            keys.push_back(fmt::format("key-{}", i % 23));
            data.push_back(std::to_string(1'000'000 + i * 7));
        }
        std::vector<store::PutRecordRequest> batch;
        for (int i = 0; i < kRecords; ++i) {
            batch.push_back({keys[i], data[i], std::nullopt});
            if (batch.size() == 500) {
                ASSERT_TRUE(store->put_records("s", batch));
                batch.clear();
            }
        }
    }

    // Every run in a child (the parent must not start TBB threads before it forks). A run to be
    // killed is killed a little after its `kill_after_rounds`-th round.
    std::mt19937 rng(7);
    auto run_in_child = [&](const std::filesystem::path& db, std::optional<int> kill_after_rounds) {
        int progress[2];
        if (pipe(progress) != 0) {
            return -2;
        }
        pid_t child = fork();
        if (child == 0) {
            close(progress[0]);
            _exit(run_query(dir.path(), db, progress[1]));
        }
        close(progress[1]);
        if (kill_after_rounds) {
            char round = 0;
            for (int seen = 0; seen < *kill_after_rounds && read(progress[0], &round, 1) == 1;) {
                ++seen;
            }
            std::this_thread::sleep_for(std::chrono::microseconds(rng() % 3000));
            kill(child, SIGKILL);
        }
        char drain[256];
        while (read(progress[0], drain, sizeof drain) > 0) {
        }
        close(progress[0]);
        int status = 0;
        waitpid(child, &status, 0);
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    };
    ASSERT_EQ(run_in_child(dir.path() / "reference.db", std::nullopt), 0);

    int kills = 0;
    int exit_code = -1;
    for (int attempt = 0; attempt < 60 && exit_code < 0; ++attempt) {
        std::optional<int> kill_after_rounds;
        if (attempt < 40) {  // a full run is about 600 rounds
            kill_after_rounds = 20 + static_cast<int>(rng() % 150);
        }
        exit_code = run_in_child(dir.path() / "results.db", kill_after_rounds);
        kills += exit_code < 0;
    }
    ASSERT_TRUE(exit_code == 0 || exit_code == kResumedExit) << "child failed with " << exit_code;
    EXPECT_GE(kills, 2) << "the query finished too fast to be killed";

    auto reference = table_rows(dir.path() / "reference.db");
    // Each key has a record every 23 * 7 ms, so every 500 ms window holds every key.
    size_t windows = (1'000'000 + (kRecords - 1) * 7) / 500 - 1'000'000 / 500 + 1;
    EXPECT_EQ(reference.size(), 23u * windows);
    EXPECT_EQ(table_rows(dir.path() / "results.db"), reference);
}

}  // namespace
}  // namespace shardflow::connectors
