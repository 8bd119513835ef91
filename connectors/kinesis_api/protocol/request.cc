// Typed access to request members with Kinesis's serialization and validation errors.

#include "connectors/kinesis_api/protocol/request.h"

#include <cmath>

namespace shardflow::api {
namespace {

std::string quoted(std::string_view value) {
    return fmt::format("'{}'", value);
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
    violations_.push_back(fmt::format(
        "Value {} at '{}' failed to satisfy constraint: {}", value, member, constraint));
}

void Request::wrong_type(std::string_view member, std::string_view expected) {
    if (!serialization_) {
        serialization_ = Error::make(ErrorCode::kSerialization,
                                     "Unexpected value type in payload for member {}: expected {}",
                                     member,
                                     expected);
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
        wrong_type(name, "string");
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
    auto s = string(name, member, required, 1, 128);
    if (s &&
        s->find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") !=
            std::string_view::npos) {
        fail(quoted(*s), member, "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
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
    int64_t n;
    if (v->is_int64()) {
        n = v->get_int64();
    } else if (v->is_uint64() && v->get_uint64() <= INT64_MAX) {
        n = static_cast<int64_t>(v->get_uint64());
    } else if (v->is_double() && std::floor(v->get_double()) == v->get_double() &&
               std::abs(v->get_double()) < 9e18) {
        n = static_cast<int64_t>(v->get_double());
    } else {
        wrong_type(name, "integer");
        return std::nullopt;
    }
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

std::optional<bool> Request::boolean(std::string_view name) {
    const auto* v = find(name);
    if (!v) {
        return std::nullopt;
    }
    if (!v->is_bool()) {
        wrong_type(name, "boolean");
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
    wrong_type(name, "timestamp (epoch seconds)");
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
                                           bool required) {
    const auto* v = find(name);
    if (!v) {
        if (required) {
            fail("null", member, "Member must not be null");
        }
        return nullptr;
    }
    if (!v->is_object()) {
        wrong_type(name, "structure");
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
        wrong_type(name, "list");
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
                                              bool required) {
    std::vector<std::string> out;
    const auto* a = array(name, member, required, required ? 1 : 0, SIZE_MAX);
    if (!a) {
        return out;
    }
    for (const auto& item : *a) {
        if (!item.is_string()) {
            wrong_type(name, "list of strings");
            return {};
        }
        out.emplace_back(item.get_string());
    }
    return out;
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
