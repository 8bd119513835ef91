#pragma once
// The append-only log of one shard: segments, group commit, reads by sequence and time.

#include "engine/common/clock.h"
#include "engine/common/error.h"
#include "engine/store/log/durable_listeners.h"
#include "engine/store/log/segment.h"

#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace shardflow::store::log {

class CommitQueue;

/// Whether a put waits for fdatasync. kNone exists for benchmarks that measure everything else.
enum class SyncMode : uint8_t { kFsync, kNone };

struct ShardLogOptions {
    uint64_t segment_bytes = 64ULL << 20;
    SyncMode sync = SyncMode::kFsync;
    const DurableListeners* listeners = nullptr;  // told after each commit; set by the store
    /// Syncs for when_durable; set by the store. Without it when_durable waits as wait_durable.
    CommitQueue* committer = nullptr;
};

/// A record handed to append: views valid for the duration of the call.
struct RecordInput {
    std::string_view partition_key;
    std::string_view data;
};

/// A record read back; the views point into the ReadBatch that returned it.
struct StoredRecord {
    uint64_t seq_ix;
    EpochMillis arrival_ms;
    std::string_view partition_key;
    std::string_view data;
};

/// Returns read buffers of the standard size to a bounded free list instead of the heap:
/// fresh megabyte buffers cost a page fault per 4 KiB on every read.
struct ReadBufferDeleter {
    size_t size = 0;
    void operator()(char* p) const;
};
using ReadBuffer = std::unique_ptr<char[], ReadBufferDeleter>;

/// A buffer of `size` bytes (uninitialised), from the free list when it has one.
ReadBuffer acquire_read_buffer(size_t size);

/// The result of one read: records in sequence order and the buffers they point into.
struct ReadBatch {
    std::vector<StoredRecord> records;
    uint64_t next_seq_ix = 0;  // where the following read continues
    std::vector<ReadBuffer> buffers;
};

/// One shard's log. Sequence indexes are dense: record n+1 follows record n.
/// A failed write or sync cuts the log back to its durable end (the file is truncated there):
/// every append not yet durable fails, and later appends reuse the sequence indexes that no
/// reader ever saw. If the cut itself fails, the log refuses appends until it is reopened.
/// Threading: append, wait_durable and when_durable from any number of threads (appends
/// serialise on one lock, fsyncs are shared by every waiting put: group commit); reads never take
/// the append lock and see only durable records.
class ShardLog : public std::enable_shared_from_this<ShardLog> {
public:
    struct Appended {
        uint64_t first_seq_ix;
        uint64_t count;
        EpochMillis arrival_ms;
        uint64_t epoch;  // how many cuts preceded the append
    };

    ShardLog(const ShardLog&) = delete;
    ShardLog& operator=(const ShardLog&) = delete;

    /// Opens the log in `dir` (creating it), cutting any torn tail left by a crash.
    static Result<std::shared_ptr<ShardLog>> open(const std::filesystem::path& dir,
                                                  ShardLogOptions options,
                                                  const Clock& clock);

    /// Writes records with consecutive sequence indexes; they become visible once durable.
    /// On an I/O error nothing of this call remains, on disk or in the log.
    Result<Appended> append(std::span<const RecordInput> records);
    /// Returns once the appended records are on disk: the one caller that finds no sync running
    /// syncs for all, the others wait for it. Fails when a failed write or sync cut them off.
    Status wait_durable(const Appended& appended);
    /// Calls `done` once the appended records are on disk, or with the failure that cut them off,
    /// without waiting: at once on this thread when that is already decided, else on a commit
    /// thread after the sync that covers them (keep it short: the next sync waits for it).
    using DurableCallback = std::function<void(Status)>;
    void when_durable(const Appended& appended, DurableCallback done);
    /// For the commit threads: one sync for the callbacks waiting, completing those it decides;
    /// queues the log again if later appends still wait.
    void commit_pending();

