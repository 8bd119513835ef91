// IteratorCodec: authenticated tokens, tamper detection, expiry and the 512-character limit.

#include "engine/store/iterators/iterator_token.h"

#include "engine/common/base64.h"

#include <gtest/gtest.h>

#include <string>

namespace shardflow::store {
namespace {

constexpr EpochMillis kNow = 1700000000000;

IteratorCodec::Key test_key() {
    IteratorCodec::Key key{};
    for (size_t i = 0; i < key.size(); ++i) {
        key[i] = static_cast<unsigned char>(i * 7 + 3);
    }
    return key;
}

IteratorPosition position(std::string stream_name = "orders") {
    IteratorPosition p;
    p.stream_name = std::move(stream_name);
    p.stream_id = 42;
    p.shard_index = 3;
    p.shard_create_secs = kNow / 1000 - 60;
    p.seq_ix = 12345;
    p.created_ms = kNow;
    return p;
}

/// Every token that differs from `token` in one byte of its decoded form.
std::vector<std::string> one_byte_flips(const std::string& token) {
    auto raw = base64_decode(token);
    EXPECT_TRUE(raw);
    std::vector<std::string> out;
    for (size_t i = 0; raw && i < raw->size(); ++i) {
        std::string flipped = *raw;
        flipped[i] = static_cast<char>(flipped[i] ^ 0x01);
        out.push_back(base64_encode(flipped));
    }
    return out;
}

TEST(IteratorCodec, RoundTripsAPosition) {
    IteratorCodec codec(test_key());
    auto decoded = codec.decode(codec.encode(position()), kNow + 1000);
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_EQ(decoded->stream_name, "orders");
    EXPECT_EQ(decoded->stream_id, 42);
    EXPECT_EQ(decoded->shard_index, 3u);
    EXPECT_EQ(decoded->shard_create_secs, kNow / 1000 - 60);
    EXPECT_EQ(decoded->seq_ix, 12345u);
    EXPECT_EQ(decoded->created_ms, kNow);
}

TEST(IteratorCodec, KeepsTheKinesisHeaderLengthAndFreshNonces) {
    IteratorCodec codec(test_key());
    std::string a = codec.encode(position());
    std::string b = codec.encode(position());
    EXPECT_NE(a, b);
    for (size_t name_length : {1, 20, 64, 128}) {
        auto raw = base64_decode(codec.encode(position(std::string(name_length, 'n'))));
        ASSERT_TRUE(raw);
        EXPECT_EQ(raw->substr(0, 8), std::string("\0\0\0\0\0\0\0\1", 8));
        EXPECT_GE(raw->size(), 152u);
        EXPECT_EQ((raw->size() - 152) % 16, 0u) << "AWS's tokens are 152 bytes plus blocks of 16";
    }
}

TEST(IteratorCodec, LongestStreamNameStaysUnderKinesisLimit) {
    IteratorCodec codec(test_key());
    IteratorPosition p = position(std::string(128, 'n'));
    p.stream_id = INT64_MAX;
    p.shard_index = 2147483647;
    std::string token = codec.encode(p);
    EXPECT_LT(token.size(), 512u);
    EXPECT_TRUE(codec.decode(token, kNow));
}

TEST(IteratorCodec, EveryFlippedByteIsAnInvalidIterator) {
    IteratorCodec codec(test_key());
    std::string token = codec.encode(position());
    auto flips = one_byte_flips(token);
    ASSERT_EQ(flips.size(), base64_decode(token)->size());
    for (size_t i = 0; i < flips.size(); ++i) {
        auto r = codec.decode(flips[i], kNow);
        ASSERT_FALSE(r) << "byte " << i << " changed and still decoded";
        EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << "byte " << i;
        EXPECT_EQ(r.error().message, "Invalid ShardIterator.");
    }
}

TEST(IteratorCodec, TamperingNeverRevivesAnExpiredIterator) {
    IteratorCodec codec(test_key());
    std::string token = codec.encode(position());
    EpochMillis later = kNow + IteratorCodec::kLifetimeMs + 1;
    auto expired = codec.decode(token, later);
    ASSERT_FALSE(expired);
    EXPECT_EQ(expired.error().code, ErrorCode::kExpiredIterator);
    EXPECT_EQ(expired.error().message,
              "Iterator expired. The iterator was created at time Tue Nov 14 22:13:20 UTC 2023 "
              "while right now it is Tue Nov 14 22:18:20 UTC 2023 which is further in the future "
              "than the tolerated delay of 300000 milliseconds.");
    for (const auto& flipped : one_byte_flips(token)) {
        auto r = codec.decode(flipped, later);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    }
}

TEST(IteratorCodec, RejectsOtherKeysTruncationsAndGarbage) {
    IteratorCodec codec(test_key());
    IteratorCodec::Key other_key = test_key();
    other_key[0] ^= 1;
    std::string token = codec.encode(position());
    auto raw = *base64_decode(token);
    for (const std::string& bad : {IteratorCodec(other_key).encode(position()),
                                   base64_encode(raw.substr(0, raw.size() - 1)),
                                   base64_encode(raw.substr(0, 36)),
                                   base64_encode(raw + "x"),
                                   std::string("AAAA"),
                                   std::string("not base64!"),
                                   std::string()}) {
        auto r = codec.decode(bad, kNow);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
        EXPECT_EQ(r.error().message, "Invalid ShardIterator.");
    }
}

TEST(IteratorCodec, RejectsTokensFromTheFuture) {
    IteratorCodec codec(test_key());
    std::string token = codec.encode(position());
    auto r = codec.decode(token, kNow - 60 * 1000);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace shardflow::store
