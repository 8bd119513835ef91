#pragma once
// A buffer's converted records on disk, appended as they arrive, until the buffer is delivered
// as one object. Checkpoints record how many of its bytes they acknowledge (sink_state.h).

#include "connectors/files/file_io.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace shardflow::connectors::files {

/// Appends go through a small memory buffer, so a batch costs a few writes, not one per record.
/// Threading: one thread at a time (the sink locks around it). Destroying it closes the file
/// without writing what is still in memory: only sync() makes appended bytes durable.
class StagingFile {
public:
    /// Creates a new, empty file; an error if it exists.
    static Result<std::unique_ptr<StagingFile>> create(const std::filesystem::path& path);
    /// Opens a file that survived a restart and cuts it to `length` bytes: what the last
    /// checkpoint acknowledged. An error (Corruption) if it is shorter than that.
    static Result<std::unique_ptr<StagingFile>> reopen(const std::filesystem::path& path,
                                                       uint64_t length);

    Status append(std::string_view bytes);
    /// Writes what is in memory and fsyncs: every byte appended so far is durable.
    Status sync();

    /// Bytes appended, durable or not.
    uint64_t size() const { return size_; }
    const std::filesystem::path& path() const { return path_; }

private:
    static constexpr size_t kWriteBehind = 64 * 1024;

    StagingFile(FileDescriptor fd, std::filesystem::path path, uint64_t size)
        : fd_(std::move(fd))
        , path_(std::move(path))
        , size_(size) {}
    Status write_pending();

    FileDescriptor fd_;
    std::filesystem::path path_;
    uint64_t size_;
    std::string pending_;
};

}  // namespace shardflow::connectors::files
