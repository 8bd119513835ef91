#pragma once
// Date-time patterns in the letters Java's DateTimeFormatter and moment.js share (yyyy, yy, MM,
// dd, HH, mm, ss, SSS), formatted in UTC: Firehose's !{timestamp:...} prefixes and object
// names, and the record templates' {{date.now("...")}}.

#include "engine/common/clock.h"
#include "engine/common/error.h"

#include <string>
#include <string_view>
#include <vector>

namespace shardflow {

/// Immutable after parse(); formatting is thread-safe.
class DatePattern {
public:
    enum class Syntax : uint8_t {
        /// DateTimeFormatter's: any other letter, a quote or a bracket is an error (Java would
        /// read it as a field we do not support, as Firehose does).
        kJava,
        /// Also moment.js's YYYY, YY and DD; every other character is copied as it is, so
        /// "yyyy-MM-ddTHH:mm:ss.SSSZ" works unquoted.
        kLenient,
    };

    /// An error (InvalidArgument) names the pattern and the unsupported letters.
    static Result<DatePattern> parse(std::string_view pattern, Syntax syntax);
    /// ISO 8601 with milliseconds: 2024-01-31T12:00:00.123Z.
    static const DatePattern& iso8601();

    /// Appends `ms` formatted in UTC.
    void append(EpochMillis ms, std::string& out) const;
    std::string format(EpochMillis ms) const;

private:
    enum class Field : uint8_t {
        kLiteral,
        kYear4,
        kYear2,
        kMonth,
        kDay,
        kHour,
        kMinute,
        kSecond,
        kMillis
    };
    struct Part {
        Field field = Field::kLiteral;
        std::string literal;
    };
    std::vector<Part> parts_;
};

}  // namespace shardflow
