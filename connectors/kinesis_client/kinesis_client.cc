// Kinesis calls: JSON bodies, SigV4 headers, and answers or error bodies decoded.

#include "connectors/kinesis_client/kinesis_client.h"

#include "connectors/kinesis_api/error_mapping.h"
#include "engine/common/base64.h"

#include <boost/json.hpp>

#include <thread>

namespace shardflow::connectors {
namespace json = boost::json;

namespace {

constexpr std::string_view kContentType = "application/x-amz-json-1.1";

std::string string_field(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

/// `{"__type": "...#Type:extra", "message": "..."}` as an Error; botocore cuts the type the same
/// way.
Error decode_error(const HttpResponse& response) {
    boost::system::error_code ec;
    json::value body = json::parse(response.body, ec);
    if (ec || !body.is_object() || !body.as_object().contains("__type")) {
        return Error::make(error_code_of("", response.status),
                           "HTTP {} from the endpoint: {}",
                           response.status,
                           response.body.substr(0, 200));
    }
    std::string type = string_field(body.as_object(), "__type");
    type = type.substr(0, type.find(':'));
    if (size_t hash = type.rfind('#'); hash != std::string::npos) {
        type = type.substr(hash + 1);
    }
    std::string message = string_field(body.as_object(), "message");
    if (message.empty()) {
        message = string_field(body.as_object(), "Message");
    }
    return Error::make(
        error_code_of(type, response.status), "{}{}{}", type, message.empty() ? "" : ": ", message);
}

}  // namespace

ErrorCode error_code_of(std::string_view type, int http_status) {
    for (int i = 0; i <= static_cast<int>(ErrorCode::kCancelled); ++i) {
        auto code = static_cast<ErrorCode>(i);
        if (api::to_wire(code).type == type) {
            return code;
        }
    }
    if (http_status >= 500 || type == "InternalFailureException") {
        return ErrorCode::kInternalFailure;
    }
    return type == "ThrottlingException" ? ErrorCode::kLimitExceeded : ErrorCode::kInvalidArgument;
}

Result<KinesisClient> KinesisClient::create(KinesisClientOptions options) {
    SF_ASSIGN_OR_RETURN(auto endpoint, parse_http_endpoint(options.endpoint));
    HttpConnection connection(std::move(endpoint), options.timeout);
    return KinesisClient(std::move(options), std::move(connection));
}

Result<json::value> KinesisClient::call(std::string_view action, const json::object& body) {
    std::string text = json::serialize(body);
    std::string target = fmt::format("Kinesis_20131202.{}", action);
    HttpConnection::Headers headers =
        signed_post_headers(options_.credentials,
                            connection_.endpoint().authority(),
                            "/",
                            text,
                            {{"Content-Type", std::string(kContentType)}, {"X-Amz-Target", target}},
                            options_.clock->now_ms());
    SF_ASSIGN_OR_RETURN(auto response, connection_.post("/", headers, std::move(text)));
    if (response.status != 200) {
        return decode_error(response);
    }
    if (response.body.empty()) {  // AWS's answer to an action without output
        return json::value(json::object{});
    }
    boost::system::error_code ec;
    json::value answer = json::parse(response.body, ec);
    if (ec) {
        return Error::make(ErrorCode::kInternalFailure,
                           "{} answered {} with a body that is not JSON",
                           options_.endpoint,
                           action);
    }
    return answer;
}

Result<PutRecordsResult> KinesisClient::put_records(std::string_view stream,
                                                    std::span<const PutRecordsEntry> records) {
    json::array entries;
    entries.reserve(records.size());
    for (const auto& r : records) {
        entries.push_back(
            json::object{{"Data", base64_encode(r.data)}, {"PartitionKey", r.partition_key}});
    }
    SF_ASSIGN_OR_RETURN(
        auto answer, call("PutRecords", {{"StreamName", stream}, {"Records", std::move(entries)}}));
    const json::object* o = answer.if_object();
    const json::value* list = o ? o->if_contains("Records") : nullptr;
    if (!list || !list->is_array() || list->get_array().size() != records.size()) {
        return Error::make(ErrorCode::kInternalFailure,
                           "PutRecords answer from {} does not list {} records",
                           options_.endpoint,
                           records.size());
    }
    PutRecordsResult out;
    for (const auto& entry : list->get_array()) {
        const json::object* e = entry.if_object();
        if (!e) {
            return Error{ErrorCode::kInternalFailure, "PutRecords answer has a non-object entry"};
        }
        out.records.push_back({string_field(*e, "SequenceNumber"),
                               string_field(*e, "ShardId"),
                               string_field(*e, "ErrorCode"),
                               string_field(*e, "ErrorMessage")});
        out.failed_record_count += out.records.back().error_code.empty() ? 0 : 1;
    }
    return out;
}

Result<StreamSummary> KinesisClient::describe_stream_summary(std::string_view stream) {
    SF_ASSIGN_OR_RETURN(auto answer, call("DescribeStreamSummary", {{"StreamName", stream}}));
    const json::value* summary =
        answer.is_object() ? answer.get_object().if_contains("StreamDescriptionSummary") : nullptr;
    if (!summary || !summary->is_object()) {
        return Error{ErrorCode::kInternalFailure,
                     "DescribeStreamSummary answer has no StreamDescriptionSummary"};
    }
    StreamSummary out;
    out.status = string_field(summary->get_object(), "StreamStatus");
    if (const json::value* n = summary->get_object().if_contains("OpenShardCount");
        n && n->is_int64()) {
        out.open_shard_count = n->get_int64();
    }
    return out;
}

Status KinesisClient::create_stream(std::string_view stream, int64_t shard_count) {
    SF_TRY(call("CreateStream", {{"StreamName", stream}, {"ShardCount", shard_count}}));
    return ok();
}

Status KinesisClient::wait_until_active(std::string_view stream,
                                        std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        SF_ASSIGN_OR_RETURN(auto summary, describe_stream_summary(stream));
        if (summary.status == "ACTIVE") {
            return ok();
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return Error::make(ErrorCode::kResourceInUse,
                               "stream {} is still {} after {} ms",
                               stream,
                               summary.status,
                               timeout.count());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

}  // namespace shardflow::connectors
