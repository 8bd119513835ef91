// CBOR bodies against RFC 8949's Appendix A examples, the SDK's blobs and millisecond
// timestamps, and bodies that are not CBOR.

#include "connectors/kinesis_api/protocol/cbor.h"

#include <gtest/gtest.h>

namespace shardflow::api {
namespace {

namespace json = boost::json;

std::string bytes(std::initializer_list<int> list) {
    std::string out;
    for (int b : list) {
        out += static_cast<char>(b);
    }
    return out;
}

json::value decoded(const std::string& cbor) {
    auto v = cbor_to_json(cbor);
    EXPECT_TRUE(v) << v.error().message;
    return v ? *v : json::value();
}

CborMember kinesis_members(std::string_view member) {
    return member == "Data"                          ? CborMember::kBlob
           : member == "ApproximateArrivalTimestamp" ? CborMember::kTimestamp
                                                     : CborMember::kValue;
}

TEST(Cbor, DecodesTheRfcExamples) {
    EXPECT_EQ(decoded(bytes({0x00})), json::value(0));
    EXPECT_EQ(decoded(bytes({0x19, 0x03, 0xE8})), json::value(1000));
    EXPECT_EQ(decoded(bytes({0x1B, 0x00, 0x00, 0x00, 0xE8, 0xD4, 0xA5, 0x10, 0x00})),
              json::value(1000000000000));
    EXPECT_EQ(decoded(bytes({0x38, 0x63})), json::value(-100));
    EXPECT_EQ(decoded(bytes({0xF9, 0x3C, 0x00})), json::value(1.0));
    EXPECT_EQ(decoded(bytes({0xFA, 0x47, 0xC3, 0x50, 0x00})), json::value(100000.0));
    EXPECT_EQ(decoded(bytes({0xFB, 0x3F, 0xF1, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9A})),
              json::value(1.1));
    EXPECT_EQ(decoded(bytes({0xF5})), json::value(true));
    EXPECT_EQ(decoded(bytes({0xF6})), json::value(nullptr));
    EXPECT_EQ(decoded(bytes({0x64, 0x49, 0x45, 0x54, 0x46})), json::value("IETF"));
    // {"a": 1, "b": [2, 3]}
    EXPECT_EQ(decoded(bytes({0xA2, 0x61, 0x61, 0x01, 0x61, 0x62, 0x82, 0x02, 0x03})),
              json::parse(R"({"a": 1, "b": [2, 3]})"));
    // Indefinite: (_ "strea", "ming") and {_ "a": 1, "b": [_ 2, 3]}
    EXPECT_EQ(decoded(bytes(
                  {0x7F, 0x65, 0x73, 0x74, 0x72, 0x65, 0x61, 0x64, 0x6D, 0x69, 0x6E, 0x67, 0xFF})),
              json::value("streaming"));
    EXPECT_EQ(decoded(bytes({0xBF, 0x61, 0x61, 0x01, 0x61, 0x62, 0x9F, 0x02, 0x03, 0xFF, 0xFF})),
              json::parse(R"({"a": 1, "b": [2, 3]})"));
}

TEST(Cbor, ByteStringsAreBase64AndTag1IsEpochMilliseconds) {
    // {"Data": h'00ff', "Timestamp": 1(1700000000123)}
    std::string body =
        bytes({0xA2, 0x64, 'D', 'a', 't',  'a',  0x42, 0x00, 0xFF, 0x69, 'T',  'i',  'm',  'e', 's',
               't',  'a',  'm', 'p', 0xC1, 0x1B, 0x00, 0x00, 0x01, 0x8B, 0xCF, 0xE5, 0x68, 0x7B});
    json::value v = decoded(body);
    EXPECT_EQ(v.at("Data"), json::value("AP8="));
    EXPECT_DOUBLE_EQ(v.at("Timestamp").as_double(), 1700000000.123);
}

TEST(Cbor, EncodesBlobsAsBytesAndTimestampsAsTaggedMilliseconds) {
    json::value response = json::parse(
        R"({"Records": [{"Data": "AP8=", "ApproximateArrivalTimestamp": 1700000000.123,
                         "PartitionKey": "p", "SequenceNumber": "1"}], "MillisBehindLatest": 0})");
    std::string cbor = json_to_cbor(response, kinesis_members);
    EXPECT_NE(cbor.find(bytes({0x42, 0x00, 0xFF})), std::string::npos) << "Data as 2 bytes";
    EXPECT_NE(cbor.find(bytes({0xC1, 0x1B, 0x00, 0x00, 0x01, 0x8B, 0xCF, 0xE5, 0x68, 0x7B})),
              std::string::npos)
        << "tag 1, epoch milliseconds";
    json::value back = decoded(cbor);
    EXPECT_EQ(back.at("Records").at(0).at("Data"), json::value("AP8="));
    EXPECT_DOUBLE_EQ(back.at("Records").at(0).at("ApproximateArrivalTimestamp").as_double(),
                     1700000000.123);
    EXPECT_EQ(back.at("MillisBehindLatest"), json::value(0));
}

TEST(Cbor, RoundTripsEveryJsonKind) {
    json::value v = json::parse(
        R"({"s": "text", "n": -5, "big": 18446744073709551615, "d": 0.5, "t": true,
            "f": false, "z": null, "a": [1, "two", [3]], "o": {"k": {}}})");
    EXPECT_EQ(decoded(json_to_cbor(v, kinesis_members)), v);
}

TEST(Cbor, RefusesWhatIsNotWellFormed) {
    for (const std::string& body : {
             bytes({}),                // nothing
             bytes({0x19, 0x03}),      // an argument cut short
             bytes({0x65, 'a', 'b'}),  // a string longer than the body
             bytes({0x5B, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}),  // a huge length
             bytes({0xA1, 0x01, 0x02}),  // a map key that is not text
             bytes({0x9F, 0x01}),        // an indefinite array without its break
             bytes({0xFF}),              // a break on its own
             bytes({0x1C}),              // reserved additional information
             bytes({0xF9, 0x7C, 0x00}),  // Infinity: JSON has none
             bytes({0x01, 0x02}),        // bytes after the value
         }) {
        auto v = cbor_to_json(body);
        ASSERT_FALSE(v) << "accepted " << body.size() << " bytes";
        EXPECT_EQ(v.error().code, ErrorCode::kSerialization);
    }
    std::string deep(100, static_cast<char>(0x81));  // [[[[...]]]] 100 deep
    deep += static_cast<char>(0x00);
    EXPECT_FALSE(cbor_to_json(deep));
}

}  // namespace
}  // namespace shardflow::api
