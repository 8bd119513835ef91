// POSIX file helpers: every failure becomes an IoError naming the file.

#include "connectors/files/file_io.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

namespace shardflow::connectors::files {

FileDescriptor::~FileDescriptor() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

FileDescriptor& FileDescriptor::operator=(FileDescriptor&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) {
            ::close(fd_);
        }
        fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
}

Error io_error(std::string_view what, const std::filesystem::path& path) {
    return Error::make(ErrorCode::kIoError, "{} {}: {}", what, path.string(), std::strerror(errno));
}

Result<FileDescriptor> open_file(const std::filesystem::path& path, int flags, int mode) {
    int fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
    if (fd < 0) {
        return io_error("cannot open", path);
    }
    return FileDescriptor(fd);
}

Status write_all(int fd, std::string_view bytes, const std::filesystem::path& path) {
    while (!bytes.empty()) {
        ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return io_error("cannot write", path);
        }
        bytes.remove_prefix(static_cast<size_t>(n));
    }
    return ok();
}

Status sync_file(int fd, const std::filesystem::path& path) {
    if (::fsync(fd) != 0) {
        return io_error("cannot fsync", path);
    }
    return ok();
}

Status sync_directory(const std::filesystem::path& dir) {
    SF_ASSIGN_OR_RETURN(FileDescriptor fd, open_file(dir, O_RDONLY | O_DIRECTORY));
    return sync_file(fd.get(), dir);
}

}  // namespace shardflow::connectors::files
