// KinesisApi without a network: authentication, dispatch, decoding errors and their wording.

#include "connectors/kinesis_api/api.h"

#include "connectors/kinesis_api/error_mapping.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_store.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace shardflow::api {
namespace {

constexpr std::string_view kAuth =
    "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/kinesis/aws4_request, SignedHeaders=host, "
    "Signature=0";

class KinesisApiTest : public ::testing::Test {
protected:
    void SetUp() override {
        store_ = tests::open_test_store(dir_.path());
        api_ = std::make_unique<KinesisApi>(*store_);
    }

    boost::json::object call(std::string_view action,
                             std::string_view body,
                             int expected_status = 200) {
        std::string target = "Kinesis_20131202." + std::string(action);
        ApiResponse r = api_->handle({"POST", target, "application/x-amz-json-1.1", kAuth, body});
        EXPECT_EQ(r.status, expected_status) << r.body;
        return boost::json::parse(r.body).as_object();
    }

    tests::TempDir dir_;
    std::unique_ptr<store::StreamStore> store_;
    std::unique_ptr<KinesisApi> api_;
};

TEST_F(KinesisApiTest, RoundTripsARecordThroughJson) {
    call("CreateStream", R"({"StreamName": "s", "ShardCount": 1})");
    auto put = call("PutRecord", R"({"StreamName": "s", "PartitionKey": "k", "Data": "AAEC/w=="})");
    EXPECT_EQ(put["ShardId"], "shardId-000000000000");
    auto it = call(
        "GetShardIterator",
        R"({"StreamName": "s", "ShardId": "shardId-000000000000", "ShardIteratorType": "TRIM_HORIZON"})");
    auto records = call("GetRecords",
                        fmt::format(R"({{"ShardIterator": "{}"}})",
                                    std::string_view(it["ShardIterator"].as_string())));
    ASSERT_EQ(records["Records"].as_array().size(), 1u);
    EXPECT_EQ(records["Records"].as_array()[0].as_object().at("Data"), "AAEC/w==");
    EXPECT_EQ(records["Records"].as_array()[0].as_object().at("SequenceNumber"),
              put["SequenceNumber"]);
}

TEST_F(KinesisApiTest, ReportsEveryValidationErrorInAwsWording) {
    auto e = call("CreateStream", R"({"StreamName": "bad name", "ShardCount": 0})", 400);
    EXPECT_EQ(e["__type"], "ValidationException");
    EXPECT_EQ(e["message"],
              "2 validation errors detected: Value 'bad name' at 'streamName' failed to satisfy "
              "constraint: Member "
              "must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; Value '0' at 'shardCount' "
              "failed to "
              "satisfy constraint: Member must have value greater than or equal to 1");
    auto missing = call("PutRecord", R"({"StreamName": "s", "Data": "AA=="})", 400);
    EXPECT_EQ(missing["message"],
              "1 validation error detected: Value null at 'partitionKey' failed to satisfy "
              "constraint: Member must "
              "not be null");
}

TEST_F(KinesisApiTest, WrongTypesAndBadJsonAreSerializationErrors) {
    auto wrong = call("CreateStream", R"({"StreamName": "s", "ShardCount": "1"})", 400);
    EXPECT_EQ(wrong["__type"], "SerializationException");
    EXPECT_TRUE(wrong.contains("Message"));
    EXPECT_EQ(call("ListStreams", "{", 400)["__type"], "SerializationException");
    EXPECT_EQ(call("ListStreams", "[1]", 400)["__type"], "SerializationException");
    EXPECT_EQ(call("PutRecord",
                   R"({"StreamName": "s", "PartitionKey": "k", "Data": "***"})",
                   400)["__type"],
              "SerializationException");
}

TEST_F(KinesisApiTest, RefusesMissingAuthenticationUnknownTargetsAndOtherMethods) {
    auto r = api_->handle(
        {"POST", "Kinesis_20131202.ListStreams", "application/x-amz-json-1.1", "", "{}"});
    EXPECT_EQ(boost::json::parse(r.body).at("__type"), "MissingAuthenticationTokenException");
    r = api_->handle(
        {"POST", "Kinesis_20131202.ListStreams", "application/x-amz-json-1.1", "Bearer x", "{}"});
    EXPECT_EQ(boost::json::parse(r.body).at("__type"), "IncompleteSignatureException");
    r = api_->handle({"POST", "Kinesis_20131202.Nope", "application/x-amz-json-1.1", kAuth, "{}"});
    EXPECT_EQ(r.body, R"({"__type":"UnknownOperationException"})");
    r = api_->handle(
        {"POST", "DynamoDB_20120810.ListTables", "application/x-amz-json-1.1", kAuth, "{}"});
    EXPECT_EQ(boost::json::parse(r.body).at("__type"), "UnknownOperationException");
    r = api_->handle({"GET", "", "", kAuth, ""});
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(r.content_type, "application/xml");
    EXPECT_NE(r.body.find("<AccessDeniedException>"), std::string::npos) << r.body;
}

TEST_F(KinesisApiTest, ChecksInAwsOrderContentTypeTargetBodyThenAuthentication) {
    constexpr std::string_view kJson = "application/x-amz-json-1.1";
    auto xml = [&](const HttpRequestView& request, std::string_view type) {
        ApiResponse r = api_->handle(request);
        EXPECT_EQ(r.status, 403);
        EXPECT_EQ(r.content_type, "application/xml");
        EXPECT_TRUE(r.body.starts_with("<" + std::string(type) + ">\n  <Message>")) << r.body;
    };
    xml({"GET", "", "", "", ""}, "MissingAuthenticationTokenException");
    xml({"PUT", "", "", kAuth, ""}, "AccessDeniedException");
    xml({"POST", "Kinesis_20131202.ListStreams", "", kAuth, "{}"}, "AccessDeniedException");
    xml({"POST", "Kinesis_20131202.ListStreams", "application/x-amz-json-1.0", kAuth, "{}"},
        "AccessDeniedException");
    xml({"POST", "Kinesis_20131202.ListStreams", "", "", "{}"},
        "MissingAuthenticationTokenException");
    // The target and the body are checked before the signature.
    EXPECT_EQ(api_->handle({"POST", "", kJson, "", "{}"}).body,
              R"({"__type":"UnknownOperationException"})");
    ApiResponse empty = api_->handle({"POST", "Kinesis_20131202.ListStreams", kJson, "", ""});
    EXPECT_EQ(empty.status, 400);
    EXPECT_EQ(empty.body, R"({"__type":"SerializationException"})");
    ApiResponse bad = api_->handle({"POST", "Kinesis_20131202.ListStreams", kJson, "", "hello"});
    EXPECT_EQ(boost::json::parse(bad.body).at("__type"), "SerializationException");
}

TEST_F(KinesisApiTest, StoreErrorsKeepTheirCodeAndMessage) {
    auto e = call("DescribeStream", R"({"StreamName": "nope"})", 400);
    EXPECT_EQ(e["__type"], "ResourceNotFoundException");
    EXPECT_EQ(e["message"], "Stream nope under account 000000000000 not found.");
    EXPECT_EQ(to_wire(ErrorCode::kIoError).http_status, 500);
}

TEST_F(KinesisApiTest, ListShardsPagesWithExpiringTokens) {
    call("CreateStream", R"({"StreamName": "s", "ShardCount": 3})");
    auto first = call("ListShards", R"({"StreamName": "s", "MaxResults": 2})");
    ASSERT_EQ(first["Shards"].as_array().size(), 2u);
    auto rest = call(
        "ListShards",
        fmt::format(R"({{"NextToken": "{}"}})", std::string_view(first["NextToken"].as_string())));
    ASSERT_EQ(rest["Shards"].as_array().size(), 1u);
    EXPECT_FALSE(rest.contains("NextToken"));
    EXPECT_EQ(call("ListShards", R"({"NextToken": "garbage"})", 400)["__type"],
              "InvalidArgumentException");
}

}  // namespace
}  // namespace shardflow::api
