#pragma once
// Records that could not be delivered as data, written to the error output as Firehose writes
// them: one JSON object per line,
//   {"attemptsMade":1,"arrivalTimestamp":<ms>,"errorCode":"...","errorMessage":"...",
//    "attemptEndingTimestamp":<ms>,"rawData":"<base64 of the record's bytes>"}

#include "engine/common/clock.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace shardflow::connectors::files {

/// Why a record failed; each has its own !{firehose:error-output-type} and errorCode.
enum class FailureKind : uint8_t {
    kProcessingFailed,        // the transform answered ProcessingFailed
    kFormatConversionFailed,  // not valid JSON, or not an object for CSV
    kPartitionKeyFailed,      // a partitionKeyFromQuery field missing or not a string or number
};

struct RecordFailure {
    FailureKind kind = FailureKind::kFormatConversionFailed;
    std::string reason;  // errorMessage
};

/// "processing-failed", "format-conversion-failed" or "partition-key-failed".
std::string_view error_output_type(FailureKind kind);

/// The error record line, ending in '\n'. `raw_data` is the record as the failing step saw it:
/// the original bytes for kProcessingFailed, the transformed bytes for the others.
std::string error_record_line(const RecordFailure& failure,
                              std::string_view raw_data,
                              EpochMillis arrival_ms,
                              EpochMillis attempt_ending_ms);

}  // namespace shardflow::connectors::files
