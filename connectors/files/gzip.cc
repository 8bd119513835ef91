// gzip_file: zlib deflate with a gzip wrapper, streamed in 64 KiB chunks.

#include "connectors/files/gzip.h"

#include "connectors/files/file_io.h"

#include <cerrno>
#include <vector>

#include <unistd.h>
#include <zlib.h>

namespace shardflow::connectors::files {
namespace {

constexpr size_t kChunk = 64 * 1024;
constexpr int kGzipWindowBits = 15 + 16;  // the largest window, with a gzip header and trailer

/// A deflate stream, ended on scope exit.
struct Deflater {
    z_stream stream{};
    bool initialised = false;
    ~Deflater() {
        if (initialised) {
            deflateEnd(&stream);
        }
    }
};

}  // namespace

Result<uint64_t> gzip_file(int from_fd,
                           const std::filesystem::path& from,
                           int to_fd,
                           const std::filesystem::path& to) {
    Deflater d;
    if (deflateInit2(
            &d.stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) !=
        Z_OK) {
        return Error::make(
            ErrorCode::kInternalFailure, "zlib: cannot start compressing {}", from.string());
    }
    d.initialised = true;
    std::vector<unsigned char> in(kChunk);
    std::vector<unsigned char> out(kChunk);
    uint64_t written = 0;
    int flush = Z_NO_FLUSH;
    while (flush != Z_FINISH) {
        ssize_t n = ::read(from_fd, in.data(), in.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return io_error("cannot read", from);
        }
        flush = n == 0 ? Z_FINISH : Z_NO_FLUSH;
        d.stream.next_in = in.data();
        d.stream.avail_in = static_cast<uInt>(n);
        do {
            d.stream.next_out = out.data();
            d.stream.avail_out = static_cast<uInt>(out.size());
            int rc = deflate(&d.stream, flush);
            if (rc == Z_STREAM_ERROR) {
                return Error::make(
                    ErrorCode::kInternalFailure, "zlib: cannot compress {}", from.string());
            }
            size_t produced = out.size() - d.stream.avail_out;
            SF_TRY(write_all(to_fd, {reinterpret_cast<const char*>(out.data()), produced}, to));
            written += produced;
        } while (d.stream.avail_out == 0);
    }
    return written;
}

}  // namespace shardflow::connectors::files
