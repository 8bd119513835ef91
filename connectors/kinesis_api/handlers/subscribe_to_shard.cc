// SubscribeToShard: checks the consumer and the starting position, answers with the
// initial-response event, and leaves the rest of the event stream to the subscriptions.

#include "connectors/kinesis_api/error_mapping.h"
#include "connectors/kinesis_api/handlers/encode.h"
#include "connectors/kinesis_api/handlers/handler.h"
#include "connectors/kinesis_api/protocol/event_stream.h"
#include "connectors/kinesis_api/protocol/wire_format.h"
#include "connectors/kinesis_api/subscriptions/shard_subscriptions.h"

namespace shardflow::api {
namespace {

using boost::json::object;

/// Events as the request's protocol encodes them (JSON or CBOR payloads).
class KinesisEventEncoder final : public EventEncoder {
public:
    explicit KinesisEventEncoder(std::string_view content_type)
        : content_type_(content_type) {}

    std::string records(const store::GetRecordsResult& read,
                        std::string_view continuation) const override {
        object body{{"Records", encode_records(read.records)},
                    {"ContinuationSequenceNumber", continuation},
                    {"MillisBehindLatest", read.millis_behind_latest}};
        if (read.shard_ended) {
            body["ChildShards"] = encode_child_shards(read.child_shards);
        }
        return event("SubscribeToShardEvent", content_type_, encode_body(body, content_type_));
    }

    std::string error(const Error& error) const override {
        object body{{"message", error.message}};
        return exception_event(
            to_wire(error.code).type, content_type_, encode_body(body, content_type_));
    }

private:
    std::string content_type_;
};

}  // namespace

Result<ApiResponse> subscribe_to_shard(HandlerContext& ctx, Request& request) {
    const std::string_view content_type = ctx.content_type;
    auto consumer_arn = request.string("ConsumerARN", "consumerARN", true, 1, 2048);
    auto shard = request.resource_name("ShardId", "shardId", true);
    const boost::json::object* position =
        request.object("StartingPosition", "startingPosition", true);
    SF_TRY(request.check());
    Request starting(*position);
    auto type = starting.enumeration(
        "Type",
        "startingPosition.type",
        true,
        {"AFTER_SEQUENCE_NUMBER", "LATEST", "AT_TIMESTAMP", "AT_SEQUENCE_NUMBER", "TRIM_HORIZON"});
    auto sequence = starting.string("SequenceNumber", "startingPosition.sequenceNumber", false);
    auto timestamp = starting.timestamp("Timestamp", "startingPosition.timestamp", false);
    SF_TRY(starting.check());
    SF_ASSIGN_OR_RETURN(auto it, iterator_request(*type, sequence, timestamp));

    SF_ASSIGN_OR_RETURN(auto consumer, ctx.store.describe_consumer("", "", *consumer_arn));
    if (consumer.status != "ACTIVE") {
        return Error::make(ErrorCode::kResourceInUse,
                           "Consumer {} is not ACTIVE, instead in state {}.",
                           consumer.arn,
                           consumer.status);
    }
    SF_ASSIGN_OR_RETURN(auto cursor, ctx.store.open_cursor(consumer.stream_arn, *shard, it));
    SF_ASSIGN_OR_RETURN(
        auto events,
        ctx.subscriptions.subscribe(
            consumer.arn, std::move(cursor), std::make_unique<KinesisEventEncoder>(content_type)));
    // botocore and the SDKs refuse a stream whose first event is not the initial-response.
    ApiResponse response{
        200,
        std::string(kEventStreamContentType),
        event("initial-response", content_type, encode_body(object{}, content_type))};
    response.more = std::move(events);
    return response;
}

}  // namespace shardflow::api
