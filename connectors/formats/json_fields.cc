// The scanner: recursive descent over the grammar of RFC 8259 (strings checked to be UTF-8),
// remembering wanted values.

#include "connectors/formats/json_fields.h"

#include "engine/common/parse_number.h"

#include <charconv>
#include <type_traits>

namespace shardflow::connectors {
namespace {

constexpr int kMaxDepth = 64;

/// One pass over the text. Positions are byte offsets into `s`.
class Scanner {
public:
    explicit Scanner(std::string_view s)
        : s_(s) {}

    size_t pos() const { return pos_; }
    bool at_end() {
        skip_space();
        return pos_ == s_.size();
    }

    void skip_space() {
        while (pos_ < s_.size() &&
               (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) {
            ++pos_;
        }
    }

    bool eat(char c) {
        skip_space();
        if (pos_ < s_.size() && s_[pos_] == c) {
            ++pos_;
            return true;
        }
        return false;
    }

    char peek() {
        skip_space();
        return pos_ < s_.size() ? s_[pos_] : '\0';
    }

    /// A string starting at the current quote; returns the text between the quotes.
    bool string(std::string_view& inner, bool& escaped) {
        if (!eat('"')) {
            return false;
        }
        size_t start = pos_;
        escaped = false;
        while (pos_ < s_.size()) {
            auto c = static_cast<unsigned char>(s_[pos_]);
            if (c == '"') {
                inner = s_.substr(start, pos_ - start);
                ++pos_;
                return true;
            }
            if (c < 0x20) {
                return false;  // control characters must be escaped
            }
            if (c >= 0x80) {
                if (!utf8_sequence()) {
                    return false;
                }
                continue;
            }
            if (c == '\\') {
                escaped = true;
                if (++pos_ >= s_.size()) {
                    return false;
                }
                char e = s_[pos_];
                if (e == 'u') {
                    if (!utf16_escape()) {
                        return false;
                    }
                    continue;
                } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
                    return false;
                }
            }
            ++pos_;
        }
        return false;
    }

    bool number() {
        size_t start = pos_;
        if (pos_ < s_.size() && s_[pos_] == '-') {
            ++pos_;
        }
        if (pos_ < s_.size() && s_[pos_] == '0') {
            ++pos_;
        } else if (!digits()) {
            return false;
        }
        if (pos_ < s_.size() && s_[pos_] == '.') {
            ++pos_;
            if (!digits()) {
                return false;
            }
        }
        if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
            ++pos_;
            if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) {
                ++pos_;
            }
            if (!digits()) {
                return false;
            }
        }
        return pos_ > start;
    }

    bool literal(std::string_view word) {
        if (s_.substr(pos_, word.size()) != word) {
            return false;
        }
        pos_ += word.size();
        return true;
    }

    /// Any value; its kind and text are reported.
    bool value(int depth, JsonKind& kind, std::string_view& text, bool& escaped) {
        char c = peek();
        size_t start = pos_;
        escaped = false;
        bool ok;
        switch (c) {
            case '"':
                kind = JsonKind::kString;
                return string(text, escaped);
            case '{':
                kind = JsonKind::kObject;
                ok = object(depth + 1, nullptr);
                break;
            case '[':
                kind = JsonKind::kArray;
                ok = array(depth + 1);
                break;
            case 't':
                kind = JsonKind::kBool;
                ok = literal("true");
                break;
            case 'f':
                kind = JsonKind::kBool;
                ok = literal("false");
                break;
            case 'n':
                kind = JsonKind::kNull;
                ok = literal("null");
                break;
            default:
                kind = JsonKind::kNumber;
                ok = number();
        }
        text = s_.substr(start, pos_ - start);
        return ok;
    }

