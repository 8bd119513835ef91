// Error records: Firehose's field names, serialised by Boost.JSON for correct escaping.

#include "connectors/files/error_record.h"

#include "engine/common/base64.h"

#include <boost/json.hpp>

namespace shardflow::connectors::files {
namespace {

// Firehose's own codes where it has one for the same failure.
std::string_view error_code(FailureKind kind) {
    switch (kind) {
        case FailureKind::kProcessingFailed:
            return "Transform.ProcessingFailed";
        case FailureKind::kFormatConversionFailed:
            return "DataFormatConversion.MalformedData";
        case FailureKind::kPartitionKeyFailed:
            return "DynamicPartitioning.MetadataExtractionFailed";
    }
    return {};
}

}  // namespace

std::string_view error_output_type(FailureKind kind) {
    switch (kind) {
        case FailureKind::kProcessingFailed:
            return "processing-failed";
        case FailureKind::kFormatConversionFailed:
            return "format-conversion-failed";
        case FailureKind::kPartitionKeyFailed:
            return "partition-key-failed";
    }
    return {};
}

std::string error_record_line(const RecordFailure& failure,
                              std::string_view raw_data,
                              EpochMillis arrival_ms,
                              EpochMillis attempt_ending_ms) {
    boost::json::object o;
    o["attemptsMade"] = 1;
    o["arrivalTimestamp"] = arrival_ms;
    o["errorCode"] = error_code(failure.kind);
    o["errorMessage"] = failure.reason;
    o["attemptEndingTimestamp"] = attempt_ending_ms;
    o["rawData"] = base64_encode(raw_data);
    std::string line = boost::json::serialize(o);
    line += '\n';
    return line;
}

}  // namespace shardflow::connectors::files
