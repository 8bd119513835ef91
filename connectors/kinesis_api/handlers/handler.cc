// The action table, stream addressing and paging tokens shared by the handlers.

#include "connectors/kinesis_api/handlers/handler.h"

#include "engine/common/base64.h"

#include <algorithm>
#include <array>
#include <utility>

namespace shardflow::api {
namespace {

constexpr EpochMillis kNextTokenLifetimeMs = 300 * 1000;

constexpr std::array<std::pair<std::string_view, Handler>, 38> kHandlers = {{
    {"AddTagsToStream", add_tags_to_stream},
    {"CreateStream", create_stream},
    {"DecreaseStreamRetentionPeriod", decrease_stream_retention_period},
    {"DeleteResourcePolicy", delete_resource_policy},
    {"DeleteStream", delete_stream},
    {"DeregisterStreamConsumer", deregister_stream_consumer},
    {"DescribeAccountSettings", describe_account_settings},
    {"DescribeLimits", describe_limits},
    {"DescribeStream", describe_stream},
    {"DescribeStreamConsumer", describe_stream_consumer},
    {"DescribeStreamSummary", describe_stream_summary},
    {"DisableEnhancedMonitoring", disable_enhanced_monitoring},
    {"EnableEnhancedMonitoring", enable_enhanced_monitoring},
    {"GetRecords", get_records},
    {"GetResourcePolicy", get_resource_policy},
    {"GetShardIterator", get_shard_iterator},
    {"IncreaseStreamRetentionPeriod", increase_stream_retention_period},
    {"ListShards", list_shards},
    {"ListStreamConsumers", list_stream_consumers},
    {"ListStreams", list_streams},
    {"ListTagsForResource", list_tags_for_resource},
    {"ListTagsForStream", list_tags_for_stream},
    {"MergeShards", merge_shards},
    {"PutRecord", put_record},
    {"PutRecords", put_records},
    {"PutResourcePolicy", put_resource_policy},
    {"RegisterStreamConsumer", register_stream_consumer},
    {"RemoveTagsFromStream", remove_tags_from_stream},
    {"SplitShard", split_shard},
    {"StartStreamEncryption", start_stream_encryption},
    {"StopStreamEncryption", stop_stream_encryption},
    {"TagResource", tag_resource},
    {"UntagResource", untag_resource},
    {"UpdateAccountSettings", update_account_settings},
    {"UpdateMaxRecordSize", update_max_record_size},
    {"UpdateShardCount", update_shard_count},
    {"UpdateStreamMode", update_stream_mode},
    {"UpdateStreamWarmThroughput", update_stream_warm_throughput},
}};
static_assert(std::is_sorted(kHandlers.begin(), kHandlers.end(), [](const auto& a, const auto& b) {
    return a.first < b.first;
}));

}  // namespace

Handler find_handler(std::string_view action) {
    auto it = std::lower_bound(
        kHandlers.begin(), kHandlers.end(), action, [](const auto& entry, std::string_view a) {
            return entry.first < a;
        });
    return it != kHandlers.end() && it->first == action ? it->second : nullptr;
}

std::vector<std::string_view> action_names() {
    std::vector<std::string_view> names{"SubscribeToShard"};
    for (const auto& [name, handler] : kHandlers) {
        names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::optional<std::string> stream_of(Request& request) {
    bool has_arn = request.body().contains("StreamARN");
    auto name = request.resource_name("StreamName", "streamName", !has_arn);
    auto arn = request.string("StreamARN", "streamARN", false, 1, 2048);
    if (name) {
        return std::string(*name);
    }
    if (arn) {
        return std::string(*arn);
    }
    return std::nullopt;
}

std::map<std::string, std::string> tag_map(Request& request, bool required) {
    std::map<std::string, std::string> tags;
    const auto* o = request.object("Tags", "tags", required, WireType::kMap);
    if (!o) {
        return tags;
    }
    for (const auto& [key, value] : *o) {
        if (!value.is_string()) {
            request.wrong_type(value, WireType::kString);
            return {};
        }
        tags[std::string(key)] = std::string(value.get_string());
    }
    return tags;
}

Result<store::IteratorRequest> iterator_request(std::string_view type,
                                                std::optional<std::string_view> sequence_number,
                                                std::optional<EpochMillis> timestamp) {
    constexpr std::string_view kEitherOr =
        "Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and "
        "StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber.";
    store::IteratorRequest it;
    it.type = *store::parse_iterator_type(type);
    bool by_sequence = it.type == store::IteratorType::kAtSequenceNumber ||
                       it.type == store::IteratorType::kAfterSequenceNumber;
    bool at_an_end =
        it.type == store::IteratorType::kTrimHorizon || it.type == store::IteratorType::kLatest;
    if (by_sequence && !sequence_number) {
        return Error::make(ErrorCode::kInvalidArgument,
                           "{} Request specified {} and no StartingSequenceNumber.",
                           kEitherOr,
                           type);
    }
    if (at_an_end && sequence_number) {
        return Error::make(ErrorCode::kInvalidArgument,
                           "{} Request specified {} and also a StartingSequenceNumber.",
                           kEitherOr,
                           type);
    }
    if (by_sequence) {
        it.starting_sequence_number = std::string(*sequence_number);
    }
    if (it.type == store::IteratorType::kAtTimestamp) {
        if (!timestamp) {
            return Error{ErrorCode::kInvalidArgument,
                         "Timestamp must be specified for ShardIteratorType AT_TIMESTAMP."};
        }
        it.timestamp_ms = *timestamp;
    }
    return it;
}

std::string make_next_token(const boost::json::object& position, EpochMillis now_ms) {
    boost::json::object token = position;
    token["t"] = now_ms;
    return base64_encode(boost::json::serialize(token));
}

Result<boost::json::object> read_next_token(std::string_view token, EpochMillis now_ms) {
    auto text = base64_decode(token);
    boost::system::error_code ec;
    auto value = text ? boost::json::parse(*text, ec) : boost::json::value();
    if (!text || ec || !value.is_object() || !value.as_object().contains("t") ||
        !value.as_object().at("t").is_int64()) {
        return Error{ErrorCode::kInvalidArgument, "Invalid NextToken."};
    }
    if (now_ms - value.as_object().at("t").as_int64() > kNextTokenLifetimeMs) {
        return Error{ErrorCode::kExpiredNextToken,
                     "The NextToken has expired. Start the listing again."};
    }
    return value.as_object();
}

}  // namespace shardflow::api
