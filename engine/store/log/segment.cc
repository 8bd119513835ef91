// Segment files: framed appends, recovery scan, index file, positioned reads.

#include "engine/store/log/segment.h"

#include "engine/common/crc32c.h"
#include "engine/store/log/fault_points.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>

#include <fcntl.h>  // sync_file_range needs _GNU_SOURCE, which g++ defines
#include <sys/stat.h>
#include <unistd.h>

namespace shardflow::store::log {
namespace {

Error io_error(std::string_view what, const std::filesystem::path& path) {
    return Error::make(ErrorCode::kIoError, "{} {}: {}", what, path.string(), std::strerror(errno));
}

Status write_all(
    int fd, const char* data, size_t n, uint64_t offset, const std::filesystem::path& p) {
    while (n > 0) {
        ssize_t w = ::pwrite(fd, data, n, static_cast<off_t>(offset));
        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            return io_error("write", p);
        }
        data += w;
        n -= static_cast<size_t>(w);
        offset += static_cast<uint64_t>(w);
    }
    return ok();
}

Status sync_directory(const std::filesystem::path& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        return io_error("open directory", dir);
    }
    int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) {
        return io_error("fsync directory", dir);
    }
    return ok();
}

}  // namespace

std::string segment_file_name(uint64_t base_seq_ix) {
    return fmt::format("{:020}.log", base_seq_ix);
}

std::string index_file_name(uint64_t base_seq_ix) {
    return fmt::format("{:020}.idx", base_seq_ix);
}

std::optional<uint64_t> parse_segment_file_name(std::string_view name, std::string_view extension) {
    constexpr size_t kDigits = 20;
    if (name.size() != kDigits + extension.size() || !name.ends_with(extension)) {
        return std::nullopt;
    }
    uint64_t base = 0;
    auto [end, ec] = std::from_chars(name.data(), name.data() + kDigits, base);
    if (ec != std::errc() || end != name.data() + kDigits) {
        return std::nullopt;
    }
    return base;
}

Segment::Segment(std::filesystem::path dir, uint64_t base_seq_ix, int fd)
    : dir_(std::move(dir))
    , base_seq_ix_(base_seq_ix)
    , fd_(fd)
    , end_seq_ix_(base_seq_ix) {}

Segment::~Segment() {
    if (reserved_end_ > size()) {  // closed cleanly, a file ends at its last frame
        (void)::ftruncate(fd_, static_cast<off_t>(size()));
    }
    ::close(fd_);
}

Result<std::shared_ptr<Segment>> Segment::create(const std::filesystem::path& dir,
                                                 uint64_t base_seq_ix) {
    auto path = dir / segment_file_name(base_seq_ix);
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        return io_error("create", path);
    }
    std::shared_ptr<Segment> segment(new Segment(dir, base_seq_ix, fd));
    SF_TRY(sync_directory(dir));
    return segment;
}

Result<std::shared_ptr<Segment>> Segment::open(const std::filesystem::path& dir,
                                               uint64_t base_seq_ix,
                                               bool is_tail) {
    auto path = dir / segment_file_name(base_seq_ix);
    int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        return io_error("open", path);
    }
    std::shared_ptr<Segment> segment(new Segment(dir, base_seq_ix, fd));
    if (is_tail || !segment->load_index()) {
        SF_TRY(segment->scan_and_repair(is_tail));
    }
    return segment;
}

bool Segment::load_index() {
    auto path = dir_ / index_file_name(base_seq_ix_);
    std::error_code ec;
    auto file_size = std::filesystem::file_size(path, ec);
    if (ec || file_size < sizeof(IndexEntry) + 4 || (file_size - 4) % sizeof(IndexEntry) != 0) {
        return false;
    }
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return false;
    }
    std::string bytes(file_size, '\0');
    ssize_t n = ::pread(fd, bytes.data(), bytes.size(), 0);
    ::close(fd);
    if (n != static_cast<ssize_t>(bytes.size())) {
        return false;
    }
    uint32_t stored_crc;
    std::memcpy(&stored_crc, bytes.data() + file_size - 4, 4);
    if (crc32c(bytes.data(), file_size - 4) != stored_crc) {
        return false;
    }
    // The last entry is a trailer: {end_seq_ix, size, last_arrival_ms}.
    size_t count = (file_size - 4) / sizeof(IndexEntry);
    std::vector<IndexEntry> entries(count);
    std::memcpy(entries.data(), bytes.data(), count * sizeof(IndexEntry));
    IndexEntry trailer = entries.back();
    entries.pop_back();
    struct stat st;
    if (::fstat(fd_, &st) != 0 || static_cast<uint64_t>(st.st_size) != trailer.offset) {
        return false;
    }
    index_ = std::move(entries);
    size_ = trailer.offset;
    durable_size_ = trailer.offset;
    end_seq_ix_ = trailer.seq_ix;
    last_arrival_ms_ = trailer.arrival_ms;
    first_arrival_ms_ = index_.empty() ? trailer.arrival_ms : index_.front().arrival_ms;
    return true;
}

