// StreamStore: the Kinesis Data Streams contract through the C++ facade.

#include "engine/store/stream_store.h"

#include "engine/store/log/fault_points.h"
#include "tests/support/temp_dir.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

namespace shardflow::store {
namespace {

constexpr EpochMillis kStart = 1700000000000;
constexpr EpochMillis kHourMs = 3600 * 1000;

class StreamStoreTest : public ::testing::Test {
protected:
    void SetUp() override { reopen(); }
    void TearDown() override { log::FaultPoints::disarm_all(); }

    void reopen(int shard_limit = 500, int min_retention_hours = 24) {
        store_.reset();
        StoreOptions options;
        options.data_dir = dir_.path();
        options.clock = &clock_;
        options.shard_limit = shard_limit;
        options.min_retention_hours = min_retention_hours;
        options.background_housekeeping = false;
        options.log.segment_bytes = 4096;
        auto opened = StreamStore::open(options);
        ASSERT_TRUE(opened) << opened.error().message;
        store_ = std::move(*opened);
    }

    void create(const std::string& name, int shards) {
        auto created = store_->create_stream({name, shards, StreamMode::kProvisioned, {}});
        ASSERT_TRUE(created) << created.error().message;
    }

    PutRecordResult put(const std::string& stream,
                        const std::string& key,
                        const std::string& data) {
        auto r = store_->put_record(stream, {key, data, std::nullopt});
        EXPECT_TRUE(r) << r.error().message;
        return r ? *r : PutRecordResult{};
    }

    std::string iterator(const std::string& stream,
                         const std::string& shard,
                         IteratorRequest request) {
        auto it = store_->get_shard_iterator(stream, shard, request);
        EXPECT_TRUE(it) << it.error().message;
        return it ? *it : std::string();
    }

    std::vector<std::string> read_all(const std::string& stream, const std::string& shard) {
        std::vector<std::string> out;
        auto result = store_->get_records(
            iterator(stream, shard, {IteratorType::kTrimHorizon, {}, 0}), 10000);
        EXPECT_TRUE(result) << result.error().message;
        for (const auto& r : result->records) {
            out.emplace_back(r.data);
        }
        return out;
    }

    tests::TempDir dir_;
    FakeClock clock_{kStart};
    std::unique_ptr<StreamStore> store_;
};

TEST(ShardIdTest, ReadsTheDigitsAfterTheLastDashAsKinesisDoes) {
    EXPECT_EQ(parse_shard_id("shardId-000000000007"), 7u);
    EXPECT_EQ(parse_shard_id("shardId-7"), 7u);
    EXPECT_EQ(parse_shard_id("abc-1"), 1u);
    EXPECT_EQ(parse_shard_id("shardId-0"), 0u);
    EXPECT_EQ(parse_shard_id("7"), 7u);
    EXPECT_EQ(parse_shard_id("shardId-00000000000000000003"), 3u) << "any number of zeros";
    EXPECT_EQ(parse_shard_id("shardId-"), std::nullopt);
    EXPECT_EQ(parse_shard_id("shardId-x1"), std::nullopt);
    EXPECT_EQ(parse_shard_id("shardId-2147483648"), std::nullopt);
}

TEST_F(StreamStoreTest, CreatesStreamWithEvenHashRangesLikeKinesis) {
    create("three", 3);
    auto d = store_->describe_stream("three");
    ASSERT_TRUE(d);
    EXPECT_EQ(d->arn, "arn:aws:kinesis:us-east-1:000000000000:stream/three");
    EXPECT_EQ(d->status, StreamStatus::kActive);
    ASSERT_EQ(d->shards.size(), 3u);
    EXPECT_EQ(d->shards[0].shard_id, "shardId-000000000000");
    EXPECT_EQ(hash_key_to_string(d->shards[0].ending_hash_key),
              "113427455640312821154458202477256070484");
    EXPECT_EQ(hash_key_to_string(d->shards[1].starting_hash_key),
              "113427455640312821154458202477256070485");
    EXPECT_EQ(d->shards[2].ending_hash_key, kMaxHashKey);
    EXPECT_EQ(d->shards[0].starting_sequence_number.size(), 56u);
    EXPECT_FALSE(d->shards[0].ending_sequence_number);
}

TEST_F(StreamStoreTest, PowerOfTwoShardCountsSplitExactly) {
    create("four", 4);
    auto d = store_->describe_stream("four");
    EXPECT_EQ(hash_key_to_string(d->shards[1].starting_hash_key),
              "85070591730234615865843651857942052864");
}

TEST_F(StreamStoreTest, RejectsBadNamesDuplicatesAndUnknownStreams) {
    auto bad = store_->create_stream({"bad name!", 1, StreamMode::kProvisioned, {}});
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, ErrorCode::kValidation);
    EXPECT_NE(bad.error().message.find("[a-zA-Z0-9_.-]+"), std::string::npos);
    EXPECT_FALSE(store_->create_stream({std::string(129, 'a'), 1, StreamMode::kProvisioned, {}}));
    EXPECT_FALSE(store_->create_stream({"s", 0, StreamMode::kProvisioned, {}}));
    EXPECT_FALSE(store_->create_stream({"s", std::nullopt, StreamMode::kProvisioned, {}}));

