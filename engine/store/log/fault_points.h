#pragma once
// Named fault points in the log's I/O: a test arms one and the next matching call fails.

#include <cstdint>
#include <filesystem>
#include <string>

namespace shardflow::store::log {

/// Where the log can be told to fail (RocksDB's sync points, reduced to injected errors).
enum class FaultPoint : uint8_t {
    kSegmentWrite,  // the pwrite of an append's frames: half of them land, then the error
    kSegmentSync,   // fdatasync of a segment (group commit, sealing, cutting back)
};

/// A process-wide switchboard of injected I/O errors, for tests only.
/// Threading: any thread; while nothing is armed a hit costs one relaxed atomic load.
class FaultPoints {
public:
    /// The next `times` hits of `point` on files whose path contains `path_part` (any file when
    /// empty) fail with `error` (an errno such as ENOSPC or EIO).
    static void arm(FaultPoint point, int error, std::string path_part = {}, int times = 1);
    static void disarm_all();
    /// The errno this hit must fail with, or 0 to go on.
    static int hit(FaultPoint point, const std::filesystem::path& file);
};

}  // namespace shardflow::store::log
