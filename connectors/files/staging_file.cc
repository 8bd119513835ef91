// StagingFile: an append-only file with write-behind and explicit fsync.

#include "connectors/files/staging_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace shardflow::connectors::files {

Result<std::unique_ptr<StagingFile>> StagingFile::create(const std::filesystem::path& path) {
    SF_ASSIGN_OR_RETURN(FileDescriptor fd, open_file(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND));
    return std::unique_ptr<StagingFile>(new StagingFile(std::move(fd), path, 0));
}

Result<std::unique_ptr<StagingFile>> StagingFile::reopen(const std::filesystem::path& path,
                                                         uint64_t length) {
    SF_ASSIGN_OR_RETURN(FileDescriptor fd, open_file(path, O_WRONLY | O_APPEND));
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) {
        return io_error("cannot stat", path);
    }
    if (static_cast<uint64_t>(st.st_size) < length) {
        return Error::make(ErrorCode::kCorruption,
                           "staging file {} has {} bytes, but a checkpoint acknowledged {}",
                           path.string(),
                           st.st_size,
                           length);
    }
    if (::ftruncate(fd.get(), static_cast<off_t>(length)) != 0) {
        return io_error("cannot truncate", path);
    }
    return std::unique_ptr<StagingFile>(new StagingFile(std::move(fd), path, length));
}

Status StagingFile::append(std::string_view bytes) {
    pending_ += bytes;
    size_ += bytes.size();
    if (pending_.size() >= kWriteBehind) {
        return write_pending();
    }
    return ok();
}

Status StagingFile::sync() {
    SF_TRY(write_pending());
    return sync_file(fd_.get(), path_);
}

Status StagingFile::write_pending() {
    Status s = write_all(fd_.get(), pending_, path_);
    pending_.clear();
    return s;
}

}  // namespace shardflow::connectors::files
