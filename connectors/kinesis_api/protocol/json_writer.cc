// JSON tokens appended to a string; strings escaped as RFC 8259 requires.

#include "connectors/kinesis_api/protocol/json_writer.h"

#include "engine/common/base64.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>

namespace shardflow::api {
namespace {

constexpr std::array<bool, 256> make_escape_table() {
    std::array<bool, 256> t{};
    for (int c = 0; c < 0x20; ++c) {
        t[c] = true;
    }
    t['"'] = true;
    t['\\'] = true;
    return t;
}

constexpr auto kNeedsEscape = make_escape_table();

bool needs_escape(char c) {
    return kNeedsEscape[static_cast<unsigned char>(c)];
}

}  // namespace

void JsonWriter::separate() {
    if (!first_) {
        out_.push_back(',');
    }
    first_ = false;
}

void JsonWriter::open(char c) {
    separate();
    out_.push_back(c);
    first_ = true;
}

void JsonWriter::close(char c) {
    out_.push_back(c);
    first_ = false;
}

void JsonWriter::key(std::string_view name) {
    // Member names are the model's: nothing in them needs escaping.
    char before[2] = {',', '"'};
    out_.append(first_ ? before + 1 : before, first_ ? 1 : 2);
    out_.append(name);
    out_.append("\":", 2);
    first_ = true;  // the value takes no comma
}

void JsonWriter::string(std::string_view text) {
    separate();
    out_.push_back('"');
    if (std::none_of(text.begin(), text.end(), needs_escape)) {  // ids, numbers: all of them
        out_.append(text);
        out_.push_back('"');
        return;
    }
    while (!text.empty()) {
        auto special = std::find_if(text.begin(), text.end(), needs_escape);
        out_.append(text.begin(), special);
        if (special == text.end()) {
            break;
        }
        switch (*special) {
            case '"':
                out_.append("\\\"");
                break;
            case '\\':
                out_.append("\\\\");
                break;
            case '\n':
                out_.append("\\n");
                break;
            case '\r':
                out_.append("\\r");
                break;
            case '\t':
                out_.append("\\t");
                break;
            default:
                fmt::format_to(std::back_inserter(out_), "\\u{:04x}", static_cast<int>(*special));
        }
        text.remove_prefix(static_cast<size_t>(special - text.begin()) + 1);
    }
    out_.push_back('"');
}

void JsonWriter::base64(std::string_view bytes) {
    separate();
    out_.push_back('"');
    size_t at = out_.size();
    out_.resize(at + base64_encoded_size(bytes.size()));
    base64_encode_into(bytes, out_.data() + at);
    out_.push_back('"');
}

void JsonWriter::number(int64_t value) {
    separate();
    char digits[24];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
    out_.append(digits, end);
}

void JsonWriter::raw(std::string_view json) {
    separate();
    out_.append(json);
}

void JsonWriter::epoch_seconds(int64_t ms) {
    separate();
    if (ms < 0) {
        out_.push_back('-');
        ms = -ms;
    }
    char digits[32];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits - 4, ms / 1000);
    int64_t millis = ms % 1000;
    end[0] = '.';
    end[1] = static_cast<char>('0' + millis / 100);
    end[2] = static_cast<char>('0' + millis / 10 % 10);
    end[3] = static_cast<char>('0' + millis % 10);
    out_.append(digits, end + 4);
}

}  // namespace shardflow::api
