#pragma once
// Follows one log file by polling, the way the Kinesis Agent does: complete lines only, across
// rotation (rename and create) and truncation (copytruncate).

#include "connectors/file_tailer/file_position.h"
#include "engine/common/error.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace shardflow::connectors {

/// Reads complete lines from `path`; a partial last line waits for its newline. When the path
/// names a new file (rotation), the old one stays open until it is drained and has been quiet
/// for a poll (a final line without a newline is then taken too), and the new file is read from
/// its start. A file shorter than the offset was truncated and is read again from its start.
/// Resuming from a checkpoint whose file has been renamed since, the renamed file is looked up
/// by inode in the same directory and drained first. A line longer than `max_bytes` of a poll
/// comes in pieces of that size. Threading: one caller; owns one file descriptor.
class FileTailer {
public:
    /// `checkpoint`: where an earlier run stopped. Without one, the file present now is read from
    /// its start when `from_start`, else from its end; a file that appears later, from its start.
    FileTailer(std::filesystem::path path, std::optional<FilePosition> checkpoint, bool from_start);
    ~FileTailer();
    FileTailer(const FileTailer&) = delete;
    FileTailer& operator=(const FileTailer&) = delete;

    /// Appends the complete lines available now (without their '\n'), up to about `max_bytes`,
    /// all from one file. kIoError if the file cannot be read.
    Status poll(std::vector<std::string>& lines, size_t max_bytes);

    /// The file being read and the offset after the last line returned.
    FilePosition position() const;
    const std::filesystem::path& path() const { return path_; }

private:
    void start();
    void open_at(const std::filesystem::path& file, uint64_t offset);
    /// Reads lines from the open file; returns false when there was nothing to take.
    Result<bool> read_lines(std::vector<std::string>& lines, size_t max_bytes);
    /// Moves on to the file the path names now, once the old one is drained and quiet.
    Status follow_rotation(std::vector<std::string>& lines);
    void close();

    std::filesystem::path path_;
    std::optional<FilePosition> checkpoint_;
    bool from_start_;
    bool started_ = false;
    int fd_ = -1;
    uint64_t device_ = 0;
    uint64_t inode_ = 0;
    uint64_t offset_ = 0;
    std::optional<uint64_t> size_when_rotated_;  // the old file's size when the path moved on
    std::string buffer_;
};

}  // namespace shardflow::connectors