    create("s", 1);
    auto dup = store_->create_stream({"s", 1, StreamMode::kProvisioned, {}});
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().code, ErrorCode::kResourceInUse);
    EXPECT_EQ(dup.error().message, "Stream s under account 000000000000 already exists.");

    auto missing = store_->describe_stream("nope");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::kResourceNotFound);
    EXPECT_EQ(missing.error().message, "Stream nope under account 000000000000 not found.");
}

TEST_F(StreamStoreTest, EnforcesAccountShardLimitWithAwsWording) {
    reopen(5);
    create("a", 3);
    auto over = store_->create_stream({"b", 3, StreamMode::kProvisioned, {}});
    ASSERT_FALSE(over);
    EXPECT_EQ(over.error().code, ErrorCode::kLimitExceeded);
    EXPECT_NE(over.error().message.find(
                  "This request would exceed the shard limit for the account 000000000000 in "
                  "us-east-1. Current shard count for the account: 3. Limit: 5. Number of "
                  "additional shards that would have resulted from this request: 3."),
              std::string::npos);
    EXPECT_EQ(store_->describe_limits().open_shard_count, 3);
}

TEST_F(StreamStoreTest, OnDemandStartsWithFourShards) {
    ASSERT_TRUE(store_->create_stream({"od", std::nullopt, StreamMode::kOnDemand, {}}));
    EXPECT_EQ(store_->describe_stream("od")->shards.size(), 4u);
    EXPECT_EQ(store_->describe_stream("od")->mode, StreamMode::kOnDemand);
}

TEST_F(StreamStoreTest, AddressesStreamsByArn) {
    create("s", 1);
    put("arn:aws:kinesis:us-east-1:000000000000:stream/s", "k", "v");
    EXPECT_EQ(read_all("s", "shardId-000000000000"), std::vector<std::string>{"v"});
    EXPECT_FALSE(store_->describe_stream("arn:aws:kinesis:eu-west-1:000000000000:stream/s"));
}

TEST_F(StreamStoreTest, RoutesByMd5OfPartitionKeyAndExplicitHashKey) {
    create("s", 4);
    auto d = *store_->describe_stream("s");
    for (int i = 0; i < 50; ++i) {
        std::string key = "key-" + std::to_string(i);
        auto r = put("s", key, "x");
        HashKey h = hash_key_for_partition_key(key);
        auto index = *parse_shard_id(r.shard_id);
        EXPECT_GE(h, d.shards[index].starting_hash_key);
        EXPECT_LE(h, d.shards[index].ending_hash_key);
    }
    auto explicit_put = store_->put_record("s", {"k", "x", std::string_view("0")});
    EXPECT_EQ(explicit_put->shard_id, "shardId-000000000000");
    auto last = store_->put_record(
        "s", {"k", "x", std::string_view("340282366920938463463374607431768211455")});
    EXPECT_EQ(last->shard_id, "shardId-000000000003");
}

TEST_F(StreamStoreTest, BatchEntriesFailAloneAndKeepRequestOrder) {
    create("s", 2);
    std::string long_key(257, 'k');
    std::vector<PutRecordRequest> batch = {
        {"a", "1", std::nullopt},
        {"b", "2", std::string_view("340282366920938463463374607431768211456")},
        {long_key, "3", std::nullopt},
        {"c", "4", std::nullopt},
    };
    auto results = store_->put_records("s", batch);
    ASSERT_TRUE(results);
    ASSERT_EQ(results->size(), 4u);
    EXPECT_TRUE((*results)[0]);
    ASSERT_FALSE((*results)[1]);
    EXPECT_EQ((*results)[1].error().code, ErrorCode::kInvalidArgument);
    ASSERT_FALSE((*results)[2]);
    EXPECT_EQ((*results)[2].error().code, ErrorCode::kValidation);
    EXPECT_TRUE((*results)[3]);

    // put_all reports the first refused record as the batch's error.
    auto all = store_->put_all("s", batch);
    ASSERT_FALSE(all);
    EXPECT_EQ(all.error().code, ErrorCode::kInvalidArgument);
    EXPECT_TRUE(store_->put_all("s", std::span(batch).first(1)));
}

TEST_F(StreamStoreTest, RejectsOversizedRecordsAndBatches) {
    create("s", 1);
    std::string big(1024 * 1024, 'x');
    auto too_big = store_->put_record("s", {"k", big, std::nullopt});
    ASSERT_TRUE(too_big.has_value() == false);
    EXPECT_EQ(too_big.error().code, ErrorCode::kInvalidArgument);
    ASSERT_TRUE(store_->update_max_record_size("s", 2048));
    EXPECT_TRUE(store_->put_record("s", {"k", big, std::nullopt}));
    std::vector<PutRecordRequest> many(501, PutRecordRequest{"k", "v", std::nullopt});
    EXPECT_FALSE(store_->put_records("s", many));
}

TEST_F(StreamStoreTest, SequenceNumbersIncreaseWithinAShard) {
    create("s", 1);
    SequenceNumber previous{};
    for (int i = 0; i < 100; ++i) {
        auto r = put("s", "k", std::to_string(i));
        ASSERT_EQ(r.sequence_number.size(), 56u);
        auto seq = SequenceNumber::parse(r.sequence_number);
        ASSERT_TRUE(seq);
        if (i > 0) {
            EXPECT_GT(*seq, previous);
        }
        previous = *seq;
        clock_.advance_ms(7);
    }
}

