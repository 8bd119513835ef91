// FilesSink: routing records to buffers, the buffering hints, delivery and restart.

#include "connectors/files/files_sink.h"

#include "connectors/files/error_record.h"
#include "connectors/files/file_io.h"
#include "connectors/files/object_delivery.h"
#include "connectors/files/sink_state.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <system_error>
#include <variant>

namespace shardflow::connectors::files {
namespace {

constexpr std::string_view kDefaultPrefix = "!{timestamp:yyyy/MM/dd/HH}/";
constexpr std::string_view kDefaultErrorPrefix =
    "errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd/HH}/";

// Buffer keys: 'd' and the length-prefixed partition values, or 'e' and the error type.
std::string data_key(const std::vector<std::string>& partition_values) {
    std::string key = "d";
    for (const std::string& v : partition_values) {
        key += fmt::format("{}:{}", v.size(), v);
    }
    return key;
}

std::string error_key(FailureKind kind) {
    return fmt::format("e{}", error_output_type(kind));
}

Status check_options(const FilesSinkOptions& o) {
    bool name_ok =
        !o.name.empty() && o.name.size() <= 64 && o.name != "." && o.name != ".." &&
        std::all_of(o.name.begin(), o.name.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
        });
    if (!name_ok) {
        return Error::make(ErrorCode::kInvalidArgument,
                           "files sink name '{}': 1 to 64 letters, digits, '_', '-' or '.'",
                           o.name);
    }
    if (o.path.empty()) {
        return Error::make(ErrorCode::kInvalidArgument, "files sink {}: no path", o.name);
    }
    if (o.buffer_size_bytes == 0 || o.buffer_interval.count() < 0) {
        return Error::make(ErrorCode::kInvalidArgument,
                           "files sink {}: the buffer size must be positive and the interval "
                           "not negative",
                           o.name);
    }
    if (o.csv_columns && (o.format != FileFormat::kCsv || o.csv_columns->empty())) {
        return Error::make(ErrorCode::kInvalidArgument,
                           "files sink {}: CSV columns need the csv format and at least one "
                           "column",
                           o.name);
    }
    return ok();
}

std::string_view extension(FileFormat format, bool error_output, Compression compression) {
    bool csv = format == FileFormat::kCsv && !error_output;
    bool gzip = compression == Compression::kGzip;
    if (csv) {
        return gzip ? ".csv.gz" : ".csv";
    }
    return gzip ? ".jsonl.gz" : ".jsonl";
}

}  // namespace

Result<std::shared_ptr<FilesSink>> FilesSink::create(FilesSinkOptions options,
                                                     runtime::CheckpointStore* store,
                                                     const Clock& clock) {
    SF_TRY(check_options(options));
    SF_ASSIGN_OR_RETURN(
        PrefixExpression prefix,
        PrefixExpression::parse(options.prefix.empty() ? kDefaultPrefix : options.prefix,
                                PrefixExpression::Use::kData));
    SF_ASSIGN_OR_RETURN(
        PrefixExpression error_prefix,
        PrefixExpression::parse(
            options.error_output_prefix.empty() ? kDefaultErrorPrefix : options.error_output_prefix,
            PrefixExpression::Use::kErrorOutput));
    SinkState state;
    if (store) {
        SF_ASSIGN_OR_RETURN(state, load_sink_state(store->db(), options.name));
    }
    // Given columns win; else the ones fixed before the restart, so every object agrees.
    std::optional<std::vector<std::string>> columns = options.csv_columns;
    if (!columns && options.format == FileFormat::kCsv) {
        columns = std::move(state.csv_columns);
    }
    std::shared_ptr<FilesSink> sink(new FilesSink(
        std::move(options), std::move(prefix), std::move(error_prefix), std::move(columns), clock));
    std::error_code ec;
    std::filesystem::create_directories(sink->staging_dir_, ec);
    if (ec) {
        return Error::make(
            ErrorCode::kIoError, "cannot create {}: {}", sink->staging_dir_.string(), ec.message());
    }
    SF_TRY(sink->restore(state.buffers));
    return sink;
}

FilesSink::FilesSink(FilesSinkOptions options,
                     PrefixExpression prefix,
                     PrefixExpression error_prefix,
                     std::optional<std::vector<std::string>> csv_columns,
                     const Clock& clock)
    : options_(std::move(options))
    , prefix_(std::move(prefix))
    , error_prefix_(std::move(error_prefix))
    , clock_(clock)
    , staging_dir_(options_.path / ".staging" / options_.name)
    , encoder_(options_.format, std::move(csv_columns), prefix_.partition_keys()) {}

