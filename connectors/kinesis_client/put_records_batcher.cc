// Batching and retries for PutRecords.

#include "connectors/kinesis_client/put_records_batcher.h"

#include <algorithm>
#include <iterator>
#include <thread>

namespace shardflow::connectors {
namespace {

/// Throttling, the service's own failures and an unreachable endpoint pass; the rest do not.
bool worth_retrying(ErrorCode code) {
    return code == ErrorCode::kProvisionedThroughputExceeded || code == ErrorCode::kLimitExceeded ||
           code == ErrorCode::kInternalFailure || code == ErrorCode::kIoError;
}

size_t size_of(const PutRecordsEntry& r) {
    return r.data.size() + r.partition_key.size();
}

/// Unicode characters in UTF-8 text: bytes that do not continue a sequence.
size_t characters(std::string_view utf8) {
    return static_cast<size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
        return (static_cast<unsigned char>(c) >> 6) != 2;
    }));
}

}  // namespace

PutRecordsBatcher::PutRecordsBatcher(KinesisClient& client,
                                     std::string stream,
                                     PutRecordsBatcherOptions options)
    : client_(client)
    , stream_(std::move(stream))
    , options_(options) {}

Status PutRecordsBatcher::add(PutRecordsEntry record) {
    size_t key_length = characters(record.partition_key);
    if (key_length < 1 || key_length > 256 || size_of(record) > options_.max_record_bytes) {
        ++stats_.failed;
        return Error::make(ErrorCode::kInvalidArgument,
                           "record refused: {} bytes of data and a partition key of {} "
                           "characters (at most {} bytes together, and a key of 1 to 256)",
                           record.data.size(),
                           key_length,
                           options_.max_record_bytes);
    }
    Status sent;
    if (queue_.size() >= options_.max_records ||
        queued_bytes_ + size_of(record) > options_.max_bytes) {
        sent = flush();
    }
    queued_bytes_ += size_of(record);
    queue_.push_back(std::move(record));
    return sent;
}

Status PutRecordsBatcher::flush() {
    uint64_t failed_before = stats_.failed;
    Error last{ErrorCode::kInternalFailure, ""};
    while (!queue_.empty()) {
        SF_TRY(send_call(records_in_next_call(), last));
    }
    if (stats_.failed > failed_before) {
        return Error::make(last.code,
                           "{} record(s) refused by {}: {}",
                           stats_.failed - failed_before,
                           client_.endpoint(),
                           last.message);
    }
    return ok();
}

void PutRecordsBatcher::drop_pending() {
    stats_.failed += queue_.size();
    queue_.clear();
    queued_bytes_ = 0;
}

size_t PutRecordsBatcher::records_in_next_call() const {
    size_t count = 0;
    size_t bytes = 0;
    while (count < queue_.size() && count < options_.max_records &&
           (count == 0 || bytes + size_of(queue_[count]) <= options_.max_bytes)) {
        bytes += size_of(queue_[count++]);
    }
    return count;
}

void PutRecordsBatcher::requeue(std::vector<PutRecordsEntry> records) {
    for (const auto& r : records) {
        queued_bytes_ += size_of(r);
    }
    queue_.insert(queue_.begin(),
                  std::make_move_iterator(records.begin()),
                  std::make_move_iterator(records.end()));
}

Status PutRecordsBatcher::send_call(size_t count, Error& last) {
    std::vector<PutRecordsEntry> batch(std::make_move_iterator(queue_.begin()),
                                       std::make_move_iterator(queue_.begin() + count));
    queue_.erase(queue_.begin(), queue_.begin() + count);
    for (const auto& r : batch) {
        queued_bytes_ -= size_of(r);
    }
    for (int attempt = 1;; ++attempt) {
        auto result = client_.put_records(stream_, batch);
        std::vector<PutRecordsEntry> retry;
        if (!result) {
            if (!worth_retrying(result.error().code)) {
                requeue(std::move(batch));
                return std::move(result).error();
            }
            last = result.error();
            retry = std::move(batch);
        } else {
            for (size_t i = 0; i < batch.size(); ++i) {
                const auto& answer = result->records[i];
                if (answer.error_code.empty()) {
                    ++stats_.sent;
                    continue;
                }
                ErrorCode code = error_code_of(answer.error_code, 200);
                last = Error::make(code, "{}: {}", answer.error_code, answer.error_message);
                if (worth_retrying(code)) {
                    retry.push_back(std::move(batch[i]));
                } else {
                    ++stats_.failed;
                }
            }
        }
        if (retry.empty()) {
            return ok();
        }
        if (attempt >= options_.max_attempts) {
            size_t left = retry.size();
            requeue(std::move(retry));
            return Error::make(last.code,
                               "{} record(s) not delivered to {} after {} attempts: {}",
                               left,
                               client_.endpoint(),
                               attempt,
                               last.message);
        }
        stats_.retried += retry.size();
        back_off(attempt);
        batch = std::move(retry);
    }
}

void PutRecordsBatcher::back_off(int attempt) {
    std::chrono::milliseconds ceiling = std::min(
        options_.max_backoff, options_.base_backoff * (int64_t{1} << std::min(attempt - 1, 20)));
    // Equal jitter: half the ceiling for sure, the other half at random, so that producers that
    // failed together do not come back together.
    auto half = ceiling / 2;
    std::uniform_int_distribution<int64_t> spread(0, half.count());
    std::this_thread::sleep_for(half + std::chrono::milliseconds(spread(jitter_)));
}

}  // namespace shardflow::connectors