TEST_F(StreamStoreTest, IteratorTypesStartWhereKinesisDoes) {
    create("s", 1);
    auto first = put("s", "k", "a");
    auto second = put("s", "k", "b");
    const std::string shard = "shardId-000000000000";
    auto data_of = [&](IteratorRequest request) {
        std::vector<std::string> out;
        auto r = store_->get_records(iterator("s", shard, request), 100);
        for (const auto& rec : r->records) {
            out.emplace_back(rec.data);
        }
        return out;
    };
    using V = std::vector<std::string>;
    EXPECT_EQ(data_of({IteratorType::kTrimHorizon, {}, 0}), (V{"a", "b"}));
    EXPECT_EQ(data_of({IteratorType::kLatest, {}, 0}), V{});
    EXPECT_EQ(data_of({IteratorType::kAtSequenceNumber, second.sequence_number, 0}), V{"b"});
    EXPECT_EQ(data_of({IteratorType::kAfterSequenceNumber, first.sequence_number, 0}), V{"b"});
    EXPECT_EQ(data_of({IteratorType::kAtTimestamp, {}, kStart - 1000}), (V{"a", "b"}));

    // A past timestamp later than every record: the next record to arrive, at once.
    clock_.advance_ms(5000);
    std::string after_all = iterator("s", shard, {IteratorType::kAtTimestamp, {}, kStart + 1000});
    put("s", "k", "c");
    auto r = store_->get_records(after_all, 100);
    ASSERT_EQ(r->records.size(), 1u);
    EXPECT_EQ(r->records[0].data, "c");

    auto future =
        store_->get_shard_iterator("s", shard, {IteratorType::kAtTimestamp, {}, kStart + kHourMs});
    ASSERT_FALSE(future);
    EXPECT_EQ(future.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(StreamStoreTest, RejectsSequenceNumbersOfOtherShardsAndGarbage) {
    create("s", 2);
    auto r = store_->put_record("s", {"k", "v", std::string_view("0")});
    auto wrong_shard = store_->get_shard_iterator(
        "s", "shardId-000000000001", {IteratorType::kAtSequenceNumber, r->sequence_number, 0});
    ASSERT_FALSE(wrong_shard);
    EXPECT_EQ(wrong_shard.error().code, ErrorCode::kInvalidArgument);
    auto garbage = store_->get_shard_iterator(
        "s", "shardId-000000000000", {IteratorType::kAtSequenceNumber, "12x", 0});
    ASSERT_FALSE(garbage);
    EXPECT_EQ(garbage.error().code, ErrorCode::kInvalidArgument);
    auto missing =
        store_->get_shard_iterator("s", "shardId-000000000009", {IteratorType::kLatest, {}, 0});
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::kResourceNotFound);
    EXPECT_EQ(missing.error().message,
              "Shard shardId-000000000009 in stream s under account 000000000000 does not exist");
    EXPECT_TRUE(store_->get_shard_iterator("s", "shardId-1", {IteratorType::kLatest, {}, 0}));
}

TEST_F(StreamStoreTest, IteratorsExpireAfterFiveMinutesAndRejectForgeries) {
    create("s", 1);
    std::string it = iterator("s", "shardId-000000000000", {IteratorType::kTrimHorizon, {}, 0});
    EXPECT_EQ(it.size() % 4, 0u);
    EXPECT_LE(it.size(), 512u);
    clock_.advance_ms(5 * 60 * 1000 + 1);
    auto expired = store_->get_records(it, 10);
    ASSERT_FALSE(expired);
    EXPECT_EQ(expired.error().code, ErrorCode::kExpiredIterator);
    EXPECT_NE(expired.error().message.find("Iterator expired. The iterator was created at time"),
              std::string::npos);

    for (std::string bad :
         {std::string("AAAA"), std::string("not base64!"), it.substr(0, it.size() - 4) + "AAAA"}) {
        auto r = store_->get_records(bad, 10);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
        EXPECT_EQ(r.error().message, "Invalid ShardIterator.");
    }
}

TEST_F(StreamStoreTest, GetRecordsHonoursLimitAndChainsIterators) {
    create("s", 1);
    for (int i = 0; i < 25; ++i) {
        put("s", "k", std::to_string(i));
    }
    std::string it = iterator("s", "shardId-000000000000", {IteratorType::kTrimHorizon, {}, 0});
    std::vector<std::string> seen;
    for (int call = 0; call < 10 && seen.size() < 25; ++call) {
        auto r = store_->get_records(it, 10);
        ASSERT_TRUE(r);
        for (const auto& rec : r->records) {
            seen.emplace_back(rec.data);
        }
        ASSERT_TRUE(r->next_shard_iterator);
        it = *r->next_shard_iterator;
    }
    ASSERT_EQ(seen.size(), 25u);
    EXPECT_EQ(seen.front(), "0");
    EXPECT_EQ(seen.back(), "24");
    auto tail = store_->get_records(it, 10);
    EXPECT_TRUE(tail->records.empty());
    EXPECT_EQ(tail->millis_behind_latest, 0);
    EXPECT_FALSE(store_->get_records(it, 0));
    EXPECT_FALSE(store_->get_records(it, 10001));
}

TEST_F(StreamStoreTest, SplitClosesParentAndPointsReadersToChildren) {
    create("s", 1);
    put("s", "k", "before");
    const std::string mid = "170141183460469231731687303715884105728";
    ASSERT_TRUE(store_->split_shard("s", "shardId-000000000000", mid));
    auto d = *store_->describe_stream("s");
    ASSERT_EQ(d.shards.size(), 3u);
    EXPECT_TRUE(d.shards[0].ending_sequence_number);
    EXPECT_EQ(d.shards[1].parent_shard_id, "shardId-000000000000");
    EXPECT_EQ(hash_key_to_string(d.shards[2].starting_hash_key), mid);
    EXPECT_EQ(d.open_shard_count, 2);

    auto r = store_->get_records(
        iterator("s", "shardId-000000000000", {IteratorType::kTrimHorizon, {}, 0}), 100);
    ASSERT_EQ(r->records.size(), 1u);
    EXPECT_FALSE(r->next_shard_iterator);
    ASSERT_EQ(r->child_shards.size(), 2u);
    EXPECT_EQ(r->child_shards[0].parent_shards, std::vector<std::string>{"shardId-000000000000"});

    auto again = store_->split_shard("s", "shardId-000000000000", mid);
    ASSERT_FALSE(again);
    EXPECT_NE(again.error().message.find("has already been merged or split"), std::string::npos);
    EXPECT_FALSE(store_->split_shard("s", "shardId-000000000001", "0"));
    EXPECT_FALSE(store_->split_shard("s", "shardId-000000000007", mid));

    auto after = put("s", "k", "after");
    EXPECT_NE(after.shard_id, "shardId-000000000000");
}

TEST_F(StreamStoreTest, MergesOnlyAdjacentOpenShards) {
    create("s", 3);
    auto not_adjacent = store_->merge_shards("s", "shardId-000000000000", "shardId-000000000002");
    ASSERT_FALSE(not_adjacent);
    EXPECT_EQ(not_adjacent.error().code, ErrorCode::kInvalidArgument);
    auto inverted = store_->merge_shards("s", "shardId-000000000001", "shardId-000000000000");
    ASSERT_FALSE(inverted) << "the adjacent shard is the one that follows, as on AWS";
    EXPECT_EQ(inverted.error().code, ErrorCode::kInvalidArgument);
    ASSERT_TRUE(store_->merge_shards("s", "shardId-000000000000", "shardId-000000000001"));
    auto d = *store_->describe_stream("s");
    ASSERT_EQ(d.shards.size(), 4u);
    EXPECT_EQ(d.shards[3].parent_shard_id, "shardId-000000000000");
    EXPECT_EQ(d.shards[3].adjacent_parent_shard_id, "shardId-000000000001");
    EXPECT_EQ(d.shards[3].starting_hash_key, 0);
    EXPECT_EQ(d.open_shard_count, 2);
}

TEST_F(StreamStoreTest, UpdateShardCountReachesUniformShards) {
    create("s", 2);
    auto up = store_->update_shard_count("s", 3);
    ASSERT_TRUE(up) << up.error().message;
    auto open_ranges = [&] {
        std::vector<std::pair<HashKey, HashKey>> ranges;
        auto description = *store_->describe_stream("s");
        for (const auto& shard : description.shards) {
            if (!shard.ending_sequence_number) {
                ranges.emplace_back(shard.starting_hash_key, shard.ending_hash_key);
            }
        }
        std::sort(ranges.begin(), ranges.end());
        return ranges;
    };
    auto three = open_ranges();
    ASSERT_EQ(three.size(), 3u);
    EXPECT_EQ(hash_key_to_string(three[0].second), "113427455640312821154458202477256070484");
    EXPECT_EQ(three[2].second, kMaxHashKey);
    ASSERT_TRUE(store_->update_shard_count("s", 2));
    EXPECT_EQ(open_ranges().size(), 2u);
    auto too_far = store_->update_shard_count("s", 5);
    ASSERT_FALSE(too_far);
    EXPECT_EQ(too_far.error().code, ErrorCode::kLimitExceeded);
    for (int i = 0; i < 100; ++i) {
        put("s", "key" + std::to_string(i), "v");
    }
}

TEST_F(StreamStoreTest, ExpiredRecordsAreInvisibleAndSegmentsGo) {
    create("s", 1);
    for (int i = 0; i < 200; ++i) {
        put("s", "k", std::string(100, 'a'));
    }
    clock_.advance_ms(25 * kHourMs);
    put("s", "k", "fresh");
    EXPECT_EQ(read_all("s", "shardId-000000000000"), std::vector<std::string>{"fresh"});
    auto files_before =
        std::distance(std::filesystem::recursive_directory_iterator(dir_.path()), {});
    store_->housekeeping();
    auto files_after =
        std::distance(std::filesystem::recursive_directory_iterator(dir_.path()), {});
    EXPECT_LT(files_after, files_before);
    EXPECT_EQ(read_all("s", "shardId-000000000000"), std::vector<std::string>{"fresh"});
}

TEST_F(StreamStoreTest, RetentionBoundsAndWording) {
    create("s", 1);
    auto too_long = store_->increase_retention("s", 9000);
    ASSERT_FALSE(too_long);
    EXPECT_EQ(too_long.error().message,
              "Maximum allowed retention period is 8760 hours. Requested retention period (9000 "
              "hours) is too long.");
    EXPECT_FALSE(store_->decrease_retention("s", 23));
    ASSERT_TRUE(store_->increase_retention("s", 48));
    EXPECT_FALSE(store_->increase_retention("s", 30));
    ASSERT_TRUE(store_->decrease_retention("s", 24));
    EXPECT_EQ(store_->describe_stream("s")->retention_hours, 24);
}

TEST_F(StreamStoreTest, MinimumRetentionIsAnOption) {
    create("s", 1);
    auto too_short = store_->decrease_retention("s", 23);
    ASSERT_FALSE(too_short);
    EXPECT_EQ(too_short.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(too_short.error().message,
              "Minimum allowed retention period is 24 hours. Requested retention period (23 "
              "hours) is too short.");

    reopen(500, 1);
    auto below_one = store_->decrease_retention("s", 0);
    ASSERT_FALSE(below_one);
    EXPECT_EQ(below_one.error().message,
              "Minimum allowed retention period is 1 hours. Requested retention period (0 "
              "hours) is too short.");
    ASSERT_TRUE(store_->decrease_retention("s", 1));

    reopen(500, 0);
    EXPECT_FALSE(store_->decrease_retention("s", -1));
    ASSERT_TRUE(store_->decrease_retention("s", 0));
    EXPECT_EQ(store_->describe_stream("s")->retention_hours, 0);
    put("s", "k", "now");
    EXPECT_EQ(read_all("s", "shardId-000000000000"), std::vector<std::string>{"now"});
    clock_.advance_ms(1);
    EXPECT_TRUE(read_all("s", "shardId-000000000000").empty());
    ASSERT_TRUE(store_->increase_retention("s", 1));
}

TEST_F(StreamStoreTest, RefusesAMinimumRetentionOutsideTheRange) {
    for (int hours : {-1, 8761}) {
        StoreOptions options;
        options.data_dir = dir_.path() / "other";
        options.background_housekeeping = false;
        options.min_retention_hours = hours;
        auto opened = StreamStore::open(options);
        ASSERT_FALSE(opened);
        EXPECT_EQ(opened.error().code, ErrorCode::kInvalidArgument);
    }
}

TEST_F(StreamStoreTest, ClosedShardsExpireAfterRetention) {
    create("s", 1);
    ASSERT_TRUE(store_->split_shard(
        "s", "shardId-000000000000", "170141183460469231731687303715884105728"));
    clock_.advance_ms(25 * kHourMs);
    store_->housekeeping();
    auto d = *store_->describe_stream("s");
    ASSERT_EQ(d.shards.size(), 2u);
    EXPECT_EQ(d.shards[0].shard_id, "shardId-000000000001");
    reopen();
    EXPECT_EQ(store_->describe_stream("s")->shards.size(), 2u);
}

TEST_F(StreamStoreTest, ThrottlesOnlyWhenLimitsAreEnforced) {
    create("s", 1);
    std::vector<PutRecordRequest> batch(500, PutRecordRequest{"k", "v", std::nullopt});
    for (int i = 0; i < 3; ++i) {
        for (const auto& r : *store_->put_records("s", batch)) {
            EXPECT_TRUE(r);
        }
    }
    ASSERT_TRUE(store_->set_enforce_limits("s", true));
    clock_.advance_ms(1000);
    int failed = 0;
    for (int i = 0; i < 3; ++i) {
        for (const auto& r : *store_->put_records("s", batch)) {
            if (!r) {
                EXPECT_EQ(r.error().code, ErrorCode::kProvisionedThroughputExceeded);
                ++failed;
            }
        }
    }
    EXPECT_EQ(failed, 500);

    std::string it = iterator("s", "shardId-000000000000", {IteratorType::kTrimHorizon, {}, 0});
    int throttled_reads = 0;
    for (int i = 0; i < 6; ++i) {
        auto r = store_->get_records(it, 1);
        throttled_reads += !r && r.error().code == ErrorCode::kProvisionedThroughputExceeded;
    }
    EXPECT_GE(throttled_reads, 1);
}

TEST_F(StreamStoreTest, OnDemandSplitsShardsUnderSustainedLoad) {
    ASSERT_TRUE(store_->create_stream({"od", std::nullopt, StreamMode::kOnDemand, {}}));
    std::string payload(1000, 'x');
    std::vector<PutRecordRequest> batch(500, PutRecordRequest{"hot-key", payload, std::nullopt});
    for (int i = 0; i < 150; ++i) {
        ASSERT_TRUE(store_->put_records("od", batch));
    }
    clock_.advance_ms(60 * 1000);
    store_->housekeeping();
    EXPECT_EQ(store_->describe_stream("od")->open_shard_count, 5);
    clock_.advance_ms(60 * 1000);
    store_->housekeeping();
    EXPECT_EQ(store_->describe_stream("od")->open_shard_count, 5);
}

TEST_F(StreamStoreTest, ReopenRestoresStreamsShardsAndRecords) {
    create("s", 2);
    ASSERT_TRUE(store_->add_tags("s", {{"team", "data"}}));
    ASSERT_TRUE(store_->split_shard("s", "shardId-000000000000", "1000"));
    for (int i = 0; i < 50; ++i) {
        put("s", "key" + std::to_string(i), std::to_string(i));
    }
    auto before = *store_->describe_stream("s");
    reopen();
    auto after = *store_->describe_stream("s");
    ASSERT_EQ(after.shards.size(), before.shards.size());
    EXPECT_EQ(after.shards[0].ending_sequence_number, before.shards[0].ending_sequence_number);
    EXPECT_EQ(store_->list_tags("s")->at("team"), "data");
    size_t total = 0;
    for (const auto& shard : after.shards) {
        total += read_all("s", shard.shard_id).size();
    }
    EXPECT_EQ(total, 50u);
    auto r = put("s", "key0", "new");
    EXPECT_FALSE(r.sequence_number.empty());
}

TEST_F(StreamStoreTest, DeleteRemovesStreamAndItsFiles) {
    create("s", 2);
    put("s", "k", "v");
    std::string it = iterator("s", "shardId-000000000000", {IteratorType::kTrimHorizon, {}, 0});
    ASSERT_TRUE(store_->delete_stream("s"));
    EXPECT_FALSE(store_->describe_stream("s"));
    EXPECT_FALSE(std::filesystem::exists(dir_.path() / "streams" / "1"));
    auto stale = store_->get_records(it, 10);
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().code, ErrorCode::kResourceNotFound);
    create("s", 1);
    EXPECT_FALSE(store_->get_records(it, 10));
    EXPECT_EQ(store_->describe_limits().open_shard_count, 1);
}

TEST_F(StreamStoreTest, OpenSweepsDirectoriesLeftByACrashDuringDeleteOrResharding) {
    namespace fs = std::filesystem;
    const fs::path streams = dir_.path() / "streams";
    create("gone", 2);
    put("gone", "k", "old");
    create("kept", 1);
    put("kept", "k", "v");
    // A crash after DeleteStream's catalog change and before its files went: put them back.
    fs::copy(streams / "1", dir_.path() / "saved", fs::copy_options::recursive);
    ASSERT_TRUE(store_->delete_stream("gone"));
    fs::rename(dir_.path() / "saved", streams / "1");
    // A child of a split that never reached the catalog.
    fs::create_directories(streams / "2" / "shardId-000000000007");
    std::ofstream(streams / "2" / "shardId-000000000007" / "00000000000000000000.log") << "x";
    // Names the store does not know stay where they are.
    std::ofstream(streams / "notes.txt") << "mine";
    fs::create_directories(streams / "backup");
    std::ofstream(streams / "2" / "README") << "mine";

    reopen();
    EXPECT_FALSE(fs::exists(streams / "1"));
    EXPECT_FALSE(fs::exists(streams / "2" / "shardId-000000000007"));
    EXPECT_TRUE(fs::exists(streams / "notes.txt"));
    EXPECT_TRUE(fs::exists(streams / "backup"));
    EXPECT_TRUE(fs::exists(streams / "2" / "README"));
    EXPECT_EQ(read_all("kept", "shardId-000000000000"), std::vector<std::string>{"v"});
    EXPECT_FALSE(store_->describe_stream("gone"));
    create("gone", 2);
    EXPECT_TRUE(read_all("gone", "shardId-000000000000").empty());
}

TEST_F(StreamStoreTest, StrayFilesInAShardDirectoryDoNotStopTheStore) {
    create("s", 1);
    put("s", "k", "v");
    auto shard = dir_.path() / "streams" / "1" / "shardId-000000000000";
    for (const char* name : {"abcdefghijklmnopqrst.log", "debug.log", "notes.txt"}) {
        std::ofstream(shard / name) << "stray";
    }
    std::filesystem::create_directories(shard / "00000000000000000099.log");
    reopen();
    EXPECT_EQ(read_all("s", "shardId-000000000000"), std::vector<std::string>{"v"});
    put("s", "k", "w");
    EXPECT_EQ(read_all("s", "shardId-000000000000"), (std::vector<std::string>{"v", "w"}));
}

TEST_F(StreamStoreTest, FailedShardWriteOrSyncAnswersPerRecordAndLeavesNothing) {
    const std::string low = "0";
    const std::string high = "340282366920938463463374607431768211455";
    for (auto point : {log::FaultPoint::kSegmentWrite, log::FaultPoint::kSegmentSync}) {
        std::string name = point == log::FaultPoint::kSegmentWrite ? "w" : "f";
        create(name, 2);
        ASSERT_TRUE(store_->put_records(
            name, std::vector<PutRecordRequest>{{"k", "before-0", low}, {"k", "before-1", high}}));
        log::FaultPoints::arm(
            point, point == log::FaultPoint::kSegmentWrite ? ENOSPC : EIO, "shardId-000000000001");
        std::vector<PutRecordRequest> batch;
        for (int i = 0; i < 6; ++i) {
            batch.push_back({"k", i % 2 ? "lost" : "kept", i % 2 ? high : low});
        }
        auto results = store_->put_records(name, batch);
        ASSERT_TRUE(results) << results.error().message;
        for (int i = 0; i < 6; ++i) {
            const auto& r = (*results)[static_cast<size_t>(i)];
            if (i % 2 == 0) {
                ASSERT_TRUE(r) << r.error().message;
                EXPECT_EQ(r->shard_id, "shardId-000000000000");
                continue;
            }
            ASSERT_FALSE(r);
            EXPECT_EQ(r.error().code, ErrorCode::kInternalFailure);
            EXPECT_EQ(r.error().message,
                      "Internal service failure: shard shardId-000000000001 in stream " + name +
                          " under account 000000000000 could not store the record.");
        }

        reopen();
        EXPECT_EQ(read_all(name, "shardId-000000000000"),
                  (std::vector<std::string>{"before-0", "kept", "kept", "kept"}));
        EXPECT_EQ(read_all(name, "shardId-000000000001"), std::vector<std::string>{"before-1"});
        auto after = store_->put_record(name, {"k", "after", high});
        ASSERT_TRUE(after) << after.error().message;
        auto records = store_->get_records(
            iterator(name, "shardId-000000000001", {IteratorType::kTrimHorizon, {}, 0}), 10);
        ASSERT_TRUE(records);
        ASSERT_EQ(records->records.size(), 2u);
        EXPECT_EQ(records->records[1].data, "after");
        EXPECT_LT(SequenceNumber::parse(records->records[0].sequence_number),
                  SequenceNumber::parse(after->sequence_number));
    }
}

TEST_F(StreamStoreTest, FailedPutRecordIsAnInternalFailure) {
    create("s", 1);
    log::FaultPoints::arm(log::FaultPoint::kSegmentWrite, EIO);
    auto r = store_->put_record("s", {"k", "lost", std::nullopt});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInternalFailure);
    EXPECT_EQ(r.error().message.find('/'), std::string::npos);
    EXPECT_TRUE(read_all("s", "shardId-000000000000").empty());
}

