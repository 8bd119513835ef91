// The client's signatures checked by the server's own verifier, and the client and the batcher
// against an in-process server (the real KinesisApi, or a handler that refuses on purpose).

#include "connectors/kinesis_client/kinesis_client.h"

#include "connectors/kinesis_api/api.h"
#include "connectors/kinesis_api/auth/authenticator.h"
#include "connectors/kinesis_api/server/http_server.h"
#include "connectors/kinesis_client/put_records_batcher.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_store.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <atomic>

namespace shardflow::connectors {
namespace {
namespace json = boost::json;

constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

api::auth::Authenticator strict(const Clock& clock) {
    return api::auth::Authenticator(
        api::auth::Credentials({{"AKIDEXAMPLE", std::string(kSecret)}}), "us-east-1", clock);
}

TEST(RequestSignerTest, TheServerVerifiesWhatTheClientSigns) {
    FakeClock clock(1'796'025'600'000);  // 2026-11-30T08:00:00Z
    std::string amz_date = format_utc(clock.now_ms(), "%Y%m%dT%H%M%SZ");
    std::vector<api::HttpHeader> headers{{"Content-Type", "application/x-amz-json-1.1"},
                                         {"Host", "127.0.0.1:4567"},
                                         {"X-Amz-Date", amz_date},
                                         {"X-Amz-Target", "Kinesis_20131202.ListStreams"}};
    api::HttpRequestView request{.method = "POST",
                                 .target = "Kinesis_20131202.ListStreams",
                                 .content_type = "application/x-amz-json-1.1",
                                 .body = "{}",
                                 .uri = "/",
                                 .headers = headers};
    AwsCredentials credentials{"AKIDEXAMPLE", std::string(kSecret), "us-east-1"};
    std::string authorization = sign_request(credentials, request, amz_date);
    EXPECT_TRUE(authorization.starts_with(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261130/us-east-1/kinesis/aws4_request, "
        "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature="))
        << authorization;
    request.authorization = authorization;
    Status verified = strict(clock).check(request);
    EXPECT_TRUE(verified) << verified.error().message;

    request.body = "{\"Limit\": 1}";  // a body changed in transit no longer matches
    EXPECT_EQ(strict(clock).check(request).error().code, ErrorCode::kInvalidSignature);
    credentials.secret_key = "wrong";
    request.body = "{}";
    authorization = sign_request(credentials, request, amz_date);
    request.authorization = authorization;
    EXPECT_EQ(strict(clock).check(request).error().code, ErrorCode::kInvalidSignature);
}

TEST(HttpEndpointTest, AcceptsHostAndPortOnly) {
    auto e = parse_http_endpoint("http://127.0.0.1:4567/");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->authority(), "127.0.0.1:4567");
    EXPECT_EQ(parse_http_endpoint("http://localhost")->port, "80");
    for (auto bad : {"https://x:1", "127.0.0.1:4567", "http://:80", "http://h:x", "http://h:1/p"}) {
        EXPECT_FALSE(parse_http_endpoint(bad)) << bad;
    }
}

TEST(ErrorCodeOfTest, InvertsTheServersMapping) {
    EXPECT_EQ(error_code_of("ResourceNotFoundException", 400), ErrorCode::kResourceNotFound);
    EXPECT_EQ(error_code_of("InternalFailure", 500), ErrorCode::kInternalFailure);
    EXPECT_EQ(error_code_of("ServiceUnavailable", 503), ErrorCode::kInternalFailure);
    EXPECT_EQ(error_code_of("ThrottlingException", 400), ErrorCode::kLimitExceeded);
    EXPECT_EQ(error_code_of("KMSNotFoundException", 400), ErrorCode::kInvalidArgument);
}

/// A store behind the real API and HTTP server on a free port; `intercept` may answer a
/// request itself (to refuse it) before the API sees it.
class KinesisClientTest : public ::testing::Test {
protected:
    using Intercept = std::function<std::optional<api::ApiResponse>(const api::HttpRequestView&)>;

    void SetUp() override {
        store_ = tests::open_test_store(dir_.path());
        api_ = std::make_unique<api::KinesisApi>(*store_, strict(SystemClock::instance()));
        api::ServerOptions server_options;
        server_options.port = 0;
        server_options.threads = 2;
        server_ = std::make_unique<api::HttpServer>(server_options,
                                                    [this](const api::HttpRequestView& r) {
                                                        if (intercept_) {
                                                            if (auto answer = intercept_(r)) {
                                                                return *answer;
                                                            }
                                                        }
                                                        return api_->handle(r);
                                                    });
        port_ = *server_->start();
    }

