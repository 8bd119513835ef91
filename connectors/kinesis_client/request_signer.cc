// SigV4 signing: the Authorization header built from the shared SigV4 functions.

#include "connectors/kinesis_client/request_signer.h"

#include "connectors/kinesis_api/auth/sigv4.h"

#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace shardflow::connectors {
namespace {

std::string env_or(const char* name, std::string fallback) {
    const char* value = std::getenv(name);
    return value && *value ? std::string(value) : std::move(fallback);
}

}  // namespace

AwsCredentials AwsCredentials::from_environment() {
    AwsCredentials out;
    out.access_key = env_or("AWS_ACCESS_KEY_ID", out.access_key);
    out.secret_key = env_or("AWS_SECRET_ACCESS_KEY", out.secret_key);
    out.region = env_or("AWS_DEFAULT_REGION", env_or("AWS_REGION", out.region));
    return out;
}

std::string sign_request(const AwsCredentials& credentials,
                         const api::HttpRequestView& request,
                         std::string_view amz_date) {
    api::auth::SigV4Authorization scope;
    scope.access_key = credentials.access_key;
    scope.date = std::string(amz_date.substr(0, 8));
    scope.region = credentials.region;
    scope.service = "kinesis";
    for (const auto& header : request.headers) {
        std::string name(header.name);
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) {
            return static_cast<char>(std::tolower(c));
        });
        scope.signed_headers.push_back(std::move(name));
    }
    std::sort(scope.signed_headers.begin(), scope.signed_headers.end());
    scope.signed_headers.erase(
        std::unique(scope.signed_headers.begin(), scope.signed_headers.end()),
        scope.signed_headers.end());
    std::string canonical = api::auth::canonical_request(request, scope.signed_headers);
    std::string to_sign = api::auth::string_to_sign(amz_date, scope.scope(), canonical);
    return fmt::format("AWS4-HMAC-SHA256 Credential={}/{}, SignedHeaders={}, Signature={}",
                       credentials.access_key,
                       scope.scope(),
                       fmt::join(scope.signed_headers, ";"),
                       api::auth::signature(credentials.secret_key, scope, to_sign));
}

HeaderList signed_post_headers(const AwsCredentials& credentials,
                               std::string_view host,
                               std::string_view path,
                               std::string_view body,
                               HeaderList headers,
                               EpochMillis now_ms) {
    std::string amz_date = format_utc(now_ms, "%Y%m%dT%H%M%SZ");
    headers.emplace_back("Host", std::string(host));
    headers.emplace_back("X-Amz-Date", amz_date);
    std::vector<api::HttpHeader> views;
    for (const auto& [name, value] : headers) {
        views.push_back({name, value});
    }
    api::HttpRequestView request{.method = "POST", .body = body, .uri = path, .headers = views};
    std::string authorization = sign_request(credentials, request, amz_date);
    headers.emplace_back("Authorization", std::move(authorization));
    return headers;
}

}  // namespace shardflow::connectors
