#pragma once
// CBOR (RFC 8949) bodies as the AWS SDK for Java v2 sends them (`application/x-amz-cbor-1.1`),
// translated to and from the JSON model the handlers work on: a byte string is the base64 text
// the JSON protocol carries for a blob, and a timestamp (tag 1 with epoch milliseconds, as the
// SDK writes it, not RFC 8949's seconds) is the JSON protocol's epoch seconds.

#include "engine/common/error.h"

#include <boost/json.hpp>

#include <functional>
#include <string>
#include <string_view>

namespace shardflow::api {

/// The request body's value; a SerializationException for anything that is not well-formed
/// CBOR, nests deeper than 64, or claims more bytes than it has.
Result<boost::json::value> cbor_to_json(std::string_view cbor);

/// How a member of an encoded object goes out: as its JSON value, as a byte string (the base64
/// text decoded), or as a tag-1 timestamp in epoch milliseconds (from epoch seconds).
enum class CborMember : uint8_t { kValue, kBlob, kTimestamp };
using CborMemberKind = std::function<CborMember(std::string_view member)>;

/// The response body for `value`; `kind_of` names the blobs and timestamps by member name.
std::string json_to_cbor(const boost::json::value& value, const CborMemberKind& kind_of);

}  // namespace shardflow::api
