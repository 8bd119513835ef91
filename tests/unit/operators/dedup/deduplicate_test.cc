// Deduplication against a reference that applies the rule record by record, at 1, 2 and 4
// workers (each key's records arrive in one partition, in order).

#include "operators/dedup/deduplicate.h"

#include "connectors/sinks/collect_sink.h"
#include "operators/query.h"
#include "tests/support/vector_source.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

namespace shardflow::ops {
namespace {

using namespace std::chrono_literals;

struct Delivery {
    int64_t id;  // the producer's id: a retry sends the same id again
    int64_t ts;
    int64_t attempt;
    bool operator==(const Delivery&) const = default;
};

TEST(Deduplicate, KeepsTheFirstOfEachIdWithinTheWindowAtAnyParallelism) {
    std::mt19937 rng(5);
    std::vector<std::vector<Delivery>> input(3);
    for (int64_t p = 0; p < 3; ++p) {
        int64_t ts = 1'000'000;
        for (int i = 0; i < 3000; ++i) {
            ts += rng() % 20;
            int64_t id =
                p * 1000 + static_cast<int64_t>(rng() % 200);  // ids belong to one partition
            input[p].push_back({id, ts, i});
        }
    }
    std::vector<Delivery> expected;
    for (const auto& partition : input) {
        std::map<int64_t, int64_t> passed;
        for (const auto& d : partition) {
            auto it = passed.find(d.id);
            if (it != passed.end() && d.ts < it->second + 500) {
                continue;
            }
            passed[d.id] = d.ts;
            expected.push_back(d);
        }
    }
    auto by_id_then_time = [](const Delivery& a, const Delivery& b) {
        return std::tie(a.id, a.ts, a.attempt) < std::tie(b.id, b.ts, b.attempt);
    };
    std::sort(expected.begin(), expected.end(), by_id_then_time);
    ASSERT_LT(expected.size(), 9000u);  // there were duplicates to drop
    for (size_t workers : {1, 2, 4}) {
        Query q("dedup");
        auto sink = std::make_shared<connectors::CollectSink<Delivery>>();
        q.source<Delivery>(std::make_shared<tests::VectorSource<Delivery>>(input))
            .with_event_time(&Delivery::ts)
            .key_by(&Delivery::id)
            .apply(Deduplicate(500ms))
            .sink(sink);
        runtime::ExecutorOptions options;
        options.workers = workers;
        options.batch_size = 64;
        options.bounded = true;
        ASSERT_TRUE(q.run(options));
        auto got = sink->records();
        std::sort(got.begin(), got.end(), by_id_then_time);
        EXPECT_TRUE(got == expected)
            << workers << " workers: " << got.size() << " vs " << expected.size();
    }
}

}  // namespace
}  // namespace shardflow::ops
