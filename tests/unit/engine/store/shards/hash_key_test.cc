// Hash keys: MD5 routing as Kinesis computes it, and the decimal text form.

#include "engine/store/shards/hash_key.h"

#include <gtest/gtest.h>

namespace shardflow::store {
namespace {

TEST(HashKey, IsTheBigEndianMd5OfThePartitionKey) {
    // Expected values from Python: int.from_bytes(hashlib.md5(key).digest(), 'big').
    EXPECT_EQ(hash_key_to_string(hash_key_for_partition_key("key")),
              "80325066489831061459460196859901989661");
    EXPECT_EQ(hash_key_to_string(hash_key_for_partition_key("a")),
              "16955237001963240173058271559858726497");
    EXPECT_EQ(hash_key_to_string(hash_key_for_partition_key("partitionKey-1")),
              "159499196025307651934328298402289840726");
}

TEST(HashKey, FormatsAndParsesTheWholeRange) {
    EXPECT_EQ(hash_key_to_string(0), "0");
    EXPECT_EQ(hash_key_to_string(kMaxHashKey), "340282366920938463463374607431768211455");
    EXPECT_EQ(parse_hash_key("340282366920938463463374607431768211455"), kMaxHashKey);
    EXPECT_EQ(parse_hash_key("0"), HashKey{0});
    for (HashKey k :
         {HashKey{1}, HashKey{12345678901234567890ULL}, kMaxHashKey / 3, kMaxHashKey - 1}) {
        EXPECT_EQ(parse_hash_key(hash_key_to_string(k)), k);
    }
}

TEST(HashKey, RejectsTextOutsideThePattern) {
    EXPECT_FALSE(parse_hash_key("340282366920938463463374607431768211456"));  // 2^128
    EXPECT_FALSE(parse_hash_key("9999999999999999999999999999999999999999"));
    EXPECT_FALSE(parse_hash_key(""));
    EXPECT_FALSE(parse_hash_key("007"));
    EXPECT_FALSE(parse_hash_key("-1"));
    EXPECT_FALSE(parse_hash_key("12a"));
    EXPECT_FALSE(parse_hash_key(" 1"));
}

}  // namespace
}  // namespace shardflow::store
