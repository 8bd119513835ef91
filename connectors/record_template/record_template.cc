// Template parsing: literal text up to "{{", a dotted name, optional JSON arguments in
// parentheses, "}}".

#include "connectors/record_template/record_template.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>

namespace shardflow::connectors {
namespace {

/// Line and column (both from 1) of `offset` in `text`.
std::pair<size_t, size_t> position(std::string_view text, size_t offset) {
    std::string_view before = text.substr(0, offset);
    size_t newline = before.rfind('\n');
    size_t line = 1 + static_cast<size_t>(std::count(before.begin(), before.end(), '\n'));
    return {line, newline == std::string_view::npos ? offset + 1 : offset - newline};
}

/// The offset of the ')' closing the '(' at `open`, skipping JSON strings and nested
/// brackets; npos if there is none.
size_t closing_parenthesis(std::string_view text, size_t open) {
    int depth = 0;
    for (size_t i = open; i < text.size(); ++i) {
        char c = text[i];
        if (c == '"') {
            for (++i; i < text.size() && text[i] != '"'; ++i) {
                i += text[i] == '\\' ? 1 : 0;
            }
        } else if (c == '(' || c == '[' || c == '{') {
            ++depth;
        } else if (c == ')' || c == ']' || c == '}') {
            if (--depth == 0) {
                return c == ')' ? i : std::string_view::npos;
            }
        }
    }
    return std::string_view::npos;
}

size_t skip_spaces(std::string_view text, size_t at) {
    while (at < text.size() && std::isspace(static_cast<unsigned char>(text[at]))) {
        ++at;
    }
    return at;
}

}  // namespace

Result<RecordTemplate> RecordTemplate::parse(std::string_view text) {
    RecordTemplate out;
    size_t at = 0;
    while (true) {
        size_t open = text.find("{{", at);
        Segment segment{std::string(text.substr(at, open - at)), {}};
        if (open == std::string_view::npos) {
            out.segments_.push_back(std::move(segment));
            return out;
        }
        auto fail = [&](size_t end, std::string_view problem) -> Error {
            auto [line, column] = position(text, open);
            size_t shown = end == std::string_view::npos ? text.size() : end;
            return Error::make(ErrorCode::kInvalidArgument,
                               "template error at line {}, column {}: {}: {}",
                               line,
                               column,
                               text.substr(open, std::min<size_t>(shown - open, 80)),
                               problem);
        };
        size_t name_begin = skip_spaces(text, open + 2);
        size_t name_end = name_begin;
        while (name_end < text.size() &&
               (std::isalnum(static_cast<unsigned char>(text[name_end])) || text[name_end] == '.' ||
                text[name_end] == '_')) {
            ++name_end;
        }
        std::string_view name = text.substr(name_begin, name_end - name_begin);
        boost::json::array arguments;
        size_t next = skip_spaces(text, name_end);
        if (next < text.size() && text[next] == '(') {
            size_t close = closing_parenthesis(text, next);
            if (close == std::string_view::npos) {
                return fail(text.find("}}", next), "unbalanced parentheses or brackets");
            }
            boost::system::error_code ec;
            auto parsed = boost::json::parse(
                fmt::format("[{}]", text.substr(next + 1, close - next - 1)), ec);
            if (ec) {
                return fail(close + 1, "the arguments are not JSON values separated by commas");
            }
            arguments = std::move(parsed.as_array());
            next = skip_spaces(text, close + 1);
        }
        if (name.empty() || text.substr(next, 2) != "}}") {
            return fail(text.find("}}", open),
                        name.empty() ? "expected a placeholder name after {{"
                                     : "expected }} after the placeholder");
        }
        auto placeholder = make_placeholder(name, arguments);
        if (!placeholder) {
            return fail(next + 2, placeholder.error().message);
        }
        segment.placeholder = std::move(*placeholder);
        out.segments_.push_back(std::move(segment));
        at = next + 2;
    }
}

void RecordTemplate::render(RenderState& state, std::string& out) const {
    for (const auto& segment : segments_) {
        out += segment.literal;
        if (segment.placeholder) {
            segment.placeholder(state, out);
        }
    }
}

}  // namespace shardflow::connectors
