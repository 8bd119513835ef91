#pragma once
// The words the name, internet and lorem placeholders draw from.

#include <span>
#include <string_view>

namespace shardflow::connectors::words {

std::span<const std::string_view> first_names();
std::span<const std::string_view> last_names();
std::span<const std::string_view> lorem();
std::span<const std::string_view> email_domains();

}  // namespace shardflow::connectors::words
