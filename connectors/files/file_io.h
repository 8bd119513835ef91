#pragma once
// The POSIX file calls the files sink makes, returning a Status that names the file and errno.

#include "engine/common/error.h"

#include <filesystem>
#include <string_view>
#include <utility>

namespace shardflow::connectors::files {

/// An open file descriptor, closed on scope exit.
class FileDescriptor {
public:
    explicit FileDescriptor(int fd = -1)
        : fd_(fd) {}
    ~FileDescriptor();
    FileDescriptor(FileDescriptor&& other) noexcept
        : fd_(std::exchange(other.fd_, -1)) {}
    FileDescriptor& operator=(FileDescriptor&& other) noexcept;
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;

    int get() const { return fd_; }

private:
    int fd_;
};

/// open(2) with O_CLOEXEC added.
Result<FileDescriptor> open_file(const std::filesystem::path& path, int flags, int mode = 0644);

/// Writes every byte, retrying short writes.
Status write_all(int fd, std::string_view bytes, const std::filesystem::path& path);

/// fsync(2) of an open file.
Status sync_file(int fd, const std::filesystem::path& path);

/// fsync(2) of a directory, so the names created or renamed in it are durable.
Status sync_directory(const std::filesystem::path& dir);

/// "<what> <path>: <strerror(errno)>" as an IoError.
Error io_error(std::string_view what, const std::filesystem::path& path);

}  // namespace shardflow::connectors::files
