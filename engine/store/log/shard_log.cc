// Shard log: appends framed records, shares fsyncs between concurrent puts, reads durable records.

#include "engine/store/log/shard_log.h"

#include "engine/common/crc32c.h"
#include "engine/store/log/commit_queue.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace shardflow::store::log {
namespace {

constexpr size_t kReadChunk = 1 << 20;
constexpr size_t kPooledBuffers = 64;

// Free kReadChunk buffers. Never destroyed: buffers may be released during static destruction,
// and a live global keeps them reachable for LeakSanitizer.
struct BufferPool {
    std::mutex mu;
    std::vector<char*> free;  // guarded by mu
};

BufferPool& buffer_pool() {
    static auto* pool = new BufferPool;
    return *pool;
}

void encode_frames(std::span<const RecordInput> records,
                   uint64_t first_seq_ix,
                   EpochMillis arrival_ms,
                   std::string& out) {
    size_t total = 0;
    for (const auto& r : records) {
        total += kFrameHeaderSize + r.partition_key.size() + r.data.size();
    }
    out.resize(total);
    char* p = out.data();
    uint64_t seq = first_seq_ix;
    for (const auto& r : records) {
        auto pk_len = static_cast<uint16_t>(r.partition_key.size());
        auto length =
            static_cast<uint32_t>(kFrameFixedBodySize + r.partition_key.size() + r.data.size());
        std::memcpy(p + 4, &length, 4);
        std::memcpy(p + 8, &seq, 8);
        std::memcpy(p + 16, &arrival_ms, 8);
        std::memcpy(p + 24, &pk_len, 2);
        std::memcpy(p + kFrameHeaderSize, r.partition_key.data(), r.partition_key.size());
        std::memcpy(p + kFrameHeaderSize + r.partition_key.size(), r.data.data(), r.data.size());
        uint32_t crc = crc32c(p + 8, length);
        std::memcpy(p, &crc, 4);
        p += 8 + length;
        ++seq;
    }
}

}  // namespace

void ReadBufferDeleter::operator()(char* p) const {
    if (size == kReadChunk) {
        auto& pool = buffer_pool();
        std::lock_guard lock(pool.mu);
        if (pool.free.size() < kPooledBuffers) {
            pool.free.push_back(p);
            return;
        }
    }
    delete[] p;
}

ReadBuffer acquire_read_buffer(size_t size) {
    if (size == kReadChunk) {
        auto& pool = buffer_pool();
        std::lock_guard lock(pool.mu);
        if (!pool.free.empty()) {
            char* p = pool.free.back();
            pool.free.pop_back();
            return ReadBuffer(p, ReadBufferDeleter{size});
        }
    }
    return ReadBuffer(new char[size], ReadBufferDeleter{size});
}

ShardLog::ShardLog(std::filesystem::path dir, ShardLogOptions options, const Clock& clock)
    : dir_(std::move(dir))
    , options_(options)
    , clock_(clock) {}

Result<std::shared_ptr<ShardLog>> ShardLog::open(const std::filesystem::path& dir,
                                                 ShardLogOptions options,
                                                 const Clock& clock) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        return Error::make(ErrorCode::kIoError, "create {}: {}", dir.string(), ec.message());
    }
    std::vector<uint64_t> bases;
    std::error_code type_ec;  // an entry whose type cannot be read counts as unknown
    std::filesystem::directory_iterator it(dir, ec);
    for (; !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
        auto name = it->path().filename().string();
        if (auto base = parse_segment_file_name(name, ".log");
            base && it->is_regular_file(type_ec)) {
            bases.push_back(*base);
        } else if (!parse_segment_file_name(name, ".idx")) {
            fmt::print(stderr, "shardflow: skipping unknown file {}\n", it->path().string());
        }
    }
    if (ec) {
        return Error::make(ErrorCode::kIoError, "list {}: {}", dir.string(), ec.message());
    }
    std::sort(bases.begin(), bases.end());

    std::shared_ptr<ShardLog> log(new ShardLog(dir, options, clock));
    for (size_t i = 0; i < bases.size(); ++i) {
        bool is_tail = i + 1 == bases.size();
        SF_ASSIGN_OR_RETURN(auto segment, Segment::open(dir, bases[i], is_tail));
        log->segments_.push_back(std::move(segment));
    }
    if (log->segments_.empty()) {
        SF_ASSIGN_OR_RETURN(auto segment, Segment::create(dir, 0));
        log->segments_.push_back(std::move(segment));
    }
    log->active_ = log->segments_.back();
    log->written_end_ = log->active_->end_seq_ix();
    log->durable_end_ = log->written_end_;
    for (const auto& s : log->segments_) {
        log->last_arrival_ = std::max(log->last_arrival_, s->last_arrival_ms());
    }
    return log;
}

