// Enhanced fan-out consumer registrations.

#include "connectors/kinesis_api/handlers/encode.h"
#include "connectors/kinesis_api/handlers/handler.h"
#include "connectors/kinesis_api/subscriptions/shard_subscriptions.h"

namespace shardflow::api {

using boost::json::object;

Result<object> register_stream_consumer(HandlerContext& ctx, Request& request) {
    auto arn = request.string("StreamARN", "streamARN", true, 1, 2048);
    auto name = request.resource_name("ConsumerName", "consumerName", true);
    auto tags = tag_map(request, false);
    SF_TRY(request.check());
    SF_ASSIGN_OR_RETURN(auto consumer, ctx.store.register_consumer(*arn, std::string(*name), tags));
    return object{{"Consumer", encode_consumer(consumer, false)}};
}

Result<object> describe_stream_consumer(HandlerContext& ctx, Request& request) {
    auto arn = request.string("StreamARN", "streamARN", false, 1, 2048);
    auto name = request.resource_name("ConsumerName", "consumerName", false);
    auto consumer_arn = request.string("ConsumerARN", "consumerARN", false, 1, 2048);
    SF_TRY(request.check());
    if (!consumer_arn && !(arn && name)) {
        return Error{ErrorCode::kInvalidArgument,
                     "Either ConsumerARN or both StreamARN and ConsumerName must be given."};
    }
    SF_ASSIGN_OR_RETURN(auto consumer,
                        ctx.store.describe_consumer(
                            arn.value_or(""), name.value_or(""), consumer_arn.value_or("")));
    return object{{"ConsumerDescription", encode_consumer(consumer, true)}};
}

Result<object> list_stream_consumers(HandlerContext& ctx, Request& request) {
    auto arn = request.string("StreamARN", "streamARN", true, 1, 2048);
    auto max = request.integer("MaxResults", "maxResults", false, 1, 10000);
    SF_TRY(request.check());
    SF_ASSIGN_OR_RETURN(auto consumers, ctx.store.list_consumers(*arn));
    boost::json::array out;
    for (const auto& c : consumers) {
        if (static_cast<int64_t>(out.size()) == max.value_or(100)) {
            break;
        }
        out.push_back(encode_consumer(c, false));
    }
    return object{{"Consumers", std::move(out)}};
}

Result<object> deregister_stream_consumer(HandlerContext& ctx, Request& request) {
    auto arn = request.string("StreamARN", "streamARN", false, 1, 2048);
    auto name = request.resource_name("ConsumerName", "consumerName", false);
    auto consumer_arn = request.string("ConsumerARN", "consumerARN", false, 1, 2048);
    SF_TRY(request.check());
    if (!consumer_arn && !(arn && name)) {
        return Error{ErrorCode::kInvalidArgument,
                     "Either ConsumerARN or both StreamARN and ConsumerName must be given."};
    }
    SF_ASSIGN_OR_RETURN(auto consumer,
                        ctx.store.deregister_consumer(
                            arn.value_or(""), name.value_or(""), consumer_arn.value_or("")));
    ctx.subscriptions.end_consumer(consumer.arn);
    return object{};
}

}  // namespace shardflow::api
