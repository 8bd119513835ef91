// StreamStore: puts, shard iterators, GetRecords and the runtime's direct shard reads.

#include "engine/store/stream_runtime.h"
#include "engine/store/stream_store.h"
#include "engine/store/validation.h"

#include <algorithm>
#include <future>

namespace shardflow::store {
namespace {

constexpr size_t kMaxPutRecords = 500;
constexpr size_t kMaxPutRecordsBytes = 10 << 20;
constexpr size_t kMaxGetRecordsBytes = 10 << 20;
/// The arrival time of no record: a continuation number with it stands before record 0.
constexpr int64_t kBeforeFirstArrival = 0;

/// Puts go to ACTIVE and UPDATING streams; Kinesis answers ResourceNotFound otherwise.
Status check_writable(const StoreState& s, const StreamRuntime& stream, std::string_view name) {
    StreamStatus status = s.status_of(stream.meta);
    if (stream.deleted || (status != StreamStatus::kActive && status != StreamStatus::kUpdating)) {
        return s.not_found(name);
    }
    return ok();
}

Error throttled(const StoreState& s, const StreamMeta& stream, uint32_t shard_index) {
    return Error::make(ErrorCode::kProvisionedThroughputExceeded,
                       "Rate exceeded for shard {} in stream {} under account {}.",
                       shard_id_name(shard_index),
                       stream.name,
                       s.options.account_id);
}

/// A record routed to its shard, or its own error.
struct RoutedRecord {
    ShardRuntime* shard = nullptr;
    std::optional<Error> error;
    uint64_t seq_ix = 0;
    EpochMillis arrival_ms = 0;
};

RoutedRecord route_record(const StoreState& s,
                          StreamRuntime& stream,
                          const PutRecordRequest& r,
                          EpochMillis now) {
    RoutedRecord routed;
    if (Status valid = validate_partition_key(r.partition_key); !valid) {
        routed.error = valid.error();
        return routed;
    }
    size_t max_size = static_cast<size_t>(stream.meta.max_record_size_kib) * 1024;
    if (r.data.size() + r.partition_key.size() > max_size) {
        routed.error = Error::make(
            ErrorCode::kInvalidArgument,
            "Record size {} bytes (data and partition key) exceeds the maximum of {} bytes "
            "of stream {}.",
            r.data.size() + r.partition_key.size(),
            max_size,
            stream.meta.name);
        return routed;
    }
    HashKey key;
    if (r.explicit_hash_key) {
        auto parsed = parse_hash_key(*r.explicit_hash_key);
        if (!parsed) {
            routed.error =
                Error::make(ErrorCode::kInvalidArgument,
                            "Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, "
                            "2^128-1]. Specified value was {}",
                            *r.explicit_hash_key);
            return routed;
        }
        key = *parsed;
    } else {
        key = hash_key_for_partition_key(r.partition_key);
    }
    routed.shard = stream.route(key);
    SF_CHECK(routed.shard != nullptr);
    if (stream.meta.enforce_limits) {
        ShardRuntime& shard = *routed.shard;
        double bytes = static_cast<double>(r.data.size() + r.partition_key.size());
        std::lock_guard lock(shard.capacity_mu);
        if (!shard.write_records.try_take(1, now) || !shard.write_bytes.try_take(bytes, now)) {
            routed.error = throttled(s, stream.meta, shard.meta.index);
            routed.shard = nullptr;
        }
    }
    return routed;
}

/// One shard's part of a put: what its append got, to wait for before answering.
struct ShardAppend {
    ShardRuntime* shard;
    log::ShardLog::Appended appended;
};

/// What the client hears when a shard's log fails (`doing`: "store the record", "read its
/// records"): the stream and the shard, never a server path. The log's own message (with the
/// path) goes to stderr.
Error shard_failed(std::string_view account_id,
                   std::string_view stream,
                   uint32_t shard_index,
                   const Error& cause,
                   std::string_view doing) {
    fmt::print(stderr,
               "shardflow: shard {} of stream {} could not {}: {}\n",
               shard_id_name(shard_index),
               stream,
               doing,
               cause.message);
    return Error::make(ErrorCode::kInternalFailure,
                       "Internal service failure: shard {} in stream {} under account {} could "
                       "not {}.",
                       shard_id_name(shard_index),
                       stream,
                       account_id,
                       doing);
}

Error shard_write_failed(std::string_view account_id,
                         std::string_view stream,
                         uint32_t shard_index,
                         const Error& cause) {
    return shard_failed(account_id, stream, shard_index, cause, "store the record");
}

Error shard_read_failed(const StoreState& s,
                        std::string_view stream,
                        uint32_t shard_index,
                        const Error& cause) {
    return shard_failed(s.options.account_id, stream, shard_index, cause, "read its records");
}

/// Sets `error` on every routed record of `shard` that has none yet.
void fail_shard(std::vector<RoutedRecord>& routed, const ShardRuntime* shard, const Error& error) {
    for (auto& r : routed) {
        if (r.shard == shard && !r.error) {
            r.error = error;
        }
    }
}

/// Appends the routed records shard by shard: one append per shard, in request order within it.
/// A shard whose append fails gives its records that error; the other shards go on.
std::vector<ShardAppend> append_routed(const StoreState& s,
                                       const StreamMeta& stream,
                                       std::span<const PutRecordRequest> records,
                                       std::vector<RoutedRecord>& routed) {
    std::vector<ShardRuntime*> touched;
    for (const auto& r : routed) {
        if (r.shard && std::find(touched.begin(), touched.end(), r.shard) == touched.end()) {
            touched.push_back(r.shard);
        }
    }
    std::vector<log::RecordInput> inputs;
    std::vector<ShardAppend> appends;
    for (ShardRuntime* shard : touched) {
        inputs.clear();
        for (size_t i = 0; i < records.size(); ++i) {
            if (routed[i].shard == shard) {
                inputs.push_back({records[i].partition_key, records[i].data});
            }
        }
        auto appended = shard->log->append(inputs);
        if (!appended) {
            fail_shard(routed,
                       shard,
                       shard_write_failed(
                           s.options.account_id, stream.name, shard->meta.index, appended.error()));
            continue;
        }
        uint64_t seq = appended->first_seq_ix;
        for (auto& r : routed) {
            if (r.shard == shard) {
                r.seq_ix = seq++;
                r.arrival_ms = appended->arrival_ms;
            }
        }
        shard->window_records.fetch_add(inputs.size(), std::memory_order_relaxed);
        uint64_t bytes = 0;
        for (const auto& in : inputs) {
            bytes += in.partition_key.size() + in.data.size();
        }
        shard->window_bytes.fetch_add(bytes, std::memory_order_relaxed);
        appends.push_back({shard, *appended});
    }
    return appends;
}

/// A put from its appends to its answer. Every touched shard reports once, from whichever thread
/// made its records durable; the last report builds the results in request order and answers.
class PendingPut {
public:
    PendingPut(std::string stream_name,
               std::string account_id,
               bool encrypted,
               std::vector<RoutedRecord> routed,
               PutRecordsCallback done)
        : stream_name_(std::move(stream_name))
        , account_id_(std::move(account_id))
        , encrypted_(encrypted)
        , routed_(std::move(routed))
        , done_(std::move(done)) {}

