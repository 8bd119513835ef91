#pragma once
// What CREATE STREAM declares: a schema over a stream of the store, its record format, where
// queries start reading it and its watermark.

#include "sql/ast.h"
#include "sql/binder/schema.h"

#include <optional>
#include <string>
#include <vector>

namespace shardflow::sql {

enum class RecordFormat : uint8_t { kJson, kCsv };

struct StreamDef {
    std::string name;          // as SQL names it
    std::string store_stream;  // the stream of the store (WITH stream = '...'; default name)
    RecordFormat format = RecordFormat::kJson;
    std::vector<ColumnDef> columns;
    std::string start = "TRIM_HORIZON";      // TRIM_HORIZON, LATEST or a timestamp
    std::optional<size_t> watermark_column;  // index into columns
    int64_t watermark_delay_ms = 0;          // WATERMARK FOR ts AS ts - INTERVAL ...
    std::string partition_key;  // column whose value keys records INSERTed into the stream
    std::string sql;            // the CREATE STREAM statement

    /// The declared columns, then the pseudo-columns every record has.
    Schema schema(std::string_view qualifier) const;
};

/// _partition_key, _sequence_number, _shard_id, _arrival_time after the declared columns.
inline constexpr size_t kPseudoColumns = 4;

/// Checks a CREATE STREAM and turns it into a definition.
Result<StreamDef> make_stream_def(const CreateStream& create, std::string sql);

}  // namespace shardflow::sql
