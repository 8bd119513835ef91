#pragma once
// Which files SQL may name (a files sink's path, a reference table's database): those under the
// data directory or under directories the operator allowed, after symlinks and `..` are
// resolved, and never the store's or the engine's own files (catalog, logs, checkpoints, keys).

#include "engine/common/error.h"

#include <filesystem>
#include <string_view>
#include <vector>

namespace shardflow::service {

/// Threading: immutable; resolve() is safe from any thread.
class PathPolicy {
public:
    /// Allows every path.
    PathPolicy() = default;
    /// Relative user paths are taken from `data_dir`; `reserved` (paths as this process names
    /// them) are files and folders inside the allowed roots that SQL may not name, nor anything
    /// inside them.
    PathPolicy(std::filesystem::path data_dir,
               std::vector<std::filesystem::path> allowed_roots,
               std::vector<std::filesystem::path> reserved);

    /// The canonical path `user_path` names. The error says only that it is not allowed, and
    /// where paths may go: whether the file exists is not told.
    Result<std::filesystem::path> resolve(std::string_view user_path) const;
    /// A resolved path as SQL clients see it: relative to the data directory when inside it,
    /// so that answers do not show where the server keeps its data.
    std::string shown(const std::filesystem::path& resolved) const;

private:
    bool confined_ = false;
    std::filesystem::path data_dir_;
    std::vector<std::filesystem::path> roots_;  // canonical, the data directory first
    std::vector<std::filesystem::path> reserved_;
};

}  // namespace shardflow::service
