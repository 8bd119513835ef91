// Event stream framing, checked field by field against the format's definition.

#include "connectors/kinesis_api/protocol/event_stream.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <array>
#include <cstdint>

namespace shardflow::api {
namespace {

uint32_t u32_at(const std::string& s, size_t at) {
    auto b = [&](size_t i) { return static_cast<uint32_t>(static_cast<uint8_t>(s[at + i])); };
    return b(0) << 24 | b(1) << 16 | b(2) << 8 | b(3);
}

uint32_t crc_of(const std::string& s, size_t length) {
    return static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(s.data()), length));
}

TEST(EventStreamTest, FramesPreludeHeadersPayloadAndBothChecksums) {
    const std::array<EventHeader, 1> headers{{{":event-type", "initial-response"}}};
    std::string m = event_message(headers, "{}");
    // 1 + 11 name bytes, 1 type byte, 2 length bytes, 16 value bytes.
    const size_t header_bytes = 1 + 11 + 1 + 2 + 16;
    ASSERT_EQ(m.size(), 12 + header_bytes + 2 + 4);
    EXPECT_EQ(u32_at(m, 0), m.size());
    EXPECT_EQ(u32_at(m, 4), header_bytes);
    EXPECT_EQ(u32_at(m, 8), crc_of(m, 8));
    EXPECT_EQ(m.substr(12, 12), "\x0b:event-type");
    EXPECT_EQ(m[24], 7) << "a string header";
    EXPECT_EQ(m.substr(25, 2), std::string("\x00\x10", 2));
    EXPECT_EQ(m.substr(27, 16), "initial-response");
    EXPECT_EQ(m.substr(43, 2), "{}");
    EXPECT_EQ(u32_at(m, m.size() - 4), crc_of(m, m.size() - 4));
}

TEST(EventStreamTest, EventsAndExceptionsCarryTheirMessageType) {
    std::string e = event("SubscribeToShardEvent", "application/x-amz-json-1.1", "{}");
    EXPECT_NE(e.find(":message-type"), std::string::npos);
    EXPECT_NE(e.find("event"), std::string::npos);
    EXPECT_NE(e.find("SubscribeToShardEvent"), std::string::npos);
    std::string x = exception_event("ResourceInUseException", "application/x-amz-json-1.1", "{}");
    EXPECT_NE(x.find(":exception-type"), std::string::npos);
    EXPECT_NE(x.find("exception"), std::string::npos);
    EXPECT_NE(x.find("ResourceInUseException"), std::string::npos);
}

}  // namespace
}  // namespace shardflow::api
