// JSON or CBOR, by content type; CBOR carries Kinesis's blobs and timestamps natively.

#include "connectors/kinesis_api/protocol/wire_format.h"

#include "connectors/kinesis_api/protocol/cbor.h"

namespace shardflow::api {
namespace {

/// The members of Kinesis's shapes that CBOR carries as bytes or as timestamps.
CborMember kinesis_member(std::string_view name) {
    if (name == "Data") {
        return CborMember::kBlob;
    }
    if (name == "ApproximateArrivalTimestamp" || name == "StreamCreationTimestamp" ||
        name == "ConsumerCreationTimestamp" || name == "StartedAt" || name == "EndedAt" ||
        name == "EarliestAllowedEndAt") {
        return CborMember::kTimestamp;
    }
    return CborMember::kValue;
}

}  // namespace

bool is_cbor(std::string_view content_type) {
    return content_type.starts_with("application/x-amz-cbor");
}

std::string encode_body(const boost::json::value& body, std::string_view content_type) {
    return is_cbor(content_type) ? json_to_cbor(body, kinesis_member)
                                 : boost::json::serialize(body);
}

Result<boost::json::value> decode_body(const HttpRequestView& request) {
    if (is_cbor(request.content_type)) {
        return request.body.empty() ? boost::json::value(boost::json::object())
                                    : cbor_to_json(request.body);
    }
    boost::system::error_code ec;
    boost::json::value body = boost::json::parse(request.body, ec);
    if (ec) {
        return Error::make(ErrorCode::kSerialization, "Malformed JSON body: {}", ec.message());
    }
    return body;
}

}  // namespace shardflow::api
