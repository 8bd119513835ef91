// First and last values and top-k, through add() and merge() as windows use them.

#include "operators/aggregate/aggregates.h"

#include "operators/aggregate/percentile.h"
#include "operators/aggregate/top_k.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace shardflow::ops {
namespace {

struct View {
    std::string page;
    int64_t n;
};

/// Adds `older` and `newer` to two accumulators and merges them, as a window merges its panes.
template <class Agg>
auto merged(const Agg& agg, const std::vector<View>& older, const std::vector<View>& newer) {
    auto a = agg.template init<View>();
    auto b = agg.template init<View>();
    for (const auto& v : older) {
        agg.add(a, v);
    }
    for (const auto& v : newer) {
        agg.add(b, v);
    }
    agg.merge(a, b);
    return agg.result(a);
}

TEST(Aggregates, FirstAndLastValueKeepTheOrderOfArrival) {
    std::vector<View> older{{"/a", 1}, {"/b", 2}};
    std::vector<View> newer{{"/c", 3}, {"/d", 4}};
    EXPECT_EQ(merged(FirstValue{&View::page}, older, newer), "/a");
    EXPECT_EQ(merged(LastValue{&View::page}, older, newer), "/d");
    EXPECT_EQ(merged(FirstValue{&View::n}, {}, newer), 3);
    EXPECT_EQ(merged(LastValue{&View::n}, older, {}), 2);
}

TEST(Aggregates, TopKCountsAcrossMergesAndBreaksTiesByValue) {
    std::vector<View> older{{"/a", 0}, {"/b", 0}, {"/b", 0}, {"/c", 0}};
    std::vector<View> newer{{"/c", 0}, {"/a", 0}, {"/d", 0}, {"/b", 0}};
    auto top = merged(TopK{&View::page, 3}, older, newer);
    using Entry = std::pair<std::string, int64_t>;
    EXPECT_EQ(top, (std::vector<Entry>{{"/b", 3}, {"/a", 2}, {"/c", 2}}));
    EXPECT_EQ(merged(TopK{&View::page, 10}, {{"/x", 0}}, {}), (std::vector<Entry>{{"/x", 1}}));
}

TEST(ApproxPercentile, StaysWithinAHalfPercentOfRankAcrossMergedPartials) {
    std::mt19937 rng(11);
    std::lognormal_distribution<double> skewed(3.0, 1.0);  // latencies: a long right tail
    std::vector<View> older;
    std::vector<View> newer;
    std::vector<int64_t> all;
    for (int i = 0; i < 200'000; ++i) {
        auto v = static_cast<int64_t>(skewed(rng) * 100);
        (i % 3 ? older : newer).push_back({"", v});
        all.push_back(v);
    }
    std::sort(all.begin(), all.end());
    for (double q : {0.001, 0.01, 0.25, 0.5, 0.75, 0.99, 0.999}) {
        double estimate = merged(ApproxPercentile{&View::n, q}, older, newer);
        // The estimate's rank among the true values, against the rank asked for.
        auto rank = static_cast<double>(
                        std::lower_bound(all.begin(), all.end(), static_cast<int64_t>(estimate)) -
                        all.begin()) /
                    static_cast<double>(all.size());
        EXPECT_NEAR(rank, q, 0.005) << "q " << q << " estimate " << estimate;
    }
    EXPECT_EQ(merged(ApproxPercentile{&View::n, 0.5}, {{"", 7}}, {}), 7);
}

}  // namespace
}  // namespace shardflow::ops
