#include "sql/binder/scalar_functions.h"

#include "engine/common/clock.h"
#include "engine/common/timestamp_text.h"
#include "sql/binder/regex_functions.h"
#include "sql/value_ops.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <unordered_map>

namespace shardflow::sql {
namespace {

using Types = std::span<const SqlType>;
using Values = FunctionArgs;
using TypeRule = std::function<Result<SqlType>(Types)>;

bool is_numeric(SqlType t) {
    return t == SqlType::kBigint || t == SqlType::kDouble || t == SqlType::kNull;
}

/// Every argument must be one of `allowed` (in order; the last repeats); the result is `out`.
TypeRule takes(std::vector<std::vector<SqlType>> allowed, SqlType out) {
    return [allowed = std::move(allowed), out](Types types) -> Result<SqlType> {
        for (size_t i = 0; i < types.size(); ++i) {
            const auto& ok = allowed[std::min(i, allowed.size() - 1)];
            if (types[i] != SqlType::kNull &&
                std::find(ok.begin(), ok.end(), types[i]) == ok.end()) {
                return Error::make(ErrorCode::kInvalidArgument,
                                   "argument {} cannot be {}",
                                   i + 1,
                                   type_name(types[i]));
            }
        }
        return out;
    };
}

const std::vector<SqlType> kText{SqlType::kVarchar};
const std::vector<SqlType> kNumber{SqlType::kBigint, SqlType::kDouble};
const std::vector<SqlType> kInteger{SqlType::kBigint};
const std::vector<SqlType> kTime{SqlType::kTimestamp};
const std::vector<SqlType> kAny{
    SqlType::kBoolean, SqlType::kBigint, SqlType::kDouble, SqlType::kVarchar, SqlType::kTimestamp};

/// The first argument's type (ABS, ROUND of a BIGINT stays a BIGINT).
Result<SqlType> numeric_like_first(Types types) {
    for (SqlType t : types) {
        if (!is_numeric(t)) {
            return Error::make(ErrorCode::kInvalidArgument, "needs numbers, not {}", type_name(t));
        }
    }
    return types.empty() || types[0] == SqlType::kNull ? SqlType::kBigint : types[0];
}

/// The arguments' common type (COALESCE, GREATEST, ...).
Result<SqlType> common_of(Types types) {
    SqlType out = SqlType::kNull;
    for (SqlType t : types) {
        if (out == SqlType::kNull || out == t) {
            out = t == SqlType::kNull ? out : t;
        } else if (is_numeric(out) && is_numeric(t)) {
            out = SqlType::kDouble;
        } else if (t != SqlType::kNull) {
            return Error::make(ErrorCode::kInvalidArgument,
                               "arguments of different types: {} and {}",
                               type_name(out),
                               type_name(t));
        }
    }
    return out;
}

const std::string& text(const Value& v) {
    return std::get<std::string>(v);
}
int64_t integer(const Value& v) {
    return std::get<int64_t>(v);
}

/// A number function computed in double; BIGINT arguments keep a BIGINT result when `keep`.
Value math(const Value& v, double (*f)(double), bool keep_integer) {
    if (keep_integer && v.index() == 2) {
        return v;
    }
    double r = f(as_double(v));
    return std::isfinite(r) ? Value(r) : Value{};
}

std::string utf8_upper_lower(std::string s, bool upper) {
    for (char& c : s) {  // ASCII letters; other bytes (UTF-8 sequences) are kept
        c = static_cast<char>(upper ? std::toupper(static_cast<unsigned char>(c))
                                    : std::tolower(static_cast<unsigned char>(c)));
    }
    return s;
}

/// Characters (code points) of UTF-8 text, as byte offsets.
std::vector<size_t> char_offsets(const std::string& s) {
    std::vector<size_t> offsets;
    for (size_t i = 0; i < s.size(); ++i) {
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
            offsets.push_back(i);
        }
    }
    offsets.push_back(s.size());
    return offsets;
}

/// SUBSTRING(s, start [, length]) with SQL's 1-based start, in characters.
Value substring(Values a) {
    const std::string& s = text(a[0]);
    auto offsets = char_offsets(s);
    int64_t chars = static_cast<int64_t>(offsets.size()) - 1;
    int64_t start = integer(a[1]);
    int64_t end = a.size() > 2 ? start + std::max<int64_t>(integer(a[2]), 0) : chars + 1;
    start = std::clamp<int64_t>(start, 1, chars + 1);
    end = std::clamp<int64_t>(end, start, chars + 1);
    return s.substr(offsets[start - 1], offsets[end - 1] - offsets[start - 1]);
}

Value trim(const std::string& s, bool left, bool right) {
    size_t b = 0, e = s.size();
    while (left && b < e && std::isspace(static_cast<unsigned char>(s[b]))) {
        ++b;
    }
    while (right && e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) {
        --e;
    }
    return s.substr(b, e - b);
}

Value replace_all(std::string s, const std::string& from, const std::string& to) {
    if (from.empty()) {
        return s;
    }
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
        s.replace(at, from.size(), to);
    }
    return s;
}

