#pragma once
// Standard base64 (RFC 4648, with padding): record Data on the wire and shard iterator tokens.

#include <optional>
#include <string>
#include <string_view>

namespace shardflow {

std::string base64_encode(std::string_view bytes);

/// Decodes padded base64; nullopt on a character outside the alphabet or a bad length.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace shardflow
