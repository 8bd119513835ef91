// Stream lifecycle and settings: Create/Delete/Describe/List, mode, retention, limits,
// enhanced monitoring, encryption, record size and warm throughput.

#include "connectors/kinesis_api/handlers/encode.h"
#include "connectors/kinesis_api/handlers/handler.h"

#include <span>

namespace shardflow::api {
namespace {

using boost::json::object;

constexpr int64_t kMinRecordKiB = 1024;  // 1 MiB, the default
constexpr int64_t kMaxRecordKiB = 10240;
constexpr int64_t kMaxWarmThroughputMiBps = 10240;

/// Target and current are the same: the server is as warm as its machine allows at once.
object encode_warm_throughput(int mibps) {
    return {{"TargetMiBps", mibps}, {"CurrentMiBps", mibps}};
}

std::optional<store::StreamMode> stream_mode(Request& request, bool required) {
    const auto* details = request.object("StreamModeDetails", "streamModeDetails", required);
    if (!details) {
        return std::nullopt;
    }
    const auto* mode = details->if_contains("StreamMode");
    if (!mode || !mode->is_string()) {
        request.fail("null", "streamModeDetails.streamMode", "Member must not be null");
        return std::nullopt;
    }
    if (mode->get_string() == "ON_DEMAND") {
        return store::StreamMode::kOnDemand;
    }
    if (mode->get_string() == "PROVISIONED") {
        return store::StreamMode::kProvisioned;
    }
    request.fail(fmt::format("'{}'", std::string_view(mode->get_string())),
                 "streamModeDetails.streamMode",
                 "Member must satisfy enum value set: [PROVISIONED, ON_DEMAND]");
    return std::nullopt;
}

object describe_common(const store::StreamDescription& d) {
    return {{"StreamName", d.name},
            {"StreamARN", d.arn},
            {"StreamStatus", std::string(store::to_string(d.status))},
            {"StreamModeDetails", encode_stream_mode(d.mode)},
            {"RetentionPeriodHours", d.retention_hours},
            {"StreamCreationTimestamp", epoch_seconds(d.created_ms)},
            {"EnhancedMonitoring", encode_enhanced_monitoring(d.shard_level_metrics)},
            {"EncryptionType", d.encryption_type}};
}

}  // namespace

Result<object> create_stream(HandlerContext& ctx, Request& request) {
    auto name = request.resource_name("StreamName", "streamName", true);
    auto shard_count = request.integer("ShardCount", "shardCount", false, 1, 100000);
    auto mode = stream_mode(request, false);
    auto tags = tag_map(request, false);
    auto max_record_kib = request.integer(
        "MaxRecordSizeInKiB", "maxRecordSizeInKiB", false, kMinRecordKiB, kMaxRecordKiB);
    auto warm = request.integer(
        "WarmThroughputMiBps", "warmThroughputMiBps", false, 0, kMaxWarmThroughputMiBps);
    SF_TRY(request.check());
    store::CreateStreamRequest create{
        std::string(*name),
        shard_count ? std::optional<int>(static_cast<int>(*shard_count)) : std::nullopt,
        mode.value_or(store::StreamMode::kProvisioned),
        tags};
    create.max_record_size_kib = static_cast<int>(max_record_kib.value_or(kMinRecordKiB));
    create.warm_throughput_mibps = static_cast<int>(warm.value_or(0));
    return empty_or_error(ctx.store.create_stream(create));
}

Result<object> delete_stream(HandlerContext& ctx, Request& request) {
    auto stream = stream_of(request);
    auto enforce = request.boolean("EnforceConsumerDeletion");
    SF_TRY(request.check());
    return empty_or_error(ctx.store.delete_stream(*stream, enforce.value_or(false)));
}

Result<object> describe_stream(HandlerContext& ctx, Request& request) {
    auto stream = stream_of(request);
    auto limit = request.integer("Limit", "limit", false, 1, 10000);
    auto start = request.resource_name("ExclusiveStartShardId", "exclusiveStartShardId", false);
    SF_TRY(request.check());
    SF_ASSIGN_OR_RETURN(auto d, ctx.store.describe_stream(*stream));
    auto after = start ? store::parse_shard_id(*start) : std::nullopt;
    boost::json::array shards;
    bool has_more = false;
    bool creating = d.status == store::StreamStatus::kCreating;  // AWS lists no shards yet
    for (const auto& shard : std::span(d.shards).subspan(0, creating ? 0 : d.shards.size())) {
        if (after && *store::parse_shard_id(shard.shard_id) <= *after) {
            continue;
        }
        if (static_cast<int64_t>(shards.size()) == limit.value_or(100)) {
            has_more = true;
            break;
        }
        shards.push_back(encode_shard(shard));
    }
    object description = describe_common(d);
    description["Shards"] = std::move(shards);
    description["HasMoreShards"] = has_more;
    if (!d.key_id.empty()) {
        description["KeyId"] = d.key_id;
    }
    return object{{"StreamDescription", std::move(description)}};
}

Result<object> describe_stream_summary(HandlerContext& ctx, Request& request) {
    auto stream = stream_of(request);
    SF_TRY(request.check());
    SF_ASSIGN_OR_RETURN(auto d, ctx.store.describe_stream(*stream));
    object summary = describe_common(d);
    summary["OpenShardCount"] = d.open_shard_count;
    summary["ConsumerCount"] = d.consumer_count;
    if (!d.key_id.empty()) {
        summary["KeyId"] = d.key_id;
    }
    summary["MaxRecordSizeInKiB"] = d.max_record_size_kib;
    if (d.mode == store::StreamMode::kOnDemand && d.warm_throughput_mibps > 0) {
        summary["WarmThroughput"] = encode_warm_throughput(d.warm_throughput_mibps);
    }
    return object{{"StreamDescriptionSummary", std::move(summary)}};
}

Result<object> update_max_record_size(HandlerContext& ctx, Request& request) {
    auto stream = stream_of(request);
    auto kib = request.integer(
        "MaxRecordSizeInKiB", "maxRecordSizeInKiB", true, kMinRecordKiB, kMaxRecordKiB);
    SF_TRY(request.check());
    return empty_or_error(ctx.store.update_max_record_size(*stream, static_cast<int>(*kib)));
}

Result<object> update_stream_warm_throughput(HandlerContext& ctx, Request& request) {
    auto stream = stream_of(request);
    auto mibps = request.integer(
        "WarmThroughputMiBps", "warmThroughputMiBps", true, 0, kMaxWarmThroughputMiBps);
    SF_TRY(request.check());
    SF_TRY(ctx.store.update_warm_throughput(*stream, static_cast<int>(*mibps)));
    SF_ASSIGN_OR_RETURN(auto d, ctx.store.describe_stream(*stream));
    return object{{"StreamARN", d.arn},
                  {"StreamName", d.name},
                  {"WarmThroughput", encode_warm_throughput(d.warm_throughput_mibps)}};
}

Result<object> list_streams(HandlerContext& ctx, Request& request) {
    auto limit = request.integer("Limit", "limit", false, 1, 10000);
    auto start =
        request.resource_name("ExclusiveStartStreamName", "exclusiveStartStreamName", false);
    auto token = request.string("NextToken", "nextToken", false, 1, 1048576);
    SF_TRY(request.check());
    EpochMillis now = ctx.store.options().clock->now_ms();
    std::string after = start ? std::string(*start) : std::string();
    if (token) {
        SF_ASSIGN_OR_RETURN(auto position, read_next_token(*token, now));
        if (!position.contains("after") || !position.at("after").is_string()) {
            return Error{ErrorCode::kInvalidArgument, "Invalid NextToken."};
        }
        after = std::string(position.at("after").get_string());
    }
    boost::json::array names;
    boost::json::array summaries;
    bool has_more = false;
    for (const auto& s : ctx.store.list_streams()) {
        if (!after.empty() && s.name <= after) {
            continue;
        }
        if (static_cast<int64_t>(names.size()) == limit.value_or(100)) {
            has_more = true;
            break;
        }
        names.emplace_back(s.name);
        summaries.push_back(object{{"StreamName", s.name},
                                   {"StreamARN", s.arn},
                                   {"StreamStatus", std::string(store::to_string(s.status))},
                                   {"StreamModeDetails", encode_stream_mode(s.mode)},
                                   {"StreamCreationTimestamp", epoch_seconds(s.created_ms)}});
    }
    object response{
        {"StreamNames", names}, {"HasMoreStreams", has_more}, {"StreamSummaries", summaries}};
    if (has_more) {
        response["NextToken"] = make_next_token({{"after", names.back()}}, now);
    }
    return response;
}

Result<object> update_stream_mode(HandlerContext& ctx, Request& request) {
    auto arn = request.string("StreamARN", "streamARN", true, 1, 2048);
    auto mode = stream_mode(request, true);
    SF_TRY(request.check());
    return empty_or_error(ctx.store.update_stream_mode(*arn, *mode));
}

Result<object> increase_stream_retention_period(HandlerContext& ctx, Request& request) {
    auto stream = stream_of(request);
    auto hours =
        request.integer("RetentionPeriodHours", "retentionPeriodHours", true, INT32_MIN, INT32_MAX);
    SF_TRY(request.check());
    return empty_or_error(ctx.store.increase_retention(*stream, static_cast<int>(*hours)));
}

Result<object> decrease_stream_retention_period(HandlerContext& ctx, Request& request) {
    auto stream = stream_of(request);
    auto hours =
        request.integer("RetentionPeriodHours", "retentionPeriodHours", true, INT32_MIN, INT32_MAX);
    SF_TRY(request.check());
    return empty_or_error(ctx.store.decrease_retention(*stream, static_cast<int>(*hours)));
}

Result<object> describe_limits(HandlerContext& ctx, Request& request) {
    SF_TRY(request.check());
    auto limits = ctx.store.describe_limits();
    return object{{"ShardLimit", limits.shard_limit},
                  {"OpenShardCount", limits.open_shard_count},
                  {"OnDemandStreamCount", limits.on_demand_stream_count},
                  {"OnDemandStreamCountLimit", limits.on_demand_stream_count_limit}};
}

namespace {

using MonitoringChange = Result<std::vector<std::string>> (store::StreamStore::*)(
    std::string_view, const std::vector<std::string>&);

Result<object> change_monitoring(HandlerContext& ctx, Request& request, MonitoringChange change) {
    auto stream = stream_of(request);
    auto metrics = request.string_list("ShardLevelMetrics", "shardLevelMetrics", true, 1, 7);
    SF_TRY(request.check());
    SF_ASSIGN_OR_RETURN(auto before, ctx.store.describe_stream(*stream));
    SF_ASSIGN_OR_RETURN(auto desired, (ctx.store.*change)(*stream, metrics));
    return object{{"StreamName", before.name},
                  {"StreamARN", before.arn},
                  {"CurrentShardLevelMetrics", encode_strings(before.shard_level_metrics)},
                  {"DesiredShardLevelMetrics", encode_strings(desired)}};
}

}  // namespace

Result<object> enable_enhanced_monitoring(HandlerContext& ctx, Request& request) {
    return change_monitoring(ctx, request, &store::StreamStore::enable_enhanced_monitoring);
}

Result<object> disable_enhanced_monitoring(HandlerContext& ctx, Request& request) {
    return change_monitoring(ctx, request, &store::StreamStore::disable_enhanced_monitoring);
}

Result<object> start_stream_encryption(HandlerContext& ctx, Request& request) {
    auto stream = stream_of(request);
    request.enumeration("EncryptionType", "encryptionType", true, {"KMS"});
    auto key = request.string("KeyId", "keyId", true, 1, 2048);
    SF_TRY(request.check());
    return empty_or_error(ctx.store.start_encryption(*stream, std::string(*key)));
}

Result<object> stop_stream_encryption(HandlerContext& ctx, Request& request) {
    auto stream = stream_of(request);
    request.enumeration("EncryptionType", "encryptionType", true, {"KMS"});
    request.string("KeyId", "keyId", true, 1, 2048);
    SF_TRY(request.check());
    return empty_or_error(ctx.store.stop_encryption(*stream));
}

}  // namespace shardflow::api