Status ShardLog::roll_segment(uint64_t next_seq_ix) {
    SF_TRY(active_->seal());
    // A sealed segment is wholly on disk, so the durable end never lies before the active one.
    if (durable_end_.load(std::memory_order_relaxed) < next_seq_ix) {
        durable_end_.store(next_seq_ix, std::memory_order_release);
    }
    SF_ASSIGN_OR_RETURN(auto segment, Segment::create(dir_, next_seq_ix));
    active_ = segment;
    std::lock_guard lock(segments_mu_);
    segments_.push_back(std::move(segment));
    return ok();
}

Error ShardLog::cut_back(Error failure) {
    const uint64_t durable = durable_end_.load(std::memory_order_relaxed);
    SF_CHECK(active_->base_seq_ix() <= durable && durable <= written_end_);
    if (Status cut = active_->cut_to_durable(durable); !cut) {
        broken_ = Error::make(cut.error().code,
                              "{}; cutting back after it failed too: {}",
                              failure.message,
                              cut.error().message);
    }
    written_end_ = durable;
    cuts_.push_back({durable, failure});
    return failure;
}

Result<ShardLog::Appended> ShardLog::append(std::span<const RecordInput> records) {
    thread_local std::string frames;
    std::lock_guard lock(append_mu_);
    if (broken_) {
        return *broken_;
    }
    EpochMillis arrival = std::max(clock_.now_ms(), last_arrival_);
    uint64_t first = written_end_;
    encode_frames(records, first, arrival, frames);
    if (!active_->empty() && active_->size() + frames.size() > options_.segment_bytes) {
        if (Status rolled = roll_segment(first); !rolled) {
            return cut_back(std::move(rolled).error());
        }
    }
    if (Status written = active_->append_frames(
            frames.data(), frames.size(), first, records.size(), arrival, arrival);
        !written) {
        return cut_back(std::move(written).error());
    }
    written_end_ = first + records.size();
    last_arrival_ = arrival;
    if (options_.sync == SyncMode::kNone) {
        active_->mark_durable(active_->size());
        durable_end_.store(written_end_, std::memory_order_release);
        notify_listeners();
    }
    return Appended{first, records.size(), arrival, cuts_.size()};
}

std::optional<Status> ShardLog::outcome(uint64_t seq_end, uint64_t epoch) const {
    if (epoch < cuts_.size()) {
        const Cut& cut = cuts_[epoch];
        if (seq_end <= cut.durable_end) {
            return ok();
        }
        return Status(cut.error);
    }
    if (durable_end_.load(std::memory_order_relaxed) >= seq_end) {
        return ok();
    }
    return std::nullopt;
}

void ShardLog::sync_written(std::unique_lock<std::mutex>& lock) {
    std::shared_ptr<Segment> segment;
    uint64_t target_seq = 0;
    uint64_t target_bytes = 0;
    uint64_t epoch = 0;
    {
        std::lock_guard append_lock(append_mu_);
        segment = active_;
        target_seq = written_end_;
        target_bytes = segment->size();
        epoch = cuts_.size();
    }
    sync_running_ = true;
    lock.unlock();
    Status synced = segment->sync();
    {
        std::lock_guard append_lock(append_mu_);
        // After a cut in the meantime the synced bytes may be gone: the cut decided.
        if (epoch == cuts_.size()) {
            if (synced) {
                segment->mark_durable(target_bytes);
                if (durable_end_.load(std::memory_order_relaxed) < target_seq) {
                    durable_end_.store(target_seq, std::memory_order_release);
                }
            } else {
                cut_back(std::move(synced).error());
            }
        }
    }
    if (synced) {
        notify_listeners();
    }
    lock.lock();
    sync_running_ = false;
    sync_cv_.notify_all();
}

void ShardLog::complete_decided(std::unique_lock<std::mutex>& lock) {
    std::vector<std::pair<DurableCallback, Status>> decided;
    {
        std::lock_guard append_lock(append_mu_);
        std::vector<Waiter> undecided;
        for (auto& waiter : waiters_) {
            if (auto result = outcome(waiter.seq_end, waiter.epoch)) {
                decided.emplace_back(std::move(waiter.done), std::move(*result));
            } else {
                undecided.push_back(std::move(waiter));
            }
        }
        waiters_.swap(undecided);
    }
    if (decided.empty()) {
        return;
    }
    lock.unlock();
    for (auto& [done, result] : decided) {
        done(std::move(result));
    }
    lock.lock();
}