    /// Records at or after `from_seq_ix`, stopping at `max_records`, at `max_bytes` of keys and
    /// data (at least one record), or at the durable end. Records that arrived before
    /// `min_arrival_ms` are skipped (expired by retention).
    Result<ReadBatch> read(uint64_t from_seq_ix,
                           size_t max_records,
                           size_t max_bytes,
                           EpochMillis min_arrival_ms) const;

    /// Sequence index of the first durable record that arrived at or after `time_ms`, or the
    /// durable end when none has.
    Result<uint64_t> seq_ix_at_time(EpochMillis time_ms) const;

    /// One past the last durable record.
    uint64_t durable_end() const { return durable_end_.load(std::memory_order_acquire); }
    /// Sequence index of the oldest record still on disk.
    uint64_t first_seq_ix() const;
    /// Arrival time of the newest durable record (0 when empty).
    EpochMillis last_arrival_ms() const;

    /// Deletes sealed segments whose every record arrived before `cutoff_ms`.
    void delete_segments_before(EpochMillis cutoff_ms);
    /// Deletes every segment file (the stream is gone).
    void remove_all();

private:
    /// How many bytes to read for `records_wanted` more records.
    size_t read_size(size_t records_wanted) const;
    ShardLog(std::filesystem::path dir, ShardLogOptions options, const Clock& clock);

    std::vector<std::shared_ptr<Segment>> segments_snapshot() const;
    void notify_listeners() const {
        if (options_.listeners) {
            options_.listeners->notify();
        }
    }
    Status roll_segment(uint64_t next_seq_ix);
    /// The outcome of an append ending at `seq_end` in `epoch`, once it is decided. Caller holds
    /// append_mu_.
    std::optional<Status> outcome(uint64_t seq_end, uint64_t epoch) const;
    /// Syncs what is written so far and marks it durable, or cuts back if the sync fails. Caller
    /// holds `lock` on sync_mu_, with no sync running; it is released during the sync.
    void sync_written(std::unique_lock<std::mutex>& lock);
    /// Calls the callbacks whose outcome is decided, with `lock` (on sync_mu_) released.
    void complete_decided(std::unique_lock<std::mutex>& lock);
    /// Hands the log to the committer unless it has it already. Caller holds sync_mu_.
    void request_commit();
    /// After `failure`, drops everything past the durable end and starts a new epoch; returns
    /// the failure. Caller holds append_mu_.
    Error cut_back(Error failure);

    const std::filesystem::path dir_;
    const ShardLogOptions options_;
    const Clock& clock_;

    /// How an epoch ended: its appends below `durable_end` stand, the others got `error`.
    struct Cut {
        uint64_t durable_end;
        Error error;
    };

    std::mutex append_mu_;
    uint64_t written_end_ = 0;         // guarded by append_mu_
    EpochMillis last_arrival_ = 0;     // guarded by append_mu_
    std::shared_ptr<Segment> active_;  // guarded by append_mu_
    std::vector<Cut> cuts_;            // guarded by append_mu_; cuts_[e] ended epoch e
    std::optional<Error> broken_;      // guarded by append_mu_; set when a cut failed

    mutable std::mutex segments_mu_;
    std::vector<std::shared_ptr<Segment>> segments_;  // guarded by segments_mu_, oldest first

    std::mutex sync_mu_;
    std::condition_variable sync_cv_;
    bool sync_running_ = false;  // guarded by sync_mu_
    /// Appends waiting for a sync with a callback, in no particular order.
    struct Waiter {
        uint64_t seq_end;
        uint64_t epoch;
        DurableCallback done;
    };
    std::vector<Waiter> waiters_;    // guarded by sync_mu_
    bool commit_requested_ = false;  // guarded by sync_mu_; the committer has this log queued
    std::atomic<uint64_t> durable_end_{0};
    /// Mean frame size of recent reads (0 until the first): reads of a few records need not
    /// copy a whole megabyte.
    mutable std::atomic<uint32_t> mean_frame_bytes_{0};
};

}  // namespace shardflow::store::log
