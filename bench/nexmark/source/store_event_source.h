#pragma once
// Nexmark events read back from a stream of the store (`--through-store`): every shard read in
// parallel, each record (event_json: {"event_type": n, "person"|"auction"|"bid": {...}})
// decoded into an Event on the reader side, so a query pays for shard reads and JSON parsing.

#include "bench/nexmark/generator/generator_config.h"
#include "bench/nexmark/generator/model.h"
#include "connectors/formats/json_fields.h"
#include "connectors/shard_source/shard_source.h"

#include <map>
#include <memory>

namespace shardflow::nexmark {

/// Reads one JSON event record (one instance per reader thread).
class EventDecoder {
public:
    EventDecoder();
    Result<Event> operator()(std::string_view record);

private:
    Result<std::string> text(connectors::JsonFields& fields, size_t i);

    connectors::JsonFields envelope_;
    connectors::JsonFields person_;
    connectors::JsonFields auction_;
    connectors::JsonFields bid_;
};

/// Writes events [0, count) of `config` as event_json records into `stream` (created with
/// `shards` shards), partition key as partition_key().
Status write_events(store::StreamStore& store,
                    const std::string& stream,
                    int shards,
                    const GeneratorConfig& config,
                    uint64_t count);

/// Writes events [0, count) of `config` as row_json records into three streams, person, auction
/// and bid (each created with `shards` shards), as the SQL versions read them
/// (queries/sql/ddl.sql).
Status write_row_streams(store::StreamStore& store,
                         int shards,
                         const GeneratorConfig& config,
                         uint64_t count);

/// Threading: as ShardSource: read() concurrently for distinct shards.
class StoreEventSource final : public runtime::Source<Event> {
public:
    StoreEventSource(store::StreamStore& store, std::string stream);

    std::string describe() const override {
        return "nexmark_from_store(" + records_.describe() + ")";
    }
    Result<std::vector<runtime::PartitionId>> readable_partitions() override;
    Result<runtime::PartitionRead> read(runtime::PartitionId partition,
                                        size_t max_records,
                                        std::vector<Event>& out) override;
    std::string save_positions() const override { return records_.save_positions(); }
    Status restore_positions(std::string_view positions) override {
        return records_.restore_positions(positions);
    }

private:
    connectors::ShardSource records_;
    std::map<runtime::PartitionId, std::unique_ptr<EventDecoder>> decoders_;  // one per shard
    std::map<runtime::PartitionId, std::vector<connectors::ShardRecord>> batches_;
};

}  // namespace shardflow::nexmark
