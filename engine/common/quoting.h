#pragma once
// Text between quotes with the quote character doubled inside: SQL identifiers ("name",
// `name`), SQL string literals ('text') and CSV fields all escape this way.

#include <string>
#include <string_view>

namespace shardflow {

inline std::string with_quotes(std::string_view text, char quote) {
    std::string out(1, quote);
    for (char c : text) {
        out += c;
        if (c == quote) {
            out += c;
        }
    }
    out += quote;
    return out;
}

}  // namespace shardflow
