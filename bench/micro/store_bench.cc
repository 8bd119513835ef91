// The shard log alone: durable appends with group commit, reads from the first record to the
// tail, routing and sequence-number formatting, and the raw write bandwidth they compare to.

#include "engine/store/log/shard_log.h"
#include "engine/store/shards/hash_key.h"
#include "engine/store/shards/sequence_number.h"
#include "tests/support/temp_dir.h"

#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

namespace shardflow::store::log {
namespace {

constexpr size_t kBatch = 500;

std::vector<std::string> make_keys(int salt) {
    std::vector<std::string> keys;
    for (size_t i = 0; i < kBatch; ++i) {
        keys.push_back("user-" + std::to_string(salt) + "-" + std::to_string(i));
    }
    return keys;
}

// Shared by the threads of one run: one directory, `shards` logs.
struct Logs {
    tests::TempDir dir;
    std::vector<std::shared_ptr<ShardLog>> shards;
};

Logs* g_logs = nullptr;

// Args: record bytes, shard count. Each thread appends batches of 500 to shard
// (thread % shards) and waits until they are durable; threads on one shard share fsyncs.
void BM_DurableAppend(benchmark::State& state) {
    auto record_bytes = static_cast<size_t>(state.range(0));
    auto shard_count = static_cast<size_t>(state.range(1));
    if (state.thread_index() == 0) {
        g_logs = new Logs();
        for (size_t i = 0; i < shard_count; ++i) {
            auto log =
                ShardLog::open(g_logs->dir.path() / std::to_string(i), {}, SystemClock::instance());
            g_logs->shards.push_back(log ? std::move(*log) : nullptr);
        }
    }
    auto keys = make_keys(state.thread_index());
    std::string payload(record_bytes, 'x');
    std::vector<RecordInput> batch;
    for (const auto& key : keys) {
        batch.push_back({key, payload});
    }
    for (auto _ : state) {
        ShardLog* log =
            g_logs->shards[static_cast<size_t>(state.thread_index()) % shard_count].get();
        auto appended = log ? log->append(batch)
                            : Result<ShardLog::Appended>(Error{ErrorCode::kIoError, "open"});
        if (!appended || !log->wait_durable(*appended)) {
            state.SkipWithError("append failed");
            break;
        }
    }
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kBatch));
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kBatch * record_bytes));
    if (state.thread_index() == 0) {
        delete g_logs;
        g_logs = nullptr;
    }
}
BENCHMARK(BM_DurableAppend)
    ->ArgNames({"bytes", "shards"})
    ->Args({100, 1})
    ->Args({1024, 1})
    ->Threads(1)
    ->Threads(4)
    ->Threads(8)
    ->UseRealTime()
    ->MinTime(1.0);
BENCHMARK(BM_DurableAppend)
    ->ArgNames({"bytes", "shards"})
    ->Args({100, 4})
    ->Args({1024, 4})
    ->Threads(4)
    ->Threads(8)
    ->UseRealTime()
    ->MinTime(1.0);

// Sequential 1 MiB write() + fdatasync on one file: the device's durable write bandwidth.
void BM_RawWriteWithFsync(benchmark::State& state) {
    tests::TempDir dir;
    auto path = dir.path() / "raw";
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    auto block_bytes = static_cast<size_t>(state.range(0));
    std::string block(block_bytes, 'r');
    for (auto _ : state) {
        if (::write(fd, block.data(), block.size()) != static_cast<ssize_t>(block.size()) ||
            ::fdatasync(fd) != 0) {
            state.SkipWithError("write failed");
            break;
        }
    }
    ::close(fd);
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * block_bytes));
}
BENCHMARK(BM_RawWriteWithFsync)->Arg(55 << 10)->Arg(1 << 20)->UseRealTime()->MinTime(1.0);

// Reads 400,000 records of 100 B from the first record to the tail, 10,000 per call.
void BM_ReadToTail(benchmark::State& state) {
    tests::TempDir dir;
    auto log = std::move(
        *ShardLog::open(dir.path(), {64ULL << 20, SyncMode::kNone}, SystemClock::instance()));
    auto keys = make_keys(0);
    std::string payload(100, 'x');
    std::vector<RecordInput> batch;
    for (const auto& key : keys) {
        batch.push_back({key, payload});
    }
    for (int i = 0; i < 800; ++i) {
        (void)log->append(batch);
    }
    int64_t records = 0;
    for (auto _ : state) {
        uint64_t from = 0;
        while (true) {
            auto read = log->read(from, 10000, 10 << 20, 0);
            if (!read || read->records.empty()) {
                break;
            }
            records += static_cast<int64_t>(read->records.size());
            benchmark::DoNotOptimize(read->records.back().data.data());
            from = read->next_seq_ix;
        }
    }
    state.SetItemsProcessed(records);
}
BENCHMARK(BM_ReadToTail)->Unit(benchmark::kMillisecond);

void BM_RouteByPartitionKey(benchmark::State& state) {
    auto keys = make_keys(1);
    size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(hash_key_for_partition_key(keys[i++ % keys.size()]));
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RouteByPartitionKey);

void BM_SequenceNumberToString(benchmark::State& state) {
    SequenceNumber seq{1700000000, 3, 123456789, 1700000100};
    for (auto _ : state) {
        ++seq.seq_ix;
        benchmark::DoNotOptimize(seq.to_string());
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SequenceNumberToString);

void BM_SequenceFormatterRun(benchmark::State& state) {
    SequenceFormatter formatter(1700000000, 3);
    uint64_t seq = 123456789;
    for (auto _ : state) {
        benchmark::DoNotOptimize(formatter.format(++seq, 1700000100));
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SequenceFormatterRun);

void BM_SequenceNumberParse(benchmark::State& state) {
    std::string text = SequenceNumber{1700000000, 3, 123456789, 1700000100}.to_string();
    for (auto _ : state) {
        benchmark::DoNotOptimize(SequenceNumber::parse(text));
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SequenceNumberParse);

}  // namespace
}  // namespace shardflow::store::log

BENCHMARK_MAIN();
