#pragma once
// A files sink's restart state in the checkpoint store's database, written in each
// checkpoint's transaction:
//   shardflow_files_sink_buffers(sink, buffer, prefix, staging_file, length, records,
//                                first_arrival_ms, opened_ms)  one row per open buffer
//   shardflow_files_sink_columns(sink, columns)                the CSV columns, a JSON array

#include "engine/common/clock.h"
#include "engine/common/error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;

namespace shardflow::connectors::files {

/// A buffer as of a checkpoint: the first `length` bytes of its staging file.
struct StagedBuffer {
    std::string buffer;        // the sink's key for the buffer (partition values or error type)
    std::string prefix;        // expanded when the buffer opened
    std::string staging_file;  // file name in the sink's staging directory
    uint64_t length = 0;
    uint64_t records = 0;
    EpochMillis first_arrival_ms = 0;  // names the object
    EpochMillis opened_ms = 0;         // by the sink's clock: the interval hint counts from here
};

struct SinkState {
    std::optional<std::vector<std::string>> csv_columns;
    std::vector<StagedBuffer> buffers;
};

/// Creates the tables if they are missing; then reads the sink's rows (none: an empty state).
Result<SinkState> load_sink_state(sqlite3* db, std::string_view sink);

/// Replaces the sink's rows, inside the caller's open transaction.
Status save_sink_state(sqlite3* db, std::string_view sink, const SinkState& state);

}  // namespace shardflow::connectors::files