/// SPLIT_INDEX(s, delimiter, n): the n-th (from 0) piece, or NULL.
Value split_index(Values a) {
    const std::string& s = text(a[0]);
    const std::string& d = text(a[1]);
    int64_t n = integer(a[2]);
    if (d.empty() || n < 0) {
        return {};
    }
    size_t from = 0;
    for (int64_t i = 0; i < n; ++i) {
        from = s.find(d, from);
        if (from == std::string::npos) {
            return {};
        }
        from += d.size();
    }
    return s.substr(from, s.find(d, from) - from);
}

/// JSON_VALUE(json, '$.a.b[0]'): the scalar at the path as text, or NULL.
Value json_value(Values a) {
    boost::system::error_code ec;
    auto doc = boost::json::parse(text(a[0]), ec);
    const std::string& path = text(a[1]);
    if (ec || path.empty() || path[0] != '$') {
        return {};
    }
    const boost::json::value* at = &doc;
    size_t i = 1;
    while (at && i < path.size()) {
        if (path[i] == '.') {
            size_t end = path.find_first_of(".[", i + 1);
            std::string key = path.substr(i + 1, end - i - 1);
            at = at->is_object() ? at->as_object().if_contains(key) : nullptr;
            i = end == std::string::npos ? path.size() : end;
        } else if (path[i] == '[') {
            size_t end = path.find(']', i);
            if (end == std::string::npos || !at->is_array()) {
                return {};
            }
            size_t index = std::strtoull(path.c_str() + i + 1, nullptr, 10);
            const auto& arr = at->as_array();
            at = index < arr.size() ? &arr[index] : nullptr;
            i = end + 1;
        } else {
            return {};
        }
    }
    if (!at || at->is_null() || at->is_object() || at->is_array()) {
        return {};
    }
    if (at->is_string()) {
        return std::string(at->as_string());
    }
    return boost::json::serialize(*at);
}

/// Broken-down UTC time of a TIMESTAMP.
struct Civil {
    int64_t year, month, day, hour, minute, second;
};
Civil civil(int64_t ms) {
    using namespace std::chrono;
    auto tp = sys_time<milliseconds>(milliseconds(ms));
    auto days = floor<std::chrono::days>(tp);
    year_month_day ymd(days);
    hh_mm_ss hms(floor<seconds>(tp - days));
    return {int(ymd.year()),
            unsigned(ymd.month()),
            unsigned(ymd.day()),
            hms.hours().count(),
            hms.minutes().count(),
            hms.seconds().count()};
}

ScalarFunction fn(size_t min, size_t max, TypeRule type, std::function<Value(Values)> call) {
    return ScalarFunction{min, max, std::move(type), [call = std::move(call)](Values v, Types) {
                              return call(v);
                          }};
}

ScalarFunction time_part(int64_t Civil::*part) {
    return fn(1, 1, takes({kTime}, SqlType::kBigint), [part](Values a) {
        return Value(civil(integer(a[0])).*part);
    });
}

