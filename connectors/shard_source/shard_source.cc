// Shard discovery (lineage order) and batched reads through StreamStore::read_shard.

#include "connectors/shard_source/shard_source.h"

#include "engine/runtime/state_codec.h"

namespace shardflow::connectors {
namespace {

bool is_finished_or_gone(const std::optional<std::string>& parent,
                         const std::set<uint32_t>& finished,
                         const std::set<uint32_t>& listed) {
    if (!parent) {
        return true;
    }
    auto index = store::parse_shard_id(*parent);
    // A parent no longer listed has expired: nothing of it is left to read first.
    return !index || finished.contains(*index) || !listed.contains(*index);
}

}  // namespace

Result<std::vector<runtime::PartitionId>> ShardSource::readable_partitions() {
    // Shards finished in the last round: their records have reached the workers by now.
    std::erase_if(shards_, [this](const auto& entry) {
        if (entry.second.finished) {
            finished_.insert(entry.first);
        }
        return entry.second.finished;
    });
    SF_ASSIGN_OR_RETURN(auto shards, store_.list_shards(stream_, store::ShardFilter{}));
    std::set<uint32_t> listed;
    for (const auto& shard : shards) {
        if (auto index = store::parse_shard_id(shard.shard_id)) {
            listed.insert(*index);
        }
    }
    std::vector<runtime::PartitionId> readable;
    for (const auto& shard : shards) {
        auto index = store::parse_shard_id(shard.shard_id);
        if (!index || finished_.contains(*index)) {
            continue;
        }
        if (!shards_.contains(*index)) {
            if (!is_finished_or_gone(shard.parent_shard_id, finished_, listed) ||
                !is_finished_or_gone(shard.adjacent_parent_shard_id, finished_, listed)) {
                continue;
            }
            ShardState state;
            if (auto saved = options_.positions.find(*index); saved != options_.positions.end()) {
                state.next_seq_ix = saved->second;
            } else {
                store::IteratorRequest from = started_ ? store::IteratorRequest{} : options_.start;
                SF_ASSIGN_OR_RETURN(state.next_seq_ix,
                                    store_.shard_position(stream_, *index, from));
            }
            shards_.emplace(*index, std::move(state));
        }
        readable.push_back(*index);
    }
    started_ = true;
    return readable;
}

Result<runtime::PartitionRead> ShardSource::read(runtime::PartitionId shard,
                                                 size_t max_records,
                                                 std::vector<ShardRecord>& out) {
    ShardState& state = shards_.at(shard);
    SF_ASSIGN_OR_RETURN(auto result,
                        store_.read_shard(stream_, shard, state.next_seq_ix, max_records));
    for (const auto& r : result.records) {
        out.push_back({r.partition_key, r.data, r.arrival_ms, shard, r.seq_ix});
    }
    state.next_seq_ix = result.next_seq_ix;
    state.batch = std::move(result.batch);
    runtime::PartitionRead read{result.records.size(),
                                result.records.size() < max_records,
                                result.shard_closed_and_drained};
    state.finished = read.finished;
    return read;
}

std::string ShardSource::save_positions() const {
    std::map<uint32_t, uint64_t> positions;
    for (const auto& [index, state] : shards_) {
        positions[index] = state.next_seq_ix;
    }
    runtime::StateWriter w;
    runtime::encode(w, positions);
    runtime::encode(w, finished_);
    return w.take();
}

Status ShardSource::restore_positions(std::string_view saved) {
    if (saved.empty()) {
        return ok();
    }
    runtime::StateReader r(saved);
    std::map<uint32_t, uint64_t> positions;
    std::set<uint32_t> finished;
    runtime::decode(r, positions);
    runtime::decode(r, finished);
    SF_TRY(r.status());
    options_.positions = std::move(positions);
    finished_ = std::move(finished);
    shards_.clear();
    started_ = true;  // shards that appear from now on are read from their beginning
    return ok();
}

}  // namespace shardflow::connectors
