#pragma once
// A Firehose-style delivery stream into a directory: records are buffered per prefix and
// delivered as whole objects (JSON lines or CSV, optionally gzip) under time- and key-based
// prefixes; records that fail go, as Firehose error records, to an error output.
//
// Delivery is at-least-once across restarts with a checkpoint store. Each buffer's converted
// records are appended, as they arrive, to a staging file (<path>/.staging/<name>/). A
// checkpoint fsyncs the staging files and records in the store, in the checkpoint's
// transaction, how many bytes of each it acknowledges (sink_state.h). On restart create() cuts
// each surviving staging file back to that length (the query replays whatever came after the
// checkpoint) and keeps buffering into it; a staging file that is gone was delivered and is
// forgotten; any other file in the staging directory is removed. A buffer is delivered by
// turning its staging file into the object (compressed into a hidden temporary first for gzip),
// fsyncing and renaming it into place, then removing the staging file. So nothing a checkpoint
// acknowledged is lost, and records after the last checkpoint may be delivered twice.

#include "connectors/files/delivery_record.h"
#include "connectors/files/files_sink_options.h"
#include "connectors/files/object_name.h"
#include "connectors/files/prefix_expression.h"
#include "connectors/files/record_encoder.h"
#include "connectors/files/staging_file.h"
#include "engine/common/clock.h"
#include "engine/common/error.h"
#include "engine/runtime/checkpoint/checkpoint_store.h"
#include "engine/runtime/downstream.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace shardflow::connectors::files {

struct StagedBuffer;

/// Totals since the sink was created (restored buffers count when they are delivered).
struct FilesSinkStats {
    uint64_t records_delivered = 0;  // in data objects
    uint64_t error_records = 0;      // in error output objects
    uint64_t dropped_records = 0;    // by the transform
    uint64_t objects_written = 0;    // data and error objects
    uint64_t bytes_written = 0;      // object bytes (compressed with gzip)
};

/// Lifecycle: create(); then on_batch(), on_watermark() and commit() deliver buffers as their
/// size or interval hint says, commit() runs inside each checkpoint's transaction (the
/// runtime checkpoints every second or so even when idle: the interval's tick), and on_end()
/// delivers every buffer (calling it again is harmless). Destroying the sink without on_end()
/// leaves its buffers on disk: the next create() with the same name, path and store resumes
/// them from the last checkpoint; one without a store clears them.
/// Threading: shared by every worker; every call locks, except that the transform runs
/// outside the lock. The first file error stops the sink: it is kept in status(), later calls
/// do nothing, and commit() fails with it so no checkpoint acknowledges undelivered records.
class FilesSink final : public runtime::Downstream<DeliveryRecord>,
                        public runtime::CheckpointParticipant {
public:
    /// Checks the options (prefixes, name, hints), creates the directories and, with a
    /// `store`, restores the buffers its last checkpoint acknowledged. Without a store the
    /// sink starts empty and removes what an earlier run left in its staging directory.
    /// `clock` times the interval hint and error records; it must outlive the sink.
    static Result<std::shared_ptr<FilesSink>> create(FilesSinkOptions options,
                                                     runtime::CheckpointStore* store,
                                                     const Clock& clock);
    ~FilesSink() override = default;
    FilesSink(const FilesSink&) = delete;
    FilesSink& operator=(const FilesSink&) = delete;

    void on_batch(std::span<DeliveryRecord> batch) override;
    void on_watermark(runtime::EventTime watermark) override;
    void on_end() override;
    Status commit(sqlite3* db) override;

    /// Sends a record that failed before it reached the sink (one the query could not decode,
    /// say) to the error output, with the sink's other error records.
    void deliver_failed(const DeliveryRecord& record, const RecordFailure& failure);

    /// The first file error, or ok.
    Status status() const;
    FilesSinkStats stats() const;

private:
    /// One open buffer: what will become one object.
    struct Buffer {
        std::string prefix;  // expanded when it opened
        std::unique_ptr<StagingFile> file;
        bool error_output = false;
        uint64_t records = 0;
        EpochMillis first_arrival_ms = 0;
        EpochMillis opened_ms = 0;
    };
    using Buffers = std::map<std::string, Buffer>;  // by partition values or error type

    FilesSink(FilesSinkOptions options,
              PrefixExpression prefix,
              PrefixExpression error_prefix,
              std::optional<std::vector<std::string>> csv_columns,
              const Clock& clock);

    Status restore(const std::vector<StagedBuffer>& buffers);

    // The rest run under mu_.
    Status add_record(std::string_view data, EpochMillis arrival_ms, EpochMillis now);
    Status add_error(const RecordFailure& failure,
                     std::string_view raw_data,
                     EpochMillis arrival_ms,
                     EpochMillis now);
    Result<Buffers::iterator> open_buffer(std::string key,
                                          std::string prefix,
                                          bool error_output,
                                          EpochMillis arrival_ms,
                                          EpochMillis now);
    Status append(Buffers::iterator buffer, std::string_view line);
    Status deliver(Buffers::iterator buffer);
    Status deliver_expired(EpochMillis now);
    Status deliver_all();
    /// Keeps the first error; true if `s` is ok.
    bool keep(const Status& s);

    const FilesSinkOptions options_;
    const PrefixExpression prefix_;
    const PrefixExpression error_prefix_;
    const Clock& clock_;
    const std::filesystem::path staging_dir_;

    mutable std::mutex mu_;
    RecordEncoder encoder_;
    RandomNames names_;
    Buffers buffers_;
    FilesSinkStats stats_;
    std::optional<Error> error_;
};

}  // namespace shardflow::connectors::files
