// Interval and window joins through the runtime: inner and left against a brute-force nested
// loop over random out-of-order orders and payments, at 1, 2 and 4 workers and across a
// checkpoint.

#include "connectors/sinks/collect_sink.h"
#include "operators/join/interval_join.h"
#include "operators/join/window_join.h"
#include "operators/query.h"
#include "tests/support/temp_dir.h"
#include "tests/support/vector_source.h"

#include <gtest/gtest.h>

#include <atomic>
#include <random>

namespace shardflow::ops {
namespace {

using namespace std::chrono_literals;

struct Order {
    int64_t id;
    int64_t ts;
    bool operator==(const Order&) const = default;
    static auto fields(auto& self) { return std::tie(self.id, self.ts); }
};
struct Payment {
    int64_t order_id;
    int64_t ts;
    int64_t cents;
    bool operator==(const Payment&) const = default;
    static auto fields(auto& self) { return std::tie(self.order_id, self.ts, self.cents); }
};
using Row = JoinResult<int64_t, Order, Payment>;

constexpr int64_t kLower = -200;  // a payment may come up to 200 ms before its order
constexpr int64_t kUpper = 1000;  // and up to 1 s after

template <class T>
std::vector<std::vector<T>> random_partitions(int partitions, int n, uint32_t seed, auto make) {
    std::mt19937 rng(seed);
    std::vector<std::vector<T>> out(partitions);
    for (auto& p : out) {
        int64_t clock = 1'700'000'000'000;
        for (int i = 0; i < n; ++i) {
            clock += rng() % 10;
            p.push_back(make(rng, clock - static_cast<int64_t>(rng() % 50)));
        }
    }
    return out;
}

auto orders() {
    return random_partitions<Order>(3, 1500, 1, [](auto& rng, int64_t ts) {
        return Order{static_cast<int64_t>(rng() % 400), ts};
    });
}
auto payments() {
    return random_partitions<Payment>(2, 2000, 2, [](auto& rng, int64_t ts) {
        return Payment{static_cast<int64_t>(rng() % 400), ts, static_cast<int64_t>(rng() % 10000)};
    });
}

void sort_rows(std::vector<Row>& rows) {
    auto key = [](const Row& r) {
        return std::tuple(
            r.key, r.left.ts, r.right ? r.right->ts : INT64_MIN, r.right ? r.right->cents : -1);
    };
    std::sort(
        rows.begin(), rows.end(), [&](const Row& a, const Row& b) { return key(a) < key(b); });
}

/// Nested loop over every order and payment with the same key.
std::vector<Row> reference(bool left_outer,
                           const std::function<bool(const Order&, const Payment&)>& match) {
    std::vector<Row> rows;
    auto ps = payments();
    for (const auto& part : orders()) {
        for (const auto& o : part) {
            bool matched = false;
            for (const auto& pp : ps) {
                for (const auto& p : pp) {
                    if (p.order_id == o.id && match(o, p)) {
                        rows.push_back({o.id, o, p});
                        matched = true;
                    }
                }
            }
            if (left_outer && !matched) {
                rows.push_back({o.id, o, std::nullopt});
            }
        }
    }
    sort_rows(rows);
    return rows;
}

bool within_interval(const Order& o, const Payment& p) {
    return p.ts - o.ts >= kLower && p.ts - o.ts <= kUpper;
}

template <class Spec>
std::vector<Row> run_join(Spec spec,
                          size_t workers,
                          runtime::CheckpointStore* checkpoints = nullptr,
                          uint64_t stop_after_rounds = 0) {
    Query q("orders_payments");
    auto sink = std::make_shared<connectors::CollectSink<Row>>();
    auto order_stream = q.source<Order>(std::make_shared<tests::VectorSource<Order>>(orders()))
                            .with_event_time(&Order::ts);
    auto payment_stream =
        q.source<Payment>(std::make_shared<tests::VectorSource<Payment>>(payments()))
            .with_event_time(&Payment::ts);
    connect(std::move(order_stream), std::move(payment_stream))
        .key_by(&Order::id, &Payment::order_id)
        .apply(std::move(spec))
        .sink(sink);
    std::atomic<bool> stop{false};
    uint64_t rounds = 0;
    runtime::ExecutorOptions options;
    options.workers = workers;
    options.batch_size = 100;
    options.bounded = true;
    options.watermarks.out_of_orderness = 50ms;
    options.checkpoints.store = checkpoints;
    options.checkpoints.interval = std::chrono::hours(1);
    if (stop_after_rounds > 0) {
        options.stop = &stop;
        options.on_progress = [&](uint64_t, runtime::EventTime) {
            stop = ++rounds >= stop_after_rounds;
        };
    }
    auto stats = q.run(options);
    EXPECT_TRUE(stats) << stats.error().message;
    auto rows = sink->records();
    sort_rows(rows);
    return rows;
}

/// The same join at 1, 2 and 4 workers and stopped then resumed from a checkpoint: all equal
/// the nested loop.
template <class MakeSpec>
void expect_join_matches(const std::vector<Row>& expected, MakeSpec make_spec) {
    ASSERT_GT(expected.size(), 1000u);
    for (size_t workers : {1, 2, 4}) {
        EXPECT_TRUE(run_join(make_spec(), workers) == expected) << workers << " workers";
    }
    tests::TempDir dir;
    auto checkpoints = runtime::CheckpointStore::open(dir.path() / "checkpoints.db").value();
    auto rows = run_join(make_spec(), 2, checkpoints.get(), 8);
    EXPECT_LT(rows.size(), expected.size());
    auto rest = run_join(make_spec(), 2, checkpoints.get());
    rows.insert(rows.end(), rest.begin(), rest.end());
    sort_rows(rows);
    EXPECT_TRUE(rows == expected) << "resumed run differs";
}

class JoinTest : public ::testing::TestWithParam<bool> {};

TEST_P(JoinTest, IntervalJoinMatchesANestedLoop) {
    bool left_outer = GetParam();
    expect_join_matches(reference(left_outer, within_interval), [&] {
        auto join =
            IntervalJoin(std::chrono::milliseconds(kLower), std::chrono::milliseconds(kUpper));
        return left_outer ? std::move(join).left() : std::move(join);
    });
}

TEST_P(JoinTest, WindowJoinMatchesANestedLoop) {
    bool left_outer = GetParam();
    auto same_window = [](const Order& o, const Payment& p) {
        return o.ts / 700 == p.ts / 700;
    };
    expect_join_matches(reference(left_outer, same_window), [&] {
        auto join = WindowJoin(700ms);
        return left_outer ? std::move(join).left() : std::move(join);
    });
}

INSTANTIATE_TEST_SUITE_P(InnerAndLeft, JoinTest, ::testing::Bool());

TEST(IntervalJoin, BothBoundsAreInclusiveWhicheverSideArrivesFirst) {
    // One record per partition per round. Round 1: order 99, payments at lower - 1 and upper;
    // round 2: order 7 (finds the buffered payments), then payments at lower and upper + 1
    // (find the buffered order). Only the two at the bounds match.
    std::vector<std::vector<Order>> orders{{{99, 9'000}, {7, 10'000}}};
    std::vector<std::vector<Payment>> payments{
        {{7, 10'000 + kLower - 1, 1}, {7, 10'000 + kLower, 2}},
        {{7, 10'000 + kUpper, 3}, {7, 10'000 + kUpper + 1, 4}}};
    Query q("edges");
    auto sink = std::make_shared<connectors::CollectSink<Row>>();
    auto a = q.source<Order>(std::make_shared<tests::VectorSource<Order>>(orders))
                 .with_event_time(&Order::ts);
    auto b = q.source<Payment>(std::make_shared<tests::VectorSource<Payment>>(payments))
                 .with_event_time(&Payment::ts);
    connect(std::move(a), std::move(b))
        .key_by(&Order::id, &Payment::order_id)
        .apply(IntervalJoin(std::chrono::milliseconds(kLower), std::chrono::milliseconds(kUpper)))
        .sink(sink);
    runtime::ExecutorOptions options;
    options.workers = 1;
    options.batch_size = 1;
    options.bounded = true;
    options.watermarks.out_of_orderness = 5s;
    ASSERT_TRUE(q.run(options));
    auto rows = sink->records();
    sort_rows(rows);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].right->cents, 2);
    EXPECT_EQ(rows[1].right->cents, 3);
}

TEST(IntervalJoin, WithoutEventTimeTheQueryRefusesToRun) {
    Query q("no_time");
    auto a = q.source<Order>(
        std::make_shared<tests::VectorSource<Order>>(std::vector<std::vector<Order>>{}));
    auto b = q.source<Payment>(
        std::make_shared<tests::VectorSource<Payment>>(std::vector<std::vector<Payment>>{}));
    connect(std::move(a), std::move(b))
        .key_by(&Order::id, &Payment::order_id)
        .apply(IntervalJoin(0s, 1s))
        .sink(std::make_shared<connectors::CollectSink<Row>>());
    auto stats = q.run();
    ASSERT_FALSE(stats);
    EXPECT_NE(stats.error().message.find("needs event time"), std::string::npos)
        << stats.error().message;
}

}  // namespace
}  // namespace shardflow::ops
