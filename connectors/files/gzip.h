#pragma once
// gzip (RFC 1952) compression of one file into another, through zlib: the standard
// implementation, which every gzip reader accepts.

#include "engine/common/error.h"

#include <cstdint>
#include <filesystem>

namespace shardflow::connectors::files {

/// Compresses all of `from` (read from its start) into `to_fd` as one gzip member; returns the
/// bytes written. The paths only name the files in errors.
Result<uint64_t> gzip_file(int from_fd,
                           const std::filesystem::path& from,
                           int to_fd,
                           const std::filesystem::path& to);

}  // namespace shardflow::connectors::files
