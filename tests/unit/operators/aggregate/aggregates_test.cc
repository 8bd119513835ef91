// First and last values and top-k, through add() and merge() as windows use them.

#include "operators/aggregate/aggregates.h"

#include "operators/aggregate/top_k.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace shardflow::ops
