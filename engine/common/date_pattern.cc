#include "engine/common/date_pattern.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>
#include <iterator>

namespace shardflow {
namespace {

struct Token {
    std::string_view text;
    bool java;  // DateTimeFormatter reads it the same way
};

}  // namespace

Result<DatePattern> DatePattern::parse(std::string_view pattern, Syntax syntax) {
    // Longest first, so "yyyy" is not read as two "yy".
    static constexpr std::array<std::pair<Token, Field>, 11> kTokens{{
        {{"yyyy", true}, Field::kYear4},
        {{"YYYY", false}, Field::kYear4},  // Java: week-based year
        {{"SSS", true}, Field::kMillis},
        {{"yy", true}, Field::kYear2},
        {{"YY", false}, Field::kYear2},
        {{"MM", true}, Field::kMonth},
        {{"dd", true}, Field::kDay},
        {{"DD", false}, Field::kDay},  // Java: day of the year
        {{"HH", true}, Field::kHour},
        {{"mm", true}, Field::kMinute},
        {{"ss", true}, Field::kSecond},
    }};
    const bool java = syntax == Syntax::kJava;
    DatePattern out;
    for (std::string_view rest = pattern; !rest.empty();) {
        auto token = std::find_if(kTokens.begin(), kTokens.end(), [&](const auto& t) {
            return (t.first.java || !java) && rest.starts_with(t.first.text);
        });
        // A run of one letter must be one token in Java: "MMM" is not "MM" then "M".
        char c = rest.front();
        size_t run =
            std::find_if(rest.begin(), rest.end(), [c](char d) { return d != c; }) - rest.begin();
        bool letter = std::isalpha(static_cast<unsigned char>(c)) != 0;
        if (java && (letter || std::string_view("'[]{}#").find(c) != std::string_view::npos) &&
            (token == kTokens.end() || token->first.text.size() != run)) {
            return Error::make(ErrorCode::kInvalidArgument,
                               "date pattern '{}': '{}' is not supported (use yyyy, yy, MM, dd, "
                               "HH, mm, ss, SSS)",
                               pattern,
                               rest.substr(0, letter ? run : 1));
        }
        if (token != kTokens.end()) {
            out.parts_.push_back({token->second, {}});
            rest.remove_prefix(token->first.text.size());
            continue;
        }
        if (out.parts_.empty() || out.parts_.back().field != Field::kLiteral) {
            out.parts_.push_back({Field::kLiteral, {}});
        }
        out.parts_.back().literal += c;
        rest.remove_prefix(1);
    }
    return out;
}

const DatePattern& DatePattern::iso8601() {
    static const DatePattern kIso = parse("yyyy-MM-ddTHH:mm:ss.SSSZ", Syntax::kLenient).value();
    return kIso;
}

void DatePattern::append(EpochMillis ms, std::string& out) const {
    // Floor division, so instants before 1970 land in the right second.
    auto secs = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    auto two_digits = [&out](int n) {
        fmt::format_to(std::back_inserter(out), "{:02}", n);
    };
    for (const Part& part : parts_) {
        switch (part.field) {
            case Field::kLiteral:
                out += part.literal;
                break;
            case Field::kYear4:
                fmt::format_to(std::back_inserter(out), "{:04}", tm.tm_year + 1900);
                break;
            case Field::kYear2:
                two_digits((tm.tm_year + 1900) % 100);
                break;
            case Field::kMonth:
                two_digits(tm.tm_mon + 1);
                break;
            case Field::kDay:
                two_digits(tm.tm_mday);
                break;
            case Field::kHour:
                two_digits(tm.tm_hour);
                break;
            case Field::kMinute:
                two_digits(tm.tm_min);
                break;
            case Field::kSecond:
                two_digits(tm.tm_sec);
                break;
            case Field::kMillis:
                fmt::format_to(std::back_inserter(out), "{:03}", ((ms % 1000) + 1000) % 1000);
                break;
        }
    }
}

std::string DatePattern::format(EpochMillis ms) const {
    std::string out;
    append(ms, out);
    return out;
}

}  // namespace shardflow
