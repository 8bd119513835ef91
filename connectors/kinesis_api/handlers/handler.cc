// The action table, stream addressing and paging tokens shared by the handlers.

#include "connectors/kinesis_api/handlers/handler.h"

#include "engine/common/base64.h"

#include <algorithm>
#include <array>
#include <utility>

namespace shardflow::api {
namespace {

constexpr EpochMillis kNextTokenLifetimeMs = 300 * 1000;

constexpr std::array<Action, 38> kActions = {{
    {"AddTagsToStream", add_tags_to_stream, false},
    {"CreateStream", create_stream, false},
    {"DecreaseStreamRetentionPeriod", decrease_stream_retention_period, false},
    {"DeleteResourcePolicy", delete_resource_policy, false},
    {"DeleteStream", delete_stream, false},
    {"DeregisterStreamConsumer", deregister_stream_consumer, false},
    {"DescribeAccountSettings", describe_account_settings, true},
    {"DescribeLimits", describe_limits, true},
    {"DescribeStream", describe_stream, true},
    {"DescribeStreamConsumer", describe_stream_consumer, true},
    {"DescribeStreamSummary", describe_stream_summary, true},
    {"DisableEnhancedMonitoring", disable_enhanced_monitoring, true},
    {"EnableEnhancedMonitoring", enable_enhanced_monitoring, true},
    {"GetRecords", nullptr, true, get_records},
    {"GetResourcePolicy", get_resource_policy, true},
    {"GetShardIterator", get_shard_iterator, true},
    {"IncreaseStreamRetentionPeriod", increase_stream_retention_period, false},
    {"ListShards", list_shards, true},
    {"ListStreamConsumers", list_stream_consumers, true},
    {"ListStreams", list_streams, true},
    {"ListTagsForResource", list_tags_for_resource, true},
    {"ListTagsForStream", list_tags_for_stream, true},
    {"MergeShards", merge_shards, false},
    {"PutRecord", nullptr, true, put_record},
    {"PutRecords", nullptr, true, put_records},
    {"PutResourcePolicy", put_resource_policy, false},
    {"RegisterStreamConsumer", register_stream_consumer, true},
    {"RemoveTagsFromStream", remove_tags_from_stream, false},
    {"SplitShard", split_shard, false},
    {"StartStreamEncryption", start_stream_encryption, false},
    {"StopStreamEncryption", stop_stream_encryption, false},
    {"TagResource", tag_resource, false},
    {"UntagResource", untag_resource, false},
    {"UpdateAccountSettings", update_account_settings, true},
    {"UpdateMaxRecordSize", update_max_record_size, false},
    {"UpdateShardCount", update_shard_count, true},
    {"UpdateStreamMode", update_stream_mode, false},
    {"UpdateStreamWarmThroughput", update_stream_warm_throughput, true},
}};
static_assert(std::is_sorted(kActions.begin(), kActions.end(), [](const auto& a, const auto& b) {
    return a.name < b.name;
}));

}  // namespace

const Action* find_action(std::string_view name) {
    auto it = std::lower_bound(
        kActions.begin(), kActions.end(), name, [](const Action& entry, std::string_view n) {
            return entry.name < n;
        });
    return it != kActions.end() && it->name == name ? &*it : nullptr;
}

std::vector<std::string_view> action_names() {
    std::vector<std::string_view> names{"SubscribeToShard"};
    for (const auto& action : kActions) {
        names.push_back(action.name);
    }
    std::sort(names.begin(), names.end());
    return names;
}

void check_reserved_members(Request& request, std::string_view action) {
    constexpr std::array<std::string_view, 5> kWithoutStreamId = {"CreateStream",
                                                                  "DescribeAccountSettings",
                                                                  "DescribeLimits",
                                                                  "ListStreams",
                                                                  "UpdateAccountSettings"};
    if (std::find(kWithoutStreamId.begin(), kWithoutStreamId.end(), action) !=
        kWithoutStreamId.end()) {
        return;
    }
    auto id = request.string("StreamId", "streamId", false, 1, 24);
    auto lower_or_digit = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    };
    bool fits = id && id->size() == 24 && (*id)[20] == '-' &&
                std::all_of(id->begin(), id->begin() + 20, lower_or_digit) &&
                std::all_of(id->begin() + 21, id->end(), lower_or_digit);
    if (id && !fits) {
        request.fail(fmt::format("'{}'", *id),
                     "streamId",
                     "Member must satisfy regular expression pattern: [a-z0-9]{20}-[a-z0-9]{3}");
    }
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
    constexpr size_t kMaxTags = 200, kMaxKey = 128, kMaxValue = 256;  // the model's TagMap
    std::map<std::string, std::string> tags;
    const auto* o = request.object("Tags", "tags", required, WireType::kMap);
    if (!o) {
        return tags;
    }
    std::string shown;  // as AWS's messages print a map: {a=1, b=2}
    bool keys_fit = true, values_fit = true;
    for (const auto& [key, value] : *o) {
        if (!value.is_string()) {
            request.wrong_type(value, WireType::kString);
            return {};
        }
        keys_fit = keys_fit && !key.empty() && key.size() <= kMaxKey;
        values_fit = values_fit && value.get_string().size() <= kMaxValue;
        shown += fmt::format("{}{}={}", shown.empty() ? "" : ", ", key, value.get_string().c_str());
        tags[std::string(key)] = std::string(value.get_string());
    }
    shown = fmt::format("'{{{}}}'", shown);
    if (tags.empty()) {
        request.fail(shown, "tags", "Member must have length greater than or equal to 1");
    } else if (tags.size() > kMaxTags) {
        request.fail(shown,
                     "tags",
                     fmt::format("Member must have length less than or equal to {}", kMaxTags));
    }
    if (!keys_fit) {
        request.fail(shown,
                     "tags",
                     fmt::format("Map keys must satisfy constraint: [Member must have length less "
                                 "than or equal to {}, Member must have length greater than or "
                                 "equal to 1]",
                                 kMaxKey));
    }
    if (!values_fit) {
        request.fail(shown,
                     "tags",
                     fmt::format("Map value must satisfy constraint: [Member must have length "
                                 "less than or equal to {}, Member must have length greater than "
                                 "or equal to 0]",
                                 kMaxValue));
    }
    return tags;
}

std::vector<std::string> tag_keys(Request& request) {
    return request.string_list(
        "TagKeys", "tagKeys", true, 1, 50, 1, 128);  // the model's TagKeyList
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
                         "Must specify timestampInMillis parameter for iterator of type "
                         "AT_TIMESTAMP. Current request has no timestamp parameter."};
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
