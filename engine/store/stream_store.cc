// StreamStore: opening and recovery, stream lifecycle, settings, housekeeping. Records live in
// stream_store_records.cc, resharding in stream_store_shards.cc, tags, policies and consumers in
// stream_store_resources.cc.

#include "engine/store/stream_store.h"

#include "engine/store/stream_runtime.h"
#include "engine/store/validation.h"

#include <openssl/rand.h>

#include <algorithm>
#include <charconv>
#include <functional>
#include <optional>
#include <set>

namespace shardflow::store {
namespace {

constexpr int kMaxRetentionHours = 8760;
constexpr int kOnDemandInitialShards = 4;
constexpr int kModeSwitchesPerDay = 2;
constexpr EpochMillis kDayMs = 24LL * 3600 * 1000;

/// The lower bound IncreaseStreamRetentionPeriod and DecreaseStreamRetentionPeriod share:
/// StoreOptions::min_retention_hours, 24 as on AWS unless a test or laptop lowers it.
Status check_minimum_retention(const StoreOptions& options, int hours) {
    if (hours < options.min_retention_hours) {
        return Error::make(
            ErrorCode::kInvalidArgument,
            "Minimum allowed retention period is {} hours. Requested retention period ({} "
            "hours) is too short.",
            options.min_retention_hours,
            hours);
    }
    return ok();
}

const std::set<std::string, std::less<>> kShardLevelMetrics = {
    "IncomingBytes",
    "IncomingRecords",
    "OutgoingBytes",
    "OutgoingRecords",
    "WriteProvisionedThroughputExceeded",
    "ReadProvisionedThroughputExceeded",
    "IteratorAgeMilliseconds",
};

/// The key in hex as the catalog keeps it, or nullopt when it is not 64 hex digits.
std::optional<IteratorCodec::Key> parse_key(std::string_view hex) {
    IteratorCodec::Key key{};
    if (hex.size() != key.size() * 2) {
        return std::nullopt;
    }
    for (size_t i = 0; i < key.size(); ++i) {
        const char* first = hex.data() + i * 2;
        auto [end, ec] = std::from_chars(first, first + 2, key[i], 16);
        if (ec != std::errc() || end != first + 2) {
            return std::nullopt;
        }
    }
    return key;
}

Result<IteratorCodec::Key> load_iterator_key(Catalog& catalog) {
    SF_ASSIGN_OR_RETURN(auto stored, catalog.get_setting("iterator_key"));
    if (stored) {
        if (auto key = parse_key(*stored)) {
            return *key;
        }
        // Only live iterators (five minutes at most) depend on the key: a new one loses little.
        fmt::print(stderr,
                   "shardflow: the catalog's iterator key is malformed; making a new one\n");
    }
    IteratorCodec::Key key{};
    RAND_bytes(key.data(), static_cast<int>(key.size()));
    std::string hex;
    for (unsigned char b : key) {
        hex += fmt::format("{:02x}", b);
    }
    SF_TRY(catalog.put_setting("iterator_key", hex));
    return key;
}

/// Removes what a crash between a catalog change and the removal of files left behind: stream
/// directories that no catalog stream owns (DeleteStream drops the row first; ids are never
/// reused) and shard directories of shards the catalog does not list (expired, or children of a
/// split that never committed). Anything it does not recognise stays, with a warning.
void sweep_unowned_directories(const std::filesystem::path& streams_dir,
                               const std::vector<StreamMeta>& streams) {
    std::error_code ec;
    if (!std::filesystem::exists(streams_dir, ec)) {
        return;
    }
    auto warn = [](const std::filesystem::path& path, std::string_view what) {
        fmt::print(stderr, "shardflow: {} {}\n", what, path.string());
    };
    auto remove = [&](const std::filesystem::path& path) {
        warn(path, "removing the leftover directory");
        std::error_code remove_ec;
        std::filesystem::remove_all(path, remove_ec);
        if (remove_ec) {
            warn(path, "could not remove the leftover directory");
        }
    };
    std::error_code type_ec;  // an entry whose type cannot be read counts as unknown
    std::filesystem::directory_iterator it(streams_dir, ec);
    for (; !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
        const auto& path = it->path();
        std::string name = path.filename().string();
        int64_t id = 0;
        auto [end, parse_ec] = std::from_chars(name.data(), name.data() + name.size(), id);
        if (parse_ec != std::errc() || end != name.data() + name.size() ||
            !it->is_directory(type_ec)) {
            warn(path, "skipping unknown entry");
            continue;
        }
        auto owner = std::find_if(
            streams.begin(), streams.end(), [id](const StreamMeta& m) { return m.id == id; });
        if (owner == streams.end()) {
            remove(path);
            continue;
        }
        std::error_code shard_ec;
        std::filesystem::directory_iterator shard_it(path, shard_ec);
        for (; !shard_ec && shard_it != std::filesystem::directory_iterator();
             shard_it.increment(shard_ec)) {
            std::string shard_name = shard_it->path().filename().string();
            auto index = parse_shard_id(shard_name);
            if (!index || shard_id_name(*index) != shard_name || !shard_it->is_directory(type_ec)) {
                warn(shard_it->path(), "skipping unknown entry");
                continue;
            }
            if (std::none_of(owner->shards.begin(), owner->shards.end(), [&](const ShardMeta& m) {
                    return m.index == *index;
                })) {
                remove(shard_it->path());
            }
        }
        if (shard_ec) {
            warn(path, "could not list");
        }
    }
    if (ec) {
        warn(streams_dir, "could not list");
    }
}

// Splits [0, 2^128-1] into `count` ranges the way Kinesis does: equal widths, the last one
// running to the end of the space.
std::vector<std::pair<HashKey, HashKey>> uniform_ranges(int count) {
    std::vector<std::pair<HashKey, HashKey>> ranges;
    HashKey width = kMaxHashKey / static_cast<HashKey>(count);
    // floor(2^128 / n) == floor((2^128 - 1) / n) unless n divides 2^128 (a power of two).
    if ((count & (count - 1)) == 0) {
        width += 1;
    }
    for (int i = 0; i < count; ++i) {
        HashKey start = width * static_cast<HashKey>(i);
        HashKey end = i + 1 == count ? kMaxHashKey : width * static_cast<HashKey>(i + 1) - 1;
        ranges.emplace_back(start, end);
    }
    return ranges;
}

}  // namespace

std::string shard_id_name(uint32_t index) {
    return fmt::format("shardId-{:012}", index);
}

std::optional<uint32_t> parse_shard_id(std::string_view text) {
    // Kinesis reads the digits after the last dash whatever comes before it ("abc-1" is shard 1).
    if (size_t dash = text.rfind('-'); dash != std::string_view::npos) {
        text.remove_prefix(dash + 1);
    }
    while (text.size() > 1 && text.front() == '0') {
        text.remove_prefix(1);
    }
    if (text.empty() || text.size() > 10 ||
        text.find_first_not_of("0123456789") != std::string_view::npos) {
        return std::nullopt;
    }
    uint64_t value = std::stoull(std::string(text));
    if (value > 2147483647) {
        return std::nullopt;
    }
    return static_cast<uint32_t>(value);
}

std::optional<IteratorType> parse_iterator_type(std::string_view text) {
    if (text == "TRIM_HORIZON") {
        return IteratorType::kTrimHorizon;
    }
    if (text == "LATEST") {
        return IteratorType::kLatest;
    }
    if (text == "AT_SEQUENCE_NUMBER") {
        return IteratorType::kAtSequenceNumber;
    }
    if (text == "AFTER_SEQUENCE_NUMBER") {
        return IteratorType::kAfterSequenceNumber;
    }
    if (text == "AT_TIMESTAMP") {
        return IteratorType::kAtTimestamp;
    }
    return std::nullopt;
}

StreamStore::StreamStore(std::unique_ptr<StoreState> state)
    : state_(std::move(state)) {}

StreamStore::~StreamStore() {
    {
        std::lock_guard lock(state_->housekeeping_mu);
        state_->stopping = true;
    }
    state_->housekeeping_cv.notify_all();
    if (state_->housekeeper.joinable()) {
        state_->housekeeper.join();
    }
}

Result<std::unique_ptr<StreamStore>> StreamStore::open(StoreOptions options) {
    std::error_code ec;
    std::filesystem::create_directories(options.data_dir, ec);
    if (ec) {
        return Error::make(
            ErrorCode::kIoError, "create {}: {}", options.data_dir.string(), ec.message());
    }
    if (options.min_retention_hours < 0 || options.min_retention_hours > kMaxRetentionHours) {
        return Error::make(ErrorCode::kInvalidArgument,
                           "The minimum retention period must be between 0 and {} hours, not {}.",
                           kMaxRetentionHours,
                           options.min_retention_hours);
    }
    auto state = std::make_unique<StoreState>();
    state->options = std::move(options);
    state->options.log.listeners = &state->durable_listeners;
    state->committer =
        std::make_unique<log::CommitQueue>(std::max<size_t>(1, state->options.commit_threads));
    state->options.log.committer = state->committer.get();
    SF_ASSIGN_OR_RETURN(state->catalog, Catalog::open(state->options.data_dir / "catalog.db"));
    SF_ASSIGN_OR_RETURN(auto key, load_iterator_key(*state->catalog));
    state->iterators = std::make_unique<IteratorCodec>(key);

    SF_ASSIGN_OR_RETURN(auto streams, state->catalog->load_streams());
    sweep_unowned_directories(state->options.data_dir / "streams", streams);
    for (auto& meta : streams) {
        auto stream = std::make_shared<StreamRuntime>();
        for (const auto& shard_meta : meta.shards) {
            SF_ASSIGN_OR_RETURN(auto shard, state->open_shard(meta.id, shard_meta));
            stream->shards.emplace(shard_meta.index, std::move(shard));
        }
        stream->meta = std::move(meta);
        stream->scaling_window_start_ms = state->now();
        stream->rebuild_routing();
        state->open_shards_total += stream->open_shard_count();
        state->streams.emplace(stream->meta.name, std::move(stream));
    }

    std::unique_ptr<StreamStore> store(new StreamStore(std::move(state)));
    if (store->state_->options.background_housekeeping) {
        StoreState* s = store->state_.get();
        StreamStore* self = store.get();
        s->housekeeper = std::thread([s, self] {
            std::unique_lock lock(s->housekeeping_mu);
            while (!s->housekeeping_cv.wait_for(
                lock, std::chrono::seconds(1), [s] { return s->stopping; })) {
                lock.unlock();
                self->housekeeping();
                lock.lock();
            }
        });
    }
    return store;
}

const StoreOptions& StreamStore::options() const {
    return state_->options;
}

std::string StreamStore::stream_arn(std::string_view name) const {
    return state_->arn(name);
}

Status StreamStore::create_stream(const CreateStreamRequest& request) {
    SF_TRY(validate_resource_name(request.name, "streamName"));
    int shard_count = kOnDemandInitialShards;
    if (request.mode == StreamMode::kProvisioned) {
        if (!request.shard_count) {
            return Error{ErrorCode::kInvalidArgument,
                         "ShardCount is required for a stream in PROVISIONED mode."};
        }
        shard_count = *request.shard_count;
        if (shard_count < 1) {
            return validation_error(std::to_string(shard_count),
                                    "shardCount",
                                    "Member must have value greater than or equal to 1");
        }
    } else if (request.shard_count) {
        return Error{ErrorCode::kInvalidArgument,
                     "ShardCount must not be set for a stream in ON_DEMAND mode."};
    }
    if (request.warm_throughput_mibps > 0 && request.mode != StreamMode::kOnDemand) {
        return Error{ErrorCode::kInvalidArgument,
                     "WarmThroughputMiBps can only be set for a stream in ON_DEMAND mode."};
    }
    if (request.tags.size() > kMaxTagsPerResource) {
        return Error::make(
            ErrorCode::kInvalidArgument,
            "Failed to create stream {} under account {} because a given stream cannot have more "
            "than {} tags.",
            request.name,
            state_->options.account_id,
            kMaxTagsPerResource);
    }

    std::unique_lock streams_lock(state_->streams_mu);
    if (state_->streams.contains(request.name)) {
        return Error::make(ErrorCode::kResourceInUse,
                           "Stream {} under account {} already exists.",
                           request.name,
                           state_->options.account_id);
    }
    std::lock_guard account_lock(state_->account_mu);
    SF_TRY(state_->check_shard_limit(shard_count));
    if (request.mode == StreamMode::kOnDemand) {
        int on_demand = 0;
        for (const auto& [name, s] : state_->streams) {
            on_demand += s->meta.mode == StreamMode::kOnDemand;
        }
        if (on_demand >= state_->options.on_demand_stream_limit) {
            return Error::make(
                ErrorCode::kLimitExceeded,
                "This request would exceed the on-demand stream count limit of {} for the account "
                "{} in {}.",
                state_->options.on_demand_stream_limit,
                state_->options.account_id,
                state_->options.region);
        }
    }

    EpochMillis now = state_->now();
    StreamMeta meta;
    meta.name = request.name;
    meta.mode = request.mode;
    meta.created_ms = now;
    meta.status =
        state_->options.create_delay_ms > 0 ? StreamStatus::kCreating : StreamStatus::kActive;
    meta.status_until_ms = now + state_->options.create_delay_ms;
    meta.enforce_limits = state_->options.enforce_limits;
    meta.tags = request.tags;
    meta.max_record_size_kib = request.max_record_size_kib;
    meta.warm_throughput_mibps = request.warm_throughput_mibps;
    auto ranges = uniform_ranges(shard_count);
    for (int i = 0; i < shard_count; ++i) {
        ShardMeta shard;
        shard.index = static_cast<uint32_t>(i);
        shard.starting_hash_key = ranges[i].first;
        shard.ending_hash_key = ranges[i].second;
        shard.created_ms = now;
        meta.shards.push_back(shard);
    }
    meta.next_shard_index = static_cast<uint32_t>(shard_count);
    SF_ASSIGN_OR_RETURN(meta.id, state_->catalog->insert_stream(meta));

    auto stream = std::make_shared<StreamRuntime>();
    for (const auto& shard_meta : meta.shards) {
        SF_ASSIGN_OR_RETURN(auto shard, state_->open_shard(meta.id, shard_meta));
        stream->shards.emplace(shard_meta.index, std::move(shard));
    }
    stream->meta = std::move(meta);
    stream->scaling_window_start_ms = now;
    stream->rebuild_routing();
    state_->open_shards_total += shard_count;
    state_->streams.emplace(request.name, std::move(stream));
    return ok();
}

Status StreamStore::delete_stream(std::string_view name, bool enforce_consumer_deletion) {
    SF_ASSIGN_OR_RETURN(auto stream, state_->find(name));
    std::unique_lock streams_lock(state_->streams_mu);
    std::unique_lock lock(stream->mu);
    if (stream->deleted) {
        return state_->not_found(name);
    }
    const auto& consumers = stream->meta.consumers;
    if (!enforce_consumer_deletion &&
        std::any_of(consumers.begin(), consumers.end(), std::mem_fn(&ConsumerMeta::registered))) {
        return Error::make(ErrorCode::kResourceInUse,
                           "Stream {} under account {} has registered consumers.",
                           stream->meta.name,
                           state_->options.account_id);
    }
    SF_TRY(state_->catalog->delete_stream(stream->meta.id));
    stream->deleted = true;
    state_->streams.erase(stream->meta.name);
    {
        std::lock_guard account_lock(state_->account_mu);
        state_->open_shards_total -= stream->open_shard_count();
    }
    for (auto& [index, shard] : stream->shards) {
        shard->log->remove_all();
    }
    std::error_code ec;
    std::filesystem::remove_all(
        state_->options.data_dir / "streams" / std::to_string(stream->meta.id), ec);
    return ok();
}

Result<StreamDescription> StreamStore::describe_stream(std::string_view name) {
    SF_ASSIGN_OR_RETURN(auto stream, state_->find(name));
    std::shared_lock lock(stream->mu);
    if (stream->deleted) {
        return state_->not_found(name);
    }
    const StreamMeta& m = stream->meta;
    StreamDescription d;
    d.name = m.name;
    d.arn = state_->arn(m.name);
    d.status = state_->status_of(m);
    d.mode = m.mode;
    d.retention_hours = m.retention_hours;
    d.created_ms = m.created_ms;
    d.encryption_type = m.encryption_type;
    d.key_id = m.key_id;
    d.max_record_size_kib = m.max_record_size_kib;
    d.warm_throughput_mibps = m.warm_throughput_mibps;
    d.shard_level_metrics = m.shard_level_metrics;
    d.open_shard_count = stream->open_shard_count();
    d.consumer_count = static_cast<int>(std::count_if(
        m.consumers.begin(), m.consumers.end(), std::mem_fn(&ConsumerMeta::registered)));
    for (const auto& [index, shard] : stream->shards) {
        d.shards.push_back(state_->describe_shard(*shard));
    }
    return d;
}

std::vector<StreamSummary> StreamStore::list_streams() {
    std::vector<std::shared_ptr<StreamRuntime>> streams;
    {
        std::shared_lock lock(state_->streams_mu);
        for (const auto& [name, stream] : state_->streams) {
            streams.push_back(stream);
        }
    }
    std::vector<StreamSummary> out;
    for (const auto& stream : streams) {
        std::shared_lock lock(stream->mu);
        const StreamMeta& m = stream->meta;
        out.push_back({m.name, state_->arn(m.name), state_->status_of(m), m.mode, m.created_ms});
    }
    return out;
}

namespace {

/// Runs `change` on an ACTIVE stream's metadata under its exclusive lock, then saves it.
template <class Change>
Status change_active_stream(StoreState& state, std::string_view name, Change&& change) {
    SF_ASSIGN_OR_RETURN(auto stream, state.find(name));
    std::unique_lock lock(stream->mu);
    if (stream->deleted) {
        return state.not_found(name);
    }
    StreamStatus status = state.status_of(stream->meta);
    if (status != StreamStatus::kActive) {
        return state.not_active(stream->meta, status);
    }
    StreamMeta updated = stream->meta;
    SF_TRY(change(updated, *stream));
    SF_TRY(state.catalog->save_stream(updated));
    stream->meta = std::move(updated);
    return ok();
}

void mark_updating(StoreState& state, StreamMeta& meta) {
    if (state.options.update_delay_ms > 0) {
        meta.status = StreamStatus::kUpdating;
        meta.status_until_ms = state.now() + state.options.update_delay_ms;
    } else {
        meta.status = StreamStatus::kActive;
    }
}

}  // namespace

Status StreamStore::update_stream_mode(std::string_view name, StreamMode mode) {
    StoreState& s = *state_;
    return change_active_stream(s, name, [&](StreamMeta& meta, StreamRuntime&) -> Status {
        if (meta.mode == mode) {
            return Error::make(ErrorCode::kInvalidArgument,
                               "Stream {} under account {} is already in {} mode.",
                               meta.name,
                               s.options.account_id,
                               to_string(mode));
        }
        EpochMillis now = s.now();
        std::erase_if(meta.mode_switches_ms, [now](EpochMillis t) { return now - t >= kDayMs; });
        if (static_cast<int>(meta.mode_switches_ms.size()) >= kModeSwitchesPerDay) {
            return Error::make(
                ErrorCode::kLimitExceeded,
                "Stream {} under account {} has already switched capacity mode {} times in the "
                "last 24 hours.",
                meta.name,
                s.options.account_id,
                kModeSwitchesPerDay);
        }
        meta.mode_switches_ms.push_back(now);
        meta.mode = mode;
        mark_updating(s, meta);
        return ok();
    });
}

Status StreamStore::increase_retention(std::string_view name, int hours) {
    StoreState& s = *state_;
    return change_active_stream(s, name, [&](StreamMeta& meta, StreamRuntime&) -> Status {
        if (hours > kMaxRetentionHours) {
            return Error::make(
                ErrorCode::kInvalidArgument,
                "Maximum allowed retention period is {} hours. Requested retention period ({} "
                "hours) is too long.",
                kMaxRetentionHours,
                hours);
        }
        SF_TRY(check_minimum_retention(s.options, hours));
        if (hours < meta.retention_hours) {
            return Error::make(
                ErrorCode::kInvalidArgument,
                "Requested retention period ({} hours) for stream {} can not be shorter than "
                "existing retention period ({} hours). Use DecreaseRetentionPeriod API.",
                hours,
                meta.name,
                meta.retention_hours);
        }
        meta.retention_hours = hours;
        return ok();
    });
}

Status StreamStore::decrease_retention(std::string_view name, int hours) {
    StoreState& s = *state_;
    return change_active_stream(s, name, [&](StreamMeta& meta, StreamRuntime&) -> Status {
        SF_TRY(check_minimum_retention(s.options, hours));
        if (hours > meta.retention_hours) {
            return Error::make(
                ErrorCode::kInvalidArgument,
                "Requested retention period ({} hours) for stream {} can not be longer than "
                "existing retention period ({} hours). Use IncreaseRetentionPeriod API.",
                hours,
                meta.name,
                meta.retention_hours);
        }
        meta.retention_hours = hours;
        return ok();
    });
}

Status StreamStore::update_max_record_size(std::string_view name, int kib) {
    return change_active_stream(*state_, name, [&](StreamMeta& meta, StreamRuntime&) -> Status {
        if (kib < 1024 || kib > 10240) {
            return validation_error(std::to_string(kib),
                                    "maxRecordSizeInKiB",
                                    kib < 1024
                                        ? "Member must have value greater than or equal to 1024"
                                        : "Member must have value less than or equal to 10240");
        }
        meta.max_record_size_kib = kib;
        return ok();
    });
}

namespace {

constexpr std::string_view kCommitmentSetting = "minimum_throughput_billing_commitment";
constexpr EpochMillis kCommitmentMinimumMs = 365 * kDayMs;

/// "<status>,<started>,<ended>,<earliest end>", empty fields for times not set.
std::string encode_commitment(const AccountSettings& a) {
    auto ms = [](const std::optional<EpochMillis>& t) {
        return t ? std::to_string(*t) : "";
    };
    return fmt::format("{},{},{},{}",
                       a.commitment_status,
                       ms(a.started_ms),
                       ms(a.ended_ms),
                       ms(a.earliest_allowed_end_ms));
}

AccountSettings decode_commitment(std::string_view text) {
    AccountSettings a;
    std::vector<std::string_view> fields;
    for (size_t start = 0;;) {
        size_t comma = text.find(',', start);
        fields.push_back(text.substr(start, comma - start));
        if (comma == std::string_view::npos) {
            break;
        }
        start = comma + 1;
    }
    if (fields.size() != 4) {
        return a;
    }
    auto ms = [](std::string_view f) -> std::optional<EpochMillis> {
        EpochMillis v = 0;
        auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
        return ec == std::errc() && end == f.data() + f.size() && !f.empty()
                   ? std::optional<EpochMillis>(v)
                   : std::nullopt;
    };
    a.commitment_status = std::string(fields[0]);
    a.started_ms = ms(fields[1]);
    a.ended_ms = ms(fields[2]);
    a.earliest_allowed_end_ms = ms(fields[3]);
    return a;
}

}  // namespace

AccountSettings StreamStore::account_settings() {
    auto stored = state_->catalog->get_setting(std::string(kCommitmentSetting));
    AccountSettings a = stored && *stored ? decode_commitment(**stored) : AccountSettings{};
    // A commitment being ended runs on until its earliest allowed end, then is off.
    if (a.commitment_status == "ENABLED_UNTIL_EARLIEST_ALLOWED_END" && a.earliest_allowed_end_ms &&
        state_->now() >= *a.earliest_allowed_end_ms) {
        a.commitment_status = "DISABLED";
    }
    return a;
}

Result<AccountSettings> StreamStore::update_commitment(bool enabled) {
    std::lock_guard lock(state_->account_mu);
    AccountSettings a = account_settings();
    EpochMillis now = state_->now();
    if (enabled && a.commitment_status != "ENABLED") {
        a = AccountSettings{"ENABLED", now, std::nullopt, now + kCommitmentMinimumMs};
    } else if (!enabled && a.commitment_status == "ENABLED") {
        bool early = a.earliest_allowed_end_ms && now < *a.earliest_allowed_end_ms;
        a.commitment_status = early ? "ENABLED_UNTIL_EARLIEST_ALLOWED_END" : "DISABLED";
        a.ended_ms = early ? *a.earliest_allowed_end_ms : now;
    }
    SF_TRY(state_->catalog->put_setting(std::string(kCommitmentSetting), encode_commitment(a)));
    return a;
}

Status StreamStore::update_warm_throughput(std::string_view name, int mibps) {
    return change_active_stream(*state_, name, [&](StreamMeta& meta, StreamRuntime&) -> Status {
        if (meta.mode != StreamMode::kOnDemand) {
            return Error::make(ErrorCode::kInvalidArgument,
                               "Warm throughput can only be set for a stream in ON_DEMAND mode; "
                               "stream {} under account {} is PROVISIONED.",
                               meta.name,
                               state_->options.account_id);
        }
        meta.warm_throughput_mibps = mibps;
        return ok();
    });
}

Status StreamStore::set_enforce_limits(std::string_view name, bool enforce) {
    return change_active_stream(*state_, name, [&](StreamMeta& meta, StreamRuntime&) -> Status {
        meta.enforce_limits = enforce;
        return ok();
    });
}

namespace {

Result<std::vector<std::string>> expand_metrics(const std::vector<std::string>& metrics) {
    std::vector<std::string> out;
    for (const auto& m : metrics) {
        if (m == "ALL") {
            return std::vector<std::string>(kShardLevelMetrics.begin(), kShardLevelMetrics.end());
        }
        if (!kShardLevelMetrics.contains(m)) {
            return validation_error(
                m,
                "shardLevelMetrics",
                "Member must satisfy enum value set: [IncomingBytes, IncomingRecords, "
                "OutgoingBytes, OutgoingRecords, WriteProvisionedThroughputExceeded, "
                "ReadProvisionedThroughputExceeded, IteratorAgeMilliseconds, ALL]");
        }
        out.push_back(m);
    }
    return out;
}

}  // namespace

Result<std::vector<std::string>> StreamStore::enable_enhanced_monitoring(
    std::string_view name, const std::vector<std::string>& metrics) {
    SF_ASSIGN_OR_RETURN(auto wanted, expand_metrics(metrics));
    std::vector<std::string> desired;
    SF_TRY(change_active_stream(*state_, name, [&](StreamMeta& meta, StreamRuntime&) -> Status {
        std::set<std::string> all(meta.shard_level_metrics.begin(), meta.shard_level_metrics.end());
        all.insert(wanted.begin(), wanted.end());
        meta.shard_level_metrics.assign(all.begin(), all.end());
        desired = meta.shard_level_metrics;
        return ok();
    }));
    return desired;
}

Result<std::vector<std::string>> StreamStore::disable_enhanced_monitoring(
    std::string_view name, const std::vector<std::string>& metrics) {
    SF_ASSIGN_OR_RETURN(auto unwanted, expand_metrics(metrics));
    std::vector<std::string> desired;
    SF_TRY(change_active_stream(*state_, name, [&](StreamMeta& meta, StreamRuntime&) -> Status {
        std::erase_if(meta.shard_level_metrics, [&](const std::string& m) {
            return std::find(unwanted.begin(), unwanted.end(), m) != unwanted.end();
        });
        desired = meta.shard_level_metrics;
        return ok();
    }));
    return desired;
}

Status StreamStore::start_encryption(std::string_view name, const std::string& key_id) {
    StoreState& s = *state_;
    return change_active_stream(s, name, [&](StreamMeta& meta, StreamRuntime&) -> Status {
        if (key_id.empty() || key_id.size() > 2048) {
            return validation_error(key_id, "keyId", "Member must have length between 1 and 2048");
        }
        meta.encryption_type = "KMS";
        meta.key_id = key_id;
        mark_updating(s, meta);
        return ok();
    });
}

Status StreamStore::stop_encryption(std::string_view name) {
    StoreState& s = *state_;
    return change_active_stream(s, name, [&](StreamMeta& meta, StreamRuntime&) -> Status {
        meta.encryption_type = "NONE";
        meta.key_id.clear();
        mark_updating(s, meta);
        return ok();
    });
}

Limits StreamStore::describe_limits() {
    Limits limits{state_->options.shard_limit, 0, 0, state_->options.on_demand_stream_limit};
    {
        std::lock_guard account_lock(state_->account_mu);
        limits.open_shard_count = static_cast<int>(state_->open_shards_total);
    }
    for (const auto& summary : list_streams()) {
        limits.on_demand_stream_count += summary.mode == StreamMode::kOnDemand;
    }
    return limits;
}

}  // namespace shardflow::store
