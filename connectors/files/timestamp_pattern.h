#pragma once
// A UTC date-time pattern in the letters of Java's DateTimeFormatter, the syntax Firehose's
// !{timestamp:...} expressions use: yyyy, MM, dd, HH, mm and ss; other letters are refused.

#include "engine/common/clock.h"
#include "engine/common/error.h"

#include <string>
#include <string_view>
#include <vector>

namespace shardflow::connectors::files {

/// Immutable after parse(); format() is thread-safe.
class TimestampPattern {
public:
    /// An error (InvalidArgument) names the pattern and the letters it does not support.
    static Result<TimestampPattern> parse(std::string_view pattern);

    /// `ms` in UTC, e.g. "2024/01/31/23" for "yyyy/MM/dd/HH".
    std::string format(EpochMillis ms) const;

private:
    enum class Field : uint8_t { kLiteral, kYear, kMonth, kDay, kHour, kMinute, kSecond };
    struct Token {
        Field field = Field::kLiteral;
        char literal = 0;
    };

    std::vector<Token> tokens_;
};

}  // namespace shardflow::connectors::files
