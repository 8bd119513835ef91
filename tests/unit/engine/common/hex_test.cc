// Hexadecimal: two lower-case digits per byte, every byte value.

#include "engine/common/hex.h"

#include <gtest/gtest.h>

namespace shardflow {
namespace {

TEST(Hex, TwoLowerCaseDigitsPerByte) {
    EXPECT_EQ(hex_encode(""), "");
    EXPECT_EQ(hex_encode(std::string_view("\x00\x0f\xa5\xff", 4)), "000fa5ff");
    EXPECT_EQ(hex_encode("shardflow"), "7368617264666c6f77");
}

}  // namespace
}  // namespace shardflow
