#pragma once
// The 128-bit hash key space of a stream: MD5 routing of partition keys and decimal text form.

#include "engine/common/uint128.h"

#include <optional>
#include <string>
#include <string_view>

namespace shardflow::store {

/// A position in [0, 2^128-1]; Kinesis routes a record to the shard whose range holds it.
using HashKey = uint128;

inline constexpr HashKey kMaxHashKey = ~static_cast<HashKey>(0);

/// uint128 big-endian of MD5(partition key bytes), as Kinesis, the KPL and the KCL compute it.
HashKey hash_key_for_partition_key(std::string_view partition_key);

/// Decimal text, as HashKeyRange and ExplicitHashKey carry it.
std::string hash_key_to_string(HashKey key);

/// Parses `0|[1-9][0-9]{0,38}` up to 2^128-1; nullopt otherwise.
std::optional<HashKey> parse_hash_key(std::string_view text);

}  // namespace shardflow::store
