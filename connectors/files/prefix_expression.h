#pragma once
// An object prefix with Firehose's expressions, parsed and checked once when the sink is created
// and expanded for each new buffer:
//   !{timestamp:<pattern>}            the UTC arrival time of the buffer's first record, in
//                                     DateTimeFormatter letters (engine/common/date_pattern.h)
//   !{partitionKeyFromQuery:<field>}  a top-level field of the record (a string or a number):
//                                     records with different values go to different objects
//   !{firehose:random-string}         11 random letters and digits, new for each object
//   !{firehose:error-output-type}     why the records failed (error output prefix only)

#include "engine/common/clock.h"
#include "engine/common/date_pattern.h"
#include "engine/common/error.h"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace shardflow::connectors::files {

/// Immutable after parse(); expand() is thread-safe.
class PrefixExpression {
public:
    enum class Use : uint8_t { kData, kErrorOutput };

    /// What the expressions expand to for one buffer.
    struct Values {
        EpochMillis first_arrival_ms = 0;
        std::span<const std::string> partition_values;  // one per partition_keys(), in order
        std::string_view error_output_type;
        std::string_view random_string;
    };

    /// An error (InvalidArgument) quotes the prefix and gives the offset of the bad expression.
    static Result<PrefixExpression> parse(std::string_view text, Use use);

    /// The fields named by partitionKeyFromQuery, each once, in order of first use.
    const std::vector<std::string>& partition_keys() const { return partition_keys_; }

    /// An error (InvalidArgument) if the result is absolute or has a "." or ".." component: an
    /// object must stay inside the sink's root directory whatever a partition key holds.
    Result<std::string> expand(const Values& values) const;

private:
    enum class Kind : uint8_t { kLiteral, kTimestamp, kPartitionKey, kErrorOutputType, kRandom };
    struct Part {
        Kind kind = Kind::kLiteral;
        std::string literal;
        std::optional<DatePattern> timestamp;
        size_t partition_key = 0;  // index into partition_keys_
    };

    Status add_expression(std::string_view ns, std::string_view value, Use use);

    std::vector<Part> parts_;
    std::vector<std::string> partition_keys_;
};

}  // namespace shardflow::connectors::files
