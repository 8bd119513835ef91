// base64: RFC 4648 vectors, every byte value, and rejection of malformed text.

#include "engine/common/base64.h"

#include <gtest/gtest.h>

namespace shardflow {
namespace {

TEST(Base64, EncodesRfc4648Vectors) {
    EXPECT_EQ(base64_encode(""), "");
    EXPECT_EQ(base64_encode("f"), "Zg==");
    EXPECT_EQ(base64_encode("fo"), "Zm8=");
    EXPECT_EQ(base64_encode("foo"), "Zm9v");
    EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
    EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
    EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
}

TEST(Base64, RoundTripsEveryByteValue) {
    std::string all;
    for (int i = 0; i < 256; ++i) {
        all.push_back(static_cast<char>(i));
    }
    for (size_t len = 0; len <= all.size(); len += 37) {
        std::string part = all.substr(0, len);
        auto decoded = base64_decode(base64_encode(part));
        ASSERT_TRUE(decoded);
        EXPECT_EQ(*decoded, part);
    }
    EXPECT_EQ(*base64_decode(base64_encode(all)), all);
}

TEST(Base64, RejectsMalformedText) {
    EXPECT_FALSE(base64_decode("Zg="));
    EXPECT_FALSE(base64_decode("Z!=="));
    EXPECT_FALSE(base64_decode("Zm9v YmFy"));
    EXPECT_FALSE(base64_decode("=Zg="));
    EXPECT_FALSE(base64_decode("Zg==Zg=="));
    EXPECT_TRUE(base64_decode(""));
}

}  // namespace
}  // namespace shardflow
