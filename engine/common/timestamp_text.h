#pragma once
// Timestamps as text, the way SQL, record fields and the benchmarks write them: ISO 8601 / SQL
// in, "2026-01-01 00:00:00.000" (UTC) out.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shardflow {

/// ISO 8601 / SQL text to milliseconds since the epoch (UTC): "2026-01-01", "2026-01-01 10:00:00",
/// "2026-01-01T10:00:00.250Z"; an offset like "+02:00" is applied. nullopt when it is not a date.
std::optional<int64_t> parse_timestamp(std::string_view text);

/// Milliseconds since the epoch as "2026-01-01 00:00:00.000" (UTC).
std::string format_timestamp(int64_t ms);

}  // namespace shardflow