Status ShardLog::wait_durable(const Appended& appended) {
    const uint64_t seq_end = appended.first_seq_ix + appended.count;
    std::unique_lock lock(sync_mu_);
    while (true) {
        {
            std::lock_guard append_lock(append_mu_);
            if (auto result = outcome(seq_end, appended.epoch)) {
                return std::move(*result);
            }
        }
        if (sync_running_) {
            sync_cv_.wait(lock);
            continue;
        }
        sync_written(lock);
        complete_decided(lock);  // callbacks this sync covered need not wait for the committer
    }
}

void ShardLog::request_commit() {
    if (!commit_requested_) {
        commit_requested_ = true;
        options_.committer->request(shared_from_this());
    }
}

void ShardLog::when_durable(const Appended& appended, DurableCallback done) {
    if (!options_.committer) {
        done(wait_durable(appended));
        return;
    }
    const uint64_t seq_end = appended.first_seq_ix + appended.count;
    std::optional<Status> result;
    {
        std::lock_guard lock(sync_mu_);
        {
            std::lock_guard append_lock(append_mu_);
            result = outcome(seq_end, appended.epoch);
        }
        if (!result) {
            waiters_.push_back({seq_end, appended.epoch, std::move(done)});
            request_commit();
            return;
        }
    }
    done(std::move(*result));
}

void ShardLog::commit_pending() {
    std::unique_lock lock(sync_mu_);
    commit_requested_ = false;
    // A put waiting in wait_durable may be syncing: its sync may cover the callbacks too.
    sync_cv_.wait(lock, [this] { return !sync_running_; });
    complete_decided(lock);
    if (!waiters_.empty() && !sync_running_) {
        sync_written(lock);
        complete_decided(lock);
    }
    if (!waiters_.empty()) {
        request_commit();  // appended during the sync: the next one covers them
    }
}

std::vector<std::shared_ptr<Segment>> ShardLog::segments_snapshot() const {
    std::lock_guard lock(segments_mu_);
    return segments_;
}

uint64_t ShardLog::first_seq_ix() const {
    std::lock_guard lock(segments_mu_);
    return segments_.front()->base_seq_ix();
}

EpochMillis ShardLog::last_arrival_ms() const {
    std::lock_guard lock(segments_mu_);
    for (auto it = segments_.rbegin(); it != segments_.rend(); ++it) {
        if (!(*it)->empty()) {
            return (*it)->last_arrival_ms();
        }
    }
    return 0;
}