TEST_F(StreamStoreTest, ACorruptRecordIsAnInternalFailureThatNamesNoPath) {
    create("s", 1);
    put("s", "k", "a record to corrupt");
    std::string it = iterator("s", "shardId-000000000000", {IteratorType::kTrimHorizon, {}, 0});
    bool corrupted = false;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_.path())) {
        if (!entry.is_regular_file()) {
            continue;
        }
        std::fstream file(entry.path(), std::ios::in | std::ios::out | std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
        size_t at = bytes.find("to corrupt");
        if (at != std::string::npos) {
            file.seekp(static_cast<std::streamoff>(at));
            file.put('T');
            corrupted = true;
        }
    }
    ASSERT_TRUE(corrupted);
    auto r = store_->get_records(it, 10);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInternalFailure);
    EXPECT_NE(r.error().message.find("shardId-000000000000 in stream s"), std::string::npos)
        << r.error().message;
    EXPECT_EQ(r.error().message.find('/'), std::string::npos) << r.error().message;
}

TEST_F(StreamStoreTest, ModeSwitchesAreLimitedToTwoPerDay) {
    create("s", 1);
    ASSERT_TRUE(store_->update_stream_mode("s", StreamMode::kOnDemand));
    ASSERT_TRUE(store_->update_stream_mode("s", StreamMode::kProvisioned));
    auto third = store_->update_stream_mode("s", StreamMode::kOnDemand);
    ASSERT_FALSE(third);
    EXPECT_EQ(third.error().code, ErrorCode::kLimitExceeded);
    clock_.advance_ms(24 * kHourMs);
    EXPECT_TRUE(store_->update_stream_mode("s", StreamMode::kOnDemand));
}

