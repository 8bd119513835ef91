// Regular (unbounded) join: the operator fed batches directly for arrival order and its state,
// then through the runtime against a nested loop at 1 and 2 workers and across a checkpoint;
// many matches come in chunks, and a cancelled run stops mid-batch and fails.

#include "operators/join/regular_join.h"

#include "connectors/sinks/collect_sink.h"
#include "engine/runtime/run_scope.h"
#include "operators/query.h"
#include "tests/support/temp_dir.h"
#include "tests/support/vector_source.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <random>
#include <set>

namespace shardflow::ops {
namespace {

struct Order {
    int64_t id;
    int64_t seq;  // unique per order
    int64_t ts;
    bool operator==(const Order&) const = default;
    static auto fields(auto& self) { return std::tie(self.id, self.seq, self.ts); }
};
struct Payment {
    int64_t order_id;
    int64_t seq;  // unique per payment
    int64_t ts;
    bool operator==(const Payment&) const = default;
    static auto fields(auto& self) { return std::tie(self.order_id, self.seq, self.ts); }
};
using Both = std::variant<Order, Payment>;
using Row = JoinResult<int64_t, Order, Payment>;
using Op = RegularJoinOperator<Both, int64_t>;

Op make_operator(runtime::Downstream<Row>& sink) {
    return Op(
        JoinOptions{.needs_event_time = false, .inner_only = true},
        [](const Both& v) { return v.index() == 0 ? std::get<0>(v).id : std::get<1>(v).order_id; },
        nullptr,
        sink);
}

Both order(int64_t id, int64_t seq) {
    return Order{id, seq, 0};
}
Both payment(int64_t id, int64_t seq) {
    return Payment{id, seq, 0};
}

/// (order seq, payment seq) of each row, in emission order.
std::vector<std::pair<int64_t, int64_t>> pairs(const std::vector<Row>& rows) {
    std::vector<std::pair<int64_t, int64_t>> out;
    for (const Row& r : rows) {
        EXPECT_TRUE(r.right.has_value());
        EXPECT_EQ(r.key, r.left.id);
        out.emplace_back(r.left.seq, r.right->seq);
    }
    return out;
}

using Pairs = std::vector<std::pair<int64_t, int64_t>>;

TEST(RegularJoin, EachPairOnceWhicheverSideComesFirst) {
    connectors::CollectSink<Row> sink;
    Op op = make_operator(sink);
    std::vector<Both> batch{order(1, 10), payment(2, 20), payment(1, 11), order(2, 21)};
    op.on_batch(batch);
    EXPECT_EQ(pairs(sink.records()), (Pairs{{10, 11}, {21, 20}}));
}

TEST(RegularJoin, SeveralRecordsPerKeyJoinInArrivalOrder) {
    connectors::CollectSink<Row> sink;
    Op op = make_operator(sink);
    std::vector<Both> first{order(5, 1), order(5, 2), payment(5, 3)};
    std::vector<Both> second{order(5, 4), payment(5, 5)};
    op.on_batch(first);
    op.on_batch(second);
    EXPECT_EQ(pairs(sink.records()), (Pairs{{1, 3}, {2, 3}, {4, 3}, {1, 5}, {2, 5}, {4, 5}}));
}

TEST(RegularJoin, KeysThatNeverMatchEmitNothing) {
    connectors::CollectSink<Row> sink;
    Op op = make_operator(sink);
    std::vector<Both> batch{order(8, 1), payment(9, 2), order(8, 3), payment(7, 4)};
    op.on_batch(batch);
    op.on_watermark(1'000);
    EXPECT_TRUE(sink.records().empty());
    EXPECT_EQ(op.late_records(), 0u);
}

TEST(RegularJoin, RestoredStateJoinsWithLaterRecords) {
    connectors::CollectSink<Row> before;
    Op op = make_operator(before);
    std::vector<Both> batch{order(1, 1), payment(2, 2), order(3, 3)};
    op.on_batch(batch);
    runtime::StateWriter w;
    op.snapshot(w);
    std::string saved = w.take();

    connectors::CollectSink<Row> after;
    Op restored = make_operator(after);
    runtime::StateReader r(saved);
    restored.restore(r);
    ASSERT_TRUE(r.status());
    std::vector<Both> more{payment(1, 4), order(2, 5), payment(3, 6)};
    restored.on_batch(more);
    EXPECT_EQ(pairs(after.records()), (Pairs{{1, 4}, {5, 2}, {3, 6}}));
}

/// The sizes of the batches it was handed.
class BatchSizes final : public runtime::Downstream<Row> {
public:
    void on_batch(std::span<Row> batch) override { sizes.push_back(batch.size()); }
    void on_watermark(runtime::EventTime) override {}
    void on_end() override {}

    std::vector<size_t> sizes;
};

/// Feeds `op` n orders of id 1, which a payment of id 1 then matches all at once.
void hold_orders_of_one_key(Op& op, int64_t n) {
    std::vector<Both> orders_of_one_key;
    for (int64_t seq = 0; seq < n; ++seq) {
        orders_of_one_key.push_back(order(1, seq));
    }
    op.on_batch(orders_of_one_key);
}

TEST(RegularJoin, AKeyWithManyMatchesHandsThemOnInChunks) {
    BatchSizes sink;
    Op op = make_operator(sink);
    hold_orders_of_one_key(op, 10'000);
    std::vector<Both> one_payment{payment(1, 10'000)};
    op.on_batch(one_payment);
    EXPECT_EQ(sink.sizes, (std::vector<size_t>{4096, 4096, 10'000 - 2 * 4096}));
}

TEST(RegularJoin, ACancelledRunStopsEmittingMidBatch) {
    BatchSizes sink;
    Op op = make_operator(sink);
    hold_orders_of_one_key(op, 10'000);
    runtime::CancelCheck cancelled = [] {
        return true;
    };
    runtime::RunScope scope({&cancelled, nullptr});
    std::vector<Both> payments{payment(1, 10'000), payment(1, 10'001)};
    op.on_batch(payments);
    EXPECT_EQ(sink.sizes, (std::vector<size_t>{4096})) << "one chunk, then it asked and stopped";
}

template <class T>
std::vector<std::vector<T>> random_partitions(int partitions, int n, uint32_t seed, auto make) {
    std::mt19937 rng(seed);
    std::vector<std::vector<T>> out(partitions);
    int64_t seq = 0;
    for (auto& p : out) {
        for (int i = 0; i < n; ++i) {
            p.push_back(make(rng, seq++));
        }
    }
    return out;
}

auto orders() {
    return random_partitions<Order>(3, 1500, 1, [](auto& rng, int64_t seq) {
        return Order{static_cast<int64_t>(rng() % 600), seq, 1'700'000'000'000 + seq};
    });
}
auto payments() {
    return random_partitions<Payment>(2, 1000, 2, [](auto& rng, int64_t seq) {
        return Payment{static_cast<int64_t>(rng() % 600), seq, 1'700'000'000'000 + seq};
    });
}

void sort_rows(std::vector<Row>& rows) {
    auto key = [](const Row& r) {
        return std::tuple(r.left.seq, r.right->seq);
    };
    std::sort(
        rows.begin(), rows.end(), [&](const Row& a, const Row& b) { return key(a) < key(b); });
}

/// Every order with every payment of its id.
std::vector<Row> reference() {
    std::vector<Row> rows;
    auto ps = payments();
    for (const auto& part : orders()) {
        for (const auto& o : part) {
            for (const auto& pp : ps) {
                for (const auto& p : pp) {
                    if (p.order_id == o.id) {
                        rows.push_back({o.id, o, p});
                    }
                }
            }
        }
    }
    sort_rows(rows);
    return rows;
}

struct RunOptions {
    size_t workers = 1;
    bool event_time = false;
    runtime::CheckpointStore* checkpoints = nullptr;
    uint64_t stop_after_rounds = 0;
};

/// orders() joined with payments() into a sink of the rows.
std::shared_ptr<connectors::CollectSink<Row>> build_join(Query& q, bool event_time = false) {
    auto sink = std::make_shared<connectors::CollectSink<Row>>();
    auto timed = [event_time](auto stream, auto time) {
        return event_time ? std::move(stream).with_event_time(time) : std::move(stream);
    };
    auto order_stream =
        timed(q.source<Order>(std::make_shared<tests::VectorSource<Order>>(orders())), &Order::ts);
    auto payment_stream =
        timed(q.source<Payment>(std::make_shared<tests::VectorSource<Payment>>(payments())),
              &Payment::ts);
    connect(std::move(order_stream), std::move(payment_stream))
        .key_by(&Order::id, &Payment::order_id)
        .apply(RegularJoin())
        .sink(sink);
    return sink;
}

std::vector<Row> run_join(const RunOptions& run) {
    Query q("orders_payments");
    auto sink = build_join(q, run.event_time);
    std::atomic<bool> stop{false};
    uint64_t rounds = 0;
    runtime::ExecutorOptions options;
    options.workers = run.workers;
    options.batch_size = 100;
    options.bounded = true;
    options.checkpoints.store = run.checkpoints;
    options.checkpoints.interval = std::chrono::hours(1);
    if (run.stop_after_rounds > 0) {
        options.stop = &stop;
        options.on_progress = [&](uint64_t, runtime::EventTime) {
            stop = ++rounds >= run.stop_after_rounds;
        };
    }
    auto stats = q.run(options);
    EXPECT_TRUE(stats) << stats.error().message;
    if (stats) {
        EXPECT_EQ(stats->late_records, 0u);
    }
    auto rows = sink->records();
    sort_rows(rows);
    return rows;
}

TEST(RegularJoin, ACancelledRunFailsWithoutAFinalCheckpoint) {
    tests::TempDir dir;
    auto checkpoints = runtime::CheckpointStore::open(dir.path() / "checkpoints.db").value();
    Query q("cancelled");
    build_join(q);
    std::atomic<uint64_t> rounds{0};
    runtime::ExecutorOptions options;
    options.batch_size = 100;
    options.bounded = true;
    options.checkpoints.store = checkpoints.get();
    options.checkpoints.interval = std::chrono::hours(1);
    options.on_progress = [&](uint64_t, runtime::EventTime) {
        ++rounds;
    };
    options.cancelled = [&] {
        return rounds >= 3;
    };
    auto stats = q.run(options);
    ASSERT_FALSE(stats);
    EXPECT_EQ(stats.error().code, ErrorCode::kCancelled);
    EXPECT_EQ(rounds, 3u);
    auto saved = checkpoints->load("cancelled");
    ASSERT_TRUE(saved);
    EXPECT_FALSE(*saved) << "an abandoned run leaves no checkpoint of its unfinished round";
}

TEST(RegularJoin, ARunThatKeepsMoreStateThanItsBudgetFails) {
    Query q("budgeted");
    build_join(q);
    runtime::StateBudget budget(64 << 10);  // 6,500 records of 24 bytes and more each
    runtime::ExecutorOptions options;
    options.batch_size = 100;
    options.bounded = true;
    options.state_budget = &budget;
    auto stats = q.run(options);
    ASSERT_FALSE(stats);
    EXPECT_EQ(stats.error().code, ErrorCode::kLimitExceeded);
    EXPECT_NE(stats.error().message.find("MiB of state, more than its limit of 0.1 MiB"),
              std::string::npos)
        << stats.error().message;
    EXPECT_GT(budget.held(), budget.limit());
}

TEST(RegularJoin, MatchesANestedLoopAtOneAndTwoWorkers) {
    auto expected = reference();
    ASSERT_GT(expected.size(), 1000u);
    for (size_t workers : {1, 2}) {
        EXPECT_TRUE(run_join({.workers = workers}) == expected) << workers << " workers";
    }
    EXPECT_TRUE(run_join({.workers = 2, .event_time = true}) == expected)
        << "with event time: nothing is late";
}

TEST(RegularJoin, ResumedFromACheckpointJoinsWithRecordsReadBeforeIt) {
    auto expected = reference();
    tests::TempDir dir;
    auto checkpoints = runtime::CheckpointStore::open(dir.path() / "checkpoints.db").value();
    auto rows = run_join({.workers = 2, .checkpoints = checkpoints.get(), .stop_after_rounds = 3});
    ASSERT_LT(rows.size(), expected.size());
    std::set<int64_t> orders_before;
    for (const Row& r : rows) {
        orders_before.insert(r.left.seq);
    }
    auto rest = run_join({.workers = 2, .checkpoints = checkpoints.get()});
    EXPECT_TRUE(std::any_of(rest.begin(), rest.end(), [&](const Row& r) {
        return orders_before.contains(r.left.seq);
    })) << "no order read before the checkpoint joined a payment read after it";
    rows.insert(rows.end(), rest.begin(), rest.end());
    sort_rows(rows);
    EXPECT_TRUE(rows == expected) << "resumed run differs";
}

TEST(RegularJoin, LeftJoinIsRefused) {
    Query q("left_regular");
    auto a = q.source<Order>(
        std::make_shared<tests::VectorSource<Order>>(std::vector<std::vector<Order>>{}));
    auto b = q.source<Payment>(
        std::make_shared<tests::VectorSource<Payment>>(std::vector<std::vector<Payment>>{}));
    connect(std::move(a), std::move(b))
        .key_by(&Order::id, &Payment::order_id)
        .apply(RegularJoin().left())
        .sink(std::make_shared<connectors::CollectSink<Row>>());
    auto stats = q.run();
    ASSERT_FALSE(stats);
    EXPECT_NE(stats.error().message.find("query left_regular: a regular join is inner only"),
              std::string::npos)
        << stats.error().message;
}

}  // namespace
}  // namespace shardflow::ops
