#pragma once
// Checks of user input that the store owns, with AWS's wording.

#include "engine/common/error.h"

#include <string_view>

namespace shardflow::store {

/// 1..128 characters of [a-zA-Z0-9_.-] (StreamName, ConsumerName).
Status validate_resource_name(std::string_view name, std::string_view member);
/// 1..256 Unicode characters.
Status validate_partition_key(std::string_view key);
/// Unicode characters in UTF-8 text.
size_t utf8_length(std::string_view text);

/// "1 validation error detected: Value '<value>' at '<member>' failed to satisfy constraint: <c>"
Error validation_error(std::string_view value,
                       std::string_view member,
                       std::string_view constraint);

}  // namespace shardflow::store
