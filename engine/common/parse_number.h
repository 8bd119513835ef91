#pragma once
// Numbers in text (record fields, SQL casts, options): the whole text or nothing, as
// std::from_chars reads it.

#include <charconv>
#include <optional>
#include <string_view>

namespace shardflow {

/// The whole of `text` as an N; nullopt when it is empty, has anything after the number, or
/// is out of N's range.
template <class N>
std::optional<N> parse_number(std::string_view text) {
    N out{};
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return out;
}

}  // namespace shardflow
