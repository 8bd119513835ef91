// StreamStore end to end in-process: PutRecords batches of 500 with durable acknowledgement,
// routed over 4 shards by partition key, and GetRecords drains.

#include "engine/store/stream_store.h"
#include "tests/support/temp_dir.h"

#include <benchmark/benchmark.h>

#include <thread>

namespace shardflow::store {
namespace {

constexpr int kShards = 4;
constexpr size_t kBatch = 500;

std::unique_ptr<StreamStore> open_store(const tests::TempDir& dir) {
    StoreOptions options;
    options.data_dir = dir.path();
    options.background_housekeeping = false;
    auto store = StreamStore::open(options);
    if (!store || !(*store)->create_stream({"bench", kShards, StreamMode::kProvisioned, {}})) {
        return nullptr;
    }
    return std::move(*store);
}

struct Batch {
    std::vector<std::string> keys;
    std::string payload;
    std::vector<PutRecordRequest> requests;

    Batch(size_t record_bytes, int salt)
        : payload(record_bytes, 'x') {
        for (size_t i = 0; i < kBatch; ++i) {
            keys.push_back("user-" + std::to_string(salt) + "-" + std::to_string(i));
        }
        for (const auto& key : keys) {
            requests.push_back({key, payload, std::nullopt});
        }
    }
};

// Arg 0: record bytes; threads put concurrently into one stream (group commit across them).
void BM_PutRecordsDurable(benchmark::State& state) {
    static tests::TempDir* dir = nullptr;
    static std::unique_ptr<StreamStore> store;
    if (state.thread_index() == 0) {
        dir = new tests::TempDir();
        store = open_store(*dir);
    }
    Batch batch(static_cast<size_t>(state.range(0)), state.thread_index());
    for (auto _ : state) {
        if (!store) {
            state.SkipWithError("store did not open");
            break;
        }
        auto results = store->put_records("bench", batch.requests);
        if (!results) {
            state.SkipWithError(results.error().message.c_str());
            break;
        }
    }
    state.SetItemsProcessed(state.iterations() * kBatch);
    state.SetBytesProcessed(state.iterations() * kBatch * state.range(0));
    if (state.thread_index() == 0) {
        store.reset();
        delete dir;
    }
}
BENCHMARK(BM_PutRecordsDurable)
    ->Arg(100)
    ->Arg(1024)
    ->ThreadRange(1, 8)
    ->UseRealTime()
    ->MinTime(1.0);

void BM_GetRecordsDrain(benchmark::State& state) {
    tests::TempDir dir;
    auto store = open_store(dir);
    Batch batch(100, 0);
    for (int i = 0; i < 400; ++i) {
        (void)store->put_records("bench", batch.requests);
    }
    int64_t records = 0;
    for (auto _ : state) {
        for (int shard = 0; shard < kShards; ++shard) {
            auto it = store->get_shard_iterator(
                "bench", shard_id_name(shard), {IteratorType::kTrimHorizon, {}, 0});
            for (int calls = 0; it && calls < 1000; ++calls) {
                auto r = store->get_records(*it, 10000);
                if (!r || r->records.empty()) {
                    break;
                }
                records += static_cast<int64_t>(r->records.size());
                it = *r->next_shard_iterator;
            }
        }
    }
    state.SetItemsProcessed(records);
}
BENCHMARK(BM_GetRecordsDrain)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace shardflow::store

BENCHMARK_MAIN();
