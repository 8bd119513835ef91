#include "connectors/kinesis_api/cors.h"

namespace shardflow::api {
namespace {

// What pages may read of an answer besides its body, as AWS lists it.
constexpr std::string_view kExposed =
    "x-amzn-RequestId,x-amzn-ErrorType,x-amz-request-id,x-amz-id-2,x-amzn-ErrorMessage,Date";
// The headers the AWS SDKs, API key clients and the SQL client send.
constexpr std::string_view kAllowedHeaders =
    "authorization, content-type, x-amz-date, x-amz-target, x-amz-security-token, "
    "x-amz-content-sha256, x-amz-user-agent, amz-sdk-invocation-id, amz-sdk-request, "
    "x-api-key, x-partition-key, x-shardflow-session";
constexpr std::string_view kAllowedMethods = "GET, POST, OPTIONS";

}  // namespace

std::optional<ApiResponse> cors_preflight(const HttpRequestView& request) {
    if (request.method != "OPTIONS" || !from_web_page(request)) {
        return std::nullopt;
    }
    ApiResponse answer{200, "", "", false, {}};
    // What the page asks for, as AWS answers: the signature covers every header that matters.
    std::string_view method = header_value(request, "access-control-request-method");
    std::string_view headers = header_value(request, "access-control-request-headers");
    answer.headers = {
        {"Access-Control-Allow-Origin", "*"},
        {"Access-Control-Allow-Methods", std::string(method.empty() ? kAllowedMethods : method)},
        {"Access-Control-Allow-Headers", std::string(headers.empty() ? kAllowedHeaders : headers)},
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
