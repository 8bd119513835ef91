// Request checks in the order AWS applies them: method, authentication, target, body.

#include "connectors/kinesis_api/api.h"

#include "connectors/kinesis_api/error_mapping.h"
#include "connectors/kinesis_api/handlers/handler.h"

#include <boost/json.hpp>

namespace shardflow::api {
namespace {

constexpr std::string_view kTargetPrefix = "Kinesis_20131202.";
constexpr std::string_view kJson11 = "application/x-amz-json-1.1";

}  // namespace

ApiResponse error_response(const Error& error, std::string_view content_type) {
    WireError wire = to_wire(error.code);
    boost::json::object body{{"__type", wire.type}};
    if (!error.message.empty()) {
        // SerializationException carries "Message", as the Java service writes it.
        body[error.code == ErrorCode::kSerialization ? "Message" : "message"] = error.message;
    }
    return {wire.http_status, std::string(content_type), boost::json::serialize(body)};
}

ApiResponse KinesisApi::handle(const HttpRequestView& request) {
    std::string_view content_type = request.content_type.empty() ? kJson11 : request.content_type;
    if (request.method != "POST") {
        return error_response(Error{ErrorCode::kAccessDenied,
                                    "Unable to determine service/operation name to be authorized"},
                              content_type);
    }
    if (content_type.starts_with("application/x-amz-cbor")) {
        return error_response(
            Error{ErrorCode::kSerialization,
                  "CBOR is not supported; configure the client for application/x-amz-json-1.1 "
                  "(for the Java SDK: aws.cborEnabled=false / AWS_CBOR_DISABLE=1)."},
            kJson11);
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
    boost::system::error_code ec;
    boost::json::value body = boost::json::parse(request.body.empty() ? "{}" : request.body, ec);
    if (ec) {
        return error_response(
            Error::make(ErrorCode::kSerialization, "Malformed JSON body: {}", ec.message()),
            content_type);
    }
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
    return {200, std::string(content_type), boost::json::serialize(*result)};
}

}  // namespace shardflow::api
