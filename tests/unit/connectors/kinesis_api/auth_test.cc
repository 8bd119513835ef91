// SigV4 against signatures computed by botocore, and the strict authenticator's refusals.

#include "connectors/kinesis_api/auth/authenticator.h"
#include "connectors/kinesis_api/auth/sigv4.h"
#include "tests/support/temp_dir.h"

#include <gtest/gtest.h>

#include <fstream>
#include <vector>

namespace shardflow::api::auth {
namespace {

constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

TEST(SigV4Test, MatchesTheGetVanillaExampleOfTheAwsTestSuite) {
    std::vector<HttpHeader> headers{{"Host", "example.amazonaws.com"},
                                    {"X-Amz-Date", "20150830T123600Z"}};
    HttpRequestView request{.method = "GET", .uri = "/", .headers = headers};
    auto authorization = parse_authorization(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
        "SignedHeaders=host;x-amz-date, "
        "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    ASSERT_TRUE(authorization) << authorization.error().message;
    std::string canonical = canonical_request(request, authorization->signed_headers);
    EXPECT_EQ(
        canonical,
        "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(signature(kSecret,
                        *authorization,
                        string_to_sign("20150830T123600Z", authorization->scope(), canonical)),
              authorization->signature);
}

TEST(SigV4Test, MalformedHeadersAreIncompleteSignatures) {
    for (std::string_view bad : {"Bearer x",
                                 "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=00",
                                 "AWS4-HMAC-SHA256 Credential=AK/2015/us-east-1/kinesis, "
                                 "SignedHeaders=host, Signature=0"}) {
        auto parsed = parse_authorization(bad);
        ASSERT_FALSE(parsed) << bad;
        EXPECT_EQ(parsed.error().code, ErrorCode::kIncompleteSignature) << bad;
    }
}

/// A CreateStream request exactly as botocore 1.29 signed it for 2026-11-30T08:00:00Z.
class StrictAuthTest : public ::testing::Test {
protected:
    static constexpr EpochMillis kSignedAt = 1'796'025'600'000;  // 2026-11-30T08:00:00Z

    HttpRequestView request() const {
        return {.method = "POST",
                .target = "Kinesis_20131202.CreateStream",
                .content_type = "application/x-amz-json-1.1",
                .authorization = authorization,
                .body = R"({"StreamName": "clicks", "ShardCount": 1})",
                .uri = "/",
                .headers = headers};
    }

    Status check(std::string_view secret, std::string region = "us-east-1") {
        Authenticator strict(
            Credentials({{"AKIDEXAMPLE", std::string(secret)}}), std::move(region), clock);
        return strict.check(request());
    }

    std::string authorization =
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261130/us-east-1/kinesis/aws4_request, "
        "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
        "Signature=f00e093ceb5d94ad206b0d98bc72147157c59dc0effe4a8ab556286798e5d548";
    std::vector<HttpHeader> headers{{"Host", "127.0.0.1:4567"},
                                    {"X-Amz-Target", "Kinesis_20131202.CreateStream"},
                                    {"Content-Type", "application/x-amz-json-1.1"},
                                    {"X-Amz-Date", "20261130T080000Z"},
                                    {"Authorization", authorization}};
    FakeClock clock{kSignedAt + 1000};
};

TEST_F(StrictAuthTest, AcceptsTheSignatureBotocoreComputed) {
    auto status = check(kSecret);
    EXPECT_TRUE(status) << status.error().message;
}

TEST_F(StrictAuthTest, RefusesAWrongSecretWithTheCanonicalRequestInTheMessage) {
    auto status = check("not-the-secret");
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code, ErrorCode::kInvalidSignature);
    EXPECT_TRUE(
        status.error().message.starts_with("The request signature we calculated does not match"));
    EXPECT_NE(status.error().message.find("content-type;host;x-amz-date;x-amz-target"),
              std::string::npos);
}

TEST_F(StrictAuthTest, RefusesATamperedBody) {
    std::string_view tampered = R"({"StreamName": "clicks", "ShardCount": 2})";
    HttpRequestView r = request();
    r.body = tampered;
    Authenticator strict(Credentials({{"AKIDEXAMPLE", std::string(kSecret)}}), "us-east-1", clock);
    auto status = strict.check(r);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code, ErrorCode::kInvalidSignature);
}

TEST_F(StrictAuthTest, RefusesAnUnknownAccessKey) {
    Authenticator strict(Credentials({{"OTHERKEY", std::string(kSecret)}}), "us-east-1", clock);
    auto status = strict.check(request());
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code, ErrorCode::kUnrecognizedClient);
    EXPECT_EQ(status.error().message, "The security token included in the request is invalid.");
}

TEST_F(StrictAuthTest, RefusesStaleAndFutureSignatures) {
    clock.set_ms(kSignedAt + 6 * 60 * 1000);
    auto stale = check(kSecret);
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().code, ErrorCode::kInvalidSignature);
    EXPECT_EQ(stale.error().message,
              "Signature expired: 20261130T080000Z is now earlier than 20261130T080100Z "
              "(20261130T080600Z - 5 min.)");
    clock.set_ms(kSignedAt - 6 * 60 * 1000);
    auto future = check(kSecret);
    ASSERT_FALSE(future);
    EXPECT_TRUE(future.error().message.starts_with("Signature not yet current"))
        << future.error().message;
}

TEST_F(StrictAuthTest, RefusesAnotherRegionAndAMissingDate) {
    auto region = check(kSecret, "eu-west-1");
    ASSERT_FALSE(region);
    EXPECT_EQ(region.error().code, ErrorCode::kInvalidSignature);
    headers.erase(headers.begin() + 3);
    auto undated = check(kSecret);
    ASSERT_FALSE(undated);
    EXPECT_EQ(undated.error().code, ErrorCode::kIncompleteSignature);
}

TEST(CredentialsTest, ReadsEveryCompleteProfileAndNamesTheBadLine) {
    tests::TempDir dir;
    auto file = dir.path() / "credentials";
    std::ofstream(file)
        << "# keys\n[default]\naws_access_key_id = AK1\naws_secret_access_key = s1\n\n"
           "[half]\naws_access_key_id = "
           "AK2\n[other]\naws_secret_access_key=s3\naws_access_key_id=AK3\n";
    auto credentials = Credentials::load(file);
    ASSERT_TRUE(credentials) << credentials.error().message;
    EXPECT_EQ(credentials->size(), 2u);
    EXPECT_EQ(credentials->secret_for("AK1"), "s1");
    EXPECT_EQ(credentials->secret_for("AK3"), "s3");
    EXPECT_FALSE(credentials->secret_for("AK2"));

    std::ofstream(file) << "[default]\naws_access_key_id AK1\n";
    auto bad = Credentials::load(file);
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find(":2: expected 'name = value'"), std::string::npos)
        << bad.error().message;
    EXPECT_FALSE(Credentials::load(dir.path() / "missing"));
}

}  // namespace
}  // namespace shardflow::api::auth
