// deliver_object: write (or reuse) a complete file under a hidden name, fsync, rename.

#include "connectors/files/object_delivery.h"

#include "connectors/files/file_io.h"
#include "connectors/files/gzip.h"

#include <cstdio>
#include <system_error>

#include <fcntl.h>

namespace shardflow::connectors::files {
namespace {

Status rename_file(const std::filesystem::path& from, const std::filesystem::path& to) {
    if (std::rename(from.c_str(), to.c_str()) != 0) {
        return io_error("cannot rename " + from.string() + " to", to);
    }
    return ok();
}

Result<uint64_t> gzip_to(const std::filesystem::path& staging, const std::filesystem::path& temp) {
    SF_ASSIGN_OR_RETURN(FileDescriptor in, open_file(staging, O_RDONLY));
    SF_ASSIGN_OR_RETURN(FileDescriptor out, open_file(temp, O_WRONLY | O_CREAT | O_TRUNC));
    SF_ASSIGN_OR_RETURN(uint64_t size, gzip_file(in.get(), staging, out.get(), temp));
    SF_TRY(sync_file(out.get(), temp));
    return size;
}

}  // namespace

Result<uint64_t> deliver_object(const std::filesystem::path& staging,
                                const std::filesystem::path& temp,
                                const std::filesystem::path& object,
                                Compression compression) {
    std::error_code ec;
    std::filesystem::create_directories(object.parent_path(), ec);
    if (ec) {
        return Error::make(ErrorCode::kIoError,
                           "cannot create {}: {}",
                           object.parent_path().string(),
                           ec.message());
    }
    uint64_t size = 0;
    switch (compression) {
        case Compression::kNone: {
            size = std::filesystem::file_size(staging, ec);
            if (ec) {
                return Error::make(
                    ErrorCode::kIoError, "cannot stat {}: {}", staging.string(), ec.message());
            }
            SF_TRY(rename_file(staging, object));
            break;
        }
        case Compression::kGzip: {
            SF_ASSIGN_OR_RETURN(size, gzip_to(staging, temp));
            SF_TRY(rename_file(temp, object));
            break;
        }
    }
    SF_TRY(sync_directory(object.parent_path()));
    // After the rename: a crash in between delivers the records again (at-least-once).
    if (compression == Compression::kGzip && std::remove(staging.c_str()) != 0) {
        return io_error("cannot remove", staging);
    }
    return size;
}

}  // namespace shardflow::connectors::files
