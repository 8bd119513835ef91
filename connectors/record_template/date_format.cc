// Tokenising and formatting date patterns.

#include "connectors/record_template/date_format.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <ctime>
#include <iterator>
#include <utility>

namespace shardflow::connectors {

DateFormat::DateFormat(std::string_view pattern) {
    // Longest first, so "yyyy" is not read as two "yy".
    static constexpr std::array<std::pair<std::string_view, Field>, 12> kTokens{{
        {"yyyy", Field::kYear4},
        {"YYYY", Field::kYear4},
        {"SSS", Field::kMillis},
        {"yy", Field::kYear2},
        {"YY", Field::kYear2},
        {"MM", Field::kMonth},
        {"dd", Field::kDay},
        {"DD", Field::kDay},
        {"HH", Field::kHour},
        {"mm", Field::kMinute},
        {"ss", Field::kSecond},
        {"", Field::kLiteral},
    }};
    while (!pattern.empty()) {
        auto token = std::find_if(kTokens.begin(), kTokens.end() - 1, [&](const auto& t) {
            return pattern.starts_with(t.first);
        });
        if (token != kTokens.end() - 1) {
            parts_.push_back({token->second, {}});
            pattern.remove_prefix(token->first.size());
            continue;
        }
        if (parts_.empty() || parts_.back().field != Field::kLiteral) {
            parts_.push_back({Field::kLiteral, {}});
        }
        parts_.back().literal += pattern.front();
        pattern.remove_prefix(1);
    }
}

void DateFormat::append(EpochMillis ms, std::string& out) const {
    std::time_t secs = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    for (const auto& part : parts_) {
        switch (part.field) {
            case Field::kLiteral:
                out += part.literal;
                break;
            case Field::kYear4:
                fmt::format_to(std::back_inserter(out), "{:04}", tm.tm_year + 1900);
                break;
            case Field::kYear2:
                fmt::format_to(std::back_inserter(out), "{:02}", (tm.tm_year + 1900) % 100);
                break;
            case Field::kMonth:
                fmt::format_to(std::back_inserter(out), "{:02}", tm.tm_mon + 1);
                break;
            case Field::kDay:
                fmt::format_to(std::back_inserter(out), "{:02}", tm.tm_mday);
                break;
            case Field::kHour:
                fmt::format_to(std::back_inserter(out), "{:02}", tm.tm_hour);
                break;
            case Field::kMinute:
                fmt::format_to(std::back_inserter(out), "{:02}", tm.tm_min);
                break;
            case Field::kSecond:
                fmt::format_to(std::back_inserter(out), "{:02}", tm.tm_sec);
                break;
            case Field::kMillis:
                fmt::format_to(std::back_inserter(out), "{:03}", ((ms % 1000) + 1000) % 1000);
                break;
        }
    }
}

}  // namespace shardflow::connectors
