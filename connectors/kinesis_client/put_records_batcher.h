#pragma once
// Groups records into PutRecords calls within the Kinesis limits and retries what fails.

#include "connectors/kinesis_client/kinesis_client.h"

#include <chrono>
#include <cstdint>
#include <deque>
#include <random>
#include <string>
#include <vector>

namespace shardflow::connectors {

struct PutRecordsBatcherOptions {
    size_t max_records = 500;           // per PutRecords call (the Kinesis limit)
    size_t max_bytes = 5 << 20;         // data + partition keys per call (the historical 5 MiB)
    size_t max_record_bytes = 1 << 20;  // data + partition key of one record
    int max_attempts = 6;               // per record, first try included
    std::chrono::milliseconds base_backoff{100};
    std::chrono::milliseconds max_backoff{3000};
};

struct PutRecordsBatcherStats {
    uint64_t sent = 0;     // acknowledged with a sequence number
    uint64_t failed = 0;   // refused for good, or dropped by drop_pending()
    uint64_t retried = 0;  // sends of a record after its first
};

/// Queues records and sends them in PutRecords calls of at most max_records / max_bytes.
/// Records the endpoint refuses for a reason worth retrying (a record's
/// ProvisionedThroughputExceededException or InternalFailure; a whole call throttled, answered
/// with 5xx or not reaching the endpoint) are sent again after an exponential backoff with
/// jitter, up to max_attempts; what then still fails stays pending for a later flush() or
/// drop_pending(). Records refused for good (a per-record error of another kind, a record over
/// max_record_bytes or with a partition key not of 1 to 256 characters) are counted failed and
/// dropped; a call refused for good (unknown stream, bad signature) leaves the records pending. A
/// retried record can land after records that followed it in the same call. Threading: one caller
/// at a time.
class PutRecordsBatcher {
public:
    PutRecordsBatcher(KinesisClient& client,
                      std::string stream,
                      PutRecordsBatcherOptions options = {});

    /// Queues `record`, first sending the queue when `record` would not fit in the same call.
    /// An error says why records are pending or were dropped (the record is queued anyway
    /// unless it is itself too large).
    Status add(PutRecordsEntry record);
    /// Sends every pending record. An error means some are still pending (see pending()) or
    /// some were dropped; the message gives the count and the last reason.
    Status flush();

    size_t pending() const { return queue_.size(); }
    /// Forgets the pending records, counting them failed.
    void drop_pending();
    const PutRecordsBatcherStats& stats() const { return stats_; }

private:
    /// Sends the first `count` queued records until each is delivered or refused for good, or
    /// max_attempts is reached (those left go back to the front of the queue).
    Status send_call(size_t count, Error& last_error);
    size_t records_in_next_call() const;
    void requeue(std::vector<PutRecordsEntry> records);
    void back_off(int attempt);

    KinesisClient& client_;
    std::string stream_;
    PutRecordsBatcherOptions options_;
    PutRecordsBatcherStats stats_;
    std::deque<PutRecordsEntry> queue_;
    size_t queued_bytes_ = 0;
    std::minstd_rand jitter_{std::random_device{}()};
};

}  // namespace shardflow::connectors
