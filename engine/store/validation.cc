// Store-side input checks.

#include "engine/store/validation.h"

namespace shardflow::store {

size_t utf8_length(std::string_view text) {
    size_t n = 0;
    for (char c : text) {
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }
    return n;
}

Error validation_error(std::string_view value,
                       std::string_view member,
                       std::string_view constraint) {
    return Error::make(
        ErrorCode::kValidation,
        "1 validation error detected: Value '{}' at '{}' failed to satisfy constraint: {}",
        value,
        member,
        constraint);
}

Status validate_resource_name(std::string_view name, std::string_view member) {
    if (name.empty()) {
        return validation_error(name, member, "Member must have length greater than or equal to 1");
    }
    if (name.size() > 128) {
        return validation_error(name, member, "Member must have length less than or equal to 128");
    }
    for (char c : name) {
        bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '_' || c == '.' || c == '-';
        if (!allowed) {
            return validation_error(
                name, member, "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
        }
    }
    return ok();
}

Status validate_partition_key(std::string_view key) {
    size_t length = utf8_length(key);
    if (length < 1) {
        return validation_error(
            key, "partitionKey", "Member must have length greater than or equal to 1");
    }
    if (length > 256) {
        return validation_error(
            key, "partitionKey", "Member must have length less than or equal to 256");
    }
    return ok();
}

}  // namespace shardflow::store
