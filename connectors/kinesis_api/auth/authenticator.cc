// Checks in the order AWS reports them: which credentials and their parts (every mode), then,
// strict, the algorithm and scope, date, key, clock skew and signature.

#include "connectors/kinesis_api/auth/authenticator.h"

#include "connectors/kinesis_api/auth/sigv4.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace shardflow::api::auth {
namespace {

constexpr EpochMillis kAllowedSkewMs = 5 * 60 * 1000;

/// "20150830T123600Z" -> epoch milliseconds.
std::optional<EpochMillis> parse_amz_date(std::string_view s) {
    std::tm tm{};
    if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z' ||
        std::sscanf(std::string(s).c_str(),
                    "%4d%2d%2dT%2d%2d%2dZ",
                    &tm.tm_year,
                    &tm.tm_mon,
                    &tm.tm_mday,
                    &tm.tm_hour,
                    &tm.tm_min,
                    &tm.tm_sec) != 6) {
        return std::nullopt;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return static_cast<EpochMillis>(timegm(&tm)) * 1000;
}

std::string format_amz_date(EpochMillis ms) {
    return format_utc(ms, "%Y%m%dT%H%M%SZ");
}

Status check_freshness(std::string_view amz_date, EpochMillis signed_at, EpochMillis now) {
    if (signed_at < now - kAllowedSkewMs) {
        return Error::make(ErrorCode::kInvalidSignature,
                           "Signature expired: {} is now earlier than {} ({} - 5 min.)",
                           amz_date,
                           format_amz_date(now - kAllowedSkewMs),
                           format_amz_date(now));
    }
    if (signed_at > now + kAllowedSkewMs) {
        return Error::make(ErrorCode::kInvalidSignature,
                           "Signature not yet current: {} is still later than {} ({} + 5 min.)",
                           amz_date,
                           format_amz_date(now + kAllowedSkewMs),
                           format_amz_date(now));
    }
    return ok();
}

/// The value of query parameter `name` (empty when given without one), or nullopt.
std::optional<std::string_view> query_parameter(std::string_view uri, std::string_view name) {
    size_t question = uri.find('?');
    if (question == std::string_view::npos) {
        return std::nullopt;
    }
    std::string_view query = uri.substr(question + 1);
    while (!query.empty()) {
        std::string_view item = query.substr(0, query.find('&'));
        query.remove_prefix(std::min(query.size(), item.size() + 1));
        std::string_view key = item.substr(0, item.find('='));
        if (key == name) {
            return item.size() > key.size() ? item.substr(key.size() + 1) : std::string_view();
        }
    }
    return std::nullopt;
}

/// The `key=value` parameters after the algorithm, separated by commas or spaces as AWS takes
/// them: whether `key` has a value.
bool has_parameter(std::string_view authorization, std::string_view key) {
    std::string_view rest =
        authorization.substr(std::min(authorization.size(), authorization.find(' ')));
    while (!rest.empty()) {
        size_t start = rest.find_first_not_of(", ");
        if (start == std::string_view::npos) {
            break;
        }
        rest.remove_prefix(start);
        std::string_view item = rest.substr(0, rest.find_first_of(", "));
        rest.remove_prefix(item.size());
        if (item.size() > key.size() + 1 && item.starts_with(key) && item[key.size()] == '=') {
            return true;
        }
    }
    return false;
}

/// AWS's first look: an Authorization header or query-string signature parameters (not both),
/// each naming every part, all missing parts reported at once.
Status check_complete(const HttpRequestView& request) {
    bool in_query = query_parameter(request.uri, "X-Amz-Algorithm").has_value();
    if (!request.authorization.empty() && in_query) {
        return Error{ErrorCode::kInvalidSignature,
                     "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' "
                     "as HTTP header."};
    }
    if (request.authorization.empty() && !in_query) {
        return Error{ErrorCode::kMissingAuthenticationToken, "Missing Authentication Token"};
    }
    std::string missing;
    if (in_query) {
        for (std::string_view part : {"X-Amz-Algorithm",
                                      "X-Amz-Credential",
                                      "X-Amz-Signature",
                                      "X-Amz-SignedHeaders",
                                      "X-Amz-Date"}) {
            if (query_parameter(request.uri, part).value_or("").empty()) {
                missing += fmt::format("AWS query-string parameters must include '{}'. ", part);
            }
        }
        if (!missing.empty()) {
            return Error{ErrorCode::kIncompleteSignature,
                         missing + "Re-examine the query-string parameters."};
        }
        return ok();
    }
    for (std::string_view part : {"Credential", "Signature", "SignedHeaders"}) {
        if (!has_parameter(request.authorization, part)) {
            missing += fmt::format("Authorization header requires '{}' parameter. ", part);
        }
    }
    if (header_value(request, "x-amz-date").empty() && header_value(request, "date").empty()) {
        missing +=
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' "
            "header. ";
    }
    if (!missing.empty()) {
        return Error{ErrorCode::kIncompleteSignature,
                     fmt::format("{}Authorization={}", missing, request.authorization)};
    }
    return ok();
}

}  // namespace

