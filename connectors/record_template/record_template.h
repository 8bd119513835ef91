#pragma once
// Record templates in the style of the Kinesis Data Generator: text with faker.js-like
// placeholders, e.g. {"user": "{{internet.userName}}", "n": {{random.number(100)}}}.

#include "connectors/record_template/placeholders.h"
#include "connectors/record_template/render_state.h"
#include "engine/common/error.h"

#include <string>
#include <string_view>
#include <vector>

namespace shardflow::connectors {

/// A template parsed once into literal text and placeholder calls. A placeholder is
/// `{{name}}` or `{{name(arguments)}}`, the arguments being JSON values separated by commas
/// (`{{random.number({"min": 1, "max": 10})}}`, `{{random.arrayElement(["a", "b"])}}`).
/// Immutable and safe to share between threads; the mutable part is the caller's RenderState.
class RecordTemplate {
public:
    /// kInvalidArgument naming the placeholder and where it starts, e.g. "template error at
    /// line 2, column 9: {{random.nmber}}: unknown placeholder; known: ...".
    static Result<RecordTemplate> parse(std::string_view text);

    /// Appends one rendering to `out`.
    void render(RenderState& state, std::string& out) const;

private:
    struct Segment {
        std::string literal;              // text before the placeholder
        PlaceholderRenderer placeholder;  // empty for trailing text
    };
    std::vector<Segment> segments_;
};

}  // namespace shardflow::connectors
