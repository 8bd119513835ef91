#pragma once
// How `shardflow agent` turns a line of a followed file into a Kinesis record: the --format
// check and the --partition-key choice.

#include "connectors/kinesis_client/kinesis_client.h"
#include "connectors/record_template/render_state.h"
#include "engine/common/error.h"

#include <optional>
#include <string>
#include <string_view>

namespace shardflow::app {

/// Threading: one caller (the random keys come from its own generator).
class LineRecords {
public:
    /// `format`: lines or jsonl. `partition_key`: random, line-hash (the same line, the same
    /// shard) or field:NAME (jsonl only; a line without the field falls back to its hash).
    static Result<LineRecords> make(std::string_view format, std::string_view partition_key);

    /// The record for `line`; nullopt for an empty line (skipped); kInvalidArgument for a jsonl
    /// line that is not JSON.
    Result<std::optional<connectors::PutRecordsEntry>> to_record(std::string line);

private:
    enum class Key { kRandom, kLineHash, kField };

    LineRecords(bool jsonl, Key key, std::string field, uint64_t seed)
        : jsonl_(jsonl)
        , key_(key)
        , field_(std::move(field))
        , rng_(seed) {}

    bool jsonl_;
    Key key_;
    std::string field_;
    connectors::TemplateRng rng_;
};

}  // namespace shardflow::app
