// Window operators through the whole runtime: each against a brute-force reference over
// random, out-of-order input, identical at 1, 2 and 4 workers; late records; emit changes.

#include "connectors/sinks/collect_sink.h"
#include "operators/aggregate/running_aggregate.h"
#include "operators/query.h"
#include "operators/window/count_window.h"
#include "operators/window/hopping_window.h"
#include "operators/window/session_window.h"
#include "operators/window/stagger_window.h"
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

struct Click {
    std::string page;
    int64_t ts;
    int64_t bytes;
};

using Row = WindowResult<std::string, std::tuple<int64_t, int64_t, int64_t>>;

/// Partitions of clicks whose timestamps run ahead with jitter of up to `disorder` ms.
/// With `own_pages`, each partition has pages of its own, so a page's clicks arrive in one
/// partition's order (what order-dependent windows need to be deterministic).
std::vector<std::vector<Click>> random_clicks(
    int partitions, int per_partition, int64_t disorder, uint32_t seed, bool own_pages = false) {
    std::mt19937 rng(seed);
    std::vector<std::vector<Click>> out(partitions);
    for (int partition = 0; partition < partitions; ++partition) {
        auto& p = out[partition];
        int page_base = own_pages ? partition * 31 : 0;
        int64_t clock = 1'700'000'000'000;
        for (int i = 0; i < per_partition; ++i) {
            clock += std::uniform_int_distribution<int64_t>(0, 40)(rng);
            int64_t ts = clock - std::uniform_int_distribution<int64_t>(0, disorder)(rng);
            p.push_back(
                {fmt::format("/p{}", page_base + std::uniform_int_distribution<int>(0, 30)(rng)),
                 ts,
                 std::uniform_int_distribution<int64_t>(1, 1000)(rng)});
        }
    }
    return out;
}

using Totals = std::tuple<int64_t, int64_t, int64_t>;  // count, sum of bytes, max bytes

}  // namespace

template <class K, class V>
void PrintTo(const WindowResult<K, V>& r, std::ostream* os) {
    *os << fmt::format(
        "{}@[{}, {})={}", r.key, r.window_start, r.window_end, testing::PrintToString(r.value));
}

namespace {

auto totals() {
    return All(Count{}, Sum{&Click::bytes}, maximum(&Click::bytes));
}

void add_to(Totals& t, const Click& c) {
    auto& [count, sum, max] = t;
    ++count;
    sum += c.bytes;
    max = std::max(max, c.bytes);
}

struct RunConfig {
    size_t workers;
    size_t batch;
    runtime::CheckpointStore* checkpoints = nullptr;
    uint64_t stop_after_rounds = 0;  // 0: run to the end of the input
};

void sort_rows(std::vector<Row>& rows) {
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
        return std::tie(a.window_start, a.window_end, a.key) <
               std::tie(b.window_start, b.window_end, b.key);
    });
}

template <class Spec>
std::vector<Row> run_query(const std::vector<std::vector<Click>>& input,
                           RunConfig config,
                           Spec spec) {
    Query q("clicks");
    auto sink = std::make_shared<connectors::CollectSink<Row>>();
    q.source<Click>(std::make_shared<tests::VectorSource<Click>>(input))
        .with_event_time(&Click::ts)
        .key_by(&Click::page)
        .apply(std::move(spec))
        .sink(sink);
    std::atomic<bool> stop{false};
    uint64_t rounds = 0;
    runtime::ExecutorOptions options;
    options.workers = config.workers;
    options.batch_size = config.batch;
    options.bounded = true;
    options.watermarks.out_of_orderness = 100ms;
    options.checkpoints.store = config.checkpoints;
    options.checkpoints.interval = std::chrono::hours(1);  // only the one taken when the run ends
    if (config.stop_after_rounds > 0) {
        options.stop = &stop;
        options.on_progress = [&](uint64_t, runtime::EventTime) {
            stop = ++rounds >= config.stop_after_rounds;
        };
    }
    auto stats = q.run(options);
    EXPECT_TRUE(stats) << stats.error().message;
    auto rows = sink->records();
    sort_rows(rows);
    return rows;
}

std::vector<Row> sorted_rows(
    const std::map<std::tuple<int64_t, int64_t, std::string>, Totals>& groups) {
    std::vector<Row> rows;
    for (const auto& [k, v] : groups) {
        rows.push_back({std::get<2>(k), std::get<0>(k), std::get<1>(k), v});
    }
    return rows;
}

/// Equal rows, reporting the first difference (whole vectors are too long to print).
void expect_same_rows(const std::vector<Row>& got, const std::vector<Row>& want) {
    EXPECT_EQ(got.size(), want.size());
    for (size_t i = 0; i < std::min(got.size(), want.size()); ++i) {
        if (!(got[i] == want[i])) {
            ADD_FAILURE() << "row " << i << ": got " << testing::PrintToString(got[i]) << ", want "
                          << testing::PrintToString(want[i]);
            return;
        }
    }
}

