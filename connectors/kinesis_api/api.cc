// Request checks in the order AWS applies them: method and content type (answered in XML),
// target, body, then authentication. Bodies are JSON or CBOR (the Java SDK's default); the answer
// speaks the request's.

#include "connectors/kinesis_api/api.h"

#include "connectors/kinesis_api/error_mapping.h"
#include "connectors/kinesis_api/handlers/handler.h"
#include "connectors/kinesis_api/protocol/wire_format.h"

#include <boost/json.hpp>
#include <fmt/format.h>

namespace shardflow::api {
namespace {

constexpr std::string_view kTargetPrefix = "Kinesis_20131202.";
constexpr std::string_view kSubscribeToShard = "SubscribeToShard";

/// AWS's front door answers a request in no protocol Kinesis speaks (another method, a content
/// type other than AWS JSON 1.1 or CBOR) before choosing one: in XML, with 403, and by whether
/// the request carried credentials.
ApiResponse front_door_refusal(const HttpRequestView& request) {
    bool has_credentials = !request.authorization.empty() ||
                           request.uri.find("X-Amz-Algorithm") != std::string_view::npos;
    std::string_view type =
        has_credentials ? "AccessDeniedException" : "MissingAuthenticationTokenException";
    std::string_view message = has_credentials
                                   ? "Unable to determine service/operation name to be authorized"
                                   : "Missing Authentication Token";
    ApiResponse refused{403,
                        "application/xml",
                        fmt::format("<{0}>\n  <Message>{1}</Message>\n</{0}>\n", type, message)};
    refused.close = !has_credentials;  // as for every unauthenticated refusal
    return refused;
}

}  // namespace

ApiResponse error_response(const Error& error, std::string_view content_type) {
    WireError wire = to_wire(error.code);
    boost::json::object body{{"__type", wire.type}};
    if (!error.message.empty()) {
        // SerializationException carries "Message", as the Java service writes it.
        body[error.code == ErrorCode::kSerialization ? "Message" : "message"] = error.message;
    }
    return {wire.http_status, std::string(content_type), encode_body(body, content_type)};
}

KinesisApi::KinesisApi(store::StreamStore& store,
                       auth::Authenticator authenticator,
                       SubscriptionOptions subscriptions)
    : store_(store)
    , authenticator_(std::move(authenticator))
    , subscriptions_(store, subscriptions) {}

ApiResponse KinesisApi::handle(const HttpRequestView& request) {
    std::string_view content_type = request.content_type;
    bool spoken = content_type.starts_with(kJson11) || is_cbor(content_type);
    if (request.method != "POST" || !spoken) {
        return front_door_refusal(request);
    }
    std::string_view action = request.target.starts_with(kTargetPrefix)
                                  ? request.target.substr(kTargetPrefix.size())
                                  : std::string_view();
    Handler handler = find_handler(action);
    if (!handler && action != kSubscribeToShard) {
        return error_response(Error{ErrorCode::kUnknownOperation, ""}, content_type);
    }
    if (request.body.empty() && !is_cbor(content_type)) {
        return error_response(Error{ErrorCode::kSerialization, ""}, content_type);
    }
    auto parsed = decode_body(request);
    if (!parsed) {
        return error_response(parsed.error(), content_type);
    }
    boost::json::value& body = *parsed;
    if (!body.is_object()) {
        return error_response(
            Error{ErrorCode::kSerialization, "Start of structure or map expected"}, content_type);
    }
    if (Status auth = authenticator_.check(request); !auth) {
        ApiResponse refused = error_response(auth.error(), content_type);
        refused.close = true;  // a refused client keeps no connection to hoard
        return refused;
    }
    Request decoded(body.get_object());
    HandlerContext ctx{store_, subscriptions_};
    if (!handler) {
        auto events = subscribe_to_shard(ctx, decoded, content_type);
        return events ? std::move(*events) : error_response(events.error(), content_type);
    }
    auto result = handler(ctx, decoded);
    if (!result) {
        return error_response(result.error(), content_type);
    }
    return {200, std::string(content_type), encode_body(*result, content_type)};
}

}  // namespace shardflow::api