TEST_F(StreamStoreTest, StatusPassesThroughCreatingAndUpdating) {
    store_.reset();
    StoreOptions options;
    options.data_dir = dir_.path();
    options.clock = &clock_;
    options.create_delay_ms = 500;
    options.update_delay_ms = 500;
    options.background_housekeeping = false;
    store_ = std::move(*StreamStore::open(options));
    create("s", 1);
    EXPECT_EQ(store_->describe_stream("s")->status, StreamStatus::kCreating);
    EXPECT_FALSE(store_->put_record("s", {"k", "v", std::nullopt}));
    clock_.advance_ms(500);
    EXPECT_EQ(store_->describe_stream("s")->status, StreamStatus::kActive);
    ASSERT_TRUE(store_->split_shard("s", "0", "1000"));
    EXPECT_EQ(store_->describe_stream("s")->status, StreamStatus::kUpdating);
    auto busy = store_->merge_shards("s", "1", "2");
    ASSERT_FALSE(busy);
    EXPECT_EQ(busy.error().code, ErrorCode::kResourceInUse);
    EXPECT_TRUE(store_->put_record("s", {"k", "v", std::nullopt}));
}

TEST_F(StreamStoreTest, TagsConsumersMonitoringAndEncryption) {
    create("s", 1);
    std::map<std::string, std::string> tags;
    for (int i = 0; i < 51; ++i) {
        tags["k" + std::to_string(i)] = "v";
    }
    EXPECT_FALSE(store_->add_tags("s", tags));
    ASSERT_TRUE(store_->add_tags("s", {{"a", "1"}, {"b", "2"}}));
    ASSERT_TRUE(store_->remove_tags("s", {"a"}));
    EXPECT_EQ(store_->list_tags("s")->size(), 1u);

    std::string arn = store_->stream_arn("s");
    auto c = store_->register_consumer(arn, "app");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->status, "ACTIVE");
    EXPECT_FALSE(store_->register_consumer(arn, "app"));
    EXPECT_TRUE(store_->describe_consumer("", "", c->arn));
    EXPECT_EQ(store_->list_consumers(arn)->size(), 1u);
    EXPECT_FALSE(store_->delete_stream("s"));
    ASSERT_TRUE(store_->deregister_consumer(arn, "app", ""));
    EXPECT_TRUE(store_->list_consumers(arn)->empty());

    auto metrics = store_->enable_enhanced_monitoring("s", {"IncomingBytes"});
    ASSERT_TRUE(metrics);
    EXPECT_EQ(*metrics, std::vector<std::string>{"IncomingBytes"});
    EXPECT_FALSE(store_->enable_enhanced_monitoring("s", {"Bogus"}));
    EXPECT_EQ(store_->enable_enhanced_monitoring("s", {"ALL"})->size(), 7u);
    EXPECT_TRUE(store_->disable_enhanced_monitoring("s", {"ALL"})->empty());

    ASSERT_TRUE(store_->start_encryption("s", "alias/aws/kinesis"));
    EXPECT_EQ(store_->describe_stream("s")->encryption_type, "KMS");
    ASSERT_TRUE(store_->stop_encryption("s"));
    EXPECT_EQ(store_->describe_stream("s")->encryption_type, "NONE");
}

