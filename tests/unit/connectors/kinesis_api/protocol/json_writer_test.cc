// JsonWriter: what it writes parses back to the same document, escapes included.

#include "connectors/kinesis_api/protocol/json_writer.h"

#include "connectors/kinesis_api/protocol/request.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace shardflow::api {
namespace {

TEST(JsonWriter, WritesNestedContainersWithCommasWhereTheyBelong) {
    JsonWriter out;
    out.begin_object();
    out.key("Records");
    out.begin_array();
    for (int i = 0; i < 3; ++i) {
        out.begin_object();
        out.key("n");
        out.number(i - 1);
        out.key("empty");
        out.begin_array();
        out.end_array();
        out.end_object();
    }
    out.end_array();
    out.key("Raw");
    out.raw(R"({"a":[1,2]})");
    out.end_object();
    EXPECT_EQ(out.take(),
              R"({"Records":[{"n":-1,"empty":[]},{"n":0,"empty":[]},{"n":1,"empty":[]}],)"
              R"("Raw":{"a":[1,2]}})");
}

TEST(JsonWriter, EscapesEveryCharacterJsonForbidsInAString) {
    std::string text = "quote\" backslash\\ newline\n tab\t bell\x07 nul";
    text.push_back('\0');
    text += " ünïcode";
    JsonWriter out;
    out.string(text);
    auto parsed = boost::json::parse(out.take());
    EXPECT_EQ(std::string_view(parsed.as_string()), text);
}

TEST(JsonWriter, Base64IsTheDecodersInverseForEveryLength) {
    for (size_t n = 0; n < 8; ++n) {
        std::string bytes;
        for (size_t i = 0; i < n; ++i) {
            bytes.push_back(static_cast<char>(0xF0 + i));
        }
        JsonWriter out;
        out.base64(bytes);
        auto text = boost::json::parse(out.take()).as_string();
        boost::json::object body{{"Data", text}};
        Request request(body);
        BlobBuffer blobs;
        auto decoded = request.blob("Data", "data", true, blobs);
        ASSERT_TRUE(decoded) << n;
        EXPECT_EQ(*decoded, bytes);
    }
}

TEST(JsonWriter, EpochSecondsKeepTheMilliseconds) {
    JsonWriter out;
    out.begin_array();
    out.epoch_seconds(1700000000123);
    out.epoch_seconds(5);
    out.epoch_seconds(-1500);
    out.end_array();
    EXPECT_EQ(out.take(), "[1700000000.123,0.005,-1.500]");
}

TEST(BlobBuffer, ViewsStayValidAcrossBlocks) {
    BlobBuffer blobs;
    std::vector<std::string_view> views;
    for (int i = 0; i < 100; ++i) {
        size_t n = 10000 + i;
        char* room = blobs.claim(n);
        std::fill(room, room + n, static_cast<char>('a' + i % 26));
        views.emplace_back(room, n);
    }
    for (int i = 0; i < 100; ++i) {
        EXPECT_EQ(views[i], std::string(10000 + i, static_cast<char>('a' + i % 26)));
    }
}

}  // namespace
}  // namespace shardflow::api
