// Request checks in the order AWS applies them (as kinesalite's AWS-verified suite measured it):
// method, then an empty body, content type, body and target, and authentication last. Bodies are
// JSON or CBOR (the Java SDK's default); the answer speaks the request's.

#include "connectors/kinesis_api/api.h"

#include "connectors/kinesis_api/error_mapping.h"
#include "connectors/kinesis_api/handlers/handler.h"
#include "connectors/kinesis_api/protocol/wire_format.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <future>

namespace shardflow::api {
namespace {

constexpr std::string_view kService = "Kinesis_20131202";
constexpr std::string_view kSubscribeToShard = "SubscribeToShard";

/// An answer of AWS's front door, before it has chosen a protocol: XML, with 403.
ApiResponse xml_refusal(std::string_view type, std::string_view message) {
    return {403, "", fmt::format("<{0}>\n  <Message>{1}</Message>\n</{0}>\n", type, message)};
}

bool has_credentials(const HttpRequestView& request) {
    return !request.authorization.empty() ||
           request.uri.find("X-Amz-Algorithm") != std::string_view::npos;
}

/// Another method than POST is refused first, by whether the request carried credentials.
ApiResponse wrong_method(const HttpRequestView& request) {
    return has_credentials(request)
               ? xml_refusal("AccessDeniedException",
                             "Unable to determine service/operation name to be authorized")
               : xml_refusal("MissingAuthenticationTokenException", "Missing Authentication Token");
}

/// An action's answer: its body, already in `content_type`, or its error.
ApiResponse answer_of(Result<std::string> body, std::string_view content_type) {
    if (!body) {
        return error_response(body.error(), content_type);
    }
    return {200, std::string(content_type), std::move(*body)};
}

/// An action's answer in the request's content type; an empty body where it has no output.
ApiResponse encode_answer(const Result<boost::json::object>& result,
                          std::string_view content_type,
                          bool has_output) {
    if (!result) {
        return error_response(result.error(), content_type);
    }
    return answer_of(has_output ? encode_body(*result, content_type) : std::string(), content_type);
}

/// The answer to a request in Coral's older `application/json` envelope, which AWS refuses.
ApiResponse deprecated_envelope(int status, std::string_view type) {
    boost::json::object output{{"__type", fmt::format("com.amazon.coral.service#{}", type)}};
    return {status,
            std::string(kDeprecatedJson),
            boost::json::serialize(boost::json::object{{"Output", output}, {"Version", "1.0"}})};
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

void KinesisApi::handle(const HttpRequestView& request, const Respond& respond) {
    auto deliver = [respond, credentials = has_credentials(request)](ApiResponse answer) {
        if (answer.status != 200 && !credentials) {
            answer.close = true;  // an unauthenticated client keeps no connection to hoard
        }
        respond(std::move(answer));
    };
    if (auto answer = answer_request(request, deliver)) {
        deliver(std::move(*answer));
    }
}

ApiResponse KinesisApi::handle(const HttpRequestView& request) {
    std::promise<ApiResponse> answered;
    auto answer = answered.get_future();
    handle(request, [&answered](ApiResponse r) { answered.set_value(std::move(r)); });
    return answer.get();
}

std::optional<ApiResponse> KinesisApi::answer_request(const HttpRequestView& request,
                                                      const Respond& respond) {
    if (request.method != "POST") {
        return wrong_method(request);
    }
    std::string_view media = media_type(request.content_type);
    bool spoken = media == kJson11 || media == kCbor11 || media == kDeprecatedJson;
    size_t dot = request.target.find('.');
    std::string_view service = request.target.substr(0, dot);
    std::string_view action =
        dot == std::string_view::npos ? std::string_view() : request.target.substr(dot + 1);
    const Action* handler = service == kService ? find_action(action) : nullptr;
    bool known = handler || (service == kService && action == kSubscribeToShard);
    if (request.body.empty()) {  // answered in JSON 1.1 if asked for it, else in CBOR
        return error_response(
            Error{known ? ErrorCode::kSerialization : ErrorCode::kUnknownOperation, ""},
            media == kJson11 ? kJson11 : kCbor11);
    }
    if (!spoken) {
        return service.empty() || action.empty()
                   ? xml_refusal("AccessDeniedException",
                                 "Unable to determine service/operation name to be authorized")
                   : ApiResponse{404, "", "<UnknownOperationException/>\n"};
    }
    HttpRequestView normalised = request;
    normalised.content_type = media;
    // A constant rather than the request's text: a put's answer is encoded after the request.
    std::string_view content_type = media == kCbor11 ? kCbor11 : kJson11;
    // The body's members go into one arena that lives for the request, not one allocation each.
    unsigned char first_block[4096];
    boost::json::monotonic_resource arena(first_block, sizeof first_block);
    auto parsed = decode_body(normalised, &arena);
    if (!parsed || !parsed->is_object()) {
        if (media == kDeprecatedJson) {
            return deprecated_envelope(400, "SerializationException");
        }
        return error_response(parsed ? Error{ErrorCode::kSerialization, ""} : parsed.error(),
                              content_type);
    }
    if (media == kDeprecatedJson) {
        return deprecated_envelope(404, "UnknownOperationException");
    }
    if (!known) {
        return error_response(Error{ErrorCode::kUnknownOperation, ""}, content_type);
    }
    boost::json::value& body = *parsed;
    if (Status auth = authenticator_.check(request); !auth) {
        ApiResponse refused = error_response(auth.error(), content_type);
        refused.close = true;  // a refused client keeps no connection to hoard
        return refused;
    }
    Request decoded(body.get_object());
    check_reserved_members(decoded, action);
    HandlerContext ctx{store_, subscriptions_, content_type};
    if (!handler) {
        auto events = subscribe_to_shard(ctx, decoded);
        return events ? std::move(*events) : error_response(events.error(), content_type);
    }
    if (handler->handle_encoded) {
        handler->handle_encoded(ctx, decoded, [respond, content_type](Result<std::string> body) {
            respond(answer_of(std::move(body), content_type));
        });
        return std::nullopt;
    }
    return encode_answer(handler->handle(ctx, decoded), content_type, handler->has_output);
}

}  // namespace shardflow::api
