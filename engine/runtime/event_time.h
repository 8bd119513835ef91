#pragma once
// Event time: milliseconds since the Unix epoch, carried by records and watermarks.

#include <cstdint>
#include <limits>

namespace shardflow::runtime {

using EventTime = int64_t;

inline constexpr EventTime kMinEventTime = std::numeric_limits<EventTime>::min();
/// The watermark of a finished bounded input: every window can close.
inline constexpr EventTime kMaxEventTime = std::numeric_limits<EventTime>::max();

}  // namespace shardflow::runtime
