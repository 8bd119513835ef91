#pragma once
// Turns a finished staging file into a delivered object that appears whole or not at all.

#include "connectors/files/files_sink_options.h"
#include "engine/common/error.h"

#include <cstdint>
#include <filesystem>

namespace shardflow::connectors::files {

/// Delivers the (already fsynced) staging file as `object`, creating its directories, and
/// returns the object's size. Without compression the staging file itself is renamed into
/// place. With gzip it is compressed into `temp` (next to the staging file, so half-written
/// objects are never visible and a restart clears them), which is fsynced and renamed; then the
/// staging file is removed. Either way the object's directory is fsynced after the rename.
/// Every path must be on the same file system (they all live under the sink's root).
Result<uint64_t> deliver_object(const std::filesystem::path& staging,
                                const std::filesystem::path& temp,
                                const std::filesystem::path& object,
                                Compression compression);

}  // namespace shardflow::connectors::files
