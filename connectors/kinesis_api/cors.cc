#include "connectors/kinesis_api/cors.h"

namespace shardflow::api {
namespace {

// What pages may read of an answer besides its body: the ids of the request.
constexpr std::string_view kExposed = "x-amzn-RequestId, x-amz-id-2";
// The headers the AWS SDKs, API key clients and the SQL client send.
constexpr std::string_view kAllowedHeaders =
    "authorization, content-type, x-amz-date, x-amz-target, x-amz-security-token, "
    "x-amz-content-sha256, x-amz-user-agent, amz-sdk-invocation-id, amz-sdk-request, "
    "x-api-key, x-partition-key, x-shardflow-session";

}  // namespace

std::optional<ApiResponse> cors_preflight(const HttpRequestView& request) {
    if (request.method != "OPTIONS" ||
        header_value(request, "access-control-request-method").empty()) {
        return std::nullopt;
    }
    ApiResponse answer{200, "text/plain", "", false, {}};
    std::string_view asked = header_value(request, "access-control-request-headers");
    answer.headers = {
        {"Access-Control-Allow-Origin", "*"},
        {"Access-Control-Allow-Methods", "GET, POST, OPTIONS"},
        // What the page asks for: the signature covers every header that matters.
        {"Access-Control-Allow-Headers", std::string(asked.empty() ? kAllowedHeaders : asked)},
        {"Access-Control-Max-Age", "172800"},
    };
    return answer;
}

bool from_web_page(const HttpRequestView& request) {
    return !header_value(request, "origin").empty();
}

void add_cors_headers(ApiResponse& response) {
    response.headers.emplace_back("Access-Control-Allow-Origin", "*");
    response.headers.emplace_back("Access-Control-Expose-Headers", std::string(kExposed));
}

}  // namespace shardflow::api
