#pragma once
// Before producing: the stream must exist and be ACTIVE, optionally created on the way.

#include "connectors/kinesis_client/kinesis_client.h"

#include <chrono>
#include <string_view>

namespace shardflow::connectors {

/// Waits (up to `timeout`) until `stream` is ACTIVE. A missing stream is created with
/// `create_shards` shards when that is above 0; otherwise it is kResourceNotFound with a hint.
Status ensure_stream(KinesisClient& client,
                     std::string_view stream,
                     int64_t create_shards,
                     std::chrono::milliseconds timeout);

}  // namespace shardflow::connectors
