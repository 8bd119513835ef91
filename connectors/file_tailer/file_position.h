#pragma once
// Where reading a followed file stopped: which file (device and inode, as a rename keeps them)
// and the byte offset after the last line taken.

#include <cstdint>
#include <string>

namespace shardflow::connectors {

struct FilePosition {
    std::string path;  // the followed path, as given to the tailer
    uint64_t device = 0;
    uint64_t inode = 0;
    uint64_t offset = 0;

    bool operator==(const FilePosition&) const = default;
};

}  // namespace shardflow::connectors