TEST_F(StreamStoreTest, ListShardsFilters) {
    create("s", 2);
    clock_.advance_ms(1000);
    ASSERT_TRUE(store_->split_shard("s", "0", "1000"));
    auto count = [&](ShardFilter f) {
        return store_->list_shards("s", f)->size();
    };
    EXPECT_EQ(count({}), 4u);
    EXPECT_EQ(count({ShardFilter::Type::kAtLatest, {}, 0}), 3u);
    EXPECT_EQ(count({ShardFilter::Type::kAtTrimHorizon, {}, 0}), 2u);
    EXPECT_EQ(count({ShardFilter::Type::kAfterShardId, "shardId-000000000001", 0}), 2u);
    EXPECT_EQ(count({ShardFilter::Type::kAtTimestamp, {}, kStart + 500}), 2u);
    EXPECT_EQ(count({ShardFilter::Type::kFromTimestamp, {}, kStart + 5000}), 3u);
}

TEST_F(StreamStoreTest, ReadShardGivesRuntimeDirectAccess) {
    create("s", 1);
    put("s", "k", "a");
    put("s", "k", "b");
    auto r = store_->read_shard("s", 0, 1, 10);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->records.size(), 1u);
    EXPECT_EQ(r->records[0].data, "b");
    EXPECT_EQ(r->next_seq_ix, 2u);
    EXPECT_FALSE(r->shard_closed_and_drained);
}

