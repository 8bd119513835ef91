// Request checks in the order AWS applies them: method, authentication, target, body. Bodies are
// JSON or CBOR (the Java SDK's default); the answer speaks the request's.

#include "connectors/kinesis_api/api.h"

#include "connectors/kinesis_api/error_mapping.h"
#include "connectors/kinesis_api/handlers/handler.h"
#include "connectors/kinesis_api/protocol/cbor.h"

#include <boost/json.hpp>

namespace shardflow::api {
namespace {

constexpr std::string_view kTargetPrefix = "Kinesis_20131202.";
constexpr std::string_view kJson11 = "application/x-amz-json-1.1";

bool is_cbor(std::string_view content_type) {
    return content_type.starts_with("application/x-amz-cbor");
}

/// The members of Kinesis's shapes that CBOR carries as bytes or as timestamps.
CborMember kinesis_member(std::string_view name) {
    if (name == "Data") {
        return CborMember::kBlob;
    }
    if (name == "ApproximateArrivalTimestamp" || name == "StreamCreationTimestamp" ||
        name == "ConsumerCreationTimestamp") {
        return CborMember::kTimestamp;
    }
    return CborMember::kValue;
}

std::string encoded(const boost::json::value& body, std::string_view content_type) {
    return is_cbor(content_type) ? json_to_cbor(body, kinesis_member)
                                 : boost::json::serialize(body);
}

/// The request body as the handlers read it: JSON as sent, or CBOR translated.
Result<boost::json::value> decoded_body(const HttpRequestView& request) {
    if (is_cbor(request.content_type)) {
        return request.body.empty() ? boost::json::value(boost::json::object())
                                    : cbor_to_json(request.body);
    }
    boost::system::error_code ec;
    boost::json::value body = boost::json::parse(request.body.empty() ? "{}" : request.body, ec);
    if (ec) {
        return Error::make(ErrorCode::kSerialization, "Malformed JSON body: {}", ec.message());
    }
    return body;
}

}  // namespace

ApiResponse error_response(const Error& error, std::string_view content_type) {
    WireError wire = to_wire(error.code);
    boost::json::object body{{"__type", wire.type}};
    if (!error.message.empty()) {
        // SerializationException carries "Message", as the Java service writes it.
        body[error.code == ErrorCode::kSerialization ? "Message" : "message"] = error.message;
    }
    return {wire.http_status, std::string(content_type), encoded(body, content_type)};
}

ApiResponse KinesisApi::handle(const HttpRequestView& request) {
    std::string_view content_type = request.content_type.empty() ? kJson11 : request.content_type;
    if (request.method != "POST") {
        return error_response(Error{ErrorCode::kAccessDenied,
                                    "Unable to determine service/operation name to be authorized"},
                              content_type);
    }
    if (Status auth = authenticator_.check(request); !auth) {
        ApiResponse refused = error_response(auth.error(), content_type);
        refused.close = true;  // a refused client keeps no connection to hoard
        return refused;
    }
    Handler handler = request.target.starts_with(kTargetPrefix)
                          ? find_handler(request.target.substr(kTargetPrefix.size()))
                          : nullptr;
    if (!handler) {
        return error_response(Error{ErrorCode::kUnknownOperation, ""}, content_type);
    }
    auto parsed = decoded_body(request);
    if (!parsed) {
        return error_response(parsed.error(), content_type);
    }
    boost::json::value& body = *parsed;
    if (!body.is_object()) {
        return error_response(
            Error{ErrorCode::kSerialization, "Start of structure or map expected"}, content_type);
    }
    Request decoded(body.get_object());
    HandlerContext ctx{store_};
    auto result = handler(ctx, decoded);
    if (!result) {
        return error_response(result.error(), content_type);
    }
    return {200, std::string(content_type), encoded(*result, content_type)};
}

}  // namespace shardflow::api