    /// An object; for each member, `on_member(name, escaped_name, kind, text, escaped)` when given.
    template <class OnMember>
    bool object(int depth, OnMember* on_member) {
        if (depth > kMaxDepth || !eat('{')) {
            return false;
        }
        if (eat('}')) {
            return true;
        }
        do {
            std::string_view name;
            bool name_escaped = false;
            if (peek() != '"' || !string(name, name_escaped) || !eat(':')) {
                return false;
            }
            JsonKind kind;
            std::string_view text;
            bool escaped;
            if (!value(depth, kind, text, escaped)) {
                return false;
            }
            if constexpr (!std::is_same_v<OnMember, std::nullptr_t>) {
                (*on_member)(name, name_escaped, kind, text, escaped);
            }
        } while (eat(','));
        return eat('}');
    }
    bool object(int depth, std::nullptr_t) { return object<std::nullptr_t>(depth, nullptr); }

    bool array(int depth) {
        if (depth > kMaxDepth || !eat('[')) {
            return false;
        }
        if (eat(']')) {
            return true;
        }
        do {
            JsonKind kind;
            std::string_view text;
            bool escaped;
            if (!value(depth, kind, text, escaped)) {
                return false;
            }
        } while (eat(','));
        return eat(']');
    }

private:
    /// The hex code unit of a \uXXXX escape whose 'u' is at pos_ + offset, or -1.
    int32_t hex_unit(size_t offset) const {
        if (pos_ + offset + 4 >= s_.size()) {
            return -1;
        }
        int32_t v = 0;
        for (size_t i = 1; i <= 4; ++i) {
            char h = s_[pos_ + offset + i];
            int d = h >= '0' && h <= '9'   ? h - '0'
                    : h >= 'a' && h <= 'f' ? h - 'a' + 10
                    : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                           : -1;
            if (d < 0) {
                return -1;
            }
            v = v * 16 + d;
        }
        return v;
    }

    /// A \uXXXX escape with pos_ at its 'u' (a surrogate only as a high-low pair); moves past it.
    bool utf16_escape() {
        int32_t unit = hex_unit(0);
        if (unit < 0 || (unit >= 0xDC00 && unit < 0xE000)) {
            return false;
        }
        if (unit >= 0xD800 && unit < 0xDC00) {
            bool pair = pos_ + 6 < s_.size() && s_[pos_ + 5] == '\\' && s_[pos_ + 6] == 'u';
            int32_t low = pair ? hex_unit(6) : -1;
            if (low < 0xDC00 || low >= 0xE000) {
                return false;
            }
            pos_ += 6;
        }
        pos_ += 5;
        return true;
    }

    /// One well-formed UTF-8 sequence of 2 to 4 bytes at pos_ (no overlongs, no surrogates,
    /// nothing above U+10FFFF); moves past it.
    bool utf8_sequence() {
        auto byte = [&](size_t i) {
            return pos_ + i < s_.size() ? static_cast<unsigned char>(s_[pos_ + i]) : 0;
        };
        unsigned char c = byte(0);
        int length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
        if (length == 0 || c > 0xF4 || c == 0xC0 || c == 0xC1) {
            return false;
        }
        unsigned char second = byte(1);
        unsigned char low = 0x80;
        unsigned char high = 0xBF;
        if (c == 0xE0) {
            low = 0xA0;  // overlong
        } else if (c == 0xED) {
            high = 0x9F;  // surrogates
        } else if (c == 0xF0) {
            low = 0x90;  // overlong
        } else if (c == 0xF4) {
            high = 0x8F;  // above U+10FFFF
        }
        if (second < low || second > high) {
            return false;
        }
        for (int i = 2; i < length; ++i) {
            if ((byte(i) & 0xC0) != 0x80) {
                return false;
            }
        }
        pos_ += static_cast<size_t>(length);
        return true;
    }

    bool digits() {
        size_t start = pos_;
        while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') {
            ++pos_;
        }
        return pos_ > start;
    }

    std::string_view s_;
    size_t pos_ = 0;
};

void append_utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

uint32_t hex4(std::string_view s) {
    uint32_t v = 0;
    std::from_chars(s.data(), s.data() + 4, v, 16);
    return v;
}

