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

bool is_cbor(std::string_view content_type);

/// `body` in the format `content_type` names.
std::string encode_body(const boost::json::value& body, std::string_view content_type);

/// The request body as the handlers read it: JSON as sent, or CBOR translated (an empty CBOR
/// body is `{}`). A SerializationException for a malformed one.
Result<boost::json::value> decode_body(const HttpRequestView& request);

}  // namespace shardflow::api
