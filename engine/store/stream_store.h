#pragma once
// The stream store: everything Kinesis Data Streams promises, as a C++ library. The HTTP API and
// the dataflow runtime both go through this facade.

#include "engine/common/clock.h"
#include "engine/common/error.h"
#include "engine/store/log/shard_log.h"
#include "engine/store/metadata.h"
#include "engine/store/shards/sequence_number.h"

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace shardflow::store {

class StoreState;

struct StoreOptions {
    std::filesystem::path data_dir = "shardflow-data";
    std::string region = "us-east-1";
    std::string account_id = "000000000000";
    int shard_limit = 500;  // open shards per account (AWS default in us-east-1)
    int on_demand_stream_limit = 50;
    /// The least retention Increase/DecreaseStreamRetentionPeriod accept: 24 as on AWS; 0 lets
    /// tests and laptops see trimming at once.
    int min_retention_hours = 24;
    EpochMillis create_delay_ms = 0;          // CREATING -> ACTIVE
    EpochMillis update_delay_ms = 0;          // UPDATING -> ACTIVE after resharding or mode changes
    bool enforce_limits = false;              // per-shard throughput limits for new streams
    EpochMillis on_demand_window_ms = 60000;  // an ON_DEMAND shard over capacity this long splits
    log::ShardLogOptions log;
    /// Threads that sync shard logs for puts: different shards' fsyncs overlap on the device.
    size_t commit_threads = 4;
    const Clock* clock = &SystemClock::instance();
    bool background_housekeeping = true;  // a thread runs housekeeping() every second
};

/// A shard as DescribeStream and ListShards show it.
struct ShardDescription {
    std::string shard_id;
    std::optional<std::string> parent_shard_id;
    std::optional<std::string> adjacent_parent_shard_id;
    HashKey starting_hash_key = 0;
    HashKey ending_hash_key = 0;
    std::string starting_sequence_number;
    std::optional<std::string> ending_sequence_number;  // set once the shard is CLOSED
};

/// A stream as DescribeStream / DescribeStreamSummary show it; `shards` are the unexpired ones.
struct StreamDescription {
    std::string name;
    std::string arn;
    StreamStatus status = StreamStatus::kActive;
    StreamMode mode = StreamMode::kProvisioned;
    int retention_hours = 24;
    EpochMillis created_ms = 0;
    std::string encryption_type;
    std::string key_id;
    int max_record_size_kib = 1024;
    int warm_throughput_mibps = 0;
    std::vector<std::string> shard_level_metrics;
    int open_shard_count = 0;
    int consumer_count = 0;
    std::vector<ShardDescription> shards;
};

struct StreamSummary {
    std::string name;
    std::string arn;
    StreamStatus status;
    StreamMode mode;
    EpochMillis created_ms;
};

struct CreateStreamRequest {
    std::string name;
    std::optional<int> shard_count;  // required for PROVISIONED; ON_DEMAND starts with 4
    StreamMode mode = StreamMode::kProvisioned;
    std::map<std::string, std::string> tags;
    int max_record_size_kib = 1024;
    int warm_throughput_mibps = 0;  // ON_DEMAND only
};

/// One record to put; the views only need to live for the call.
struct PutRecordRequest {
    std::string_view partition_key;
    std::string_view data;
    std::optional<std::string_view> explicit_hash_key;
};

struct PutRecordResult {
    std::string shard_id;
    std::string sequence_number;
    bool encrypted = false;  // the stream's EncryptionType was KMS when the record went in
};

/// One entry of a batch put: either a result or the record's own error.
using PutRecordsEntry = Result<PutRecordResult>;
/// Gets a batch put's answer: the entries in request order, or the error of the whole request.
using PutRecordsCallback = std::function<void(Result<std::vector<PutRecordsEntry>>)>;

enum class IteratorType : uint8_t {
    kTrimHorizon,
    kLatest,
    kAtSequenceNumber,
    kAfterSequenceNumber,
    kAtTimestamp,
};

/// Parses "TRIM_HORIZON", "LATEST", ...; nullopt for anything else.
std::optional<IteratorType> parse_iterator_type(std::string_view text);

struct IteratorRequest {
    IteratorType type = IteratorType::kTrimHorizon;
    std::string starting_sequence_number;  // AT_/AFTER_SEQUENCE_NUMBER
    EpochMillis timestamp_ms = 0;          // AT_TIMESTAMP
};

struct ChildShard {
    std::string shard_id;
    std::vector<std::string> parent_shards;
    HashKey starting_hash_key = 0;
    HashKey ending_hash_key = 0;
};

/// A record as GetRecords returns it; views point into the result's batch.
struct Record {
    std::string sequence_number;
    EpochMillis arrival_ms;
    std::string_view partition_key;
    std::string_view data;
};

struct GetRecordsResult {
    std::string stream_name;  // the stream the iterator reads
    std::vector<Record> records;
    std::optional<std::string> next_shard_iterator;  // absent at the end of a closed shard
    int64_t millis_behind_latest = 0;
    bool shard_ended = false;              // a closed shard read to its end
    std::vector<ChildShard> child_shards;  // set at the end of a closed shard
    log::ReadBatch batch;                  // owns the bytes of `records`
};

/// Where a subscription (SubscribeToShard) reads next: a shard position without a token, which
/// never expires.
struct ShardCursor {
    std::string stream_name;
    int64_t stream_id = 0;  // the incarnation of the stream
    uint32_t shard_index = 0;
    uint64_t seq_ix = 0;
    /// The sequence number to resume AFTER: the last record read, or one that stands just
    /// before where the cursor started (SubscribeToShard's ContinuationSequenceNumber).
    std::string continuation;
    bool limited = false;  // the stream enforces throughput limits (a consumer's share applies)
};

/// While it lives, its callback runs after every commit that makes records durable, on the
/// committing thread (keep it short: set a flag, wake a thread).
class DurableWatch {
public:
    DurableWatch(log::DurableListeners& listeners, std::function<void()> callback)
        : listeners_(listeners)
        , id_(listeners.add(std::move(callback))) {}
    ~DurableWatch() { listeners_.remove(id_); }
    DurableWatch(const DurableWatch&) = delete;
    DurableWatch& operator=(const DurableWatch&) = delete;

private:
    log::DurableListeners& listeners_;
    log::DurableListeners::Id id_;
};

/// Which shards ListShards returns (the ShardFilter of the API).
struct ShardFilter {
    enum class Type : uint8_t {
        kAll,
        kAfterShardId,
        kAtTrimHorizon,
        kFromTrimHorizon,
        kAtLatest,
        kAtTimestamp,
        kFromTimestamp,
    };
    Type type = Type::kAll;
    std::string shard_id;
    EpochMillis timestamp_ms = 0;
};

struct UpdateShardCountResult {
    int current_shard_count;
    int target_shard_count;
};

struct ConsumerDescription {
    std::string name;
    std::string arn;
    std::string status;  // CREATING, ACTIVE, DELETING
    EpochMillis created_ms;
    std::string stream_arn;
};

/// The account's MinimumThroughputBillingCommitment (DescribeAccountSettings).
struct AccountSettings {
    std::string commitment_status = "DISABLED";  // ENABLED, ENABLED_UNTIL_EARLIEST_ALLOWED_END
    std::optional<EpochMillis> started_ms;
    std::optional<EpochMillis> ended_ms;
    std::optional<EpochMillis> earliest_allowed_end_ms;
};

struct Limits {
    int shard_limit;
    int open_shard_count;
    int on_demand_stream_count;
    int on_demand_stream_count_limit;
};

/// A shard position for the dataflow runtime: read without iterator tokens.
struct ShardReadResult {
    std::vector<log::StoredRecord> records;
    uint64_t next_seq_ix = 0;
    bool shard_closed_and_drained = false;
    log::ReadBatch batch;
};

/// The store. Streams are addressed by name or by ARN everywhere a name is taken.
/// Threading: every method is safe to call concurrently. Puts to different shards proceed in
/// parallel; reads never wait for a put's fsync.
class StreamStore {
public:
    ~StreamStore();
    StreamStore(const StreamStore&) = delete;
    StreamStore& operator=(const StreamStore&) = delete;

    /// Opens (or creates) the store in options.data_dir, recovering every shard log.
    static Result<std::unique_ptr<StreamStore>> open(StoreOptions options);

    const StoreOptions& options() const;
    std::string stream_arn(std::string_view name) const;

    // Streams
    Status create_stream(const CreateStreamRequest& request);
    Status delete_stream(std::string_view stream, bool enforce_consumer_deletion = false);
    Result<StreamDescription> describe_stream(std::string_view stream);
    std::vector<StreamSummary> list_streams();
    Status update_stream_mode(std::string_view stream, StreamMode mode);
    Status increase_retention(std::string_view stream, int hours);
    Status decrease_retention(std::string_view stream, int hours);
    Status update_max_record_size(std::string_view stream, int kib);
    /// The throughput an ON_DEMAND stream is kept ready for; recorded (this server does not
    /// scale by it).
    Status update_warm_throughput(std::string_view stream, int mibps);
    Status set_enforce_limits(std::string_view stream, bool enforce);
    Result<std::vector<std::string>> enable_enhanced_monitoring(
        std::string_view stream, const std::vector<std::string>& metrics);
    Result<std::vector<std::string>> disable_enhanced_monitoring(
        std::string_view stream, const std::vector<std::string>& metrics);
    Status start_encryption(std::string_view stream, const std::string& key_id);
    Status stop_encryption(std::string_view stream);
    Limits describe_limits();
    AccountSettings account_settings();
    /// Turns the commitment on or off; off before its earliest allowed end keeps it on until then.
    Result<AccountSettings> update_commitment(bool enabled);

    // Tags and resource policies, of a stream (by name or ARN) or of a consumer (by ARN). Policies
    // are stored and returned as given.
    Status add_tags(std::string_view resource, const std::map<std::string, std::string>& tags);
    Status remove_tags(std::string_view resource, const std::vector<std::string>& keys);
    Result<std::map<std::string, std::string>> list_tags(std::string_view resource);
    Status put_resource_policy(std::string_view arn, const std::string& policy);
    Result<std::string> get_resource_policy(std::string_view arn);
    Status delete_resource_policy(std::string_view arn);

    // Shards
    Result<std::vector<ShardDescription>> list_shards(std::string_view stream,
                                                      const ShardFilter& filter);
    Status split_shard(std::string_view stream,
                       std::string_view shard_id,
                       std::string_view new_starting_hash_key);
    Status merge_shards(std::string_view stream,
                        std::string_view shard_id,
                        std::string_view adjacent_shard_id);
    Result<UpdateShardCountResult> update_shard_count(std::string_view stream,
                                                      int target_shard_count);

    // Records
    Result<PutRecordResult> put_record(std::string_view stream, const PutRecordRequest& record);
    /// Each record fails or succeeds alone; results are in request order. Records of a shard
    /// whose write or sync failed get InternalFailure naming the stream and shard, and none of
    /// them is stored (not even after a crash); the other shards' records keep their success.
    Result<std::vector<PutRecordsEntry>> put_records(std::string_view stream,
                                                     std::span<const PutRecordRequest> records);
    /// put_records without waiting: `done` gets the answer once every record is durable (or
    /// refused), on a commit thread, or on this one when nothing waits for a sync. The records'
    /// views need to live only for the call.
    void put_records_async(std::string_view stream,
                           std::span<const PutRecordRequest> records,
                           PutRecordsCallback done);
    /// put_records for callers that need every record in (sinks, loaders): the first record
    /// refused is the error. Records before it may have been stored.
    Status put_all(std::string_view stream, std::span<const PutRecordRequest> records);
    Result<std::string> get_shard_iterator(std::string_view stream,
                                           std::string_view shard_id,
                                           const IteratorRequest& request);
    Result<GetRecordsResult> get_records(std::string_view shard_iterator, int limit = 10000);
    /// A cursor at the position get_shard_iterator would give, for SubscribeToShard.
    Result<ShardCursor> open_cursor(std::string_view stream,
                                    std::string_view shard_id,
                                    const IteratorRequest& request);
    /// Reads as get_records does from `cursor` (without the shard's GetRecords limits: a
    /// subscription has its own) and moves the cursor past what it returns.
    Result<GetRecordsResult> read_cursor(ShardCursor& cursor, int limit = 10000);
    /// Calls `callback` after each commit until the watch is destroyed (before the store).
    std::unique_ptr<DurableWatch> watch_durable(std::function<void()> callback);

    // Consumers (enhanced fan-out registrations)
    Result<ConsumerDescription> register_consumer(
        std::string_view stream_arn,
        const std::string& name,
        const std::map<std::string, std::string>& tags = {});
    Result<ConsumerDescription> describe_consumer(std::string_view stream_arn,
                                                  std::string_view name,
                                                  std::string_view consumer_arn);
    Result<std::vector<ConsumerDescription>> list_consumers(std::string_view stream_arn);
    /// Puts the consumer in DELETING (gone after the store's state-change delay); returns it as
    /// it was.
    Result<ConsumerDescription> deregister_consumer(std::string_view stream_arn,
                                                    std::string_view name,
                                                    std::string_view consumer_arn);

    // Direct shard reads for the dataflow runtime (no tokens, no throughput limits).
    /// The position an iterator of `request`'s type would start at; read_shard takes it.
    Result<uint64_t> shard_position(std::string_view stream,
                                    uint32_t shard_index,
                                    const IteratorRequest& request);
    Result<ShardReadResult> read_shard(std::string_view stream,
                                       uint32_t shard_index,
                                       uint64_t from_seq_ix,
                                       size_t max_records);

    /// Status transitions, retention, expired shards and on-demand scaling. Runs every second on
    /// a background thread unless options.background_housekeeping is false (tests call it).
    void housekeeping();

private:
    explicit StreamStore(std::unique_ptr<StoreState> state);
    std::unique_ptr<StoreState> state_;
};

/// "shardId-000000000007" for 7.
std::string shard_id_name(uint32_t index);
/// Accepts "shardId-000000000007", "shardId-7", "abc-7" and "7" (as Kinesis does: the digits
/// after the last dash); nullopt otherwise.
std::optional<uint32_t> parse_shard_id(std::string_view text);

}  // namespace shardflow::store
