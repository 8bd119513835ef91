// Polling a path: read what is complete, then check whether the path still names the same file.

#include "connectors/file_tailer/file_tailer.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace shardflow::connectors {
namespace {

struct Identity {
    uint64_t device;
    uint64_t inode;
    uint64_t size;
};

Identity identity(const struct stat& st) {
    return {static_cast<uint64_t>(st.st_dev),
            static_cast<uint64_t>(st.st_ino),
            static_cast<uint64_t>(st.st_size)};
}

std::optional<Identity> stat_path(const std::filesystem::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        return std::nullopt;
    }
    return identity(st);
}

/// The file in `dir` with this device and inode: where a rotated file went (renames keep both).
std::optional<std::filesystem::path> find_by_inode(const std::filesystem::path& dir,
                                                   uint64_t device,
                                                   uint64_t inode) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        auto id = stat_path(entry.path());
        if (id && id->device == device && id->inode == inode) {
            return entry.path();
        }
    }
    return std::nullopt;
}

Error io_error(const std::filesystem::path& path, const char* what) {
    return Error::make(
        ErrorCode::kIoError, "cannot {} {}: {}", what, path.string(), std::strerror(errno));
}

}  // namespace

FileTailer::FileTailer(std::filesystem::path path,
                       std::optional<FilePosition> checkpoint,
                       bool from_start)
    : path_(std::move(path))
    , checkpoint_(std::move(checkpoint))
    , from_start_(from_start) {}

FileTailer::~FileTailer() {
    close();
}

void FileTailer::close() {
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
}

FilePosition FileTailer::position() const {
    return {path_.string(), device_, inode_, offset_};
}

void FileTailer::start() {
    started_ = true;
    auto now = stat_path(path_);
    if (!checkpoint_) {
        if (now) {
            open_at(path_, from_start_ ? 0 : now->size);
        }
        return;
    }
    if (now && now->device == checkpoint_->device && now->inode == checkpoint_->inode) {
        open_at(path_, checkpoint_->offset);
        return;
    }
    std::filesystem::path dir = path_.has_parent_path() ? path_.parent_path() : ".";
    if (auto rotated = find_by_inode(dir, checkpoint_->device, checkpoint_->inode)) {
        open_at(*rotated, checkpoint_->offset);
    } else if (now) {  // the checkpointed file is gone: what the path names now is all new
        open_at(path_, 0);
    }
}

void FileTailer::open_at(const std::filesystem::path& file, uint64_t offset) {
    int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    if (fd < 0 || ::fstat(fd, &st) != 0) {  // gone in between: the next poll looks again
        if (fd >= 0) {
            ::close(fd);
        }
        return;
    }
    close();
    fd_ = fd;
    Identity id = identity(st);
    device_ = id.device;
    inode_ = id.inode;
    offset_ = offset <= id.size ? offset : 0;
    size_when_rotated_.reset();
}

Status FileTailer::poll(std::vector<std::string>& lines, size_t max_bytes) {
    if (!started_) {
        start();
    }
    if (fd_ < 0 && stat_path(path_)) {
        open_at(path_, 0);
    }
    if (fd_ < 0) {
        return ok();
    }
    SF_ASSIGN_OR_RETURN(bool took, read_lines(lines, max_bytes));
    return took ? ok() : follow_rotation(lines);
}

Result<bool> FileTailer::read_lines(std::vector<std::string>& lines, size_t max_bytes) {
    struct stat st {};
    if (::fstat(fd_, &st) != 0) {
        return io_error(path_, "stat");
    }
    uint64_t size = identity(st).size;
    if (size < offset_) {  // truncated in place (copytruncate): the new content starts at 0
        offset_ = 0;
    }
    size_t want = static_cast<size_t>(std::min<uint64_t>(max_bytes, size - offset_));
    if (want == 0) {
        return false;
    }
    buffer_.resize(want);
    ssize_t n = ::pread(fd_, buffer_.data(), want, static_cast<off_t>(offset_));
    if (n < 0) {
        return io_error(path_, "read");
    }
    buffer_.resize(static_cast<size_t>(n));
    size_t last_newline = buffer_.rfind('\n');
    if (last_newline == std::string::npos && buffer_.size() < max_bytes) {
        return false;  // a partial line waits for its newline
    }
    // Without a newline the buffer is full: a line longer than max_bytes, handed over in pieces.
    size_t stop = last_newline == std::string::npos ? buffer_.size() : last_newline + 1;
    for (size_t at = 0; at < stop;) {
        size_t newline = std::min(buffer_.find('\n', at), stop);
        lines.emplace_back(buffer_, at, newline - at);
        at = newline + 1;
    }
    offset_ += stop;
    return true;
}

Status FileTailer::follow_rotation(std::vector<std::string>& lines) {
    auto now = stat_path(path_);
    // A path that is gone may come back; until then the old file may still be written to.
    if (!now || (now->device == device_ && now->inode == inode_)) {
        size_when_rotated_.reset();
        return ok();
    }
    struct stat st {};
    if (::fstat(fd_, &st) != 0) {
        return io_error(path_, "stat");
    }
    uint64_t size = identity(st).size;
    if (size_when_rotated_ != size) {  // wait for one quiet poll: the writer may not be done
        size_when_rotated_ = size;
        return ok();
    }
    if (offset_ < size) {  // the old file's last line has no newline and never will get one
        buffer_.resize(size - offset_);
        ssize_t n = ::pread(fd_, buffer_.data(), buffer_.size(), static_cast<off_t>(offset_));
        if (n < 0) {
            return io_error(path_, "read");
        }
        lines.emplace_back(buffer_, 0, static_cast<size_t>(n));
        offset_ += static_cast<uint64_t>(n);
        return ok();
    }
    open_at(path_, 0);
    return ok();
}

}  // namespace shardflow::connectors
