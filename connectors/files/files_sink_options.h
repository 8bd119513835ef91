#pragma once
// How a files sink names, buffers, converts and compresses what it delivers: the settings of a
// Firehose delivery stream with a file-system destination.

#include "connectors/files/delivery_record.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace shardflow::connectors::files {

enum class FileFormat : uint8_t {
    kJsonLines,  // one JSON value per line (.jsonl)
    kCsv,        // RFC 4180 with a header line, from JSON objects (.csv)
};

enum class Compression : uint8_t {
    kNone,
    kGzip,  // whole objects gzip-compressed (.gz appended)
};

/// Everything but the name and path has a Firehose-like default.
struct FilesSinkOptions {
    /// The delivery stream's name: starts every object's file name and keys the sink's restart
    /// state in the checkpoint store. Letters, digits, '_', '-' and '.' only.
    std::string name;
    /// The root directory (Firehose's bucket); created if missing.
    std::filesystem::path path;

    FileFormat format = FileFormat::kJsonLines;
    /// kCsv: the columns in order. Unset: the keys of the first JSON object the sink sees, kept
    /// from then on (and across restarts with a checkpoint store).
    std::optional<std::vector<std::string>> csv_columns;
    Compression compression = Compression::kNone;

    /// Buffering hints: a buffer is delivered as one object once it holds this many bytes of
    /// converted records, or once this long has passed since its first record arrived.
    uint64_t buffer_size_bytes = 5 * 1024 * 1024;
    std::chrono::milliseconds buffer_interval = std::chrono::seconds(300);

    /// Where objects go under `path`, with Firehose's expressions (prefix_expression.h). Empty:
    /// Firehose's default, "!{timestamp:yyyy/MM/dd/HH}/" (the UTC hour of the buffer's first
    /// record). A prefix not ending in '/' is a file-name prefix, as in S3.
    std::string prefix;
    /// Where records that failed (transform, conversion, partition key) go, as Firehose error
    /// records (error_record.h); may use !{firehose:error-output-type}. Empty:
    /// "errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd/HH}/".
    std::string error_output_prefix;

    /// Optional: runs on each record before conversion (Firehose's Lambda processing).
    Transform transform;
};

}  // namespace shardflow::connectors::files
