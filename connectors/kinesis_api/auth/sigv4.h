#pragma once
// AWS Signature Version 4: the Authorization header's parts, the canonical request, the string
// to sign and the signature, as the AWS SDKs compute them.

#include "connectors/kinesis_api/http_request.h"
#include "engine/common/error.h"

#include <string>
#include <string_view>
#include <vector>

namespace shardflow::api::auth {

/// "AWS4-HMAC-SHA256 Credential=KEY/20150830/us-east-1/kinesis/aws4_request,
///  SignedHeaders=host;x-amz-date, Signature=<64 hex digits>"
struct SigV4Authorization {
    std::string access_key;
    std::string date;  // yyyymmdd of the credential scope
    std::string region;
    std::string service;
    std::vector<std::string> signed_headers;  // lower case, in header order
    std::string signature;

    std::string scope() const;  // date/region/service/aws4_request
};

/// IncompleteSignatureException with AWS's wording when a part is missing or malformed.
Result<SigV4Authorization> parse_authorization(std::string_view header);

/// The canonical request over the headers named in `signed_headers`.
std::string canonical_request(const HttpRequestView& request,
                              const std::vector<std::string>& signed_headers);

std::string string_to_sign(std::string_view amz_date,
                           std::string_view scope,
                           std::string_view canonical_request);

/// Hex HMAC-SHA256 of `string_to_sign` under the key derived from the secret and the scope.
std::string signature(std::string_view secret,
                      const SigV4Authorization& scope,
                      std::string_view string_to_sign);

}  // namespace shardflow::api::auth
