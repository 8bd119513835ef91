#pragma once
// The two body formats of the Kinesis protocol: AWS JSON 1.1, and CBOR as the Java SDK sends
// it. Handlers work on the JSON model; these translate at the edges.

#include "connectors/kinesis_api/http_request.h"
#include "engine/common/error.h"

#include <boost/json.hpp>

#include <string>
#include <string_view>

namespace shardflow::api {

inline constexpr std::string_view kJson11 = "application/x-amz-json-1.1";
inline constexpr std::string_view kCbor11 = "application/x-amz-cbor-1.1";
/// Coral's older JSON envelope, which AWS still recognises only to refuse.
inline constexpr std::string_view kDeprecatedJson = "application/json";

/// The media type of a Content-Type header, as AWS compares it: before any ';', trimmed.
std::string_view media_type(std::string_view content_type);

bool is_cbor(std::string_view content_type);

/// `body` in the format `content_type` names.
std::string encode_body(const boost::json::value& body, std::string_view content_type);

/// The request body as the handlers read it: JSON as sent, or CBOR translated. A
/// SerializationException (without a message, as AWS's) for a malformed one.
/// A JSON body is parsed into `storage` (an arena that outlives the value, say).
Result<boost::json::value> decode_body(const HttpRequestView& request,
                                       boost::json::storage_ptr storage = {});

}  // namespace shardflow::api
