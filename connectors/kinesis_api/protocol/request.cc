// Typed access to request members with Kinesis's serialization and validation errors.

#include "connectors/kinesis_api/protocol/request.h"

#include "engine/common/base64.h"

#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>

namespace shardflow::api {
namespace {

std::string quoted(std::string_view value) {
    return fmt::format("'{}'", value);
}

constexpr std::string_view kNameCharacters =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-";

constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Whether the last digit before the padding carries bits beyond the bytes it ends: our decoder
/// ignores them, AWS's refuses them.
bool has_stray_bits(std::string_view text) {
    size_t padding = text.ends_with("==") ? 2 : text.ends_with("=") ? 1 : 0;
    if (padding == 0 || text.size() <= padding) {
        return false;
    }
    size_t digit = kBase64Alphabet.find(text[text.size() - padding - 1]);
    unsigned stray = padding == 2 ? 0xF : 0x3;
    return digit != std::string_view::npos && (digit & stray) != 0;
}

/// Why `text` is not Base64 in the words of the decoder behind AWS's JSON framework (its
/// spelling included). Only for text already refused: it reads every character.
std::string base64_problem(std::string_view text) {
    if (text.size() % 4 != 0) {
        return fmt::format("Base64 encoded length is expected a multiple of 4 bytes but found: {}",
                           text.size());
    }
    size_t padding = text.ends_with("==") ? 2 : text.ends_with("=") ? 1 : 0;
    for (char c : text.substr(0, text.size() - padding)) {
        if (kBase64Alphabet.find(c) == std::string_view::npos) {
            return fmt::format("Invalid Base64 character: '{}'", c);
        }
    }
    return "Invalid last non-pad Base64 character dectected";
}

/// A list of strings as AWS's messages show it: "[a, b, c]".
std::string list_text(const std::vector<std::string>& items) {
    return fmt::format("[{}]", fmt::join(items, ", "));
}

}  // namespace

const boost::json::value* Request::find(std::string_view name) const {
    auto it = body_.find(name);
    if (it == body_.end() || it->value().is_null()) {
        return nullptr;
    }
    return &it->value();
}

void Request::fail(std::string_view value, std::string_view member, std::string_view constraint) {
    std::string path = list_.empty()
                           ? std::string(member)
                           : fmt::format("{}.{}.member.{}", list_, list_index_ + 1, member);
    violations_.push_back(
        fmt::format("Value {} at '{}' failed to satisfy constraint: {}", value, path, constraint));
}

char* BlobBuffer::claim(size_t n) {
    if (blocks_.empty() || last_size_ - used_ < n) {
        last_size_ = std::max(n, kBlockBytes);
        blocks_.push_back(std::make_unique_for_overwrite<char[]>(last_size_));
        used_ = 0;
    }
    char* room = blocks_.back().get() + used_;
    used_ += n;
    return room;
}

namespace {

/// What AWS's Java JSON framework (Coral) says for a value of the wrong type; its grammar
/// ("an String") included, as clients and tests match it.
std::string coral_type_message(const boost::json::value& got, WireType expected) {
    if (got.is_array() && expected != WireType::kList) {
        return "Start of list found where not expected";
    }
    if (got.is_object() && expected != WireType::kMap && expected != WireType::kStructure) {
        return "Start of structure or map found where not expected.";
    }
    switch (expected) {
        case WireType::kList:
            return got.is_object() ? "Start of structure or map found where not expected."
                                   : "Expected list or null";
        case WireType::kMap:
            return "Expected map or null";
        case WireType::kStructure:
            return "Expected null";
        default:
            break;
    }
    std::string_view target = expected == WireType::kString      ? "an String"
                              : expected == WireType::kInteger   ? "an Integer"
                              : expected == WireType::kBoolean   ? "an Boolean"
                              : expected == WireType::kTimestamp ? "milliseconds since epoch"
                                                                 : "a Blob";
    if (got.is_string()) {
        if (expected == WireType::kBoolean) {
            return fmt::format("'{}' can not be converted to {}", got.get_string().c_str(), target);
        }
        return fmt::format("class java.lang.String can not be converted to {}", target);
    }
    if (got.is_bool()) {
        return fmt::format("class java.lang.Boolean can not be converted to {}", target);
    }
    return fmt::format(
        "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to {}",
        target);
}

}  // namespace

void Request::wrong_type(const boost::json::value& got, WireType expected) {
    unreadable(coral_type_message(got, expected));
}

void Request::unreadable(std::string message) {
    if (!serialization_) {
        serialization_ = Error{ErrorCode::kSerialization, std::move(message)};
    }
}

std::optional<std::string_view> Request::string(
    std::string_view name, std::string_view member, bool required, size_t min, size_t max) {
    const auto* v = find(name);
    if (!v) {
        if (required) {
            fail("null", member, "Member must not be null");
        }
        return std::nullopt;
    }
    if (!v->is_string()) {
        wrong_type(*v, WireType::kString);
        return std::nullopt;
    }
    std::string_view s = v->get_string();
    if (s.size() < min) {
        fail(quoted(s),
             member,
             fmt::format("Member must have length greater than or equal to {}", min));
        return std::nullopt;
    }
    if (s.size() > max) {
        fail(quoted(s),
             member,
             fmt::format("Member must have length less than or equal to {}", max));
        return std::nullopt;
    }
    return s;
}

std::optional<std::string_view> Request::resource_name(std::string_view name,
                                                       std::string_view member,
                                                       bool required) {
    auto s = string(name, member, required);
    if (!s) {
        return std::nullopt;
    }
    bool fits = true;
    if (s->empty() || s->find_first_not_of(kNameCharacters) != std::string_view::npos) {
        fail(quoted(*s), member, "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
        fits = false;
    }
    if (s->empty()) {
        fail(quoted(*s), member, "Member must have length greater than or equal to 1");
        fits = false;
    } else if (s->size() > 128) {
        fail(quoted(*s), member, "Member must have length less than or equal to 128");
        fits = false;
    }
    return fits ? s : std::nullopt;
}

std::optional<std::string_view> Request::decimal(std::string_view name,
                                                 std::string_view member,
                                                 bool required,
                                                 size_t max_digits) {
    auto s = string(name, member, required);
    if (!s) {
        return std::nullopt;
    }
    bool fits = *s == "0" || (!s->empty() && s->size() <= max_digits && s->front() != '0' &&
                              s->find_first_not_of("0123456789") == std::string_view::npos);
    if (!fits) {
        fail(quoted(*s),
             member,
             fmt::format("Member must satisfy regular expression pattern: 0|([1-9]\\d{{0,{}}})",
                         max_digits - 1));
        return std::nullopt;
    }
    return s;
}

std::optional<int64_t> Request::integer(
    std::string_view name, std::string_view member, bool required, int64_t min, int64_t max) {
    const auto* v = find(name);
    if (!v) {
        if (required) {
            fail("null", member, "Member must not be null");
        }
        return std::nullopt;
    }
    if (!v->is_number()) {
        wrong_type(*v, WireType::kInteger);
        return std::nullopt;
    }
    constexpr double kLow = INT32_MIN;
    constexpr double kHigh = INT32_MAX;
    int64_t n = v->is_int64() ? std::clamp<int64_t>(v->get_int64(), INT32_MIN, INT32_MAX)
                : v->is_uint64()
                    ? INT32_MAX
                    : static_cast<int64_t>(std::clamp(std::trunc(v->get_double()), kLow, kHigh));
    if (n < min) {
        fail(quoted(std::to_string(n)),
             member,
             fmt::format("Member must have value greater than or equal to {}", min));
        return std::nullopt;
    }
    if (n > max) {
        fail(quoted(std::to_string(n)),
             member,
             fmt::format("Member must have value less than or equal to {}", max));
        return std::nullopt;
    }
    return n;
}

std::optional<std::string_view> Request::blob(std::string_view name,
                                              std::string_view member,
                                              bool required,
                                              BlobBuffer& into) {
    const auto* v = find(name);
    if (v && !v->is_string()) {
        wrong_type(*v, WireType::kBlob);
        return std::nullopt;
    }
    auto text = string(name, member, required);
    if (!text) {
        return std::nullopt;
    }
    auto size = base64_decoded_size(*text);
    char* bytes = size ? into.claim(*size) : nullptr;
    if (!size || !base64_decode_into(*text, bytes) || has_stray_bits(*text)) {
        unreadable(
            fmt::format("'{}' can not be converted to a Blob: {}", *text, base64_problem(*text)));
        return std::nullopt;
    }
    return std::string_view(bytes, *size);
}

std::optional<bool> Request::boolean(std::string_view name) {
    const auto* v = find(name);
    if (!v) {
        return std::nullopt;
    }
    if (!v->is_bool()) {
        wrong_type(*v, WireType::kBoolean);
        return std::nullopt;
    }
    return v->get_bool();
}

std::optional<EpochMillis> Request::timestamp(std::string_view name,
                                              std::string_view member,
                                              bool required) {
    const auto* v = find(name);
    if (!v) {
        if (required) {
            fail("null", member, "Member must not be null");
        }
        return std::nullopt;
    }
    if (v->is_number()) {
        return static_cast<EpochMillis>(std::llround(v->to_number<double>() * 1000.0));
    }
    wrong_type(*v, WireType::kTimestamp);
    return std::nullopt;
}

std::optional<std::string_view> Request::enumeration(
    std::string_view name,
    std::string_view member,
    bool required,
    std::initializer_list<std::string_view> allowed) {
    auto s = string(name, member, required);
    if (!s) {
        return std::nullopt;
    }
    for (auto a : allowed) {
        if (*s == a) {
            return s;
        }
    }
    std::string set;
    for (auto a : allowed) {
        set += set.empty() ? std::string(a) : ", " + std::string(a);
    }
    fail(quoted(*s), member, fmt::format("Member must satisfy enum value set: [{}]", set));
    return std::nullopt;
}

const boost::json::object* Request::object(std::string_view name,
                                           std::string_view member,
                                           bool required,
                                           WireType kind) {
    const auto* v = find(name);
    if (!v) {
        if (required) {
            fail("null", member, "Member must not be null");
        }
        return nullptr;
    }
    if (!v->is_object()) {
        wrong_type(*v, kind);
        return nullptr;
    }
    return &v->get_object();
}

const boost::json::array* Request::array(
    std::string_view name, std::string_view member, bool required, size_t min, size_t max) {
    const auto* v = find(name);
    if (!v) {
        if (required) {
            fail("null", member, "Member must not be null");
        }
        return nullptr;
    }
    if (!v->is_array()) {
        wrong_type(*v, WireType::kList);
        return nullptr;
    }
    const auto& a = v->get_array();
    if (a.size() < min) {
        fail("'[]'",
             member,
             fmt::format("Member must have length greater than or equal to {}", min));
        return nullptr;
    }
    if (a.size() > max) {
        fail(fmt::format("'{} items'", a.size()),
             member,
             fmt::format("Member must have length less than or equal to {}", max));
        return nullptr;
    }
    return &a;
}

std::vector<std::string> Request::string_list(std::string_view name,
                                              std::string_view member,
                                              bool required,
                                              size_t min_items,
                                              size_t max_items,
                                              size_t min,
                                              size_t max) {
    std::vector<std::string> out;
    const auto* a = array(name, member, required, 0, SIZE_MAX);
    if (!a) {
        return out;
    }
    bool lengths_fit = true;
    for (const auto& item : *a) {
        if (!item.is_string()) {
            wrong_type(item, WireType::kString);
            return {};
        }
        size_t length = item.get_string().size();
        lengths_fit = lengths_fit && length >= min && length <= max;
        out.emplace_back(item.get_string());
    }
    std::string shown = quoted(list_text(out));
    size_t violations = violations_.size();
    if (out.size() < min_items) {
        fail(shown,
             member,
             fmt::format("Member must have length greater than or equal to {}", min_items));
    } else if (out.size() > max_items) {
        fail(shown,
             member,
             fmt::format("Member must have length less than or equal to {}", max_items));
    }
    if (!lengths_fit) {
        fail(shown,
             member,
             fmt::format("Member must satisfy constraint: [Member must have length less than or "
                         "equal to {}, Member must have length greater than or equal to {}]",
                         max,
                         min));
    }
    return violations == violations_.size() ? out : std::vector<std::string>{};
}

void Request::adopt(const Request& nested) {
    if (nested.serialization_ && !serialization_) {
        serialization_ = nested.serialization_;
    }
    violations_.insert(violations_.end(), nested.violations_.begin(), nested.violations_.end());
}

Status Request::check() const {
    if (serialization_) {
        return *serialization_;
    }
    if (violations_.empty()) {
        return ok();
    }
    std::string message = fmt::format(
        "{} validation error{} detected: ", violations_.size(), violations_.size() == 1 ? "" : "s");
    for (size_t i = 0; i < violations_.size(); ++i) {
        message += (i == 0 ? "" : "; ") + violations_[i];
    }
    return Error{ErrorCode::kValidation, message};
}

}  // namespace shardflow::api
