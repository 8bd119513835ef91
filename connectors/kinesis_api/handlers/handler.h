#pragma once
// What every action handler sees and returns.

#include "connectors/kinesis_api/api.h"
#include "connectors/kinesis_api/protocol/request.h"
#include "engine/store/stream_store.h"

#include <boost/json.hpp>

#include <functional>
#include <string_view>
#include <vector>

namespace shardflow::api {

/// Shared by all handlers of one server. Handlers are stateless functions over it.
class ShardSubscriptions;

struct HandlerContext {
    store::StreamStore& store;
    ShardSubscriptions& subscriptions;
    std::string_view content_type;  // of the request, and so of the answer
};

/// One action: reads its members from the request, calls the store, returns the response body.
using Handler = Result<boost::json::object> (*)(HandlerContext& ctx, Request& request);
/// Gets an action's response body, encoded in the context's content type, or its error.
using Reply = std::function<void(Result<std::string>)>;
/// An action that writes its answer itself: records straight into the body, without a document
/// (GetRecords, PutRecords), and, for a put, once its records are durable. It reads its members
/// before it returns and replies once, from any thread, before or after.
using EncodingHandler = void (*)(HandlerContext& ctx, Request& request, Reply reply);

struct Action {
    std::string_view name;  // e.g. "PutRecords"
    Handler handle;         // nullptr for the actions handle_encoded answers
    /// False where the model gives the action no output: AWS answers with an empty body.
    bool has_output;
    EncodingHandler handle_encoded = nullptr;
};

/// The action named `name`, or nullptr for an unknown one (and SubscribeToShard).
const Action* find_action(std::string_view name);

/// SubscribeToShard, which answers with an event stream in the context's content type
/// rather than one body.
Result<ApiResponse> subscribe_to_shard(HandlerContext& ctx, Request& request);

/// Every action name, sorted.
std::vector<std::string_view> action_names();

/// Checks the members the model reserves for future use (`StreamId`, on every input that names
/// a stream) against their constraints; they are otherwise ignored, as AWS does.
void check_reserved_members(Request& request, std::string_view action);

/// The stream a request names, by StreamName or StreamARN (one of them is required).
std::optional<std::string> stream_of(Request& request);

/// The response of an action that returns nothing: `{}`, or the store's error.
inline Result<boost::json::object> empty_or_error(Status status) {
    if (!status) {
        return std::move(status).error();
    }
    return boost::json::object{};
}

/// Epoch milliseconds as the epoch-seconds number AWS JSON timestamps are.
inline double epoch_seconds(EpochMillis ms) {
    return static_cast<double>(ms) / 1000.0;
}

/// The `Tags` member: a map of strings (a SerializationException otherwise) within the model's
/// limits of count and length.
std::map<std::string, std::string> tag_map(Request& request, bool required);
/// The `TagKeys` member, within the model's limits.
std::vector<std::string> tag_keys(Request& request);

/// Where a read starts, from a validated ShardIteratorType and the members it needs.
Result<store::IteratorRequest> iterator_request(std::string_view type,
                                                std::optional<std::string_view> sequence_number,
                                                std::optional<EpochMillis> timestamp);

/// Opaque paging tokens (NextToken) that expire after five minutes.
std::string make_next_token(const boost::json::object& position, EpochMillis now_ms);
Result<boost::json::object> read_next_token(std::string_view token, EpochMillis now_ms);

// The handlers, one per action, grouped by file.
#define SF_HANDLER(name) Result<boost::json::object> name(HandlerContext& ctx, Request& request)
SF_HANDLER(create_stream);
SF_HANDLER(delete_stream);
SF_HANDLER(describe_stream);
SF_HANDLER(describe_stream_summary);
SF_HANDLER(list_streams);
SF_HANDLER(update_stream_mode);
SF_HANDLER(update_max_record_size);
SF_HANDLER(update_stream_warm_throughput);
SF_HANDLER(describe_account_settings);
SF_HANDLER(update_account_settings);
SF_HANDLER(put_resource_policy);
SF_HANDLER(get_resource_policy);
SF_HANDLER(delete_resource_policy);
SF_HANDLER(increase_stream_retention_period);
SF_HANDLER(decrease_stream_retention_period);
SF_HANDLER(describe_limits);
SF_HANDLER(enable_enhanced_monitoring);
SF_HANDLER(disable_enhanced_monitoring);
SF_HANDLER(start_stream_encryption);
SF_HANDLER(stop_stream_encryption);
SF_HANDLER(add_tags_to_stream);
SF_HANDLER(remove_tags_from_stream);
SF_HANDLER(list_tags_for_stream);
SF_HANDLER(tag_resource);
SF_HANDLER(untag_resource);
SF_HANDLER(list_tags_for_resource);
SF_HANDLER(get_shard_iterator);
SF_HANDLER(list_shards);
SF_HANDLER(split_shard);
SF_HANDLER(merge_shards);
SF_HANDLER(update_shard_count);
SF_HANDLER(register_stream_consumer);
SF_HANDLER(describe_stream_consumer);
SF_HANDLER(list_stream_consumers);
SF_HANDLER(deregister_stream_consumer);
#undef SF_HANDLER
void put_record(HandlerContext& ctx, Request& request, Reply reply);
void put_records(HandlerContext& ctx, Request& request, Reply reply);
void get_records(HandlerContext& ctx, Request& request, Reply reply);

}  // namespace shardflow::api