/// Runs the same query at several parallelism and batch sizes; all must equal the reference.
template <class MakeSpec>
void expect_matches_everywhere(const std::vector<std::vector<Click>>& input,
                               const std::vector<Row>& reference,
                               MakeSpec make_spec) {
    expect_same_rows(run_query(input, {1, 64}, make_spec()), reference);
    expect_same_rows(run_query(input, {2, 500}, make_spec()), reference);
    expect_same_rows(run_query(input, {4, 4096}, make_spec()), reference);

    // Stopped after 15 rounds, then resumed from the checkpoint taken at the stop: the two
    // runs' rows together are the rows of one run.
    tests::TempDir dir;
    auto checkpoints = runtime::CheckpointStore::open(dir.path() / "checkpoints.db").value();
    auto rows = run_query(input, {2, 64, checkpoints.get(), 15}, make_spec());
    EXPECT_LT(rows.size(), reference.size());
    auto rest = run_query(input, {2, 64, checkpoints.get()}, make_spec());
    rows.insert(rows.end(), rest.begin(), rest.end());
    sort_rows(rows);
    expect_same_rows(rows, reference);
}

TEST(TumblingWindow, MatchesABruteForceReferenceAtAnyParallelism) {
    auto input = random_clicks(4, 5000, 100, 7);
    std::map<std::tuple<int64_t, int64_t, std::string>, Totals> groups;
    for (const auto& p : input) {
        for (const auto& c : p) {
            int64_t start = c.ts - c.ts % 1000;
            add_to(groups[{start, start + 1000, c.page}], c);
        }
    }
    expect_matches_everywhere(
        input, sorted_rows(groups), [] { return TumblingWindow(1s).aggregate(totals()); });
}

TEST(HoppingWindow, MatchesABruteForceReferenceAtAnyParallelism) {
    auto input = random_clicks(3, 3000, 100, 11);
    for (auto [size, slide] : {std::pair{1000, 250}, {1000, 400}, {3000, 1000}}) {
        std::map<std::tuple<int64_t, int64_t, std::string>, Totals> groups;
        for (const auto& p : input) {
            for (const auto& c : p) {
                for (int64_t end = c.ts - c.ts % slide + slide; end - size <= c.ts; end += slide) {
                    add_to(groups[{end - size, end, c.page}], c);
                }
            }
        }
        SCOPED_TRACE(fmt::format("size {} slide {}", size, slide));
        expect_matches_everywhere(input, sorted_rows(groups), [&] {
            return HoppingWindow(std::chrono::milliseconds(size), std::chrono::milliseconds(slide))
                .aggregate(totals());
        });
    }
}

TEST(SessionWindow, MatchesABruteForceReferenceAtAnyParallelism) {
    auto input = random_clicks(4, 2000, 100, 13);
    const int64_t gap = 400;  // pages recur every ~600 ms on average: both splits and merges happen
    std::map<std::string, std::vector<const Click*>> by_page;
    for (const auto& p : input) {
        for (const auto& c : p) {
            by_page[c.page].push_back(&c);
        }
    }
    std::map<std::tuple<int64_t, int64_t, std::string>, Totals> groups;
    for (auto& [page, clicks] : by_page) {
        std::sort(clicks.begin(), clicks.end(), [](auto* a, auto* b) { return a->ts < b->ts; });
        size_t first = 0;
        for (size_t i = 1; i <= clicks.size(); ++i) {
            if (i == clicks.size() || clicks[i]->ts - clicks[i - 1]->ts >= gap) {
                Totals t{};
                for (size_t j = first; j < i; ++j) {
                    add_to(t, *clicks[j]);
                }
                groups[{clicks[first]->ts, clicks[i - 1]->ts + gap, page}] = t;
                first = i;
            }
        }
    }
    expect_matches_everywhere(input, sorted_rows(groups), [&] {
        return SessionWindow(std::chrono::milliseconds(gap)).aggregate(totals());
    });
}

/// A page's clicks in the order the query sees them (each page lives in one partition).
std::map<std::string, std::vector<const Click*>> clicks_by_page(
    const std::vector<std::vector<Click>>& input) {
    std::map<std::string, std::vector<const Click*>> by_page;
    for (const auto& p : input) {
        for (const auto& c : p) {
            by_page[c.page].push_back(&c);
        }
    }
    return by_page;
}

TEST(StaggerWindow, MatchesABruteForceReferenceAtAnyParallelism) {
    auto input = random_clicks(4, 3000, 0, 17, true);
    const int64_t size = 700;
    std::map<std::tuple<int64_t, int64_t, std::string>, Totals> groups;
    for (const auto& [page, clicks] : clicks_by_page(input)) {
        int64_t start = INT64_MIN;
        for (const Click* c : clicks) {
            if (start == INT64_MIN || c->ts >= start + size) {
                start = c->ts;
            }
            add_to(groups[{start, start + size, page}], *c);
        }
    }
    expect_matches_everywhere(input, sorted_rows(groups), [&] {
        return StaggerWindow(std::chrono::milliseconds(size)).aggregate(totals());
    });
}

