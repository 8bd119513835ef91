// JSON tokens appended to a string; strings escaped as RFC 8259 requires.

#include "connectors/kinesis_api/protocol/json_writer.h"

#include "engine/common/base64.h"

#include <fmt/format.h>

#include <algorithm>

namespace shardflow::api {
namespace {

bool needs_escape(char c) {
    return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20;
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
    string(name);
    out_.push_back(':');
    first_ = true;  // the value takes no comma
}

void JsonWriter::string(std::string_view text) {
    separate();
    out_.push_back('"');
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
    fmt::format_to(std::back_inserter(out_), "{}", value);
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
    fmt::format_to(std::back_inserter(out_), "{}.{:03}", ms / 1000, ms % 1000);
}

}  // namespace shardflow::api
