#pragma once
// One segment file of a shard log: appends, durability marks, its sparse index, positioned reads.

#include "engine/common/clock.h"
#include "engine/common/error.h"
#include "engine/store/log/record_format.h"

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace shardflow::store::log {

/// A segment of a shard log. Owned through shared_ptr so a reader can finish with a segment
/// that retention has already unlinked.
/// Threading: append_frames/seal/cut_to_durable are called by one appender at a time (the shard
/// log's append lock); every other method may be called concurrently from any thread.
class Segment {
public:
    /// Bytes between sparse index entries.
    static constexpr uint64_t kIndexInterval = 4096;

    ~Segment();
    Segment(const Segment&) = delete;
    Segment& operator=(const Segment&) = delete;

    /// Creates an empty segment whose first record will be `base_seq_ix`.
    static Result<std::shared_ptr<Segment>> create(const std::filesystem::path& dir,
                                                   uint64_t base_seq_ix);

    /// Opens an existing segment. A sealed one loads its index file when that is intact; the
    /// last one (`is_tail`) is scanned frame by frame and cut at the first torn or corrupt frame.
    static Result<std::shared_ptr<Segment>> open(const std::filesystem::path& dir,
                                                 uint64_t base_seq_ix,
                                                 bool is_tail);

    uint64_t base_seq_ix() const { return base_seq_ix_; }
    /// One past the last record written (durable or not).
    uint64_t end_seq_ix() const { return end_seq_ix_.load(std::memory_order_acquire); }
    uint64_t size() const { return size_.load(std::memory_order_acquire); }
    uint64_t durable_size() const { return durable_size_.load(std::memory_order_acquire); }
    EpochMillis first_arrival_ms() const {
        return first_arrival_ms_.load(std::memory_order_acquire);
    }
    EpochMillis last_arrival_ms() const { return last_arrival_ms_.load(std::memory_order_acquire); }
    bool empty() const { return end_seq_ix() == base_seq_ix_; }

    /// Writes encoded frames for records [first_seq_ix, first_seq_ix + count) at the end.
    Status append_frames(const char* frames,
                         size_t size,
                         uint64_t first_seq_ix,
                         uint64_t count,
                         EpochMillis first_arrival_ms,
                         EpochMillis last_arrival_ms);

    /// fdatasync of the file.
    Status sync() const;
    /// Records that the first `bytes` bytes are on disk; readers see only durable bytes.
    void mark_durable(uint64_t bytes);
    /// Truncates the file back to its durable bytes, which end before `durable_end_seq_ix`,
    /// and makes the truncation durable: after a failed write or sync nothing of it survives a
    /// crash. The last arrival time stays an upper bound until the segment is reopened.
    Status cut_to_durable(uint64_t durable_end_seq_ix);
    /// Writes the index file; the segment takes no more appends.
    Status seal();

    /// Byte offset of an indexed frame at or before `seq_ix` (the segment start at worst).
    IndexEntry locate_sequence(uint64_t seq_ix) const;
    /// An indexed frame at or before the first record that arrived at or after `time_ms`.
    IndexEntry locate_time(EpochMillis time_ms) const;

    /// pread; returns the bytes read (short at the end of the file).
    Result<size_t> read_at(uint64_t offset, char* buf, size_t n) const;

    /// Unlinks the segment's files; open descriptors stay readable.
    void remove_files() const;

private:
    Segment(std::filesystem::path dir, uint64_t base_seq_ix, int fd);

    Status scan_and_repair(bool cut_torn_tail);
    /// Allocates the file up to `end` and beyond ahead of the writes. An fdatasync after writes
    /// within allocated room need not journal a new file size each time: a quarter cheaper here.
    void reserve_space(uint64_t end);
    bool load_index();
    void add_index_entries(const char* frames, size_t size, uint64_t file_offset);

    std::filesystem::path dir_;
    uint64_t base_seq_ix_;
    int fd_;
    std::atomic<uint64_t> size_{0};
    std::atomic<uint64_t> durable_size_{0};
    std::atomic<uint64_t> end_seq_ix_;
    std::atomic<EpochMillis> first_arrival_ms_{0};
    std::atomic<EpochMillis> last_arrival_ms_{0};
    uint64_t last_indexed_offset_ = 0;
    /// The file's size: frames, then allocated room (zeros) the torn-tail scan cuts off.
    /// Touched by the appender only.
    uint64_t reserved_end_ = 0;
    bool can_reserve_ = true;  // false on a file system without fallocate
    static constexpr uint64_t kMinReserve = 64 << 10;
    static constexpr uint64_t kMaxReserve = 8 << 20;

    mutable std::mutex index_mu_;
    std::vector<IndexEntry> index_;  // guarded by index_mu_
};

}  // namespace shardflow::store::log
