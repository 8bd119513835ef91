// Sequence numbers: the layout real Kinesis uses, checked against numbers AWS published.

#include "engine/store/shards/sequence_number.h"

#include <gtest/gtest.h>

#include <random>

namespace shardflow::store {
namespace {

TEST(SequenceNumber, DecodesNumbersFromTheAwsCliDocumentation) {
    auto first = SequenceNumber::parse("49600871682957036442365024926191073437251060580128653314");
    ASSERT_TRUE(first);
    EXPECT_EQ(first->shard_create_secs, 1572297165);  // 2019-10-28 21:12:45 UTC
    EXPECT_EQ(first->shard_index, 0u);
    EXPECT_EQ(first->seq_ix, 0u);
    EXPECT_EQ(first->arrival_secs, 1572297165);
    EXPECT_EQ(first->to_string(), "49600871682957036442365024926191073437251060580128653314");

    auto later = SequenceNumber::parse("49590338271490256608559692538361571095921575989136588898");
    ASSERT_TRUE(later);
    EXPECT_EQ(later->shard_index, 6u);
    EXPECT_EQ(later->seq_ix, 1734642199u);
    EXPECT_EQ(later->to_string(), "49590338271490256608559692538361571095921575989136588898");
}

TEST(SequenceNumber, RoundTripsAndHas56DigitsForRealisticTimes) {
    std::mt19937_64 rng(7);
    for (int i = 0; i < 1000; ++i) {
        SequenceNumber s{static_cast<int64_t>(1400000000 + rng() % 1000000000),
                         static_cast<uint32_t>(rng() % 100000),
                         rng() & SequenceNumber::kMaxSeqIx,
                         static_cast<int64_t>(1400000000 + rng() % 1000000000)};
        std::string text = s.to_string();
        EXPECT_EQ(text.size(), 56u) << text;
        EXPECT_EQ(SequenceNumber::parse(text), s);
    }
}

TEST(SequenceNumber, IncreasesWithTheIndexWithinAShard) {
    SequenceNumber a{1700000000, 3, 41, 1700000100};
    SequenceNumber b{1700000000, 3, 42, 1700000099};
    EXPECT_LT(a, b);
    EXPECT_LT(SequenceNumber::parse(a.to_string()), SequenceNumber::parse(b.to_string()));
    // As decimal strings of equal length, lexical order is numeric order.
    EXPECT_LT(a.to_string(), b.to_string());
}

TEST(SequenceNumber, RejectsOtherLayoutsAndGarbage) {
    EXPECT_FALSE(SequenceNumber::parse(""));
    EXPECT_FALSE(SequenceNumber::parse("abc"));
    EXPECT_FALSE(SequenceNumber::parse("0496008716829570364423650249261910734372510605801286533"));
    EXPECT_FALSE(SequenceNumber::parse(
        "49600871682957036442365024926191073437251060580128653315"));  // version 3
    EXPECT_FALSE(SequenceNumber::parse("12345"));
    EXPECT_FALSE(SequenceNumber::parse(std::string(58, '9')));
}

TEST(SequenceFormatter, MatchesFullConversionOnAnyIncreasingRun) {
    std::mt19937_64 rng(11);
    for (int run = 0; run < 50; ++run) {
        int64_t create = 1500000000 + static_cast<int64_t>(rng() % 400000000);
        auto index = static_cast<uint32_t>(rng() % 5000);
        SequenceFormatter formatter(create, index);
        uint64_t seq = rng() % (1ULL << 62);
        int64_t arrival = create;
        for (int i = 0; i < 500; ++i) {
            seq += rng() % 4 == 0 ? rng() % 100000 : 1;
            arrival += rng() % 10 == 0 ? static_cast<int64_t>(rng() % 50) : 0;
            ASSERT_EQ(formatter.format(seq, arrival),
                      (SequenceNumber{create, index, seq, arrival}.to_string()));
        }
        ASSERT_EQ(formatter.format(3, arrival),
                  (SequenceNumber{create, index, 3, arrival}.to_string()));
    }
}

}  // namespace
}  // namespace shardflow::store
