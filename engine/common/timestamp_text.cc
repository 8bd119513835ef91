#include "engine/common/timestamp_text.h"

#include "engine/common/clock.h"
#include "engine/common/parse_number.h"

#include <fmt/format.h>

#include <cctype>
#include <chrono>

namespace shardflow {
namespace {

/// Reads `n` digits at `at`; false when they are not all digits.
bool read_digits(std::string_view text, size_t at, size_t n, int& out) {
    auto digits = at + n <= text.size() ? parse_number<int>(text.substr(at, n)) : std::nullopt;
    if (!digits) {
        return false;
    }
    out = *digits;
    return true;
}

}  // namespace

std::optional<int64_t> parse_timestamp(std::string_view text) {
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!read_digits(text, 0, 4, year) || text.size() < 10 || text[4] != '-' ||
        !read_digits(text, 5, 2, month) || text[7] != '-' || !read_digits(text, 8, 2, day)) {
        return std::nullopt;
    }
    size_t at = 10;
    int64_t millis = 0;
    if (at < text.size() && (text[at] == ' ' || text[at] == 'T')) {
        if (!read_digits(text, at + 1, 2, hour) || text.size() < at + 9 || text[at + 3] != ':' ||
            !read_digits(text, at + 4, 2, minute) || text[at + 6] != ':' ||
            !read_digits(text, at + 7, 2, second)) {
            return std::nullopt;
        }
        at += 9;
        if (at < text.size() && text[at] == '.') {
            int64_t scale = 100;
            for (++at; at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]));
                 ++at) {
                millis += (text[at] - '0') * scale;
                scale /= 10;
            }
        }
    }
    int64_t offset_minutes = 0;
    if (at < text.size() && text[at] == 'Z') {
        ++at;
    } else if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
        int oh = 0, om = 0;
        if (!read_digits(text, at + 1, 2, oh) || text.size() < at + 6 || text[at + 3] != ':' ||
            !read_digits(text, at + 4, 2, om)) {
            return std::nullopt;
        }
        offset_minutes = (text[at] == '-' ? -1 : 1) * (oh * 60 + om);
        at += 6;
    }
    using namespace std::chrono;
    year_month_day date{std::chrono::year(year), std::chrono::month(month), std::chrono::day(day)};
    if (at != text.size() || !date.ok() || hour > 23 || minute > 59 || second > 60) {
        return std::nullopt;
    }
    int64_t days = sys_days(date).time_since_epoch().count();
    return ((days * 24 + hour) * 60 + minute - offset_minutes) * 60'000 + second * 1000 + millis;
}

std::string format_timestamp(int64_t ms) {
    int64_t millis = ((ms % 1000) + 1000) % 1000;
    return fmt::format("{}.{:03}", format_utc(ms - millis, "%Y-%m-%d %H:%M:%S"), millis);
}

}  // namespace shardflow