    void TearDown() override { server_->stop(); }

    KinesisClient client(std::string endpoint = "") {
        KinesisClientOptions options;
        options.endpoint = endpoint.empty() ? fmt::format("http://127.0.0.1:{}", port_) : endpoint;
        options.credentials = {"AKIDEXAMPLE", std::string(kSecret), "us-east-1"};
        options.timeout = std::chrono::milliseconds(2000);
        return std::move(*KinesisClient::create(options));
    }

    std::vector<std::string> read_all(KinesisClient& c, std::string_view stream) {
        auto it = c.call("GetShardIterator",
                         {{"StreamName", stream},
                          {"ShardId", "shardId-000000000000"},
                          {"ShardIteratorType", "TRIM_HORIZON"}});
        std::vector<std::string> out;
        json::value iterator = it->at("ShardIterator");
        while (true) {
            auto page = c.call("GetRecords", {{"ShardIterator", iterator}});
            for (const auto& r : page->at("Records").as_array()) {
                out.emplace_back(r.at("PartitionKey").as_string());
            }
            if (page->at("Records").as_array().empty()) {
                return out;
            }
            iterator = page->at("NextShardIterator");
        }
    }

    tests::TempDir dir_;
    std::unique_ptr<store::StreamStore> store_;
    std::unique_ptr<api::KinesisApi> api_;
    std::unique_ptr<api::HttpServer> server_;
    Intercept intercept_;
    uint16_t port_ = 0;
};

PutRecordsBatcherOptions fast_retries() {
    PutRecordsBatcherOptions options;
    options.base_backoff = std::chrono::milliseconds(1);
    options.max_backoff = std::chrono::milliseconds(4);
    return options;
}

TEST_F(KinesisClientTest, CreatesDescribesAndReportsErrorsWithTheirType) {
    auto c = client();
    auto missing = c.describe_stream_summary("clicks");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::kResourceNotFound);
    EXPECT_TRUE(missing.error().message.starts_with("ResourceNotFoundException: Stream clicks"))
        << missing.error().message;
    ASSERT_TRUE(c.create_stream("clicks", 2));
    ASSERT_TRUE(c.wait_until_active("clicks", std::chrono::seconds(5)));
    auto summary = c.describe_stream_summary("clicks");
    ASSERT_TRUE(summary);
    EXPECT_EQ(summary->status, "ACTIVE");
    EXPECT_EQ(summary->open_shard_count, 2);
    EXPECT_EQ(c.create_stream("clicks", 2).error().code, ErrorCode::kResourceInUse);

    KinesisClientOptions wrong;
    wrong.endpoint = c.endpoint();
    wrong.credentials = {"AKIDEXAMPLE", "not the secret", "us-east-1"};
    auto refused = KinesisClient::create(wrong)->describe_stream_summary("clicks");
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalidSignature);
}

TEST_F(KinesisClientTest, BatcherSendsEveryRecordInOrderInCallsWithinTheLimits) {
    auto c = client();
    ASSERT_TRUE(c.create_stream("s", 1));
    ASSERT_TRUE(c.wait_until_active("s", std::chrono::seconds(5)));
    std::vector<size_t> call_sizes;
    intercept_ = [&](const api::HttpRequestView& r) -> std::optional<api::ApiResponse> {
        if (r.target.ends_with("PutRecords")) {
            call_sizes.push_back(json::parse(r.body).at("Records").as_array().size());
        }
        return std::nullopt;
    };
    PutRecordsBatcher batcher(c, "s");
    for (int i = 0; i < 1200; ++i) {
        ASSERT_TRUE(batcher.add({"x", std::to_string(i)}));
    }
    ASSERT_TRUE(batcher.flush());
    EXPECT_EQ(call_sizes, (std::vector<size_t>{500, 500, 200}));
    EXPECT_EQ(batcher.stats().sent, 1200u);
    auto keys = read_all(c, "s");
    ASSERT_EQ(keys.size(), 1200u);
    EXPECT_EQ(keys.front(), "0");
    EXPECT_EQ(keys.back(), "1199");

    call_sizes.clear();
    PutRecordsBatcher big(c, "s");
    for (int i = 0; i < 12; ++i) {
        ASSERT_TRUE(big.add({std::string(1000 * 1000, 'b'), "k"}));
    }
    ASSERT_TRUE(big.flush());
    EXPECT_EQ(call_sizes, (std::vector<size_t>{5, 5, 2}));  // 5 MiB a call
    EXPECT_FALSE(big.add({std::string(1 << 20, 'b'), "k"}));
    EXPECT_FALSE(big.add({"data", ""}));
    EXPECT_EQ(big.stats().failed, 2u);
}