    /// Adds a shard appended to, before any report: its part number is the count before.
    void add_shard(const ShardRuntime& shard) {
        parts_.push_back({&shard,
                          shard.meta.index,
                          shard_id_name(shard.meta.index),
                          SequenceFormatter(shard.create_secs(), shard.meta.index),
                          std::nullopt});
    }

    /// Starts the count of reports to wait for; a put with none answers at once.
    void expect_reports() {
        remaining_.store(parts_.size(), std::memory_order_relaxed);
        if (parts_.empty()) {
            answer();
        }
    }

    void shard_durable(size_t part, Status durable) {
        if (!durable) {
            parts_[part].failure =
                shard_write_failed(account_id_, stream_name_, parts_[part].index, durable.error());
        }
        if (remaining_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
            answer();
        }
    }

private:
    struct ShardPart {
        const ShardRuntime* shard;  // compared, never read: the shard may be gone by the answer
        uint32_t index;
        std::string shard_id;
        SequenceFormatter formatter;
        std::optional<Error> failure;  // of its write or sync
    };

    void answer() {
        std::vector<PutRecordsEntry> results;
        results.reserve(routed_.size());
        for (auto& r : routed_) {
            if (r.error) {
                results.emplace_back(std::move(*r.error));
                continue;
            }
            auto& part = *std::find_if(parts_.begin(), parts_.end(), [&](const auto& candidate) {
                return candidate.shard == r.shard;
            });
            if (part.failure) {
                results.emplace_back(*part.failure);
                continue;
            }
            results.emplace_back(PutRecordResult{
                part.shard_id, part.formatter.format(r.seq_ix, r.arrival_ms / 1000), encrypted_});
        }
        done_(std::move(results));
    }

