#pragma once
// Signs Kinesis requests with AWS Signature Version 4, using the same canonical request, string
// to sign and signature code the server verifies with (connectors/kinesis_api/auth/sigv4.h).

#include "connectors/kinesis_api/http_request.h"
#include "engine/common/clock.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace shardflow::connectors {

/// Who signs: an access key, its secret and the region of the credential scope.
struct AwsCredentials {
    std::string access_key = "local";
    std::string secret_key = "local";
    std::string region = "us-east-1";

    /// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_DEFAULT_REGION (or AWS_REGION), each
    /// falling back to the defaults above.
    static AwsCredentials from_environment();
};

/// The Authorization header value for `request`, signing every header it carries (lower-cased
/// names, sorted; Host and X-Amz-Date must be among them) for service "kinesis".
/// `amz_date` is the request's X-Amz-Date, e.g. "20240101T120000Z".
std::string sign_request(const AwsCredentials& credentials,
                         const api::HttpRequestView& request,
                         std::string_view amz_date);

using HeaderList = std::vector<std::pair<std::string, std::string>>;

/// `headers` with Host, X-Amz-Date (from `now_ms`) and the Authorization that signs them all,
/// for a POST of `body` to `path` on `host` ("host:port").
HeaderList signed_post_headers(const AwsCredentials& credentials,
                               std::string_view host,
                               std::string_view path,
                               std::string_view body,
                               HeaderList headers,
                               EpochMillis now_ms);

}  // namespace shardflow::connectors
