// The Top-N aggregate: which records enter a group's top n and push others down, ties in arrival
// order, merges, and through RunningAggregate as SQL's Top-N runs it (every change, final only).

#include "operators/aggregate/top_n_rows.h"

#include "connectors/sinks/collect_sink.h"
#include "operators/aggregate/running_aggregate.h"
#include "operators/query.h"
#include "tests/support/vector_source.h"

#include <gtest/gtest.h>

#include <string>

namespace shardflow::ops {
namespace {

struct Bid {
    std::string item;
    int64_t price;
    int64_t id;  // arrival order, to tell ties apart
    bool operator==(const Bid&) const = default;
};

struct HigherPrice {
    bool operator()(const Bid& a, const Bid& b) const { return a.price > b.price; }
};

std::vector<int64_t> ids(const std::vector<Bid>& bids) {
    std::vector<int64_t> out;
    for (const Bid& b : bids) {
        out.push_back(b.id);
    }
    return out;
}

TEST(TopNRows, KeepsTheBestNFirstAndEarlierRecordsWinTies) {
    TopNRows top{3, HigherPrice{}};
    auto acc = top.init<Bid>();
    top.add(acc, {"a", 10, 1});
    top.add(acc, {"a", 30, 2});
    EXPECT_EQ(ids(top.result(acc)), (std::vector<int64_t>{2, 1}));
    top.add(acc, {"a", 20, 3});  // enters between
    top.add(acc, {"a", 40, 4});  // enters first, pushes 1 out
    EXPECT_EQ(ids(top.result(acc)), (std::vector<int64_t>{4, 2, 3}));
    top.add(acc, {"a", 5, 5});   // below the top 3
    top.add(acc, {"a", 20, 6});  // ties with 3, which came first
    EXPECT_EQ(ids(top.result(acc)), (std::vector<int64_t>{4, 2, 3}));
    top.add(acc, {"a", 30, 7});  // ties with 2: ranks after it, pushes 3 out
    EXPECT_EQ(ids(top.result(acc)), (std::vector<int64_t>{4, 2, 7}));
}

TEST(TopNRows, MergeKeepsTheOlderRecordsFirstOnTies) {
    TopNRows top{3, HigherPrice{}};
    auto older = top.init<Bid>();
    auto newer = top.init<Bid>();
    for (const Bid& b : {Bid{"a", 10, 1}, Bid{"a", 20, 2}}) {
        top.add(older, b);
    }
    for (const Bid& b : {Bid{"a", 20, 3}, Bid{"a", 10, 4}, Bid{"a", 30, 5}}) {
        top.add(newer, b);
    }
    top.merge(older, newer);
    EXPECT_EQ(ids(top.result(older)), (std::vector<int64_t>{5, 2, 3}));
    TopNRows none{0, HigherPrice{}};
    auto empty = none.init<Bid>();
    none.add(empty, {"a", 1, 1});
    EXPECT_TRUE(none.result(empty).empty());
}

TEST(TopNRows, RankKeepsEveryRecordTiedAtTheBoundary) {
    TopNRows top{2, HigherPrice{}, TopNTies::kRank};
    auto acc = top.init<Bid>();
    for (const Bid& b : {Bid{"a", 10, 1}, Bid{"a", 10, 2}, Bid{"a", 10, 3}}) {
        top.add(acc, b);
    }
    EXPECT_EQ(ids(top.result(acc)), (std::vector<int64_t>{1, 2, 3}));  // all rank 1
    EXPECT_EQ(top.ranks(acc), (std::vector<size_t>{1, 1, 1}));
    top.add(acc, {"a", 20, 4});  // rank 1; the 10s share rank 2
    EXPECT_EQ(ids(top.result(acc)), (std::vector<int64_t>{4, 1, 2, 3}));
    EXPECT_EQ(top.ranks(acc), (std::vector<size_t>{1, 2, 2, 2}));
    top.add(acc, {"a", 5, 5});   // rank 5: out
    top.add(acc, {"a", 10, 6});  // ties with the 10s: in, at rank 2
    EXPECT_EQ(ids(top.result(acc)), (std::vector<int64_t>{4, 1, 2, 3, 6}));
    top.add(acc, {"a", 30, 7});  // the 10s fall to rank 3: out
    EXPECT_EQ(ids(top.result(acc)), (std::vector<int64_t>{7, 4}));
    EXPECT_EQ(top.ranks(acc), (std::vector<size_t>{1, 2}));
    top.add(acc, {"a", 30, 8});  // ties with 7: both rank 1, 4 is rank 3 now
    EXPECT_EQ(ids(top.result(acc)), (std::vector<int64_t>{7, 8}));
}

TEST(TopNRows, RankMergeKeepsTiesAtTheBoundary) {
    TopNRows top{1, HigherPrice{}, TopNTies::kRank};
    auto older = top.init<Bid>();
    auto newer = top.init<Bid>();
    top.add(older, {"a", 20, 1});
    top.add(newer, {"a", 20, 2});
    top.add(newer, {"a", 10, 3});
    top.merge(older, newer);
    EXPECT_EQ(ids(top.result(older)), (std::vector<int64_t>{1, 2}));
    EXPECT_EQ(top.ranks(older), (std::vector<size_t>{1, 1}));
    TopNRows row_number{3, HigherPrice{}};
    auto acc = row_number.init<Bid>();
    for (const Bid& b : {Bid{"a", 10, 1}, Bid{"a", 10, 2}}) {
        row_number.add(acc, b);
    }
    EXPECT_EQ(row_number.ranks(acc), (std::vector<size_t>{1, 2}));  // ROW_NUMBER never shares
}

using Top = KeyedResult<std::string, std::vector<Bid>>;

std::vector<Top> run(std::vector<std::vector<Bid>> input, bool final_only, size_t workers) {
    Query q("top_n");
    auto sink = std::make_shared<connectors::CollectSink<Top>>();
    auto spec = RunningAggregate(TopNRows{2, HigherPrice{}});
    if (final_only) {
        spec = std::move(spec).final_only();
    }
    q.source<Bid>(std::make_shared<tests::VectorSource<Bid>>(std::move(input)))
        .key_by(&Bid::item)
        .apply(std::move(spec))
        .sink(sink);
    runtime::ExecutorOptions options;
    options.workers = workers;
    options.batch_size = 2;
    options.bounded = true;
    EXPECT_TRUE(q.run(options));
    return sink->records();
}

TEST(TopNRows, RunningAggregateEmitsATouchedKeysListAfterEachBatch) {
    auto rows = run({{{"a", 10, 1}, {"b", 5, 2}, {"a", 20, 3}, {"a", 1, 4}}}, false, 1);
    // Batches {1, 2} and {3, 4}: a key's whole list whenever the batch had one of its records.
    EXPECT_EQ(
        rows,
        (std::vector<Top>{
            {"a", {{"a", 10, 1}}}, {"b", {{"b", 5, 2}}}, {"a", {{"a", 20, 3}, {"a", 10, 1}}}}));
}

TEST(TopNRows, FinalOnlyEmitsEachKeysLastListOnce) {
    auto rows =
        run({{{"a", 10, 1}, {"a", 20, 2}, {"a", 30, 3}}, {{"b", 5, 4}, {"b", 7, 5}}}, true, 2);
    std::sort(rows.begin(), rows.end(), [](const Top& x, const Top& y) { return x.key < y.key; });
    EXPECT_EQ(
        rows,
        (std::vector<Top>{{"a", {{"a", 30, 3}, {"a", 20, 2}}}, {"b", {{"b", 7, 5}, {"b", 5, 4}}}}));
}

}  // namespace
}  // namespace shardflow::ops
