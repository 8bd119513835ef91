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
constexpr std::string_view kJson = "application/x-amz-json-1.1";
const HttpHeader kDated[] = {{"X-Amz-Date", "20240101T000000Z"}};

/// A request signed as well as the default (not strict) authenticator asks.
HttpRequestView signed_request(std::string_view target,
                               std::string_view body,
                               std::string_view content_type = kJson) {
    return {"POST", target, content_type, kAuth, body, "/", kDated};
}

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
        ApiResponse r = api_->handle(signed_request(target, body));
        EXPECT_EQ(r.status, expected_status) << r.body;
        return r.body.empty() ? boost::json::object() : boost::json::parse(r.body).as_object();
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
    EXPECT_EQ(wrong["Message"], "class java.lang.String can not be converted to an Integer");
    EXPECT_EQ(call("ListStreams", "{", 400)["__type"], "SerializationException");
    EXPECT_EQ(call("ListStreams", "[1]", 400)["__type"], "SerializationException");
    for (auto [data, why] : {std::pair{"23456",
                                       "Base64 encoded length is expected a multiple of 4 bytes "
                                       "but found: 5"},
                             {"=+/=", "Invalid Base64 character: '='"},
                             {"+/+=", "Invalid last non-pad Base64 character dectected"}}) {
        auto refused =
            call("PutRecord", fmt::format(R"({{"PartitionKey": "k", "Data": "{}"}})", data), 400);
        EXPECT_EQ(refused["Message"].as_string(),
                  fmt::format("'{}' can not be converted to a Blob: {}", data, why))
            << "before the missing StreamName";
    }
}

TEST_F(KinesisApiTest, RefusesMissingAuthenticationUnknownTargetsAndOtherMethods) {
    auto r = api_->handle({"POST", "Kinesis_20131202.ListStreams", kJson, "", "{}"});
    EXPECT_EQ(boost::json::parse(r.body).at("__type"), "MissingAuthenticationTokenException");
    r = api_->handle({"POST", "Kinesis_20131202.ListStreams", kJson, "Bearer x", "{}"});
    EXPECT_EQ(boost::json::parse(r.body).at("__type"), "IncompleteSignatureException");
    EXPECT_EQ(boost::json::parse(r.body).at("message"),
              "Authorization header requires 'Credential' parameter. Authorization header "
              "requires 'Signature' parameter. Authorization header requires 'SignedHeaders' "
              "parameter. Authorization header requires existence of either a 'X-Amz-Date' or a "
              "'Date' header. Authorization=Bearer x");
    r = api_->handle(signed_request("Kinesis_20131202.Nope", "{}"));
    EXPECT_EQ(r.body, R"({"__type":"UnknownOperationException"})");
    r = api_->handle(signed_request("DynamoDB_20120810.ListTables", "{}"));
    EXPECT_EQ(boost::json::parse(r.body).at("__type"), "UnknownOperationException");
    r = api_->handle({"GET", "", "", kAuth, ""});
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(r.content_type, "") << "AWS's XML refusals name no content type";
    EXPECT_NE(r.body.find("<AccessDeniedException>"), std::string::npos) << r.body;
}

TEST_F(KinesisApiTest, ChecksInAwsOrderMethodBodyContentTypeTargetThenAuthentication) {
    constexpr std::string_view kCbor = "application/x-amz-cbor-1.1";
    auto xml = [&](const HttpRequestView& request, int status, std::string_view body) {
        ApiResponse r = api_->handle(request);
        EXPECT_EQ(r.status, status);
        EXPECT_EQ(r.content_type, "");
        EXPECT_TRUE(r.body.starts_with(body)) << r.body;
    };
    xml({"GET", "", "", "", ""}, 403, "<MissingAuthenticationTokenException>\n  <Message>");
    xml({"PUT", "", "", kAuth, ""}, 403, "<AccessDeniedException>\n  <Message>");
    // A body in no protocol Kinesis speaks: refused in XML, by whether a target names an action.
    xml({"POST", "", "", kAuth, "{}"}, 403, "<AccessDeniedException>\n  <Message>");
    xml({"POST", "Kinesis_20131202.ListStreams", "application/x-amz-json-1.0", kAuth, "{}"},
        404,
        "<UnknownOperationException/>");
    // An empty body is answered first, in JSON 1.1 if asked for it and otherwise in CBOR.
    ApiResponse empty = api_->handle({"POST", "Kinesis_20131202.ListStreams", kJson, "", ""});
    EXPECT_EQ(empty.status, 400);
    EXPECT_EQ(empty.body, R"({"__type":"SerializationException"})");
    ApiResponse no_type = api_->handle({"POST", "Whatever", "", "", ""});
    EXPECT_EQ(no_type.content_type, kCbor);
    EXPECT_EQ(no_type.body, "\xA1\x66__type\x78\x19UnknownOperationException");
    // Then the body and the target, before the signature; the media type is compared alone.
    ApiResponse bad = api_->handle({"POST", "Kinesis_20131202.ListStreams", kJson, "", "hello"});
    EXPECT_EQ(bad.body, R"({"__type":"SerializationException"})");
    EXPECT_EQ(api_->handle({"POST", "", kJson, "", "{}"}).body,
              R"({"__type":"UnknownOperationException"})");
    ApiResponse spaced = api_->handle(
        {"POST", "Kinesis_20131202.ListStreams", "  application/x-amz-json-1.1 ; x", "", "{}"});
    EXPECT_EQ(spaced.content_type, kJson);
    EXPECT_EQ(boost::json::parse(spaced.body).at("__type"), "MissingAuthenticationTokenException");
    // Coral's older envelope is recognised only to be refused.
    ApiResponse old =
        api_->handle({"POST", "Kinesis_20131202.ListStreams", "application/json", "", "{}"});
    EXPECT_EQ(old.status, 404);
    EXPECT_EQ(old.body,
              R"({"Output":{"__type":"com.amazon.coral.service#UnknownOperationException"},)"
              R"("Version":"1.0"})");
}

TEST_F(KinesisApiTest, ActionsWithoutOutputAnswerWithAnEmptyBody) {
    ApiResponse created = api_->handle(
        signed_request("Kinesis_20131202.CreateStream", R"({"StreamName": "s", "ShardCount": 1})"));
    EXPECT_EQ(created.status, 200);
    EXPECT_EQ(created.body, "");
    ApiResponse listed = api_->handle(signed_request("Kinesis_20131202.ListStreams", "{}"));
    EXPECT_EQ(boost::json::parse(listed.body).at("StreamNames").as_array().size(), 1u);
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
