#pragma once
// The agent's checkpoints: one FilePosition per followed path, in a small JSON file replaced
// atomically (written to a temporary file, synced, renamed over the old one), so a crash leaves
// either the old or the new content, never a mix:
//
//   {"version": 1, "files": [{"path": "/var/log/app.log", "device": 2049, "inode": 1234,
//                             "offset": 5678}]}

#include "connectors/file_tailer/file_position.h"
#include "engine/common/error.h"

#include <filesystem>
#include <map>
#include <string>

namespace shardflow::connectors {

using Checkpoints = std::map<std::string, FilePosition>;  // by path

/// A missing file is no checkpoints; a malformed one is kCorruption naming the file.
Result<Checkpoints> load_checkpoints(const std::filesystem::path& file);

Status save_checkpoints(const std::filesystem::path& file, const Checkpoints& checkpoints);

}  // namespace shardflow::connectors
