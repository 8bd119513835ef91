// Tumbling windows through the whole runtime: against a brute-force reference over random,
// out-of-order input, identical at 1, 2 and 4 workers; late records; emit changes.

#include "operators/window/tumbling_window.h"

#include "connectors/sinks/collect_sink.h"
#include "operators/query.h"
#include "tests/support/vector_source.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

namespace shardflow::ops {
namespace {

using namespace std::chrono_literals;

struct Click {
    std::string page;
    int64_t ts;
    int64_t bytes;
};

using Row = WindowResult<std::string, std::tuple<int64_t, int64_t, int64_t>>;

/// Partitions of clicks whose timestamps run ahead with jitter of up to `disorder` ms.
std::vector<std::vector<Click>> random_clicks(int partitions,
                                              int per_partition,
                                              int64_t disorder,
                                              uint32_t seed) {
    std::mt19937 rng(seed);
    std::vector<std::vector<Click>> out(partitions);
    for (auto& p : out) {
        int64_t clock = 1'700'000'000'000;
        for (int i = 0; i < per_partition; ++i) {
            clock += std::uniform_int_distribution<int64_t>(0, 40)(rng);
            int64_t ts = clock - std::uniform_int_distribution<int64_t>(0, disorder)(rng);
            p.push_back({fmt::format("/p{}", std::uniform_int_distribution<int>(0, 30)(rng)),
                         ts,
                         std::uniform_int_distribution<int64_t>(1, 1000)(rng)});
        }
    }
    return out;
}

std::vector<Row> run_query(const std::vector<std::vector<Click>>& input,
                           size_t workers,
                           size_t batch) {
    Query q("clicks");
    auto sink = std::make_shared<connectors::CollectSink<Row>>();
    q.source<Click>(std::make_shared<tests::VectorSource<Click>>(input))
        .with_event_time(&Click::ts)
        .key_by(&Click::page)
        .apply(
            TumblingWindow(1s).aggregate(All(Count{}, Sum{&Click::bytes}, maximum(&Click::bytes))))
        .sink(sink);
    runtime::ExecutorOptions options;
    options.workers = workers;
    options.batch_size = batch;
    options.bounded = true;
    options.watermarks.out_of_orderness = 100ms;
    auto stats = q.run(options);
    EXPECT_TRUE(stats) << stats.error().message;
    auto rows = sink->records();
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
        return std::tie(a.window_start, a.key) < std::tie(b.window_start, b.key);
    });
    return rows;
}

TEST(TumblingWindow, MatchesABruteForceReferenceAtAnyParallelism) {
    auto input = random_clicks(4, 5000, 100, 7);
    std::map<std::pair<int64_t, std::string>, std::tuple<int64_t, int64_t, int64_t>> expected;
    for (const auto& p : input) {
        for (const auto& c : p) {
            auto& [count, sum, max] = expected[{c.ts - c.ts % 1000, c.page}];
            ++count;
            sum += c.bytes;
            max = std::max(max, c.bytes);
        }
    }
    std::vector<Row> reference;
    for (const auto& [k, v] : expected) {
        reference.push_back({k.second, k.first, k.first + 1000, v});
    }

    EXPECT_EQ(run_query(input, 1, 64), reference);
    EXPECT_EQ(run_query(input, 2, 500), reference);
    EXPECT_EQ(run_query(input, 4, 4096), reference);
}

TEST(TumblingWindow, SendsRecordsOfClosedWindowsToTheLateOutput) {
    std::vector<std::vector<Click>> input{
        {{"/a", 1000, 1}, {"/a", 5000, 1}, {"/a", 900, 1}, {"/a", 4500, 1}, {"/a", 5500, 1}}};
    Query q("late");
    auto sink = std::make_shared<connectors::CollectSink<WindowResult<std::string, int64_t>>>();
    auto late = std::make_shared<connectors::CollectSink<Click>>();
    q.source<Click>(std::make_shared<tests::VectorSource<Click>>(input))
        .with_event_time(&Click::ts)
        .key_by(&Click::page)
        .apply(TumblingWindow(1s).aggregate(Count{}).late_to<Click>(late))
        .sink(sink);
    runtime::ExecutorOptions options;
    options.workers = 1;
    options.batch_size = 1;  // one record per round, so the watermark moves between records
    options.bounded = true;
    ASSERT_TRUE(q.run(options));
    using R = WindowResult<std::string, int64_t>;
    // After 5000 the watermark is 4999: [0, 1000) and [4000, 5000) are closed.
    EXPECT_EQ(sink->records(), (std::vector<R>{{"/a", 1000, 2000, 1}, {"/a", 5000, 6000, 2}}));
    ASSERT_EQ(late->records().size(), 2u);
    EXPECT_EQ(late->records()[0].ts, 900);
    EXPECT_EQ(late->records()[1].ts, 4500);
}

TEST(TumblingWindow, EmitChangesSendsEveryUpdate) {
    std::vector<std::vector<Click>> input{{{"/a", 10, 1}, {"/a", 20, 1}, {"/b", 30, 1}}};
    Query q("changes");
    auto sink = std::make_shared<connectors::CollectSink<WindowResult<std::string, int64_t>>>();
    q.source<Click>(std::make_shared<tests::VectorSource<Click>>(input))
        .with_event_time(&Click::ts)
        .key_by(&Click::page)
        .apply(TumblingWindow(1s).emit(EmitMode::kChanges).aggregate(Count{}))
        .sink(sink);
    runtime::ExecutorOptions options;
    options.workers = 1;
    options.batch_size = 1;
    options.bounded = true;
    ASSERT_TRUE(q.run(options));
    using R = WindowResult<std::string, int64_t>;
    EXPECT_EQ(sink->records(),
              (std::vector<R>{{"/a", 0, 1000, 1}, {"/a", 0, 1000, 2}, {"/b", 0, 1000, 1}}));
}

TEST(Query, RunWithoutASinkIsAnError) {
    Query q("empty");
    auto result = q.run();
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().message, "query empty has no sink");
}

}  // namespace
}  // namespace shardflow::ops
