#include "sql/value_ops.h"

#include "engine/common/parse_number.h"
#include "engine/common/timestamp_text.h"

#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <cmath>

namespace shardflow::sql {

int compare_values(const Value& a, const Value& b) {
    auto number = [](const Value& v) {
        return v.index() == 2 || v.index() == 3;
    };
    if (a.index() == 2 && b.index() == 2) {
        auto x = std::get<int64_t>(a), y = std::get<int64_t>(b);
        return x < y ? -1 : (x > y ? 1 : 0);
    }
    if (number(a) && number(b)) {
        double x = as_double(a), y = as_double(b);
        return x < y ? -1 : (x > y ? 1 : 0);
    }
    if (a.index() != b.index()) {
        return a.index() < b.index() ? -1 : 1;
    }
    if (auto* s = std::get_if<std::string>(&a)) {
        int c = s->compare(std::get<std::string>(b));
        return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    if (auto* x = std::get_if<bool>(&a)) {
        return int(*x) - int(std::get<bool>(b));
    }
    return 0;  // both NULL
}

int compare_for_order(const Value& a, const Value& b) {
    if (is_null(a) || is_null(b)) {
        return int(!is_null(a)) - int(!is_null(b));
    }
    return compare_values(a, b);
}

double as_double(const Value& v) {
    if (auto* i = std::get_if<int64_t>(&v)) {
        return static_cast<double>(*i);
    }
    if (auto* d = std::get_if<double>(&v)) {
        return *d;
    }
    if (auto* b = std::get_if<bool>(&v)) {
        return *b ? 1 : 0;
    }
    return std::nan("");
}

std::string value_text(const Value& v, SqlType type) {
    struct Visitor {
        SqlType type;
        std::string operator()(std::monostate) const { return "NULL"; }
        std::string operator()(bool b) const { return b ? "true" : "false"; }
        std::string operator()(int64_t i) const {
            return type == SqlType::kTimestamp ? format_timestamp(i) : std::to_string(i);
        }
        std::string operator()(double d) const {
            if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 1e15) {
                return fmt::format("{:.1f}", d);
            }
            return fmt::format("{}", d);
        }
        std::string operator()(const std::string& s) const { return s; }
    };
    return std::visit(Visitor{type}, v);
}

Value cast_value(const Value& v, SqlType from, SqlType to) {
    if (is_null(v) || from == to) {
        return v;
    }
    switch (to) {
        case SqlType::kVarchar:
            return value_text(v, from);
        case SqlType::kDouble:
            if (auto* s = std::get_if<std::string>(&v)) {
                return value_or_null(parse_number<double>(*s));
            }
            return as_double(v);
        case SqlType::kBigint:
            if (auto* s = std::get_if<std::string>(&v)) {
                return value_or_null(parse_number<int64_t>(*s));
            }
            if (auto* d = std::get_if<double>(&v)) {
                if (!std::isfinite(*d) || std::fabs(*d) >= 9.2e18) {
                    return {};
                }
                return static_cast<int64_t>(std::trunc(*d));
            }
            if (auto* b = std::get_if<bool>(&v)) {
                return int64_t{*b};
            }
            return v;  // a TIMESTAMP is its milliseconds
        case SqlType::kBoolean:
            if (auto* s = std::get_if<std::string>(&v)) {
                if (*s == "true" || *s == "TRUE" || *s == "1") {
                    return true;
                }
                if (*s == "false" || *s == "FALSE" || *s == "0") {
                    return false;
                }
                return {};
            }
            return as_double(v) != 0;
        case SqlType::kTimestamp:
            if (auto* s = std::get_if<std::string>(&v)) {
                return value_or_null(parse_timestamp(*s));
            }
            return cast_value(v, from, SqlType::kBigint);  // milliseconds since the epoch
        case SqlType::kNull:
            return {};
    }
    return {};
}

Value add_numbers(const Value& a, const Value& b) {
    if (is_null(a)) {
        return b;
    }
    if (a.index() == 2 && b.index() == 2) {
        int64_t r = 0;
        if (!__builtin_add_overflow(std::get<int64_t>(a), std::get<int64_t>(b), &r)) {
            return r;
        }
    }
    return as_double(a) + as_double(b);
}

}  // namespace shardflow::sql