TEST_F(StreamStoreTest, ConcurrentPutsReadsAndReshardingKeepEveryRecordInOrder) {
    create("s", 2);
    constexpr int kWriters = 3;
    constexpr int kBatches = 40;
    std::atomic<bool> done{false};
    std::vector<std::thread> threads;
    for (int w = 0; w < kWriters; ++w) {
        threads.emplace_back([&, w] {
            for (int b = 0; b < kBatches; ++b) {
                std::vector<std::string> data;
                std::vector<PutRecordRequest> batch;
                for (int i = 0; i < 20; ++i) {
                    data.push_back(std::to_string(w) + ":" + std::to_string(b * 20 + i));
                }
                std::string key = "writer-" + std::to_string(w);
                for (const auto& d : data) {
                    batch.push_back({key, d, std::nullopt});
                }
                auto results = store_->put_records("s", batch);
                ASSERT_TRUE(results);
                for (const auto& r : *results) {
                    ASSERT_TRUE(r) << r.error().message;
                }
            }
        });
    }
    std::thread reader([&] {
        while (!done) {
            auto d = store_->describe_stream("s");
            for (const auto& shard : d->shards) {
                (void)store_->get_records(
                    iterator("s", shard.shard_id, {IteratorType::kTrimHorizon, {}, 0}), 100);
            }
        }
    });
    ASSERT_TRUE(store_->split_shard("s", "shardId-000000000000", "1000"));
    ASSERT_TRUE(store_->update_shard_count("s", 4));
    for (auto& t : threads) {
        t.join();
    }
    done = true;
    reader.join();

    // Per writer (one partition key), records come back in put order when parents are read
    // before children: every shard's records sorted by sequence number, shards in lineage order.
    std::map<int, std::vector<int>> per_writer;
    auto description = *store_->describe_stream("s");
    for (const auto& shard : description.shards) {
        for (const auto& value : read_all("s", shard.shard_id)) {
            auto colon = value.find(':');
            per_writer[std::stoi(value.substr(0, colon))].push_back(
                std::stoi(value.substr(colon + 1)));
        }
    }
    ASSERT_EQ(per_writer.size(), static_cast<size_t>(kWriters));
    for (auto& [writer, values] : per_writer) {
        ASSERT_EQ(values.size(), static_cast<size_t>(kBatches * 20));
        EXPECT_TRUE(std::is_sorted(values.begin(), values.end())) << "writer " << writer;
    }
}

}  // namespace
}  // namespace shardflow::store
