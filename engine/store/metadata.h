#pragma once
// Plain metadata of streams, shards and consumers as the catalog stores them.

#include "engine/common/clock.h"
#include "engine/store/shards/hash_key.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace shardflow::store {

enum class StreamMode : uint8_t { kProvisioned, kOnDemand };
enum class StreamStatus : uint8_t { kCreating, kDeleting, kActive, kUpdating };

std::string_view to_string(StreamMode mode);
std::string_view to_string(StreamStatus status);

struct ShardMeta {
    uint32_t index = 0;
    HashKey starting_hash_key = 0;
    HashKey ending_hash_key = 0;
    std::optional<uint32_t> parent;
    std::optional<uint32_t> adjacent_parent;
    EpochMillis created_ms = 0;
    std::optional<EpochMillis> closed_ms;

    bool is_open() const { return !closed_ms.has_value(); }
};

struct ConsumerMeta {
    std::string name;
    EpochMillis created_ms = 0;
    std::map<std::string, std::string> tags;
    std::optional<std::string> policy;  // a resource policy (JSON), stored and returned
    /// Set once deregistered: DELETING until then, gone after. Never saved, so a restart
    /// finishes the deletion.
    EpochMillis deleted_at_ms = 0;

    bool registered() const { return deleted_at_ms == 0; }
};

struct StreamMeta {
    int64_t id = 0;  // names the stream's directory; a re-created stream gets a new one
    std::string name;
    StreamMode mode = StreamMode::kProvisioned;
    int retention_hours = 24;
    EpochMillis created_ms = 0;
    StreamStatus status = StreamStatus::kActive;  // CREATING/UPDATING until status_until_ms
    EpochMillis status_until_ms = 0;
    std::string encryption_type = "NONE";
    std::string key_id;
    int max_record_size_kib = 1024;
    std::vector<std::string> shard_level_metrics;
    uint32_t next_shard_index = 0;
    bool enforce_limits = false;
    std::vector<EpochMillis> mode_switches_ms;  // for the two-switches-per-24-hours rule
    std::map<std::string, std::string> tags;
    std::vector<ShardMeta> shards;  // by index
    std::vector<ConsumerMeta> consumers;
    std::optional<std::string> policy;  // a resource policy (JSON), stored and returned
    int warm_throughput_mibps = 0;      // UpdateStreamWarmThroughput's target (ON_DEMAND)
};

}  // namespace shardflow::store
