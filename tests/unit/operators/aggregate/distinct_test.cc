// Distinct counts: exact against a set, HyperLogLog within its error bound, merges of partials.

#include "operators/aggregate/distinct.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace shardflow::ops {
namespace {

struct Visit {
    std::string user;
    int64_t page;
};

template <class Agg>
auto aggregate_halves(const Agg& agg, const std::vector<Visit>& visits) {
    // Two partial accumulators merged, as a hopping window merges its panes.
    auto first = agg.template init<Visit>();
    auto second = agg.template init<Visit>();
    for (size_t i = 0; i < visits.size(); ++i) {
        agg.add(i % 2 ? first : second, visits[i]);
    }
    agg.merge(first, second);
    return agg.result(first);
}

std::vector<Visit> visits(int n, int distinct_users, uint32_t seed) {
    std::mt19937 rng(seed);
    std::vector<Visit> out;
    for (int i = 0; i < n; ++i) {
        out.push_back(
            {"user-" + std::to_string(rng() % distinct_users), static_cast<int64_t>(rng() % 1000)});
    }
    return out;
}

TEST(CountDistinct, CountsEachValueOnceAcrossMergedPartials) {
    auto v = visits(20000, 5000, 1);
    std::unordered_set<std::string> users;
    for (const auto& x : v) {
        users.insert(x.user);
    }
    EXPECT_EQ(aggregate_halves(CountDistinct{&Visit::user}, v), static_cast<int64_t>(users.size()));
}

TEST(ApproxCountDistinct, StaysWithinThreeStandardErrorsFromTenToAMillion) {
    for (int distinct : {10, 1000, 100000, 1000000}) {
        auto v = visits(distinct * 2, distinct, static_cast<uint32_t>(distinct));
        std::unordered_set<std::string> users;
        for (const auto& x : v) {
            users.insert(x.user);
        }
        double exact = static_cast<double>(users.size());
        double estimate =
            static_cast<double>(aggregate_halves(ApproxCountDistinct{&Visit::user}, v));
        EXPECT_NEAR(estimate, exact, std::max(1.0, exact * 3 * 0.0163)) << distinct;
    }
}

TEST(ApproxCountDistinct, HashesIntegersWellEnough) {
    std::vector<Visit> v;
    for (int64_t page = 0; page < 50000; ++page) {
        v.push_back({"", page * 4096});  // a stride that would defeat an unmixed identity hash
    }
    EXPECT_NEAR(static_cast<double>(aggregate_halves(ApproxCountDistinct{&Visit::page}, v)),
                50000.0,
                50000 * 0.05);
}

}  // namespace
}  // namespace shardflow::ops
