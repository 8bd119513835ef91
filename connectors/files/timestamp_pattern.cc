// TimestampPattern: letter runs become fields; every other character is copied as it is.

#include "connectors/files/timestamp_pattern.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>

namespace shardflow::connectors::files {
Result<TimestampPattern> TimestampPattern::parse(std::string_view pattern) {
    static constexpr std::array<std::pair<std::string_view, Field>, 6> kRuns{{
        {"yyyy", Field::kYear},
        {"MM", Field::kMonth},
        {"dd", Field::kDay},
        {"HH", Field::kHour},
        {"mm", Field::kMinute},
        {"ss", Field::kSecond},
    }};
    TimestampPattern out;
    size_t i = 0;
    while (i < pattern.size()) {
        char c = pattern[i];
        if (!std::isalpha(static_cast<unsigned char>(c))) {
            // DateTimeFormatter reserves these for quoting, optional sections and future use.
            if (std::string_view("'[]{}#").find(c) != std::string_view::npos) {
                return Error::make(ErrorCode::kInvalidArgument,
                                   "timestamp pattern '{}': '{}' is not supported",
                                   pattern,
                                   c);
            }
            out.tokens_.push_back({Field::kLiteral, c});
            ++i;
            continue;
        }
        size_t end = i;
        while (end < pattern.size() && pattern[end] == c) {
            ++end;
        }
        std::string_view run = pattern.substr(i, end - i);
        const auto* known =
            std::find_if(kRuns.begin(), kRuns.end(), [&](const auto& r) { return r.first == run; });
        if (known == kRuns.end()) {
            return Error::make(ErrorCode::kInvalidArgument,
                               "timestamp pattern '{}': '{}' is not supported (use yyyy, MM, dd, "
                               "HH, mm, ss)",
                               pattern,
                               run);
        }
        out.tokens_.push_back({known->second, 0});
        i = end;
    }
    return out;
}

std::string TimestampPattern::format(EpochMillis ms) const {
    // Floor division, so instants before 1970 land in the right second.
    std::time_t secs = static_cast<std::time_t>(ms / 1000 - (ms % 1000 < 0 ? 1 : 0));
    std::tm tm{};
    gmtime_r(&secs, &tm);
    std::string out;
    for (const Token& t : tokens_) {
        switch (t.field) {
            case Field::kLiteral:
                out += t.literal;
                break;
            case Field::kYear:
                out += fmt::format("{:04}", tm.tm_year + 1900);
                break;
            case Field::kMonth:
                out += fmt::format("{:02}", tm.tm_mon + 1);
                break;
            case Field::kDay:
                out += fmt::format("{:02}", tm.tm_mday);
                break;
            case Field::kHour:
                out += fmt::format("{:02}", tm.tm_hour);
                break;
            case Field::kMinute:
                out += fmt::format("{:02}", tm.tm_min);
                break;
            case Field::kSecond:
                out += fmt::format("{:02}", tm.tm_sec);
                break;
        }
    }
    return out;
}

}  // namespace shardflow::connectors::files