Status FilesSink::restore(const std::vector<StagedBuffer>& buffers) {
    std::set<std::string> kept;
    for (const StagedBuffer& b : buffers) {
        std::filesystem::path path = staging_dir_ / b.staging_file;
        if (!std::filesystem::exists(path)) {
            continue;  // delivered after the checkpoint
        }
        SF_ASSIGN_OR_RETURN(auto file, StagingFile::reopen(path, b.length));
        buffers_.emplace(b.buffer,
                         Buffer{b.prefix,
                                std::move(file),
                                b.buffer.starts_with('e'),
                                b.records,
                                b.first_arrival_ms,
                                b.opened_ms});
        kept.insert(b.staging_file);
    }
    // The rest came after the checkpoint (the query replays it) or is a half-written object.
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(staging_dir_, ec)) {
        if (!kept.contains(entry.path().filename().string())) {
            std::filesystem::remove(entry.path(), ec);
        }
    }
    if (ec) {
        return Error::make(
            ErrorCode::kIoError, "cannot clean {}: {}", staging_dir_.string(), ec.message());
    }
    return ok();
}

void FilesSink::on_batch(std::span<DeliveryRecord> batch) {
    struct Prepared {
        std::string data;
        EpochMillis arrival_ms = 0;
        std::optional<RecordFailure> failure;
    };
    // The transform is user code: it runs outside the lock, in every worker at once.
    std::vector<Prepared> prepared;
    prepared.reserve(batch.size());
    uint64_t dropped = 0;
    for (DeliveryRecord& r : batch) {
        if (!options_.transform) {
            prepared.push_back({std::move(r.data), r.arrival_ms, std::nullopt});
            continue;
        }
        TransformResult t = options_.transform(r);
        switch (t.outcome) {
            case TransformResult::Outcome::kOk:
                prepared.push_back({std::move(t.data), r.arrival_ms, std::nullopt});
                break;
            case TransformResult::Outcome::kDropped:
                ++dropped;
                break;
            case TransformResult::Outcome::kProcessingFailed:
                prepared.push_back(
                    {std::move(r.data),
                     r.arrival_ms,
                     RecordFailure{FailureKind::kProcessingFailed, std::move(t.reason)}});
                break;
        }
    }
    std::lock_guard lock(mu_);
    stats_.dropped_records += dropped;
    if (error_) {
        return;
    }
    // Expired buffers go before the batch joins them, and again after it for a zero interval.
    EpochMillis now = clock_.now_ms();
    if (!keep(deliver_expired(now))) {
        return;
    }
    for (const Prepared& p : prepared) {
        Status s = p.failure ? add_error(*p.failure, p.data, p.arrival_ms, now)
                             : add_record(p.data, p.arrival_ms, now);
        if (!keep(s)) {
            return;
        }
    }
    keep(deliver_expired(now));
}

void FilesSink::on_watermark(runtime::EventTime) {
    std::lock_guard lock(mu_);
    if (!error_) {
        keep(deliver_expired(clock_.now_ms()));
    }
}

void FilesSink::on_end() {
    std::lock_guard lock(mu_);
    if (!error_) {
        keep(deliver_all());
    }
}

void FilesSink::deliver_failed(const DeliveryRecord& record, const RecordFailure& failure) {
    std::lock_guard lock(mu_);
    if (!error_) {
        keep(add_error(failure, record.data, record.arrival_ms, clock_.now_ms()));
    }
}

Status FilesSink::commit(sqlite3* db) {
    std::lock_guard lock(mu_);
    // Checkpoints come every second or so even when no record arrives, so the interval hint
    // holds for an idle input too; what is delivered here leaves the state saved below.
    if (error_ || !keep(deliver_expired(clock_.now_ms()))) {
        return *error_;
    }
    SinkState state;
    state.csv_columns = encoder_.csv_columns();
    for (auto& [key, b] : buffers_) {
        if (!keep(b.file->sync())) {
            return *error_;
        }
        state.buffers.push_back({key,
                                 b.prefix,
                                 b.file->path().filename().string(),
                                 b.file->size(),
                                 b.records,
                                 b.first_arrival_ms,
                                 b.opened_ms});
    }
    // New staging files must survive a crash under their names, not only their contents.
    if (!buffers_.empty() && !keep(sync_directory(staging_dir_))) {
        return *error_;
    }
    return save_sink_state(db, options_.name, state);
}

