#pragma once
// Date patterns for {{date.now("...")}}: the tokens Java's DateTimeFormatter and moment.js
// share (yyyy/YYYY, yy/YY, MM, dd/DD, HH, mm, ss, SSS); every other character is literal.

#include "engine/common/clock.h"

#include <string>
#include <string_view>
#include <vector>

namespace shardflow::connectors {

/// A pattern split once into tokens and literal text. Immutable.
class DateFormat {
public:
    /// ISO 8601 in UTC with milliseconds: 2024-01-31T12:00:00.123Z.
    static DateFormat iso8601() { return DateFormat("yyyy-MM-ddTHH:mm:ss.SSSZ"); }

    explicit DateFormat(std::string_view pattern);

    /// Appends `ms` formatted in UTC.
    void append(EpochMillis ms, std::string& out) const;

private:
    enum class Field { kLiteral, kYear4, kYear2, kMonth, kDay, kHour, kMinute, kSecond, kMillis };
    struct Part {
        Field field;
        std::string literal;
    };
    std::vector<Part> parts_;
};

}  // namespace shardflow::connectors
