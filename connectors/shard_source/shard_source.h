#pragma once
// Reads every shard of a stream of the local store as a partitioned source: one partition per
// shard, parents read to their end before their children, so per-key order holds across a
// split or merge that happens while a query runs.

#include "engine/runtime/source.h"
#include "engine/store/stream_store.h"

#include <map>
#include <set>
#include <string>

namespace shardflow::connectors {

/// A record as the shard source hands it over; the views live until the next read of the shard.
struct ShardRecord {
    std::string_view partition_key;
    std::string_view data;
    EpochMillis arrival_ms;
    uint32_t shard_index;
    uint64_t seq_ix;
};

/// Where the shards that exist when the query starts are read from (TRIM_HORIZON, LATEST or
/// AT_TIMESTAMP; `positions` resume from a checkpoint instead). Shards that appear later are
/// read from their beginning.
struct ShardSourceOptions {
    store::IteratorRequest start;
    std::map<uint32_t, uint64_t> positions;
};

/// Threading: readable_partitions() from one thread; read() concurrently for distinct shards.
class ShardSource final : public runtime::Source<ShardRecord> {
public:
    ShardSource(store::StreamStore& store, std::string stream, ShardSourceOptions options = {})
        : store_(store)
        , stream_(std::move(stream))
        , options_(std::move(options)) {}

    std::string describe() const override { return "shard_source(" + stream_ + ")"; }
    Result<std::vector<runtime::PartitionId>> readable_partitions() override;
    Result<runtime::PartitionRead> read(runtime::PartitionId shard,
                                        size_t max_records,
                                        std::vector<ShardRecord>& out) override;

    /// The next position of every shard being read, and the shards read to their end.
    std::string save_positions() const override;
    Status restore_positions(std::string_view positions) override;

private:
    struct ShardState {
        uint64_t next_seq_ix = 0;
        store::log::ReadBatch batch;  // owns the bytes of the last records handed out
        bool finished = false;        // closed and drained; set by read(), acted on between rounds
    };

    store::StreamStore& store_;
    std::string stream_;
    ShardSourceOptions options_;
    bool started_ = false;
    std::map<uint32_t, ShardState> shards_;  // shards being read; changed only between rounds
    std::set<uint32_t> finished_;
};

}  // namespace shardflow::connectors