TEST_F(KinesisClientTest, BatcherRetriesThrottledCallsAndFailedRecords) {
    auto c = client();
    ASSERT_TRUE(c.create_stream("s", 1));
    ASSERT_TRUE(c.wait_until_active("s", std::chrono::seconds(5)));
    std::atomic<int> calls = 0;
    intercept_ = [&](const api::HttpRequestView& r) -> std::optional<api::ApiResponse> {
        if (!r.target.ends_with("PutRecords")) {
            return std::nullopt;
        }
        int n = calls++;
        if (n == 0) {  // the whole call throttled
            return api::ApiResponse{
                400,
                "application/x-amz-json-1.1",
                R"({"__type":"ProvisionedThroughputExceededException","message":"Rate exceeded"})"};
        }
        if (n == 1) {  // 5xx
            return api::ApiResponse{503, "text/plain", "busy"};
        }
        if (n == 2) {  // records 1 and 3 of 4 fail; the others go through the real API
            json::object body = json::parse(r.body).as_object();
            json::array& records = body["Records"].as_array();
            json::array kept{records[0], records[2]};
            body["Records"] = kept;
            std::string forwarded = json::serialize(body);
            api::HttpRequestView copy = r;
            copy.body = forwarded;  // which no longer matches its signature
            auto answer = api::KinesisApi(*store_).handle(copy);
            json::array stored = json::parse(answer.body).at("Records").as_array();
            json::object throttled{{"ErrorCode", "ProvisionedThroughputExceededException"},
                                   {"ErrorMessage", "Rate exceeded for shard"}};
            json::object internal{{"ErrorCode", "InternalFailure"},
                                  {"ErrorMessage", "Internal Service Failure"}};
            json::object out{{"FailedRecordCount", 2},
                             {"Records", json::array{stored[0], throttled, stored[1], internal}}};
            return api::ApiResponse{200, "application/x-amz-json-1.1", json::serialize(out)};
        }
        return std::nullopt;
    };
    PutRecordsBatcher batcher(c, "s", fast_retries());
    for (int i = 0; i < 4; ++i) {
        ASSERT_TRUE(batcher.add({"x", std::to_string(i)}));
    }
    Status flushed = batcher.flush();
    ASSERT_TRUE(flushed) << flushed.error().message;
    EXPECT_EQ(calls, 4);
    EXPECT_EQ(batcher.stats().sent, 4u);
    EXPECT_EQ(batcher.stats().retried, 4u + 4u + 2u);
    EXPECT_EQ(read_all(c, "s"), (std::vector<std::string>{"0", "2", "1", "3"}));
}

TEST_F(KinesisClientTest, BatcherKeepsRecordsPendingWhenTheEndpointIsAway) {
    auto c = client("http://127.0.0.1:1");  // nothing listens on port 1
    PutRecordsBatcher batcher(c, "s", fast_retries());
    ASSERT_TRUE(batcher.add({"x", "k"}));
    Status flushed = batcher.flush();
    ASSERT_FALSE(flushed);
    EXPECT_EQ(flushed.error().code, ErrorCode::kIoError);
    EXPECT_NE(flushed.error().message.find("1 record(s) not delivered to http://127.0.0.1:1 after "
                                           "6 attempts: cannot reach"),
              std::string::npos)
        << flushed.error().message;
    EXPECT_EQ(batcher.pending(), 1u);
    EXPECT_EQ(batcher.stats().retried, 5u);

    auto unknown = client();  // a call refused for good is not retried
    PutRecordsBatcher refused(unknown, "nope", fast_retries());
    ASSERT_TRUE(refused.add({"x", "k"}));
    EXPECT_EQ(refused.flush().error().code, ErrorCode::kResourceNotFound);
    EXPECT_EQ(refused.stats().retried, 0u);
    refused.drop_pending();
    EXPECT_EQ(refused.pending(), 0u);
    EXPECT_EQ(refused.stats().failed, 1u);
}

}  // namespace
}  // namespace shardflow::connectors
