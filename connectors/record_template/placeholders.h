#pragma once
// The placeholders a record template may use, each turned once into a function that renders it.

#include "connectors/record_template/render_state.h"
#include "engine/common/error.h"

#include <boost/json/array.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace shardflow::connectors {

/// Appends one value to the output.
using PlaceholderRenderer = std::function<void(RenderState&, std::string&)>;

/// The renderer of `name` called with `arguments` (the JSON values between its parentheses).
/// kInvalidArgument for an unknown name or arguments it does not take; the message says what
/// it takes, without a position (the template parser adds it).
Result<PlaceholderRenderer> make_placeholder(std::string_view name,
                                             const boost::json::array& arguments);

/// Every name make_placeholder() knows, sorted.
std::vector<std::string_view> placeholder_names();

}  // namespace shardflow::connectors
