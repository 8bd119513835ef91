// A keyed operator's output keyed again (the exchange between the workers): the busiest page's
// count of each minute, as counts per page then the maximum per minute, against a brute-force
// reference at 1, 2 and 4 workers and across a checkpoint; and the misuse errors.

#include "connectors/sinks/collect_sink.h"
#include "operators/aggregate/aggregates.h"
#include "operators/aggregate/running_aggregate.h"
#include "operators/query.h"
#include "operators/window/tumbling_window.h"
#include "tests/support/temp_dir.h"
#include "tests/support/vector_source.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <random>

namespace shardflow::ops {
namespace {

using namespace std::chrono_literals;

struct View {
    int64_t page;
    int64_t ts;
};

using PageCount = WindowResult<int64_t, int64_t>;
using Busiest = WindowResult<int64_t, int64_t>;  // key: the minute's start; value: the count

/// Three partitions of views, each in time order, spread over about 20 minutes.
std::vector<std::vector<View>> views() {
    std::mt19937 rng(11);
    std::vector<std::vector<View>> out(3);
    for (auto& partition : out) {
        int64_t ts = 1'700'000'000'000;
        for (int i = 0; i < 4000; ++i) {
            ts += std::uniform_int_distribution<int64_t>(0, 600)(rng);
            partition.push_back({std::uniform_int_distribution<int64_t>(0, 50)(rng), ts});
        }
    }
    return out;
}

std::vector<Busiest> reference() {
    std::map<int64_t, std::map<int64_t, int64_t>> counts;  // minute -> page -> views
    for (const auto& partition : views()) {
        for (const View& v : partition) {
            ++counts[v.ts - v.ts % 60000][v.page];
        }
    }
    std::vector<Busiest> rows;
    for (const auto& [minute, pages] : counts) {
        int64_t most = 0;
        for (const auto& [page, n] : pages) {
            most = std::max(most, n);
        }
        rows.push_back({minute, minute, minute + 60000, most});
    }
    return rows;
}

struct Outcome {
    std::vector<Busiest> rows;
    uint64_t late = 0;
};

Outcome busiest_page_per_minute(size_t workers,
                            runtime::CheckpointStore* checkpoints = nullptr,
                            uint64_t stop_after_rounds = 0) {
    Query q("busiest");
    auto sink = std::make_shared<connectors::CollectSink<Busiest>>();
    q.source<View>(std::make_shared<tests::VectorSource<View>>(views()))
        .with_event_time(&View::ts)
        .key_by(&View::page)
        .apply(TumblingWindow(60s).aggregate(Count{}))
        .with_event_time([](const PageCount& c) { return c.window_end - 1; })
        .key_by(&PageCount::window_start)
        .apply(TumblingWindow(60s).aggregate(maximum(&PageCount::value)))
        .sink(sink);
    std::atomic<bool> stop{false};
    uint64_t rounds = 0;
    runtime::ExecutorOptions options;
    options.workers = workers;
    options.batch_size = 200;
    options.bounded = true;
    options.checkpoints.store = checkpoints;
    options.checkpoints.interval = std::chrono::hours(1);  // only the one taken when it stops
    if (stop_after_rounds > 0) {
        options.stop = &stop;
        options.on_progress = [&](uint64_t, runtime::EventTime) {
            stop = ++rounds >= stop_after_rounds;
        };
    }
    auto stats = q.run(options);
    EXPECT_TRUE(stats) << stats.error().message;
    auto rows = sink->records();
    std::sort(rows.begin(), rows.end(), [](const Busiest& a, const Busiest& b) {
        return a.window_start < b.window_start;
    });
    return {rows, stats ? stats->late_records : 0};
}

TEST(Rekey, TheSecondKeyedStageSeesEveryResultOfTheFirstAtAnyParallelism) {
    auto want = reference();
    ASSERT_GT(want.size(), 10u);
    for (size_t workers : {1, 2, 4}) {
        Outcome run = busiest_page_per_minute(workers);
        EXPECT_EQ(run.rows, want) << workers << " workers";
        // A first-stage result reaches the second stage before the watermark that closed it.
        EXPECT_EQ(run.late, 0u) << workers << " workers";
    }
}

TEST(Rekey, BothStagesResumeFromACheckpoint) {
    tests::TempDir dir;
    auto checkpoints = runtime::CheckpointStore::open(dir.path() / "checkpoints.db").value();
    auto rows = busiest_page_per_minute(2, checkpoints.get(), 12).rows;
    auto want = reference();
    EXPECT_LT(rows.size(), want.size());
    auto rest = busiest_page_per_minute(2, checkpoints.get()).rows;
    rows.insert(rows.end(), rest.begin(), rest.end());
    EXPECT_EQ(rows, want);
}

TEST(Rekey, AWindowAfterTheSecondKeyByNeedsEventTime) {
    Query q("no_time");
    q.source<View>(std::make_shared<tests::VectorSource<View>>(views()))
        .key_by(&View::page)
        .apply(RunningAggregate(Count{}))
        .key_by([](const KeyedResult<int64_t, int64_t>& r) { return r.value; })
        .apply(TumblingWindow(60s).aggregate(Count{}))
        .sink(std::make_shared<connectors::CollectSink<WindowResult<int64_t, int64_t>>>());
    runtime::ExecutorOptions options;
    options.workers = 1;
    options.bounded = true;
    auto result = q.run(options);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().message,
              "query no_time: tumbling(60000 ms)(lateness 0 ms, emit final) needs event time: "
              "call with_event_time() before key_by()");
}

}  // namespace
}  // namespace shardflow::ops
