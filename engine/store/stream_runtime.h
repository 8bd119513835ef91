#pragma once
// In-memory state of the store: streams with their shard logs, routing and capacity counters.
// Private to engine/store.

#include "engine/store/capacity/token_bucket.h"
#include "engine/store/catalog/catalog.h"
#include "engine/store/iterators/iterator_token.h"
#include "engine/store/log/commit_queue.h"
#include "engine/store/log/shard_log.h"
#include "engine/store/metadata.h"
#include "engine/store/stream_store.h"

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <thread>

namespace shardflow::store {

inline constexpr double kShardWriteBytesPerSec = 1 << 20;
inline constexpr double kShardWriteRecordsPerSec = 1000;
inline constexpr double kShardReadBytesPerSec = 2 << 20;
inline constexpr double kShardReadCallsPerSec = 5;
inline constexpr size_t kMaxTagsPerResource = 50;  // a stream's or a consumer's

/// One shard: its metadata, its log, its throughput buckets and load counters.
struct ShardRuntime {
    ShardMeta meta;
    std::shared_ptr<log::ShardLog> log;

    std::mutex capacity_mu;
    TokenBucket write_bytes{kShardWriteBytesPerSec};
    TokenBucket write_records{kShardWriteRecordsPerSec};
    TokenBucket read_bytes{kShardReadBytesPerSec};
    TokenBucket read_calls{kShardReadCallsPerSec};

    // Load seen since the current on-demand scaling window opened.
    std::atomic<uint64_t> window_bytes{0};
    std::atomic<uint64_t> window_records{0};

    int64_t create_secs() const { return meta.created_ms / 1000; }
};

/// A stream. `mu` is shared by puts and reads, exclusive for anything that changes metadata.
struct StreamRuntime {
    std::shared_mutex mu;
    StreamMeta meta;
    bool deleted = false;
    std::map<uint32_t, std::unique_ptr<ShardRuntime>> shards;  // every unexpired shard
    std::vector<ShardRuntime*> routing;                        // open shards by starting hash key
    EpochMillis scaling_window_start_ms = 0;

    void rebuild_routing();
    ShardRuntime* route(HashKey key) const;
    ShardRuntime* find_shard(uint32_t index) const;
    int open_shard_count() const { return static_cast<int>(routing.size()); }
};

/// Everything behind the StreamStore facade.
class StoreState {
public:
    StoreOptions options;
    std::unique_ptr<Catalog> catalog;
    std::unique_ptr<IteratorCodec> iterators;

    log::DurableListeners durable_listeners;  // before the streams, whose logs tell it
    /// Before the streams too: it finishes the commits queued when the store closes.
    std::unique_ptr<log::CommitQueue> committer;
    std::shared_mutex streams_mu;
    std::map<std::string, std::shared_ptr<StreamRuntime>, std::less<>> streams;  // by name
    std::mutex account_mu;          // held by every change to the account's open shard count
    int64_t open_shards_total = 0;  // guarded by account_mu

    std::mutex housekeeping_mu;
    std::condition_variable housekeeping_cv;
    bool stopping = false;
    std::thread housekeeper;

    EpochMillis now() const { return options.clock->now_ms(); }

    /// Resolves a name or ARN to a live stream, or ResourceNotFoundException.
    Result<std::shared_ptr<StreamRuntime>> find(std::string_view name_or_arn);
    Error not_found(std::string_view name) const;
    Error not_active(const StreamMeta& meta, StreamStatus status) const;
    /// "Shard shardId-000000000001 in stream ... does not exist" (reads).
    Error shard_not_found(std::string_view stream, std::string_view shard_id) const;
    /// "Could not find shard <shard_id> in stream ..." (resharding, and names that are no shard
    /// id).
    Error unknown_shard(std::string_view stream, std::string_view shard_id) const;
    /// Status after lazy CREATING/UPDATING -> ACTIVE transitions.
    StreamStatus status_of(const StreamMeta& meta) const;
    /// LimitExceededException when `additional` more open shards would pass the account limit.
    /// The caller holds account_mu.
    Status check_shard_limit(int additional) const;

    std::filesystem::path shard_dir(int64_t stream_id, uint32_t shard_index) const;
    Result<std::unique_ptr<ShardRuntime>> open_shard(int64_t stream_id, const ShardMeta& meta);
    ShardDescription describe_shard(const ShardRuntime& shard) const;
    std::string arn(std::string_view name) const;
};

}  // namespace shardflow::store