Result<ReadBatch> ShardLog::read(uint64_t from_seq_ix,
                                 size_t max_records,
                                 size_t max_bytes,
                                 EpochMillis min_arrival_ms) const {
    ReadBatch batch;
    batch.records.reserve(std::min<size_t>(max_records, 4096));
    const uint64_t end = durable_end();
    auto segments = segments_snapshot();
    from_seq_ix = std::max(from_seq_ix, segments.front()->base_seq_ix());
    batch.next_seq_ix = std::min(from_seq_ix, end);
    if (from_seq_ix >= end || max_records == 0) {
        return batch;
    }
    auto it = std::upper_bound(
        segments.begin(), segments.end(), from_seq_ix, [](uint64_t s, const auto& seg) {
            return s < seg->base_seq_ix();
        });
    size_t bytes = 0;
    size_t bytes_read = 0;  // of whole frames, for the next reads' size
    size_t frames_read = 0;
    for (auto seg_it = std::prev(it); seg_it != segments.end(); ++seg_it) {
        const Segment& segment = **seg_it;
        IndexEntry start = segment.locate_sequence(from_seq_ix);
        uint64_t offset = start.offset;
        const uint64_t limit = segment.durable_size();
        while (offset < limit) {
            size_t chunk = kReadChunk;
            if (limit - offset < kFrameHeaderSize) {
                return Error::make(
                    ErrorCode::kCorruption, "truncated frame in shard log {}", dir_.string());
            }
            auto buffer = acquire_read_buffer(chunk);
            SF_ASSIGN_OR_RETURN(
                size_t got,
                segment.read_at(offset,
                                buffer.get(),
                                std::min<uint64_t>(read_size(max_records - batch.records.size()),
                                                   limit - offset)));
            // A frame longer than the chunk is read again on its own.
            FrameHeader first = decode_frame_header(buffer.get());
            size_t first_size = 8 + size_t{first.length};
            if (first_size > got && offset + first_size <= limit) {
                chunk = first_size;
                buffer = acquire_read_buffer(chunk);
                SF_ASSIGN_OR_RETURN(got, segment.read_at(offset, buffer.get(), chunk));
            }
            // Owned by the batch before any view into it is taken; dropped again if unused.
            batch.buffers.push_back(std::move(buffer));
            const char* base = batch.buffers.back().get();
            size_t records_before = batch.records.size();
            size_t pos = 0;
            while (pos + kFrameHeaderSize <= got) {
                const char* frame = base + pos;
                FrameHeader h = decode_frame_header(frame);
                size_t frame_size = 8 + size_t{h.length};
                if (pos + frame_size > got) {
                    break;
                }
                if (h.seq_ix >= end) {
                    batch.next_seq_ix = end;
                    goto done;
                }
                if (crc32c(frame + 8, h.length) != h.crc) {
                    return Error::make(ErrorCode::kCorruption,
                                       "checksum mismatch at record {} of shard log {}",
                                       h.seq_ix,
                                       dir_.string());
                }
                if (h.seq_ix >= from_seq_ix && h.arrival_ms >= min_arrival_ms) {
                    size_t record_bytes = h.length - kFrameFixedBodySize;
                    if (!batch.records.empty() && bytes + record_bytes > max_bytes) {
                        batch.next_seq_ix = h.seq_ix;
                        goto done;
                    }
                    bytes += record_bytes;
                    std::string_view pk(frame + kFrameHeaderSize, h.pk_len);
                    std::string_view data(frame + kFrameHeaderSize + h.pk_len,
                                          record_bytes - h.pk_len);
                    batch.records.push_back({h.seq_ix, h.arrival_ms, pk, data});
                }
                batch.next_seq_ix = h.seq_ix + 1;
                pos += frame_size;
                ++frames_read;
                bytes_read += frame_size;
                if (batch.records.size() == max_records) {
                    break;
                }
            }
            if (batch.records.size() == records_before) {
                batch.buffers.pop_back();
            }
            if (batch.records.size() == max_records) {
                goto done;
            }
            offset += pos;
            if (pos == 0) {
                return Error::make(
                    ErrorCode::kCorruption, "unreadable frame in shard log {}", dir_.string());
            }
        }
        from_seq_ix = batch.next_seq_ix;
    }
done:
    if (frames_read > 0) {
        mean_frame_bytes_.store(static_cast<uint32_t>(bytes_read / frames_read),
                                std::memory_order_relaxed);
    }
    return batch;
}

size_t ShardLog::read_size(size_t records_wanted) const {
    size_t mean = mean_frame_bytes_.load(std::memory_order_relaxed);
    if (mean == 0 || records_wanted > kReadChunk / mean) {
        return kReadChunk;
    }
    // An eighth more than the records should take, so one read usually does it.
    return std::clamp<size_t>(
        records_wanted * (mean + mean / 8) + kFrameHeaderSize, 4096, kReadChunk);
}

Result<uint64_t> ShardLog::seq_ix_at_time(EpochMillis time_ms) const {
    auto segments = segments_snapshot();
    for (const auto& segment : segments) {
        if (segment->empty() || segment->last_arrival_ms() < time_ms) {
            continue;
        }
        IndexEntry entry = segment->locate_time(time_ms);
        SF_ASSIGN_OR_RETURN(ReadBatch batch, read(entry.seq_ix, 1, SIZE_MAX, time_ms));
        if (!batch.records.empty()) {
            return batch.records.front().seq_ix;
        }
    }
    return durable_end();
}

void ShardLog::delete_segments_before(EpochMillis cutoff_ms) {
    std::lock_guard lock(segments_mu_);
    // The last segment is the active one and always stays: it carries the next sequence index.
    size_t expired = 0;
    while (expired + 1 < segments_.size() && segments_[expired]->last_arrival_ms() < cutoff_ms) {
        segments_[expired]->remove_files();
        ++expired;
    }
    segments_.erase(segments_.begin(), segments_.begin() + static_cast<std::ptrdiff_t>(expired));
}

void ShardLog::remove_all() {
    std::lock_guard lock(segments_mu_);
    for (const auto& segment : segments_) {
        segment->remove_files();
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

}  // namespace shardflow::store::log