Status FilesSink::status() const {
    std::lock_guard lock(mu_);
    if (error_) {
        return *error_;
    }
    return ok();
}

FilesSinkStats FilesSink::stats() const {
    std::lock_guard lock(mu_);
    return stats_;
}

Status FilesSink::add_record(std::string_view data, EpochMillis arrival_ms, EpochMillis now) {
    auto encoded = encoder_.encode(data);
    if (const auto* failure = std::get_if<RecordFailure>(&encoded)) {
        return add_error(*failure, data, arrival_ms, now);
    }
    const EncodedRecord& record = std::get<EncodedRecord>(encoded);
    std::string key = data_key(record.partition_values);
    auto it = buffers_.find(key);
    if (it == buffers_.end()) {
        std::string random = names_.random_string();
        Result<std::string> prefix =
            prefix_.expand({arrival_ms, record.partition_values, {}, random});
        if (!prefix) {
            return add_error(
                {FailureKind::kPartitionKeyFailed, prefix.error().message}, data, arrival_ms, now);
        }
        SF_ASSIGN_OR_RETURN(it, open_buffer(std::move(key), *prefix, false, arrival_ms, now));
    }
    return append(it, record.line);
}

Status FilesSink::add_error(const RecordFailure& failure,
                            std::string_view raw_data,
                            EpochMillis arrival_ms,
                            EpochMillis now) {
    std::string key = error_key(failure.kind);
    auto it = buffers_.find(key);
    if (it == buffers_.end()) {
        std::string random = names_.random_string();
        SF_ASSIGN_OR_RETURN(
            std::string prefix,
            error_prefix_.expand({arrival_ms, {}, error_output_type(failure.kind), random}));
        SF_ASSIGN_OR_RETURN(it,
                            open_buffer(std::move(key), std::move(prefix), true, arrival_ms, now));
    }
    return append(it, error_record_line(failure, raw_data, arrival_ms, now));
}

Result<FilesSink::Buffers::iterator> FilesSink::open_buffer(std::string key,
                                                            std::string prefix,
                                                            bool error_output,
                                                            EpochMillis arrival_ms,
                                                            EpochMillis now) {
    SF_ASSIGN_OR_RETURN(auto file, StagingFile::create(staging_dir_ / (names_.uuid() + ".buf")));
    if (!error_output) {
        SF_TRY(file->append(encoder_.object_header()));
    }
    return buffers_
        .emplace(std::move(key),
                 Buffer{std::move(prefix), std::move(file), error_output, 0, arrival_ms, now})
        .first;
}

Status FilesSink::append(Buffers::iterator buffer, std::string_view line) {
    Buffer& b = buffer->second;
    SF_TRY(b.file->append(line));
    ++b.records;
    if (b.file->size() >= options_.buffer_size_bytes) {
        return deliver(buffer);
    }
    return ok();
}

Status FilesSink::deliver(Buffers::iterator buffer) {
    Buffer b = std::move(buffer->second);
    buffers_.erase(buffer);
    SF_TRY(b.file->sync());
    std::filesystem::path staging = b.file->path();
    b.file.reset();
    std::string id = names_.uuid();
    std::string name =
        object_file_name(options_.name,
                         b.first_arrival_ms,
                         id,
                         extension(options_.format, b.error_output, options_.compression));
    SF_ASSIGN_OR_RETURN(uint64_t size,
                        deliver_object(staging,
                                       staging_dir_ / (id + ".tmp"),
                                       options_.path / (b.prefix + name),
                                       options_.compression));
    (b.error_output ? stats_.error_records : stats_.records_delivered) += b.records;
    ++stats_.objects_written;
    stats_.bytes_written += size;
    return ok();
}

Status FilesSink::deliver_expired(EpochMillis now) {
    for (auto it = buffers_.begin(); it != buffers_.end();) {
        auto next = std::next(it);
        if (now - it->second.opened_ms >= options_.buffer_interval.count()) {
            SF_TRY(deliver(it));
        }
        it = next;
    }
    return ok();
}

Status FilesSink::deliver_all() {
    while (!buffers_.empty()) {
        SF_TRY(deliver(buffers_.begin()));
    }
    return ok();
}

bool FilesSink::keep(const Status& s) {
    if (!s && !error_) {
        error_ = s.error();
    }
    return s.has_value();
}

}  // namespace shardflow::connectors::files