TEST(CountWindow, MatchesABruteForceReferenceAtAnyParallelism) {
    auto input = random_clicks(4, 3000, 100, 19, true);
    std::map<std::tuple<int64_t, int64_t, std::string>, Totals> groups;
    for (const auto& [page, clicks] : clicks_by_page(input)) {
        for (size_t first = 0; first + 7 <= clicks.size(); first += 7) {
            for (size_t i = first; i < first + 7; ++i) {
                add_to(groups[{static_cast<int64_t>(first), static_cast<int64_t>(first + 7), page}],
                       *clicks[i]);
            }
        }
    }
    expect_matches_everywhere(
        input, sorted_rows(groups), [] { return CountWindow(7).aggregate(totals()); });
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
    auto stats = q.run(options);
    ASSERT_TRUE(stats) << stats.error().message;
    EXPECT_EQ(stats->late_records, 2u);
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

TEST(SessionWindow, EmitChangesIsRefusedWithTheReason) {
    Query q("session_changes");
    auto sink = std::make_shared<connectors::CollectSink<WindowResult<std::string, int64_t>>>();
    q.source<Click>(std::make_shared<tests::VectorSource<Click>>(std::vector<std::vector<Click>>{}))
        .with_event_time(&Click::ts)
        .key_by(&Click::page)
        .apply(SessionWindow(1s).emit(EmitMode::kChanges).aggregate(Count{}))
        .sink(sink);
    auto result = q.run();
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().message,
              "query session_changes: session(gap 1000 ms) windows emit final results only (EMIT "
              "CHANGES needs a tumbling window or no window)");
}

/// What a RunningAggregate spec emits over clicks keyed by page, `batch_size` records a batch.
template <class Spec, class R = typename Spec::template Output<Click, std::string>>
std::vector<R> running_rows(Spec spec,
                            std::vector<std::vector<Click>> input,
                            size_t workers,
                            size_t batch_size) {
    Query q("running");
    auto sink = std::make_shared<connectors::CollectSink<R>>();
    q.source<Click>(std::make_shared<tests::VectorSource<Click>>(std::move(input)))
        .key_by(&Click::page)
        .apply(std::move(spec))
        .sink(sink);
    runtime::ExecutorOptions options;
    options.workers = workers;
    options.batch_size = batch_size;
    options.bounded = true;
    EXPECT_TRUE(q.run(options));
    return sink->records();
}

TEST(RunningAggregate, EmitsTheNewValueOfEachKeyABatchChanged) {
    using R = KeyedResult<std::string, int64_t>;
    // Batches {a, a} and {b, a}: one row per changed key per batch, in the order keys changed.
    EXPECT_EQ(running_rows(RunningAggregate(Sum{&Click::bytes}),
                           {{{"/a", 10, 1}, {"/a", 20, 2}, {"/b", 5, 4}, {"/a", 1, 8}}},
                           1,
                           2),
              (std::vector<R>{{"/a", 3}, {"/b", 4}, {"/a", 11}}));
}

TEST(RunningAggregate, FinalOnlyEmitsEachKeyOnceWhenTheInputEnds) {
    auto rows = running_rows(RunningAggregate(Sum{&Click::bytes}).final_only(),
                             {{{"/a", 10, 1}, {"/a", 20, 2}}, {{"/b", 5, 4}, {"/a", 1, 8}}},
                             2,
                             1);
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
    using R = KeyedResult<std::string, int64_t>;
    EXPECT_EQ(rows, (std::vector<R>{{"/a", 11}, {"/b", 4}}));
}

TEST(RunningAggregate, ChangesCarryTheValueTheyReplaceAndSkipUnchangedKeys) {
    using R = KeyedChange<std::string, int64_t>;
    // Batches {a, a}, {b, a}, {b, b}: the second leaves a's sum as it was, so only b changes.
    EXPECT_EQ(
        running_rows(
            RunningAggregate(Sum{&Click::bytes}).changes(),
            {{{"/a", 1, 1}, {"/a", 2, 2}, {"/b", 3, 4}, {"/a", 4, 0}, {"/b", 5, 5}, {"/b", 6, 0}}},
            1,
            2),
        (std::vector<R>{{"/a", std::nullopt, 3}, {"/b", std::nullopt, 4}, {"/b", 4, 9}}));
}

TEST(RunningAggregate, FinalChangesReplaceNothing) {
    using R = KeyedChange<std::string, int64_t>;
    EXPECT_EQ(running_rows(RunningAggregate(Sum{&Click::bytes}).final_only().changes(),
                           {{{"/a", 1, 1}, {"/a", 2, 2}}},
                           1,
                           1),
              (std::vector<R>{{"/a", std::nullopt, 3}}));
}

TEST(Query, RunWithoutASinkIsAnError) {
    Query q("empty");
    auto result = q.run();
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().message, "query empty has no sink");
}

}  // namespace
}  // namespace shardflow::ops
