// The dataflow runtime over an in-memory source of typed records: stateless stages, keyed
// windows, 1 and 2 workers. Rates are per CPU-second of the whole process (per core).

#include "operators/join/interval_join.h"
#include "operators/query.h"
#include "operators/window/hopping_window.h"
#include "operators/window/session_window.h"
#include "operators/window/tumbling_window.h"
#include "tests/support/vector_source.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <random>

namespace {

using namespace shardflow;
using namespace std::chrono_literals;

struct Event {
    int64_t key;
    int64_t ts;
    int64_t value;
};

constexpr int kPartitions = 4;
constexpr int kPerPartition = 250'000;
constexpr int kKeys = 10'000;

/// 1 M events over 4 partitions, 10 events per ms of event time, slightly out of order.
const std::vector<std::vector<Event>>& events() {
    static const auto data = [] {
        std::vector<std::vector<Event>> out(kPartitions);
        std::mt19937_64 rng(1);
        for (auto& p : out) {
            p.reserve(kPerPartition);
            for (int i = 0; i < kPerPartition; ++i) {
                auto jitter = static_cast<int64_t>(rng() % 50);
                p.push_back({static_cast<int64_t>(rng() % kKeys),
                             i / 10 * 4 + 1'700'000'000'000 - jitter,
                             static_cast<int64_t>(rng() % 1000)});
            }
        }
        return out;
    }();
    return data;
}

/// Counts what reaches it; shared by the workers.
template <class T>
class CountingSink final : public runtime::Downstream<T> {
public:
    void on_batch(std::span<T> batch) override {
        count_.fetch_add(batch.size(), std::memory_order_relaxed);
    }
    void on_watermark(runtime::EventTime) override {}
    void on_end() override {}
    uint64_t count() const { return count_.load(); }

private:
    std::atomic<uint64_t> count_{0};
};

runtime::ExecutorOptions options(benchmark::State& state) {
    runtime::ExecutorOptions o;
    o.workers = static_cast<size_t>(state.range(0));
    o.batch_size = 8192;
    o.bounded = true;
    o.watermarks.out_of_orderness = 100ms;
    return o;
}

void report(benchmark::State& state, uint64_t emitted) {
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * kPartitions * kPerPartition);
    state.counters["emitted"] = static_cast<double>(emitted);
}

void BM_StatelessMapFilter(benchmark::State& state) {
    uint64_t emitted = 0;
    for (auto _ : state) {
        ops::Query q("stateless");
        auto sink = std::make_shared<CountingSink<Event>>();
        q.source<Event>(std::make_shared<tests::VectorSource<Event>>(events()))
            .map([](const Event& e) {
                return Event{e.key, e.ts, e.value * 2};
            })
            .filter([](const Event& e) { return e.value % 3 != 0; })
            .sink(sink);
        if (!q.run(options(state))) {
            state.SkipWithError("query failed");
        }
        emitted = sink->count();
    }
    report(state, emitted);
}

template <class Window>
void run_window(benchmark::State& state, Window window) {
    uint64_t emitted = 0;
    for (auto _ : state) {
        ops::Query q("window");
        using Row = ops::WindowResult<int64_t, std::tuple<int64_t, int64_t>>;
        auto sink = std::make_shared<CountingSink<Row>>();
        q.source<Event>(std::make_shared<tests::VectorSource<Event>>(events()))
            .with_event_time(&Event::ts)
            .key_by(&Event::key)
            .apply(window.aggregate(ops::All(ops::Count{}, ops::Sum{&Event::value})))
            .sink(sink);
        if (!q.run(options(state))) {
            state.SkipWithError("query failed");
        }
        emitted = sink->count();
    }
    report(state, emitted);
}

void BM_TumblingCountSum(benchmark::State& state) {
    run_window(state, ops::TumblingWindow(60s));
}
void BM_HoppingSlide30s(benchmark::State& state) {
    run_window(state, ops::HoppingWindow(60s, 30s));
}
void BM_HoppingSlide1s(benchmark::State& state) {
    run_window(state, ops::HoppingWindow(60s, 1s));
}
void BM_Session(benchmark::State& state) {
    run_window(state, ops::SessionWindow(10s));
}

/// Orders (the events) joined with payments for one in ten of them, arriving 0 to 2 s later.
void BM_IntervalJoin(benchmark::State& state) {
    static const auto payments = [] {
        std::vector<std::vector<Event>> out(kPartitions);
        std::mt19937_64 rng(2);
        for (size_t p = 0; p < out.size(); ++p) {
            for (const Event& e : events()[p]) {
                if (rng() % 10 == 0) {
                    out[p].push_back({e.key, e.ts + static_cast<int64_t>(rng() % 2000), e.value});
                }
            }
            std::sort(out[p].begin(), out[p].end(), [](const Event& a, const Event& b) { return a.ts < b.ts; });
        }
        return out;
    }();
    uint64_t emitted = 0;
    for (auto _ : state) {
        ops::Query q("join");
        auto sink = std::make_shared<CountingSink<ops::JoinResult<int64_t, Event, Event>>>();
        auto orders = q.source<Event>(std::make_shared<tests::VectorSource<Event>>(events())).with_event_time(&Event::ts);
        auto paid = q.source<Event>(std::make_shared<tests::VectorSource<Event>>(payments)).with_event_time(&Event::ts);
        ops::connect(std::move(orders), std::move(paid))
            .key_by(&Event::key, &Event::key)
            .apply(ops::IntervalJoin(0ms, 2s))
            .sink(sink);
        if (!q.run(options(state))) {
            state.SkipWithError("query failed");
        }
        emitted = sink->count();
    }
    report(state, emitted);
}

#define RUNTIME_BENCH(fn) \
    BENCHMARK(fn)->Arg(1)->Arg(2)->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond)
RUNTIME_BENCH(BM_StatelessMapFilter);
RUNTIME_BENCH(BM_TumblingCountSum);
RUNTIME_BENCH(BM_HoppingSlide30s);
RUNTIME_BENCH(BM_HoppingSlide1s);
RUNTIME_BENCH(BM_Session);
RUNTIME_BENCH(BM_IntervalJoin);

}  // namespace

BENCHMARK_MAIN();
