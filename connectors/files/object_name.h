#pragma once
// Names of delivered objects, in Firehose's shape
// "<stream>-<version>-yyyy-MM-dd-HH-mm-ss-<random id>", and the random parts they need.

#include "engine/common/clock.h"

#include <random>
#include <string>
#include <string_view>

namespace shardflow::connectors::files {

/// Random ids for object and staging file names and for !{firehose:random-string}.
/// Threading: one thread at a time (the sink locks around it).
class RandomNames {
public:
    RandomNames();  // seeded from std::random_device

    /// 36 characters in the layout of a version 4 UUID: unique enough to never collide.
    std::string uuid();
    /// 11 letters and digits, as Firehose's random-string.
    std::string random_string();

private:
    std::mt19937_64 rng_;
};

/// "<stream>-1-yyyy-MM-dd-HH-mm-ss-<id><extension>", the time in UTC. Firehose's "1" is the
/// delivery stream's version, which never changes here.
std::string object_file_name(std::string_view stream,
                             EpochMillis first_arrival_ms,
                             std::string_view id,
                             std::string_view extension);

}  // namespace shardflow::connectors::files