    const std::string stream_name_;
    const std::string account_id_;
    const bool encrypted_;
    std::vector<RoutedRecord> routed_;
    std::vector<ShardPart> parts_;
    std::atomic<size_t> remaining_{0};
    PutRecordsCallback done_;
};

/// Where an iterator of `request`'s type starts in `shard` (caller holds the stream lock).
Result<uint64_t> position_of(StoreState& s,
                             const StreamRuntime& stream,
                             ShardRuntime& shard,
                             const IteratorRequest& request,
                             EpochMillis now) {
    uint64_t position = 0;
    switch (request.type) {
        case IteratorType::kTrimHorizon:
            position = shard.log->first_seq_ix();
            break;
        case IteratorType::kLatest:
            position = shard.log->durable_end();
            break;
        case IteratorType::kAtSequenceNumber:
        case IteratorType::kAfterSequenceNumber: {
            auto seq = SequenceNumber::parse(request.starting_sequence_number);
            if (seq && seq->shard_index != shard.meta.index) {
                return Error::make(
                    ErrorCode::kInvalidArgument,
                    "Invalid StartingSequenceNumber. It encodes shardId-{:012}, "
                    "while it was used in a call to a shard with {}",
                    static_cast<int32_t>(seq->shard_index),  // signed, as AWS prints it
                    shard_id_name(shard.meta.index));
            }
            if (!seq || seq->shard_create_secs != shard.create_secs()) {
                return Error::make(
                    ErrorCode::kInvalidArgument,
                    "StartingSequenceNumber {} used in GetShardIterator on shard {} in stream {} "
                    "under account {} is invalid.",
                    request.starting_sequence_number,
                    shard_id_name(shard.meta.index),
                    stream.meta.name,
                    s.options.account_id);
            }
            if (seq->shard_index != shard.meta.index) {
                return Error::make(ErrorCode::kInvalidArgument,
                                   "Invalid StartingSequenceNumber. It encodes {}, while it was "
                                   "used in a call to a "
                                   "shard with {}",
                                   shard_id_name(seq->shard_index),
                                   shard_id_name(shard.meta.index));
            }
            bool before_first = seq->seq_ix == 0 && seq->arrival_secs == kBeforeFirstArrival;
            bool after = request.type == IteratorType::kAfterSequenceNumber && !before_first;
            position = seq->seq_ix + (after ? 1 : 0);
            break;
        }
        case IteratorType::kAtTimestamp: {
            if (request.timestamp_ms > now) {
                return Error::make(
                    ErrorCode::kInvalidArgument,
                    "The timestampInMillis parameter cannot be greater than the "
                    "currentTimestampInMillis. timestampInMillis: {}, currentTimestampInMillis: {}",
                    request.timestamp_ms,
                    now);
            }
            SF_ASSIGN_OR_RETURN(position, shard.log->seq_ix_at_time(request.timestamp_ms));
            break;
        }
    }
    return position;
}

/// Runs fn(stream, shard) under the stream's shared lock, or answers that the shard is not found.
template <class Fn>
auto with_shard(StoreState& s, std::string_view name, uint32_t shard_index, Fn fn)
    -> decltype(fn(std::declval<StreamRuntime&>(), std::declval<ShardRuntime&>())) {
    SF_ASSIGN_OR_RETURN(auto stream, s.find(name));
    std::shared_lock lock(stream->mu);
    ShardRuntime* shard = stream->find_shard(shard_index);
    if (stream->deleted || !shard) {
        return s.shard_not_found(name, shard_id_name(shard_index));
    }
    return fn(*stream, *shard);
}

/// with_shard for a shard named by the client ("shardId-000000000001", "1", ...). As AWS answers
/// GetShardIterator: a name that is no shard id is not found as given, and a stream that is gone
/// is reported as its shard.
template <class Fn>
auto with_named_shard(StoreState& s, std::string_view name, std::string_view shard_id, Fn fn)
    -> decltype(fn(std::declval<StreamRuntime&>(), std::declval<ShardRuntime&>())) {
    auto index = parse_shard_id(shard_id);
    if (!index) {
        return s.unknown_shard(name, shard_id);
    }
    auto found = s.find(name);
    if (!found) {
        return s.shard_not_found(name, shard_id);
    }
    auto& stream = *found;
    std::shared_lock lock(stream->mu);
    ShardRuntime* shard = stream->find_shard(*index);
    if (stream->deleted || !shard) {
        return s.shard_not_found(stream->meta.name, shard_id);
    }
    return fn(*stream, *shard);
}

}  // namespace

Result<PutRecordResult> StreamStore::put_record(std::string_view name,
                                                const PutRecordRequest& record) {
    SF_ASSIGN_OR_RETURN(auto results, put_records(name, std::span(&record, 1)));
    return std::move(results.front());
}

Result<std::vector<PutRecordsEntry>> StreamStore::put_records(
    std::string_view name, std::span<const PutRecordRequest> records) {
    std::promise<Result<std::vector<PutRecordsEntry>>> answered;
    auto answer = answered.get_future();
    put_records_async(
        name, records, [&answered](auto result) { answered.set_value(std::move(result)); });
    return answer.get();
}

void StreamStore::put_records_async(std::string_view name,
                                    std::span<const PutRecordRequest> records,
                                    PutRecordsCallback done) {
    StoreState& s = *state_;
    if (records.empty() || records.size() > kMaxPutRecords) {
        return done(validation_error(fmt::format("{} records", records.size()),
                                     "records",
                                     records.empty()
                                         ? "Member must have length greater than or equal to 1"
                                         : "Member must have length less than or equal to 500"));
    }
    size_t total = 0;
    for (const auto& r : records) {
        total += r.data.size() + r.partition_key.size();
    }
    if (total > kMaxPutRecordsBytes) {
        return done(Error::make(
            ErrorCode::kInvalidArgument,
            "Records size {} bytes exceeds the limit of {} bytes for the whole request.",
            total,
            kMaxPutRecordsBytes));
    }
    auto found = s.find(name);
    if (!found) {
        return done(std::move(found).error());
    }
    std::shared_ptr<StreamRuntime> stream = std::move(*found);
    std::shared_ptr<PendingPut> put;
    std::vector<ShardAppend> appends;
    {
        // Resharding waits for this lock, so it is not held while the appends wait for a sync.
        std::shared_lock lock(stream->mu);
        if (Status writable = check_writable(s, *stream, name); !writable) {
            lock.unlock();
            return done(std::move(writable).error());
        }
        EpochMillis now = s.now();
        std::vector<RoutedRecord> routed;
        routed.reserve(records.size());
        for (const auto& r : records) {
            routed.push_back(route_record(s, *stream, r, now));
        }
        appends = append_routed(s, stream->meta, records, routed);
        put = std::make_shared<PendingPut>(stream->meta.name,
                                           s.options.account_id,
                                           stream->meta.encryption_type == "KMS",
                                           std::move(routed),
                                           std::move(done));
        for (const auto& a : appends) {
            put->add_shard(*a.shard);
        }
    }
    put->expect_reports();
    for (size_t part = 0; part < appends.size(); ++part) {
        appends[part].shard->log->when_durable(appends[part].appended, [put, part](Status durable) {
            put->shard_durable(part, std::move(durable));
        });
    }
}

Status StreamStore::put_all(std::string_view name, std::span<const PutRecordRequest> records) {
    SF_ASSIGN_OR_RETURN(auto results, put_records(name, records));
    for (const auto& entry : results) {
        if (!entry) {
            return entry.error();
        }
    }
    return ok();
}

Result<std::string> StreamStore::get_shard_iterator(std::string_view name,
                                                    std::string_view shard_id,
                                                    const IteratorRequest& request) {
    StoreState& s = *state_;
    return with_named_shard(
        s, name, shard_id, [&](StreamRuntime& stream, ShardRuntime& shard) -> Result<std::string> {
            EpochMillis now = s.now();
            SF_ASSIGN_OR_RETURN(uint64_t position, position_of(s, stream, shard, request, now));
            if (stream.meta.enforce_limits) {
                std::lock_guard capacity_lock(shard.capacity_mu);
                if (!shard.read_calls.available(now)) {
                    return throttled(s, stream.meta, shard.meta.index);
                }
            }
            return s.iterators->encode({stream.meta.name,
                                        stream.meta.id,
                                        shard.meta.index,
                                        shard.create_secs(),
                                        position,
                                        now});
        });
}

namespace {

Status check_read_limit(int limit) {
    if (limit < 1 || limit > 10000) {
        return validation_error(std::to_string(limit),
                                "limit",
                                limit < 1 ? "Member must have value greater than or equal to 1"
                                          : "Member must have value less than or equal to 10000");
    }
    return ok();
}

/// Reads on from `position` and moves it past what it returns. `shard_limits`: the shard's
/// GetRecords throughput limits apply, when the stream enforces them.
Result<GetRecordsResult> read_at(StoreState& s,
                                 IteratorPosition& position,
                                 int limit,
                                 bool shard_limits) {
    SF_TRY(check_read_limit(limit));
    EpochMillis now = s.now();
    // A stream deleted (or re-created) since the iterator was made is reported as its shard.
    auto gone = [&] {
        return s.shard_not_found(position.stream_name, shard_id_name(position.shard_index));
    };
    auto found = s.find(position.stream_name);
    if (!found) {
        return gone();
    }
    auto& stream = *found;
    std::shared_lock lock(stream->mu);
    ShardRuntime* shard = stream->find_shard(position.shard_index);
    if (stream->deleted || stream->meta.id != position.stream_id || !shard) {
        return gone();
    }
    bool limited = shard_limits && stream->meta.enforce_limits;
    if (limited) {
        std::lock_guard capacity_lock(shard->capacity_mu);
        if (!shard->read_bytes.available(now) || !shard->read_calls.try_take(1, now)) {
            return throttled(s, stream->meta, shard->meta.index);
        }
    }
    EpochMillis horizon = now - int64_t{stream->meta.retention_hours} * 3600 * 1000;
    auto read =
        shard->log->read(position.seq_ix, static_cast<size_t>(limit), kMaxGetRecordsBytes, horizon);
    if (!read) {
        return shard_read_failed(s, stream->meta.name, shard->meta.index, read.error());
    }
    log::ReadBatch batch = std::move(*read);

    GetRecordsResult result;
    result.stream_name = stream->meta.name;
    result.records.reserve(batch.records.size());
    SequenceFormatter formatter(shard->create_secs(), shard->meta.index);
    size_t bytes = 0;
    for (const auto& r : batch.records) {
        result.records.push_back({formatter.format(r.seq_ix, r.arrival_ms / 1000),
                                  r.arrival_ms,
                                  r.partition_key,
                                  r.data});
        bytes += r.data.size() + r.partition_key.size();
    }
    if (limited) {
        std::lock_guard capacity_lock(shard->capacity_mu);
        shard->read_bytes.take(static_cast<double>(bytes), now);
    }
    uint64_t tip = shard->log->durable_end();
    bool at_tip = batch.next_seq_ix >= tip;
    if (!at_tip && !batch.records.empty()) {
        result.millis_behind_latest = std::max<int64_t>(0, now - batch.records.back().arrival_ms);
    }
    position.seq_ix = batch.next_seq_ix;
    position.created_ms = now;
    if (!shard->meta.is_open() && at_tip) {
        result.shard_ended = true;
        for (const auto& [index, child] : stream->shards) {
            const ShardMeta& m = child->meta;
            if (m.parent == shard->meta.index || m.adjacent_parent == shard->meta.index) {
                ChildShard c{shard_id_name(index),
                             {shard_id_name(*m.parent)},
                             m.starting_hash_key,
                             m.ending_hash_key};
                if (m.adjacent_parent) {
                    c.parent_shards.push_back(shard_id_name(*m.adjacent_parent));
                }
                result.child_shards.push_back(std::move(c));
            }
        }
    }
    result.batch = std::move(batch);
    return result;
}

}  // namespace

Result<GetRecordsResult> StreamStore::get_records(std::string_view token, int limit) {
    StoreState& s = *state_;
    SF_TRY(check_read_limit(limit));
    SF_ASSIGN_OR_RETURN(auto position, s.iterators->decode(token, s.now()));
    SF_ASSIGN_OR_RETURN(auto result, read_at(s, position, limit, true));
    if (!result.shard_ended) {
        result.next_shard_iterator = s.iterators->encode(position);
    }
    return result;
}

Result<ShardCursor> StreamStore::open_cursor(std::string_view name,
                                             std::string_view shard_id,
                                             const IteratorRequest& request) {
    StoreState& s = *state_;
    return with_named_shard(
        s, name, shard_id, [&](StreamRuntime& stream, ShardRuntime& shard) -> Result<ShardCursor> {
            SF_ASSIGN_OR_RETURN(uint64_t position, position_of(s, stream, shard, request, s.now()));
            // Resuming after a number means reading from the record after it; before the first
            // record that is the shard's position 0, which kBeforeFirstArrival marks.
            SequenceNumber before{shard.create_secs(),
                                  shard.meta.index,
                                  position == 0 ? 0 : position - 1,
                                  position == 0 ? kBeforeFirstArrival : shard.create_secs()};
            return ShardCursor{stream.meta.name,
                               stream.meta.id,
                               shard.meta.index,
                               position,
                               before.to_string(),
                               stream.meta.enforce_limits};
        });
}

Result<GetRecordsResult> StreamStore::read_cursor(ShardCursor& cursor, int limit) {
    IteratorPosition position{
        cursor.stream_name, cursor.stream_id, cursor.shard_index, 0, cursor.seq_ix, 0};
    SF_ASSIGN_OR_RETURN(auto result, read_at(*state_, position, limit, false));
    cursor.seq_ix = position.seq_ix;
    if (!result.records.empty()) {
        cursor.continuation = result.records.back().sequence_number;
    }
    return result;
}

std::unique_ptr<DurableWatch> StreamStore::watch_durable(std::function<void()> callback) {
    return std::make_unique<DurableWatch>(state_->durable_listeners, std::move(callback));
}

Result<uint64_t> StreamStore::shard_position(std::string_view name,
                                             uint32_t shard_index,
                                             const IteratorRequest& request) {
    StoreState& s = *state_;
    return with_shard(s, name, shard_index, [&](StreamRuntime& stream, ShardRuntime& shard) {
        return position_of(s, stream, shard, request, s.now());
    });
}

Result<ShardReadResult> StreamStore::read_shard(std::string_view name,
                                                uint32_t shard_index,
                                                uint64_t from_seq_ix,
                                                size_t max_records) {
    StoreState& s = *state_;
    return with_shard(
        s,
        name,
        shard_index,
        [&](StreamRuntime& stream, ShardRuntime& shard) -> Result<ShardReadResult> {
            EpochMillis horizon = s.now() - int64_t{stream.meta.retention_hours} * 3600 * 1000;
            auto read = shard.log->read(from_seq_ix, max_records, kMaxGetRecordsBytes, horizon);
            if (!read) {
                return shard_read_failed(s, stream.meta.name, shard.meta.index, read.error());
            }
            log::ReadBatch batch = std::move(*read);
            ShardReadResult result;
            result.records = std::move(batch.records);
            result.next_seq_ix = batch.next_seq_ix;
            result.shard_closed_and_drained =
                !shard.meta.is_open() && batch.next_seq_ix >= shard.log->durable_end();
            result.batch = std::move(batch);
            return result;
        });
}

}  // namespace shardflow::store