Status Authenticator::check(const HttpRequestView& request) const {
    SF_TRY(check_complete(request));
    if (!strict_) {
        return ok();
    }
    if (request.authorization.empty()) {
        return Error{ErrorCode::kInvalidSignature,
                     "This server verifies the Authorization header only: sign requests with it "
                     "rather than with query-string parameters."};
    }
    SF_ASSIGN_OR_RETURN(auto authorization, parse_authorization(request.authorization));
    std::string_view amz_date = header_value(request, "x-amz-date");
    auto signed_at = parse_amz_date(amz_date);
    if (!signed_at) {
        return Error::make(
            ErrorCode::kIncompleteSignature,
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
            "Authorization={}",
            request.authorization);
    }
    auto secret = strict_->credentials.secret_for(authorization.access_key);
    if (!secret) {
        return Error{ErrorCode::kUnrecognizedClient,
                     "The security token included in the request is invalid."};
    }
    if (!amz_date.starts_with(authorization.date)) {
        return Error::make(
            ErrorCode::kInvalidSignature,
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from "
            "HTTP: '{}' != '{}', from '{}'.",
            authorization.date,
            amz_date.substr(0, 8),
            amz_date);
    }
    if (authorization.region != strict_->region) {
        return Error::make(ErrorCode::kInvalidSignature,
                           "Credential should be scoped to a valid region, not '{}'. ",
                           authorization.region);
    }
    if (authorization.service != "kinesis") {
        return Error{ErrorCode::kInvalidSignature,
                     "Credential should be scoped to correct service: 'kinesis'. "};
    }
    const auto& signed_headers = authorization.signed_headers;
    if (std::find(signed_headers.begin(), signed_headers.end(), "host") == signed_headers.end() &&
        std::find(signed_headers.begin(), signed_headers.end(), ":authority") ==
            signed_headers.end()) {  // as the JS SDK signs over HTTP/2
        return Error::make(
            ErrorCode::kIncompleteSignature,
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    }
    SF_TRY(check_freshness(amz_date, *signed_at, strict_->clock->now_ms()));

    std::string canonical = canonical_request(request, authorization.signed_headers);
    std::string to_sign = string_to_sign(amz_date, authorization.scope(), canonical);
    std::string expected = signature(*secret, authorization, to_sign);
    if (expected.size() != authorization.signature.size() ||
        CRYPTO_memcmp(expected.data(), authorization.signature.data(), expected.size()) != 0) {
        return Error::make(
            ErrorCode::kInvalidSignature,
            "The request signature we calculated does not match the signature you provided. Check "
            "your AWS Secret Access Key and signing method. Consult the service documentation for "
            "details.\n\nThe Canonical String for this request should have been\n'{}'\n\nThe "
            "String-to-Sign should have been\n'{}'\n",
            canonical,
            to_sign);
    }
    return ok();
}

}  // namespace shardflow::api::auth
