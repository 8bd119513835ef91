#pragma once
// Converts a record's bytes (after the transform) into a line of the output format and reads
// its partition keys: JSON lines keep each valid JSON value on one line; CSV turns each JSON
// object into a row of fixed columns (RFC 4180 quoting, lines ending in '\n').

#include "connectors/files/error_record.h"
#include "connectors/files/files_sink_options.h"

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace shardflow::connectors::files {

struct EncodedRecord {
    std::vector<std::string> partition_values;  // one per partition key, in order
    std::string line;                           // ending in '\n'
};

/// Threading: one thread at a time (the sink locks around it): CSV fixes its columns on the
/// first JSON object it sees unless they were given.
class RecordEncoder {
public:
    RecordEncoder(FileFormat format,
                  std::optional<std::vector<std::string>> csv_columns,
                  std::vector<std::string> partition_keys);

    /// The line, or why the record belongs in the error output.
    std::variant<EncodedRecord, RecordFailure> encode(std::string_view data);

    /// CSV: the columns, once given or fixed by the first object.
    const std::optional<std::vector<std::string>>& csv_columns() const { return csv_columns_; }
    /// What every object starts with: the CSV header line, or nothing.
    std::string object_header() const;

private:
    FileFormat format_;
    std::optional<std::vector<std::string>> csv_columns_;
    std::vector<std::string> partition_keys_;
};

}  // namespace shardflow::connectors::files
