// The placeholder table: faker.js names (as the Kinesis Data Generator uses them) plus date and
// sequence helpers. Arguments are checked here, once, so rendering cannot fail.

#include "connectors/record_template/placeholders.h"

#include "connectors/record_template/word_lists.h"
#include "engine/common/date_pattern.h"

#include <boost/json.hpp>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <optional>
#include <span>

namespace shardflow::connectors {
namespace {
namespace json = boost::json;

using Factory = std::function<Result<PlaceholderRenderer>(const json::array&)>;

Error takes(std::string_view what) {
    return Error::make(ErrorCode::kInvalidArgument, "takes {}", what);
}

std::optional<double> number(const json::value& v) {
    if (!v.is_number()) {
        return std::nullopt;
    }
    return v.to_number<double>();
}

std::string_view pick(TemplateRng& rng, std::span<const std::string_view> words) {
    return words[rng.below(words.size())];
}

/// A placeholder without arguments.
Factory fixed(PlaceholderRenderer render) {
    return [render = std::move(render)](const json::array& a) -> Result<PlaceholderRenderer> {
        if (!a.empty()) {
            return takes("no arguments");
        }
        return render;
    };
}

Result<PlaceholderRenderer> random_number(const json::array& a) {
    constexpr std::string_view kUsage =
        "a maximum, a minimum and a maximum, or {\"min\": 1, \"max\": 10, \"precision\": 0.01}";
    double min = 0;
    double max = 99999;  // faker's default
    double precision = 1;
    if (a.size() == 1 && a[0].is_object()) {
        for (const auto& [key, value] : a[0].get_object()) {
            auto n = number(value);
            if (!n || (key != "min" && key != "max" && key != "precision")) {
                return takes(kUsage);
            }
            (key == "min" ? min : key == "max" ? max : precision) = *n;
        }
    } else if (a.size() <= 2 && std::all_of(a.begin(), a.end(), [](const json::value& v) {
                   return v.is_number();
               })) {
        if (a.size() == 2) {
            min = *number(a[0]);
        }
        if (!a.empty()) {
            max = *number(a.back());
        }
    } else {
        return takes(kUsage);
    }
    if (min > max || precision <= 0 || (max - min) / precision > 1e18) {
        return Error::make(ErrorCode::kInvalidArgument,
                           "needs min <= max and a precision above 0, got min {}, max {}, "
                           "precision {}",
                           min,
                           max,
                           precision);
    }
    auto steps = static_cast<uint64_t>(std::floor((max - min) / precision + 1e-9)) + 1;
    bool whole = precision == std::floor(precision) && min == std::floor(min);
    int decimals =
        whole ? 0 : std::clamp(static_cast<int>(std::ceil(-std::log10(precision))), 1, 9);
    return PlaceholderRenderer([=](RenderState& s, std::string& out) {
        double value = min + static_cast<double>(s.rng.below(steps)) * precision;
        if (whole) {
            fmt::format_to(std::back_inserter(out), "{}", static_cast<int64_t>(value));
        } else {
            fmt::format_to(std::back_inserter(out), "{:.{}f}", value, decimals);
        }
    });
}

/// Strings as they are, anything else as JSON text.
std::string element_text(const json::value& v) {
    return v.is_string() ? std::string(v.get_string()) : json::serialize(v);
}

Result<PlaceholderRenderer> array_element(const json::array& a) {
    if (a.size() != 1 || !a[0].is_array() || a[0].get_array().empty()) {
        return takes("one non-empty array, e.g. [\"a\", \"b\"]");
    }
    std::vector<std::string> texts;
    for (const auto& v : a[0].get_array()) {
        texts.push_back(element_text(v));
    }
    return PlaceholderRenderer([texts = std::move(texts)](RenderState& s, std::string& out) {
        out += texts[s.rng.below(texts.size())];
    });
}

Result<PlaceholderRenderer> weighted_array_element(const json::array& a) {
    constexpr std::string_view kUsage =
        "{\"weights\": [0.9, 0.1], \"data\": [\"a\", \"b\"]} with as many weights (>= 0, not all "
        "0) as data";
    const json::object* o = a.size() == 1 ? a[0].if_object() : nullptr;
    const json::value* weights = o ? o->if_contains("weights") : nullptr;
    const json::value* data = o ? o->if_contains("data") : nullptr;
    if (!weights || !data || !weights->is_array() || !data->is_array() || o->size() != 2 ||
        weights->get_array().size() != data->get_array().size() || data->get_array().empty()) {
        return takes(kUsage);
    }
    std::vector<double> cumulative;
    std::vector<std::string> texts;
    double total = 0;
    for (size_t i = 0; i < data->get_array().size(); ++i) {
        auto w = number(weights->get_array()[i]);
        if (!w || *w < 0) {
            return takes(kUsage);
        }
        total += *w;
        cumulative.push_back(total);
        texts.push_back(element_text(data->get_array()[i]));
    }
    if (total <= 0) {
        return takes(kUsage);
    }
    return PlaceholderRenderer([=](RenderState& s, std::string& out) {
        double u = s.rng.unit() * total;
        size_t i = static_cast<size_t>(std::upper_bound(cumulative.begin(), cumulative.end(), u) -
                                       cumulative.begin());
        out += texts[std::min(i, texts.size() - 1)];
    });
}

Result<PlaceholderRenderer> alpha_numeric(const json::array& a) {
    int64_t length = 1;
    if (a.size() == 1 && a[0].is_int64() && a[0].get_int64() >= 1 && a[0].get_int64() <= 65536) {
        length = a[0].get_int64();
    } else if (!a.empty()) {
        return takes("a length from 1 to 65536");
    }
    return PlaceholderRenderer([length](RenderState& s, std::string& out) {
        static constexpr std::string_view kChars = "abcdefghijklmnopqrstuvwxyz0123456789";
        for (int64_t i = 0; i < length; ++i) {
            out += kChars[s.rng.below(kChars.size())];
        }
    });
}

Result<PlaceholderRenderer> date_now(const json::array& a) {
    if (!a.empty() && (a.size() != 1 || !a[0].is_string())) {
        return takes("no arguments, or a pattern such as \"yyyy-MM-dd HH:mm:ss\"");
    }
    DatePattern format = DatePattern::iso8601();
    if (!a.empty()) {
        SF_ASSIGN_OR_RETURN(format,
                            DatePattern::parse(a[0].get_string(), DatePattern::Syntax::kLenient));
    }
    return PlaceholderRenderer(
        [format](RenderState& s, std::string& out) { format.append(s.now_ms, out); });
}

void uuid(RenderState& s, std::string& out) {
    uint64_t hi = (s.rng.next() & ~0xf000ULL) | 0x4000ULL;        // version 4
    uint64_t lo = (s.rng.next() & ~(3ULL << 62)) | (2ULL << 62);  // RFC 4122 variant
    fmt::format_to(std::back_inserter(out),
                   "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
                   hi >> 32,
                   (hi >> 16) & 0xffff,
                   hi & 0xffff,
                   lo >> 48,
                   lo & 0xffffffffffffULL);
}

void user_name(RenderState& s, std::string& out) {
    out += pick(s.rng, words::first_names());
    switch (s.rng.below(3)) {
        case 0:
            fmt::format_to(std::back_inserter(out), "{}", s.rng.below(100));
            break;
        case 1:
            out += s.rng.below(2) ? "." : "_";
            out += pick(s.rng, words::last_names());
            break;
        default:
            out += s.rng.below(2) ? "." : "_";
            out += pick(s.rng, words::last_names());
            fmt::format_to(std::back_inserter(out), "{}", s.rng.below(100));
    }
}

const std::map<std::string_view, Factory>& table() {
    static const std::map<std::string_view, Factory> kTable{
        {"random.number", random_number},
        {"random.arrayElement", array_element},
        {"random.weightedArrayElement", weighted_array_element},
        {"random.alphaNumeric", alpha_numeric},
        {"random.uuid", fixed(uuid)},
        {"random.boolean",
         fixed([](RenderState& s, std::string& out) { out += s.rng.below(2) ? "true" : "false"; })},
        {"name.firstName",
         fixed([](RenderState& s, std::string& out) { out += pick(s.rng, words::first_names()); })},
        {"name.lastName",
         fixed([](RenderState& s, std::string& out) { out += pick(s.rng, words::last_names()); })},
        {"internet.userName", fixed(user_name)},
        {"internet.email", fixed([](RenderState& s, std::string& out) {
             user_name(s, out);
             out += '@';
             out += pick(s.rng, words::email_domains());
         })},
        {"internet.ip", fixed([](RenderState& s, std::string& out) {
             fmt::format_to(std::back_inserter(out),
                            "{}.{}.{}.{}",
                            s.rng.below(256),
                            s.rng.below(256),
                            s.rng.below(256),
                            s.rng.below(256));
         })},
        {"lorem.word",
         fixed([](RenderState& s, std::string& out) { out += pick(s.rng, words::lorem()); })},
        {"date.now", date_now},
        {"date.epoch", fixed([](RenderState& s, std::string& out) {
             fmt::format_to(std::back_inserter(out), "{}", s.now_ms / 1000);
         })},
        {"date.epochMillis", fixed([](RenderState& s, std::string& out) {
             fmt::format_to(std::back_inserter(out), "{}", s.now_ms);
         })},
        {"sequence", fixed([](RenderState& s, std::string& out) {
             fmt::format_to(std::back_inserter(out), "{}", s.sequence);
         })},
    };
    return kTable;
}

}  // namespace

Result<PlaceholderRenderer> make_placeholder(std::string_view name, const json::array& arguments) {
    auto it = table().find(name);
    if (it == table().end()) {
        return Error::make(ErrorCode::kInvalidArgument,
                           "unknown placeholder; known: {}",
                           fmt::join(placeholder_names(), ", "));
    }
    return it->second(arguments);
}

std::vector<std::string_view> placeholder_names() {
    std::vector<std::string_view> out;
    for (const auto& [name, factory] : table()) {
        out.push_back(name);
    }
    return out;
}

}  // namespace shardflow::connectors
