#pragma once
// Standard base64 (RFC 4648, with padding): record Data on the wire and shard iterator tokens.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace shardflow {

std::string base64_encode(std::string_view bytes);
/// The length of the base64 text of `bytes` bytes.
constexpr size_t base64_encoded_size(size_t bytes) {
    return (bytes + 2) / 3 * 4;
}
/// Writes the base64 text of `bytes` to `out`, which has room for base64_encoded_size bytes.
void base64_encode_into(std::string_view bytes, char* out);

/// Decodes padded base64; nullopt on a character outside the alphabet or a bad length.
std::optional<std::string> base64_decode(std::string_view text);
/// The number of bytes padded base64 `text` decodes to, or nullopt when its length is wrong.
std::optional<size_t> base64_decoded_size(std::string_view text);
/// Decodes `text` into `out` (room for base64_decoded_size bytes); false as base64_decode's
/// nullopt.
bool base64_decode_into(std::string_view text, char* out);

}  // namespace shardflow