/// Decodes the escapes of a string the scanner has validated.
void unescape(std::string_view in, std::string& out) {
    out.clear();
    for (size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '\\') {
            out += in[i];
            continue;
        }
        char e = in[++i];
        switch (e) {
            case 'b':
                out += '\b';
                break;
            case 'f':
                out += '\f';
                break;
            case 'n':
                out += '\n';
                break;
            case 'r':
                out += '\r';
                break;
            case 't':
                out += '\t';
                break;
            case 'u': {
                uint32_t cp = hex4(in.substr(i + 1, 4));
                i += 4;
                // A high surrogate followed by an escaped low one is one code point.
                if (cp >= 0xD800 && cp < 0xDC00 && i + 6 < in.size() &&
                    in.substr(i + 1, 2) == "\\u") {
                    uint32_t low = hex4(in.substr(i + 3, 4));
                    if (low >= 0xDC00 && low < 0xE000) {
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                        i += 6;
                    }
                }
                append_utf8(out, cp);
                break;
            }
            default:
                out += e;  // " \ /
        }
    }
}

}  // namespace

JsonFields::JsonFields(std::vector<std::string> names)
    : names_(std::move(names))
    , values_(names_.size()) {}

Status JsonFields::scan(std::string_view text) {
    for (auto& v : values_) {
        v = Value{};
    }
    Scanner scanner(text);
    std::string name_buffer;
    auto on_member = [&](std::string_view name,
                         bool name_escaped,
                         JsonKind kind,
                         std::string_view value,
                         bool escaped) {
        if (name_escaped) {
            unescape(name, name_buffer);
            name = name_buffer;
        }
        for (size_t i = 0; i < names_.size(); ++i) {
            if (names_[i] == name) {
                values_[i] = Value{kind, value, escaped};  // a repeated name: the last one wins
            }
        }
    };
    if (scanner.peek() != '{') {
        return Error::make(
            ErrorCode::kInvalidArgument,
            "not a JSON object: starts with {}",
            text.empty() ? std::string("nothing") : fmt::format("'{}'", text.substr(0, 1)));
    }
    if (!scanner.object(1, &on_member) || !scanner.at_end()) {
        return Error::make(ErrorCode::kInvalidArgument, "invalid JSON at byte {}", scanner.pos());
    }
    return ok();
}

Error JsonFields::type_error(size_t field, std::string_view wanted) const {
    if (values_[field].kind == JsonKind::kMissing) {
        return Error::make(ErrorCode::kInvalidArgument, "field \"{}\" is missing", names_[field]);
    }
    return Error::make(ErrorCode::kInvalidArgument,
                       "field \"{}\" is not {}: {}",
                       names_[field],
                       wanted,
                       values_[field].text.substr(0, 40));
}

Result<std::string_view> JsonFields::string(size_t field) {
    const Value& v = values_[field];
    if (v.kind != JsonKind::kString) {
        return type_error(field, "a string");
    }
    if (!v.escaped) {
        return v.text;
    }
    unescape(v.text, decoded_);
    return std::string_view(decoded_);
}

Result<int64_t> JsonFields::int64(size_t field) const {
    const Value& v = values_[field];
    if (v.kind != JsonKind::kNumber) {
        return type_error(field, "an integer");
    }
    if (auto value = parse_number<int64_t>(v.text)) {
        return *value;
    }
    return type_error(field, "a 64-bit integer");
}

Result<double> JsonFields::number(size_t field) const {
    const Value& v = values_[field];
    if (v.kind != JsonKind::kNumber) {
        return type_error(field, "a number");
    }
    if (auto value = parse_number<double>(v.text)) {
        return *value;
    }
    return type_error(field, "a finite number");
}

Result<bool> JsonFields::boolean(size_t field) const {
    const Value& v = values_[field];
    if (v.kind != JsonKind::kBool) {
        return type_error(field, "true or false");
    }
    return v.text == "true";
}

}  // namespace shardflow::connectors
