// Shards: ListShards (with filters and paging), SplitShard, MergeShards, UpdateShardCount.

#include "connectors/kinesis_api/handlers/encode.h"
#include "connectors/kinesis_api/handlers/handler.h"

namespace shardflow::api {
namespace {

using boost::json::object;

std::optional<store::ShardFilter> read_filter(Request& request) {
    store::ShardFilter filter;
    const auto* o = request.object("ShardFilter", "shardFilter", false);
    if (!o) {
        return filter;
    }
    Request inner(*o);
    auto type = inner.enumeration("Type",
                                  "shardFilter.type",
                                  true,
                                  {"AFTER_SHARD_ID",
                                   "AT_TRIM_HORIZON",
                                   "FROM_TRIM_HORIZON",
                                   "AT_LATEST",
                                   "AT_TIMESTAMP",
                                   "FROM_TIMESTAMP"});
    auto shard_id = inner.resource_name("ShardId", "shardFilter.shardId", false);
    auto timestamp = inner.timestamp("Timestamp", "shardFilter.timestamp", false);
    if (Status s = inner.check(); !s) {
        return std::nullopt;
    }
    using T = store::ShardFilter::Type;
    const std::pair<std::string_view, T> types[] = {{"AFTER_SHARD_ID", T::kAfterShardId},
                                                    {"AT_TRIM_HORIZON", T::kAtTrimHorizon},
                                                    {"FROM_TRIM_HORIZON", T::kFromTrimHorizon},
                                                    {"AT_LATEST", T::kAtLatest},
                                                    {"AT_TIMESTAMP", T::kAtTimestamp},
                                                    {"FROM_TIMESTAMP", T::kFromTimestamp}};
    for (auto [name, t] : types) {
        if (*type == name) {
            filter.type = t;
        }
    }
    if (filter.type == T::kAfterShardId) {
        if (!shard_id) {
            return std::nullopt;
        }
        filter.shard_id = std::string(*shard_id);
    }
    if (filter.type == T::kAtTimestamp || filter.type == T::kFromTimestamp) {
        if (!timestamp) {
            return std::nullopt;
        }
        filter.timestamp_ms = *timestamp;
    }
    return filter;
}

}  // namespace

Result<object> list_shards(HandlerContext& ctx, Request& request) {
    auto token = request.string("NextToken", "nextToken", false, 1, 1048576);
    auto max = request.integer("MaxResults", "maxResults", false, 1, 10000);
    auto start = request.resource_name("ExclusiveStartShardId", "exclusiveStartShardId", false);
    request.timestamp("StreamCreationTimestamp", "streamCreationTimestamp", false);
    bool names_stream =
        request.body().contains("StreamName") || request.body().contains("StreamARN");
    std::optional<std::string> stream;
    if (names_stream) {
        stream = stream_of(request);
    }
    auto filter = read_filter(request);
    SF_TRY(request.check());
    if (!filter) {
        return Error{ErrorCode::kInvalidArgument,
                     "Invalid ShardFilter: Type needs ShardId or Timestamp as it says."};
    }
    if (!token && !names_stream) {
        return Error{ErrorCode::kInvalidArgument,
                     "Either NextToken or StreamName should be provided."};
    }
    if (token && names_stream) {
        return Error{ErrorCode::kInvalidArgument,
                     "NextToken and StreamName cannot be provided together."};
    }
    if (token && start) {
        return Error{ErrorCode::kInvalidArgument,
                     "NextToken and ExclusiveStartShardId cannot be provided together."};
    }
    EpochMillis now = ctx.store.options().clock->now_ms();
    std::string after = start ? std::string(*start) : std::string();
    if (token) {
        SF_ASSIGN_OR_RETURN(auto position, read_next_token(*token, now));
        if (!position.contains("stream") || !position.contains("after") ||
            !position.at("stream").is_string() || !position.at("after").is_string()) {
            return Error{ErrorCode::kInvalidArgument, "Invalid NextToken."};
        }
        stream = std::string(position.at("stream").get_string());
        after = std::string(position.at("after").get_string());
    }
    SF_ASSIGN_OR_RETURN(auto shards, ctx.store.list_shards(*stream, *filter));
    auto after_index = after.empty() ? std::nullopt : store::parse_shard_id(after);
    boost::json::array out;
    std::string last;
    bool more = false;
    for (const auto& shard : shards) {
        if (after_index && *store::parse_shard_id(shard.shard_id) <= *after_index) {
            continue;
        }
        if (static_cast<int64_t>(out.size()) == max.value_or(1000)) {
            more = true;
            break;
        }
        out.push_back(encode_shard(shard));
        last = shard.shard_id;
    }
    object response{{"Shards", std::move(out)}};
    if (more) {
        response["NextToken"] = make_next_token({{"stream", *stream}, {"after", last}}, now);
    }
    return response;
}

Result<object> split_shard(HandlerContext& ctx, Request& request) {
    auto stream = stream_of(request);
    auto shard = request.resource_name("ShardToSplit", "shardToSplit", true);
    auto key = request.decimal("NewStartingHashKey", "newStartingHashKey", true, 39);
    SF_TRY(request.check());
    return empty_or_error(ctx.store.split_shard(*stream, *shard, *key));
}

Result<object> merge_shards(HandlerContext& ctx, Request& request) {
    auto stream = stream_of(request);
    auto shard = request.resource_name("ShardToMerge", "shardToMerge", true);
    auto adjacent = request.resource_name("AdjacentShardToMerge", "adjacentShardToMerge", true);
    SF_TRY(request.check());
    return empty_or_error(ctx.store.merge_shards(*stream, *shard, *adjacent));
}

Result<object> update_shard_count(HandlerContext& ctx, Request& request) {
    auto stream = stream_of(request);
    auto target = request.integer("TargetShardCount", "targetShardCount", true, 1, 100000);
    request.enumeration("ScalingType", "scalingType", true, {"UNIFORM_SCALING"});
    SF_TRY(request.check());
    SF_ASSIGN_OR_RETURN(auto result,
                        ctx.store.update_shard_count(*stream, static_cast<int>(*target)));
    SF_ASSIGN_OR_RETURN(auto d, ctx.store.describe_stream(*stream));
    return object{{"StreamName", d.name},
                  {"StreamARN", d.arn},
                  {"CurrentShardCount", result.current_shard_count},
                  {"TargetShardCount", result.target_shard_count}};
}

}  // namespace shardflow::api