Status Segment::scan_and_repair(bool cut_torn_tail) {
    auto path = dir_ / segment_file_name(base_seq_ix_);
    struct stat st;
    if (::fstat(fd_, &st) != 0) {
        return io_error("stat", path);
    }
    auto file_size = static_cast<uint64_t>(st.st_size);
    std::vector<char> buf(std::max<uint64_t>(file_size, 1));
    SF_ASSIGN_OR_RETURN(size_t got, read_at(0, buf.data(), file_size));
    file_size = got;

    uint64_t offset = 0;
    uint64_t next_seq = base_seq_ix_;
    EpochMillis last_arrival = 0;
    std::lock_guard lock(index_mu_);
    index_.clear();
    last_indexed_offset_ = 0;
    while (offset + kFrameHeaderSize <= file_size) {
        FrameHeader h = decode_frame_header(buf.data() + offset);
        uint64_t frame_size = kFrameCrcSize + kFrameLengthFieldSize + uint64_t{h.length};
        if (h.length < kFrameFixedBodySize + h.pk_len || offset + frame_size > file_size ||
            h.seq_ix != next_seq || h.arrival_ms < last_arrival ||
            crc32c(buf.data() + offset + 8, frame_size - 8) != h.crc) {
            break;
        }
        if (offset == 0 || offset - last_indexed_offset_ >= kIndexInterval) {
            index_.push_back({h.seq_ix, offset, h.arrival_ms});
            last_indexed_offset_ = offset;
        }
        if (next_seq == base_seq_ix_) {
            first_arrival_ms_ = h.arrival_ms;
        }
        last_arrival = h.arrival_ms;
        ++next_seq;
        offset += frame_size;
    }
    if (offset < static_cast<uint64_t>(st.st_size)) {
        if (!cut_torn_tail) {
            return Error::make(
                ErrorCode::kCorruption, "segment {} is corrupt at byte {}", path.string(), offset);
        }
        if (::ftruncate(fd_, static_cast<off_t>(offset)) != 0 || ::fdatasync(fd_) != 0) {
            return io_error("truncate torn tail of", path);
        }
    }
    size_ = offset;
    durable_size_ = offset;
    reserved_end_ = offset;
    end_seq_ix_ = next_seq;
    last_arrival_ms_ = last_arrival;
    return ok();
}

void Segment::add_index_entries(const char* frames, size_t size, uint64_t file_offset) {
    std::lock_guard lock(index_mu_);
    size_t pos = 0;
    while (pos < size) {
        uint64_t offset = file_offset + pos;
        FrameHeader h = decode_frame_header(frames + pos);
        if (index_.empty() || offset - last_indexed_offset_ >= kIndexInterval) {
            index_.push_back({h.seq_ix, offset, h.arrival_ms});
            last_indexed_offset_ = offset;
        }
        pos += kFrameCrcSize + kFrameLengthFieldSize + h.length;
    }
}

Status Segment::append_frames(const char* frames,
                              size_t size,
                              uint64_t first_seq_ix,
                              uint64_t count,
                              EpochMillis first_arrival_ms,
                              EpochMillis last_arrival_ms) {
    SF_CHECK(first_seq_ix == end_seq_ix());
    uint64_t offset = size_.load(std::memory_order_relaxed);
    auto path = dir_ / segment_file_name(base_seq_ix_);
    if (int injected = FaultPoints::hit(FaultPoint::kSegmentWrite, path)) {
        // As a full disk does: the first frames land, then the write fails.
        SF_TRY(write_all(fd_, frames, size / 2, offset, path));
        errno = injected;
        return io_error("write", path);
    }
    reserve_space(offset + size);
    SF_TRY(write_all(fd_, frames, size, offset, path));
    add_index_entries(frames, size, offset);
    if (empty()) {
        first_arrival_ms_.store(first_arrival_ms, std::memory_order_release);
    }
    last_arrival_ms_.store(last_arrival_ms, std::memory_order_release);
    size_.store(offset + size, std::memory_order_release);
    end_seq_ix_.store(first_seq_ix + count, std::memory_order_release);
    return ok();
}

void Segment::reserve_space(uint64_t end) {
    if (end <= reserved_end_ || !can_reserve_) {
        return;
    }
    // Best effort: without the room (a full disk, a file system without fallocate) the writes
    // extend the file themselves, and fail there if they must.
    // The room doubles with the file, so that a shard that gets few records holds little.
    uint64_t step = std::clamp<uint64_t>(reserved_end_, kMinReserve, kMaxReserve);
    uint64_t grow = std::max<uint64_t>(end - reserved_end_, step);
    if (::fallocate(fd_, 0, static_cast<off_t>(reserved_end_), static_cast<off_t>(grow)) == 0) {
        reserved_end_ += grow;
    } else if (errno == EOPNOTSUPP) {
        can_reserve_ = false;  // not asked again on every append
    }
}

