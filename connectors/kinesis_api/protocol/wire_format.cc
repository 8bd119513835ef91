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

std::string_view media_type(std::string_view content_type) {
    std::string_view type = content_type.substr(0, content_type.find(';'));
    size_t first = type.find_first_not_of(" \t");
    if (first == std::string_view::npos) {
        return {};
    }
    return type.substr(first, type.find_last_not_of(" \t") + 1 - first);
}

bool is_cbor(std::string_view content_type) {
    return content_type.starts_with("application/x-amz-cbor");
}

std::string encode_body(const boost::json::value& body, std::string_view content_type) {
    return is_cbor(content_type) ? json_to_cbor(body, kinesis_member)
                                 : boost::json::serialize(body);
}

Result<boost::json::value> decode_body(const HttpRequestView& request,
                                       boost::json::storage_ptr storage) {
    if (is_cbor(request.content_type)) {
        return cbor_to_json(request.body);
    }
    boost::system::error_code ec;
    boost::json::value body = boost::json::parse(request.body, ec, std::move(storage));
    if (ec) {
        return Error{ErrorCode::kSerialization, ""};
    }
    return body;
}

}  // namespace shardflow::api
