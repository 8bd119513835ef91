// StreamStore: ListShards, SplitShard, MergeShards, UpdateShardCount and housekeeping
// (status transitions, retention, expired shards, on-demand scaling).

#include "engine/store/stream_runtime.h"
#include "engine/store/stream_store.h"
#include "engine/store/validation.h"

#include <algorithm>

namespace shardflow::store {
namespace {

constexpr int kMaxShardsPerStream = 10000;

ShardMeta* find_meta(StreamMeta& m, uint32_t index) {
    for (auto& shard : m.shards) {
        if (shard.index == index) {
            return &shard;
        }
    }
    return nullptr;
}

/// Closes `parent` and adds the two children split at `new_start` to the metadata.
void plan_split(StreamMeta& m, uint32_t parent_index, HashKey new_start, EpochMillis now) {
    ShardMeta* parent = find_meta(m, parent_index);
    parent->closed_ms = now;
    ShardMeta low{
        m.next_shard_index++, parent->starting_hash_key, new_start - 1, parent_index, {}, now, {}};
    ShardMeta high{
        m.next_shard_index++, new_start, parent->ending_hash_key, parent_index, {}, now, {}};
    m.shards.push_back(low);
    m.shards.push_back(high);
}

/// Closes two adjacent shards and adds their merged child; returns the child's index.
uint32_t plan_merge(StreamMeta& m, uint32_t shard_index, uint32_t adjacent_index, EpochMillis now) {
    ShardMeta* a = find_meta(m, shard_index);
    ShardMeta* b = find_meta(m, adjacent_index);
    a->closed_ms = now;
    b->closed_ms = now;
    ShardMeta child{m.next_shard_index++,
                    std::min(a->starting_hash_key, b->starting_hash_key),
                    std::max(a->ending_hash_key, b->ending_hash_key),
                    shard_index,
                    adjacent_index,
                    now,
                    {}};
    m.shards.push_back(child);
    return child.index;
}

std::vector<const ShardMeta*> open_shards_by_hash(const StreamMeta& m) {
    std::vector<const ShardMeta*> open;
    for (const auto& shard : m.shards) {
        if (shard.is_open()) {
            open.push_back(&shard);
        }
    }
    std::sort(open.begin(), open.end(), [](const ShardMeta* a, const ShardMeta* b) {
        return a->starting_hash_key < b->starting_hash_key;
    });
    return open;
}

/// Applies resharded metadata: opens the children's logs, saves the catalog, swaps routing.
/// The caller holds the stream's exclusive lock and the account lock.
Status commit_reshard(StoreState& s, StreamRuntime& stream, StreamMeta updated) {
    std::vector<std::unique_ptr<ShardRuntime>> opened;
    for (const auto& m : updated.shards) {
        if (!stream.find_shard(m.index)) {
            SF_ASSIGN_OR_RETURN(auto shard, s.open_shard(updated.id, m));
            opened.push_back(std::move(shard));
        }
    }
    if (s.options.update_delay_ms > 0) {
        updated.status = StreamStatus::kUpdating;
        updated.status_until_ms = s.now() + s.options.update_delay_ms;
    }
    SF_TRY(s.catalog->save_stream(updated));
    for (const auto& m : updated.shards) {
        if (ShardRuntime* existing = stream.find_shard(m.index)) {
            existing->meta = m;
        }
    }
    for (auto& shard : opened) {
        uint32_t index = shard->meta.index;
        stream.shards.emplace(index, std::move(shard));
    }
    int before = stream.open_shard_count();
    stream.meta = std::move(updated);
    stream.rebuild_routing();
    s.open_shards_total += stream.open_shard_count() - before;
    return ok();
}

/// Locks an ACTIVE stream for resharding: its exclusive lock plus the account lock.
struct ReshardLock {
    std::shared_ptr<StreamRuntime> stream;
    std::unique_lock<std::shared_mutex> stream_lock;
    std::unique_lock<std::mutex> account_lock;
};

Result<ReshardLock> lock_for_reshard(StoreState& s, std::string_view name) {
    SF_ASSIGN_OR_RETURN(auto stream, s.find(name));
    ReshardLock lock{stream, std::unique_lock(stream->mu), std::unique_lock(s.account_mu)};
    if (stream->deleted) {
        return s.not_found(name);
    }
    StreamStatus status = s.status_of(stream->meta);
    if (status != StreamStatus::kActive) {
        return s.not_active(stream->meta, status);
    }
    return lock;
}

Error not_eligible(const StoreState& s, const StreamMeta& m, uint32_t index) {
    return Error::make(
        ErrorCode::kInvalidArgument,
        "Shard {} in stream {} under account {} has already been merged or split, and thus is not "
        "eligible for merging or splitting.",
        shard_id_name(index),
        m.name,
        s.options.account_id);
}

bool open_at(const ShardMeta& m, EpochMillis t) {
    return m.created_ms <= t && (!m.closed_ms || *m.closed_ms > t);
}

}  // namespace

Result<std::vector<ShardDescription>> StreamStore::list_shards(std::string_view name,
                                                               const ShardFilter& filter) {
    StoreState& s = *state_;
    SF_ASSIGN_OR_RETURN(auto stream, s.find(name));
    std::shared_lock lock(stream->mu);
    if (stream->deleted) {
        return s.not_found(name);
    }
    const StreamMeta& meta = stream->meta;
    EpochMillis horizon =
        std::max(meta.created_ms, s.now() - int64_t{meta.retention_hours} * 3600 * 1000);
    std::optional<uint32_t> after;
    if (filter.type == ShardFilter::Type::kAfterShardId) {
        after = parse_shard_id(filter.shard_id);
        if (!after) {
            return Error::make(
                ErrorCode::kInvalidArgument, "Invalid ShardId {} in ShardFilter.", filter.shard_id);
        }
    }
    std::vector<ShardDescription> out;
    for (const auto& [index, shard] : stream->shards) {
        const ShardMeta& m = shard->meta;
        bool include = true;
        switch (filter.type) {
            case ShardFilter::Type::kAll:
            case ShardFilter::Type::kFromTrimHorizon:
                break;
            case ShardFilter::Type::kAfterShardId:
                include = index > *after;
                break;
            case ShardFilter::Type::kAtTrimHorizon:
                include = open_at(m, horizon);
                break;
            case ShardFilter::Type::kAtLatest:
                include = m.is_open();
                break;
            case ShardFilter::Type::kAtTimestamp:
                include = open_at(m, std::max(filter.timestamp_ms, meta.created_ms));
                break;
            case ShardFilter::Type::kFromTimestamp:
                include = !m.closed_ms || *m.closed_ms > filter.timestamp_ms;
                break;
        }
        if (include) {
            out.push_back(s.describe_shard(*shard));
        }
    }
    return out;
}

Status StreamStore::split_shard(std::string_view name,
                                std::string_view shard_id,
                                std::string_view new_starting_hash_key) {
    StoreState& s = *state_;
    auto index = parse_shard_id(shard_id);
    if (!index) {
        return s.unknown_shard(name, shard_id);
    }
    SF_ASSIGN_OR_RETURN(auto lock, lock_for_reshard(s, name));
    StreamRuntime& stream = *lock.stream;
    ShardRuntime* parent = stream.find_shard(*index);
    if (!parent) {
        return s.unknown_shard(stream.meta.name, shard_id_name(*index));
    }
    if (!parent->meta.is_open()) {
        return not_eligible(s, stream.meta, *index);
    }
    auto key = parse_hash_key(new_starting_hash_key);
    const ShardMeta& pm = parent->meta;
    if (!key || *key <= pm.starting_hash_key + 1 || *key >= pm.ending_hash_key) {
        return Error::make(
            ErrorCode::kInvalidArgument,
            "NewStartingHashKey {} used in SplitShard() on shard {} in stream {} under account {} "
            "is "
            "not both greater than one plus the shard's StartingHashKey {} and less than the "
            "shard's EndingHashKey {}.",
            new_starting_hash_key,
            shard_id_name(pm.index),
            stream.meta.name,
            s.options.account_id,
            hash_key_to_string(pm.starting_hash_key),
            hash_key_to_string(pm.ending_hash_key));
    }
    SF_TRY(s.check_shard_limit(1));
    StreamMeta updated = stream.meta;
    plan_split(updated, pm.index, *key, s.now());
    return commit_reshard(s, stream, std::move(updated));
}

Status StreamStore::merge_shards(std::string_view name,
                                 std::string_view shard_id,
                                 std::string_view adjacent_shard_id) {
    StoreState& s = *state_;
    auto a_index = parse_shard_id(shard_id);
    auto b_index = parse_shard_id(adjacent_shard_id);
    if (!a_index || !b_index) {
        return s.unknown_shard(name, a_index ? adjacent_shard_id : shard_id);
    }
    SF_ASSIGN_OR_RETURN(auto lock, lock_for_reshard(s, name));
    StreamRuntime& stream = *lock.stream;
    ShardRuntime* a = stream.find_shard(*a_index);
    ShardRuntime* b = stream.find_shard(*b_index);
    if (!a || !b) {
        return s.unknown_shard(stream.meta.name, shard_id_name(a ? *b_index : *a_index));
    }
    for (ShardRuntime* shard : {a, b}) {
        if (!shard->meta.is_open()) {
            return not_eligible(s, stream.meta, shard->meta.index);
        }
    }
    // As AWS: the adjacent shard is the one whose range follows the first's, not either.
    bool adjacent = a->meta.ending_hash_key != kMaxHashKey &&
                    a->meta.ending_hash_key + 1 == b->meta.starting_hash_key;
    if (!adjacent) {
        return Error::make(
            ErrorCode::kInvalidArgument,
            "Shards {} and {} in stream {} under account {} are not an adjacent pair of shards "
            "eligible for merging",
            shard_id_name(a->meta.index),
            shard_id_name(b->meta.index),
            stream.meta.name,
            s.options.account_id);
    }
    StreamMeta updated = stream.meta;
    plan_merge(updated, a->meta.index, b->meta.index, s.now());
    return commit_reshard(s, stream, std::move(updated));
}

Result<UpdateShardCountResult> StreamStore::update_shard_count(std::string_view name, int target) {
    StoreState& s = *state_;
    SF_ASSIGN_OR_RETURN(auto lock, lock_for_reshard(s, name));
    StreamRuntime& stream = *lock.stream;
    if (stream.meta.mode == StreamMode::kOnDemand) {
        return Error::make(
            ErrorCode::kValidation,
            "UpdateShardCount is not supported for stream {} under account {} in ON_DEMAND mode.",
            stream.meta.name,
            s.options.account_id);
    }
    int current = stream.open_shard_count();
    if (target < 1 || target > kMaxShardsPerStream) {
        return validation_error(std::to_string(target),
                                "targetShardCount",
                                target < 1 ? "Member must have value greater than or equal to 1"
                                           : "Member must have value less than or equal to 10000");
    }
    if (target > 2 * current || 2 * target < current) {
        return Error::make(ErrorCode::kLimitExceeded,
                           "UpdateShardCount on stream {} under account {}: target shard count {} "
                           "must be at least "
                           "half and at most double the current shard count {}.",
                           stream.meta.name,
                           s.options.account_id,
                           target,
                           current);
    }
    if (target > current) {
        SF_TRY(s.check_shard_limit(target - current));
    }
    StreamMeta updated = stream.meta;
    EpochMillis now = s.now();
    // Uniform target ranges, reached the way Kinesis does it: split every open shard at each
    // target boundary inside it, then merge the pieces of each target range pairwise.
    HashKey width =
        kMaxHashKey / static_cast<HashKey>(target) + ((target & (target - 1)) == 0 ? 1 : 0);
    for (int i = 1; i < target; ++i) {
        HashKey boundary = width * static_cast<HashKey>(i);
        for (const ShardMeta* open : open_shards_by_hash(updated)) {
            if (open->starting_hash_key < boundary && boundary <= open->ending_hash_key) {
                plan_split(updated, open->index, boundary, now);
                break;
            }
        }
    }
    for (int i = 0; i < target; ++i) {
        HashKey lo = width * static_cast<HashKey>(i);
        HashKey hi = i + 1 == target ? kMaxHashKey : width * static_cast<HashKey>(i + 1) - 1;
        std::vector<uint32_t> pieces;
        for (const ShardMeta* open : open_shards_by_hash(updated)) {
            if (open->starting_hash_key >= lo && open->ending_hash_key <= hi) {
                pieces.push_back(open->index);
            }
        }
        while (pieces.size() > 1) {
            uint32_t merged = plan_merge(updated, pieces[0], pieces[1], now);
            pieces.erase(pieces.begin(), pieces.begin() + 2);
            pieces.insert(pieces.begin(), merged);
        }
    }
    SF_TRY(commit_reshard(s, stream, std::move(updated)));
    return UpdateShardCountResult{current, target};
}

void StreamStore::housekeeping() {
    StoreState& s = *state_;
    std::vector<std::shared_ptr<StreamRuntime>> streams;
    {
        std::shared_lock lock(s.streams_mu);
        for (const auto& [name, stream] : s.streams) {
            streams.push_back(stream);
        }
    }
    for (const auto& stream : streams) {
        std::unique_lock lock(stream->mu);
        std::lock_guard account_lock(s.account_mu);
        if (stream->deleted) {
            continue;
        }
        EpochMillis now = s.now();
        StreamMeta updated = stream->meta;
        bool changed = false;
        if (s.status_of(updated) != updated.status) {
            updated.status = s.status_of(updated);
            changed = true;
        }

        EpochMillis horizon = now - int64_t{updated.retention_hours} * 3600 * 1000;
        for (auto& [index, shard] : stream->shards) {
            shard->log->delete_segments_before(horizon);
        }
        // Closed shards whose every record has expired are EXPIRED: dropped with their logs.
        auto expired = [&](const ShardMeta& m) {
            return m.closed_ms && *m.closed_ms < horizon;
        };
        if (std::any_of(updated.shards.begin(), updated.shards.end(), expired)) {
            std::erase_if(updated.shards, expired);
            changed = true;
        }

        std::vector<std::pair<uint32_t, HashKey>> splits;
        EpochMillis elapsed = now - stream->scaling_window_start_ms;
        if (elapsed >= s.options.on_demand_window_ms) {
            for (ShardRuntime* shard : stream->routing) {
                double secs = static_cast<double>(elapsed) / 1000.0;
                double bytes_per_sec = static_cast<double>(shard->window_bytes.exchange(0)) / secs;
                double records_per_sec =
                    static_cast<double>(shard->window_records.exchange(0)) / secs;
                bool hot = bytes_per_sec > kShardWriteBytesPerSec ||
                           records_per_sec > kShardWriteRecordsPerSec;
                const ShardMeta& m = shard->meta;
                if (updated.mode == StreamMode::kOnDemand && hot &&
                    m.ending_hash_key - m.starting_hash_key > 2) {
                    splits.emplace_back(
                        m.index,
                        m.starting_hash_key + (m.ending_hash_key - m.starting_hash_key) / 2 + 1);
                }
            }
            stream->scaling_window_start_ms = now;
        }
        int added = 0;
        for (auto [index, key] : splits) {
            if (s.check_shard_limit(added + 1)) {
                plan_split(updated, index, key, now);
                ++added;
                changed = true;
            }
        }
        if (!changed) {
            continue;
        }
        for (auto it = stream->shards.begin(); it != stream->shards.end();) {
            if (!find_meta(updated, it->first)) {
                it->second->log->remove_all();
                it = stream->shards.erase(it);
            } else {
                ++it;
            }
        }
        if (!splits.empty()) {
            (void)commit_reshard(s, *stream, std::move(updated));
        } else if (s.catalog->save_stream(updated)) {
            stream->meta = std::move(updated);
            stream->rebuild_routing();
        }
    }
}

}  // namespace shardflow::store