std::map<std::string, ScalarFunction, std::less<>> make_functions() {
    std::map<std::string, ScalarFunction, std::less<>> f;
    // Strings
    f["UPPER"] = fn(1, 1, takes({kText}, SqlType::kVarchar), [](Values a) {
        return Value(utf8_upper_lower(text(a[0]), true));
    });
    f["LOWER"] = fn(1, 1, takes({kText}, SqlType::kVarchar), [](Values a) {
        return Value(utf8_upper_lower(text(a[0]), false));
    });
    f["CHAR_LENGTH"] = fn(1, 1, takes({kText}, SqlType::kBigint), [](Values a) {
        return Value(static_cast<int64_t>(char_offsets(text(a[0])).size() - 1));
    });
    f["LENGTH"] = f["CHAR_LENGTH"];
    f["SUBSTRING"] = fn(2, 3, takes({kText, kInteger}, SqlType::kVarchar), substring);
    f["SUBSTR"] = f["SUBSTRING"];
    f["TRIM"] = fn(1, 1, takes({kText}, SqlType::kVarchar), [](Values a) {
        return trim(text(a[0]), true, true);
    });
    f["LTRIM"] = fn(1, 1, takes({kText}, SqlType::kVarchar), [](Values a) {
        return trim(text(a[0]), true, false);
    });
    f["RTRIM"] = fn(1, 1, takes({kText}, SqlType::kVarchar), [](Values a) {
        return trim(text(a[0]), false, true);
    });
    f["REPLACE"] = fn(3, 3, takes({kText}, SqlType::kVarchar), [](Values a) {
        return replace_all(text(a[0]), text(a[1]), text(a[2]));
    });
    f["POSITION"] = fn(2, 2, takes({kText}, SqlType::kBigint), [](Values a) {
        size_t at = text(a[1]).find(text(a[0]));
        return Value(at == std::string::npos ? int64_t{0} : static_cast<int64_t>(at) + 1);
    });
    f["SPLIT_INDEX"] = fn(3, 3, takes({kText, kText, kInteger}, SqlType::kVarchar), split_index);
    f["STARTS_WITH"] = fn(2, 2, takes({kText}, SqlType::kBoolean), [](Values a) {
        return Value(text(a[0]).starts_with(text(a[1])));
    });
    f["CONCAT"] =
        ScalarFunction{1, SIZE_MAX, takes({kAny}, SqlType::kVarchar), [](Values a, Types t) {
                           std::string out;
                           for (size_t i = 0; i < a.size(); ++i) {
                               out += value_text(a[i], t[i]);
                           }
                           return Value(out);
                       }};
    f["REGEXP_EXTRACT"] =
        fn(2, 3, takes({kText, kText, kInteger}, SqlType::kVarchar), [](Values a) {
            return value_or_null(
                regexp_extract(text(a[0]), text(a[1]), a.size() > 2 ? integer(a[2]) : 0));
        });
    f["REGEXP"] = fn(2, 2, takes({kText}, SqlType::kBoolean), [](Values a) {
        return value_or_null(regexp_matches(text(a[0]), text(a[1])));
    });
    f["REGEXP_REPLACE"] = fn(3, 3, takes({kText}, SqlType::kVarchar), [](Values a) {
        return value_or_null(regexp_replace(text(a[0]), text(a[1]), text(a[2])));
    });
    // Null handling
    f["COALESCE"] = ScalarFunction{1,
                                   SIZE_MAX,
                                   common_of,
                                   [](Values a, Types) {
                                       for (const auto& v : a) {
                                           if (!is_null(v)) {
                                               return v;
                                           }
                                       }
                                       return Value{};
                                   },
                                   true};
    f["IFNULL"] = f["COALESCE"];
    f["IFNULL"].min_args = f["IFNULL"].max_args = 2;
    f["NULLIF"] = ScalarFunction{
        2,
        2,
        common_of,
        [](Values a, Types) {
            return !is_null(a[0]) && !is_null(a[1]) && compare_values(a[0], a[1]) == 0 ? Value{}
                                                                                       : a[0];
        },
        true};
    // Math
    f["ABS"] = fn(1, 1, numeric_like_first, [](Values a) {
        if (a[0].index() == 2) {
            int64_t i = integer(a[0]);
            return i == INT64_MIN ? Value{} : Value(i < 0 ? -i : i);
        }
        return Value(std::fabs(as_double(a[0])));
    });
    f["FLOOR"] =
        fn(1, 1, numeric_like_first, [](Values a) { return math(a[0], std::floor, true); });
    f["CEIL"] = fn(1, 1, numeric_like_first, [](Values a) { return math(a[0], std::ceil, true); });
    f["CEILING"] = f["CEIL"];
    f["ROUND"] = fn(1, 2, numeric_like_first, [](Values a) {
        if (a[0].index() == 2) {
            return a[0];
        }
        double scale = std::pow(10.0, a.size() > 1 ? as_double(a[1]) : 0.0);
        return Value(std::round(as_double(a[0]) * scale) / scale);
    });
    f["SQRT"] = fn(1, 1, takes({kNumber}, SqlType::kDouble), [](Values a) {
        return math(a[0], std::sqrt, false);
    });
    f["LN"] = fn(1, 1, takes({kNumber}, SqlType::kDouble), [](Values a) {
        return math(a[0], std::log, false);
    });
    f["LOG10"] = fn(1, 1, takes({kNumber}, SqlType::kDouble), [](Values a) {
        return math(a[0], std::log10, false);
    });
    f["EXP"] = fn(1, 1, takes({kNumber}, SqlType::kDouble), [](Values a) {
        return math(a[0], std::exp, false);
    });
    f["POWER"] = fn(2, 2, takes({kNumber}, SqlType::kDouble), [](Values a) {
        double r = std::pow(as_double(a[0]), as_double(a[1]));
        return std::isfinite(r) ? Value(r) : Value{};
    });
    f["MOD"] = fn(2, 2, takes({kInteger}, SqlType::kBigint), [](Values a) {
        int64_t j = integer(a[1]);
        return j == 0 ? Value{} : Value(j == -1 ? 0 : integer(a[0]) % j);
    });
    auto extreme = [](bool greatest) {
        return ScalarFunction{1, SIZE_MAX, common_of, [greatest](Values a, Types) {
                                  Value best = a[0];
                                  for (const auto& v : a.subspan(1)) {
                                      int c = compare_values(v, best);
                                      if (greatest ? c > 0 : c < 0) {
                                          best = v;
                                      }
                                  }
                                  return best;
                              }};
    };
    f["GREATEST"] = extreme(true);
    f["LEAST"] = extreme(false);
    // Time
    f["YEAR"] = time_part(&Civil::year);
    f["MONTH"] = time_part(&Civil::month);
    f["DAYOFMONTH"] = time_part(&Civil::day);
    f["DAY"] = f["DAYOFMONTH"];
    f["HOUR"] = time_part(&Civil::hour);
    f["MINUTE"] = time_part(&Civil::minute);
    f["SECOND"] = time_part(&Civil::second);
    f["TO_TIMESTAMP"] = fn(1, 1, takes({kText}, SqlType::kTimestamp), [](Values a) {
        return value_or_null(parse_timestamp(text(a[0])));
    });
    f["TO_TIMESTAMP_LTZ"] = fn(1, 2, takes({kInteger}, SqlType::kTimestamp), [](Values a) {
        int64_t precision = a.size() > 1 ? integer(a[1]) : 3;  // Flink: 0 = seconds, 3 = millis
        return precision == 0 ? Value(integer(a[0]) * 1000) : a[0];
    });
    f["UNIX_TIMESTAMP"] = fn(1, 1, takes({kTime}, SqlType::kBigint), [](Values a) {
        int64_t ms = integer(a[0]);
        return Value(ms / 1000 - (ms % 1000 < 0 ? 1 : 0));
    });
    f["EPOCH_MILLIS"] = fn(1, 1, takes({kTime}, SqlType::kBigint), [](Values a) { return a[0]; });
    f["DATE_FORMAT"] = fn(2, 2, takes({kTime, kText}, SqlType::kVarchar), [](Values a) {
        // strftime patterns ('%Y-%m-%d %H:%M'), in UTC
        return Value(format_utc(integer(a[0]), text(a[1]).c_str()));
    });
    f["TIMESTAMP_FLOOR"] = fn(2, 2, takes({kTime, kInteger}, SqlType::kTimestamp), [](Values a) {
        int64_t t = integer(a[0]), unit = integer(a[1]);  // FLOOR to a multiple of an INTERVAL
        if (unit <= 0) {
            return Value{};
        }
        int64_t r = t % unit;
        return Value(t - (r < 0 ? r + unit : r));
    });
    f["CURRENT_TIMESTAMP"] = fn(0, 0, takes({}, SqlType::kTimestamp), [](Values) {
        return Value(SystemClock::instance().now_ms());
    });
    f["CURRENT_TIMESTAMP"].deterministic = false;
    f["NOW"] = f["CURRENT_TIMESTAMP"];
    // JSON
    f["JSON_VALUE"] = fn(2, 2, takes({kText}, SqlType::kVarchar), json_value);
    return f;
}

const std::map<std::string, ScalarFunction, std::less<>>& functions() {
    static const auto all = make_functions();
    return all;
}

}  // namespace

const ScalarFunction* find_scalar_function(std::string_view upper_name) {
    auto it = functions().find(upper_name);
    return it == functions().end() ? nullptr : &it->second;
}

std::vector<std::string> scalar_function_names() {
    std::vector<std::string> names;
    for (const auto& [name, f] : functions()) {
        names.push_back(name);
    }
    return names;
}

}  // namespace shardflow::sql
