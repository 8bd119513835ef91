// Routing and lookups of the store's in-memory state.

#include "engine/store/stream_runtime.h"

#include <algorithm>

namespace shardflow::store {

void StreamRuntime::rebuild_routing() {
    routing.clear();
    for (auto& [index, shard] : shards) {
        if (shard->meta.is_open()) {
            routing.push_back(shard.get());
        }
    }
    std::sort(routing.begin(), routing.end(), [](const ShardRuntime* a, const ShardRuntime* b) {
        return a->meta.starting_hash_key < b->meta.starting_hash_key;
    });
}

ShardRuntime* StreamRuntime::route(HashKey key) const {
    // Open shards tile [0, 2^128-1]: the owner is the last one starting at or below the key.
    auto it =
        std::upper_bound(routing.begin(), routing.end(), key, [](HashKey k, const ShardRuntime* s) {
            return k < s->meta.starting_hash_key;
        });
    return it == routing.begin() ? nullptr : *std::prev(it);
}

ShardRuntime* StreamRuntime::find_shard(uint32_t index) const {
    auto it = shards.find(index);
    return it == shards.end() ? nullptr : it->second.get();
}

Result<std::shared_ptr<StreamRuntime>> StoreState::find(std::string_view name_or_arn) {
    std::string_view name = name_or_arn;
    if (name.starts_with("arn:")) {
        // arn:aws:kinesis:<region>:<account>:stream/<name>
        std::string prefix =
            fmt::format("arn:aws:kinesis:{}:{}:stream/", options.region, options.account_id);
        if (!name.starts_with(prefix)) {
            return Error::make(ErrorCode::kResourceNotFound, "Stream {} not found.", name_or_arn);
        }
        name.remove_prefix(prefix.size());
    }
    std::shared_lock lock(streams_mu);
    auto it = streams.find(name);
    if (it == streams.end()) {
        return not_found(name);
    }
    return it->second;
}

Error StoreState::not_found(std::string_view name) const {
    return Error::make(ErrorCode::kResourceNotFound,
                       "Stream {} under account {} not found.",
                       name,
                       options.account_id);
}

Error StoreState::not_active(const StreamMeta& meta, StreamStatus status) const {
    return Error::make(ErrorCode::kResourceInUse,
                       "Stream {} under account {} not ACTIVE, instead in state {}",
                       meta.name,
                       options.account_id,
                       to_string(status));
}

Error StoreState::shard_not_found(std::string_view stream, std::string_view shard_id) const {
    auto index = parse_shard_id(shard_id);
    return Error::make(ErrorCode::kResourceNotFound,
                       "Shard {} in stream {} under account {} does not exist",
                       index ? shard_id_name(*index) : std::string(shard_id),
                       stream,
                       options.account_id);
}

Error StoreState::unknown_shard(std::string_view stream, std::string_view shard_id) const {
    return Error::make(ErrorCode::kResourceNotFound,
                       "Could not find shard {} in stream {} under account {}.",
                       shard_id,
                       stream,
                       options.account_id);
}

StreamStatus StoreState::status_of(const StreamMeta& meta) const {
    if ((meta.status == StreamStatus::kCreating || meta.status == StreamStatus::kUpdating) &&
        now() >= meta.status_until_ms) {
        return StreamStatus::kActive;
    }
    return meta.status;
}

Status StoreState::check_shard_limit(int additional) const {
    if (open_shards_total + additional > options.shard_limit) {
        return Error::make(
            ErrorCode::kLimitExceeded,
            "This request would exceed the shard limit for the account {} in {}. Current shard "
            "count for the account: {}. Limit: {}. Number of additional shards that would have "
            "resulted from this request: {}. Refer to the AWS Service Limits page "
            "(https://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) for current "
            "limits and how to request higher limits.",
            options.account_id,
            options.region,
            open_shards_total,
            options.shard_limit,
            additional);
    }
    return ok();
}

std::filesystem::path StoreState::shard_dir(int64_t stream_id, uint32_t shard_index) const {
    return options.data_dir / "streams" / std::to_string(stream_id) / shard_id_name(shard_index);
}

Result<std::unique_ptr<ShardRuntime>> StoreState::open_shard(int64_t stream_id,
                                                             const ShardMeta& meta) {
    auto shard = std::make_unique<ShardRuntime>();
    shard->meta = meta;
    SF_ASSIGN_OR_RETURN(
        shard->log,
        log::ShardLog::open(shard_dir(stream_id, meta.index), options.log, *options.clock));
    return shard;
}

ShardDescription StoreState::describe_shard(const ShardRuntime& shard) const {
    const ShardMeta& m = shard.meta;
    ShardDescription d;
    d.shard_id = shard_id_name(m.index);
    if (m.parent) {
        d.parent_shard_id = shard_id_name(*m.parent);
    }
    if (m.adjacent_parent) {
        d.adjacent_parent_shard_id = shard_id_name(*m.adjacent_parent);
    }
    d.starting_hash_key = m.starting_hash_key;
    d.ending_hash_key = m.ending_hash_key;
    d.starting_sequence_number =
        SequenceNumber{shard.create_secs(), m.index, 0, shard.create_secs()}.to_string();
    if (m.closed_ms) {
        d.ending_sequence_number =
            SequenceNumber{
                shard.create_secs(), m.index, SequenceNumber::kMaxSeqIx, *m.closed_ms / 1000}
                .to_string();
    }
    return d;
}

std::string StoreState::arn(std::string_view name) const {
    return fmt::format("arn:aws:kinesis:{}:{}:stream/{}", options.region, options.account_id, name);
}

}  // namespace shardflow::store
