// The Top-N over an update stream: records taken back leave the top n and let the next in,
// ties keep arrival order, RANK keeps the ties at the boundary.

#include "operators/aggregate/top_n_of_changes.h"

#include <gtest/gtest.h>

#include <utility>

namespace shardflow::ops {
namespace {

using Scored = std::pair<int, char>;  // (score, name)

struct HigherScore {
    bool operator()(const Scored& a, const Scored& b) const { return a.first > b.first; }
};

TEST(TopNOfChanges, ATakenBackRecordLetsTheNextIn) {
    TopNOfChanges top{TopNRows{2, HigherScore{}}};
    auto all = top.init<Change<Scored>>();
    top.add(all, {{5, 'a'}});
    top.add(all, {{9, 'b'}});
    top.add(all, {{7, 'c'}});
    EXPECT_EQ(top.result(all), (std::vector<Scored>{{9, 'b'}, {7, 'c'}}));
    top.add(all, {{9, 'b'}, true});
    EXPECT_EQ(top.result(all), (std::vector<Scored>{{7, 'c'}, {5, 'a'}}));
    top.add(all, {{1, 'z'}, true});  // never added: nothing to take back
    EXPECT_EQ(all.size(), 2u);
}

TEST(TopNOfChanges, TiesKeepArrivalOrderAndATakenBackTieIsTheOneThatMatches) {
    TopNOfChanges top{TopNRows{3, HigherScore{}}};
    auto all = top.init<Change<Scored>>();
    for (Scored s : {Scored{5, 'a'}, Scored{5, 'b'}, Scored{5, 'c'}}) {
        top.add(all, {s});
    }
    top.add(all, {{5, 'b'}, true});
    top.add(all, {{5, 'b'}});  // now the latest of its ties
    EXPECT_EQ(top.result(all), (std::vector<Scored>{{5, 'a'}, {5, 'c'}, {5, 'b'}}));
}

TEST(TopNOfChanges, RankKeepsTheTiesOfTheLastRank) {
    TopNOfChanges top{TopNRows{2, HigherScore{}, TopNTies::kRank}};
    auto all = top.init<Change<Scored>>();
    for (Scored s : {Scored{9, 'a'}, Scored{5, 'b'}, Scored{5, 'c'}, Scored{1, 'd'}}) {
        top.add(all, {s});
    }
    EXPECT_EQ(top.result(all), (std::vector<Scored>{{9, 'a'}, {5, 'b'}, {5, 'c'}}));
    EXPECT_EQ(top.top.ranks(top.result(all)), (std::vector<size_t>{1, 2, 2}));
}

}  // namespace
}  // namespace shardflow::ops