Status Segment::sync() const {
    auto path = dir_ / segment_file_name(base_seq_ix_);
    if (int injected = FaultPoints::hit(FaultPoint::kSegmentSync, path)) {
        errno = injected;
        return io_error("fdatasync", path);
    }
    if (::fdatasync(fd_) != 0) {
        return io_error("fdatasync", path);
    }
    return ok();
}

Status Segment::cut_to_durable(uint64_t durable_end_seq_ix) {
    const uint64_t keep = durable_size();
    auto path = dir_ / segment_file_name(base_seq_ix_);
    if (::ftruncate(fd_, static_cast<off_t>(keep)) != 0) {
        return io_error("truncate", path);
    }
    reserved_end_ = keep;
    SF_TRY(sync());
    // A seal that failed may have left an index describing the cut bytes.
    std::error_code ec;
    std::filesystem::remove(dir_ / index_file_name(base_seq_ix_), ec);
    {
        std::lock_guard lock(index_mu_);
        std::erase_if(index_, [keep](const IndexEntry& e) { return e.offset >= keep; });
        last_indexed_offset_ = index_.empty() ? 0 : index_.back().offset;
    }
    size_.store(keep, std::memory_order_release);
    end_seq_ix_.store(durable_end_seq_ix, std::memory_order_release);
    if (empty()) {
        first_arrival_ms_.store(0, std::memory_order_release);
        last_arrival_ms_.store(0, std::memory_order_release);
    }
    return ok();
}

void Segment::mark_durable(uint64_t bytes) {
    uint64_t current = durable_size_.load(std::memory_order_relaxed);
    while (bytes > current &&
           !durable_size_.compare_exchange_weak(current, bytes, std::memory_order_release)) {
    }
}

Status Segment::seal() {
    // A sealed segment ends at its last frame: only the tail is scanned past reserved room.
    if (reserved_end_ > size() && ::ftruncate(fd_, static_cast<off_t>(size())) != 0) {
        return io_error("truncate", dir_ / segment_file_name(base_seq_ix_));
    }
    reserved_end_ = size();
    std::vector<IndexEntry> entries;
    {
        std::lock_guard lock(index_mu_);
        entries = index_;
    }
    entries.push_back({end_seq_ix(), size(), last_arrival_ms()});
    std::string bytes(entries.size() * sizeof(IndexEntry) + 4, '\0');
    std::memcpy(bytes.data(), entries.data(), entries.size() * sizeof(IndexEntry));
    uint32_t crc = crc32c(bytes.data(), bytes.size() - 4);
    std::memcpy(bytes.data() + bytes.size() - 4, &crc, 4);

    auto path = dir_ / index_file_name(base_seq_ix_);
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        return io_error("create", path);
    }
    Status written = write_all(fd, bytes.data(), bytes.size(), 0, path);
    bool synced = written && ::fdatasync(fd) == 0;
    ::close(fd);
    SF_TRY(written);
    if (!synced) {
        return io_error("fdatasync", path);
    }
    SF_TRY(sync());
    mark_durable(size());
    return ok();
}

IndexEntry Segment::locate_sequence(uint64_t seq_ix) const {
    std::lock_guard lock(index_mu_);
    auto it =
        std::upper_bound(index_.begin(), index_.end(), seq_ix, [](uint64_t s, const IndexEntry& e) {
            return s < e.seq_ix;
        });
    if (it == index_.begin()) {
        return {base_seq_ix_, 0, 0};
    }
    return *std::prev(it);
}

IndexEntry Segment::locate_time(EpochMillis time_ms) const {
    std::lock_guard lock(index_mu_);
    // The first entry at or after time_ms; the record sought may lie before it, so step back one.
    auto it = std::lower_bound(
        index_.begin(), index_.end(), time_ms, [](const IndexEntry& e, EpochMillis t) {
            return e.arrival_ms < t;
        });
    if (it == index_.begin()) {
        return {base_seq_ix_, 0, 0};
    }
    return *std::prev(it);
}

Result<size_t> Segment::read_at(uint64_t offset, char* buf, size_t n) const {
    size_t total = 0;
    while (total < n) {
        ssize_t r = ::pread(fd_, buf + total, n - total, static_cast<off_t>(offset + total));
        if (r < 0) {
            if (errno == EINTR) {
                continue;
            }
            return io_error("read", dir_ / segment_file_name(base_seq_ix_));
        }
        if (r == 0) {
            break;
        }
        total += static_cast<size_t>(r);
    }
    return total;
}

void Segment::remove_files() const {
    std::error_code ec;
    std::filesystem::remove(dir_ / segment_file_name(base_seq_ix_), ec);
    std::filesystem::remove(dir_ / index_file_name(base_seq_ix_), ec);
}

}  // namespace shardflow::store::log
