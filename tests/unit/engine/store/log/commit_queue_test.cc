// ShardLog::when_durable on the commit threads: callbacks after the sync that covers them, the
// failures of a cut, and logs their owner dropped.

#include "engine/store/log/commit_queue.h"

#include "engine/store/log/fault_points.h"
#include "engine/store/log/shard_log.h"
#include "tests/support/fault_saboteur.h"
#include "tests/support/temp_dir.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

namespace shardflow::store::log {
namespace {

constexpr EpochMillis kStart = 1700000000000;

/// Counts callbacks and keeps their results; wait() returns once `expected` came.
class Callbacks {
public:
    explicit Callbacks(size_t expected)
        : expected_(expected) {}

    ShardLog::DurableCallback make(std::string name) {
        return [this, name = std::move(name)](Status status) {
            std::lock_guard lock(mu_);
            results_.emplace_back(name, std::move(status));
            threads_.insert(std::this_thread::get_id());
            cv_.notify_all();
        };
    }

    void wait() {
        std::unique_lock lock(mu_);
        ASSERT_TRUE(cv_.wait_for(
            lock, std::chrono::seconds(10), [this] { return results_.size() >= expected_; }));
    }

    std::vector<std::pair<std::string, Status>> results() {
        std::lock_guard lock(mu_);
        return results_;
    }
    std::set<std::thread::id> threads() {
        std::lock_guard lock(mu_);
        return threads_;
    }

private:
    const size_t expected_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::vector<std::pair<std::string, Status>> results_;  // guarded by mu_
    std::set<std::thread::id> threads_;                    // guarded by mu_
};

class CommitQueueTest : public ::testing::Test {
protected:
    std::shared_ptr<ShardLog> open_log(SyncMode sync = SyncMode::kFsync) {
        ShardLogOptions options;
        options.sync = sync;
        options.committer = &committer_;
        auto log = ShardLog::open(dir_.path() / "shard", options, clock_);
        EXPECT_TRUE(log) << log.error().message;
        return log ? std::move(*log) : nullptr;
    }

    void TearDown() override { FaultPoints::disarm_all(); }

    static ShardLog::Appended append(ShardLog& log, std::string_view data) {
        RecordInput record{"pk", data};
        auto appended = log.append(std::span(&record, 1));
        EXPECT_TRUE(appended) << appended.error().message;
        return *appended;
    }

    tests::TempDir dir_;
    FakeClock clock_{kStart};
    CommitQueue committer_{2};
};

TEST_F(CommitQueueTest, CallsBackOnACommitThreadOnceTheRecordsAreDurable) {
    auto log = open_log();
    Callbacks callbacks(100);
    for (int i = 0; i < 100; ++i) {
        auto appended = append(*log, fmt::format("record {}", i));
        log->when_durable(appended, callbacks.make(std::to_string(i)));
    }
    callbacks.wait();
    for (const auto& [name, status] : callbacks.results()) {
        EXPECT_TRUE(status) << name;
    }
    EXPECT_EQ(log->durable_end(), 100u);
    EXPECT_FALSE(callbacks.threads().contains(std::this_thread::get_id()));
}

TEST_F(CommitQueueTest, AnAppendDurableAlreadyIsCalledBackAtOnceOnTheCaller) {
    auto log = open_log(SyncMode::kNone);
    Callbacks callbacks(1);
    log->when_durable(append(*log, "x"), callbacks.make("x"));
    ASSERT_EQ(callbacks.results().size(), 1u);  // before when_durable returned
    EXPECT_TRUE(callbacks.results()[0].second);
    EXPECT_EQ(callbacks.threads(), std::set{std::this_thread::get_id()});
}

TEST_F(CommitQueueTest, AFailedSyncFailsEveryCallbackItCoversAndTheLogGoesOn) {
    auto log = open_log();
    FaultPoints::arm(FaultPoint::kSegmentSync, EIO);
    Callbacks failed(2);
    auto first = append(*log, "first");
    auto second = append(*log, "second");
    log->when_durable(first, failed.make("first"));
    log->when_durable(second, failed.make("second"));
    failed.wait();
    for (const auto& [name, status] : failed.results()) {
        ASSERT_FALSE(status) << name;
        EXPECT_NE(status.error().message.find("Input/output error"), std::string::npos);
    }
    EXPECT_EQ(log->durable_end(), 0u);

    Callbacks later(1);
    auto third = append(*log, "third");
    EXPECT_EQ(third.first_seq_ix, 0u);  // the cut records' indexes are reused
    log->when_durable(third, later.make("third"));
    later.wait();
    EXPECT_TRUE(later.results()[0].second);
    // A callback for the cut append, asked again, still hears of its failure.
    Callbacks again(1);
    log->when_durable(first, again.make("first again"));
    EXPECT_FALSE(again.results().at(0).second);
}

TEST_F(CommitQueueTest, ABlockingWaitersSyncCompletesTheCallbacksItCovers) {
    auto log = open_log();
    Callbacks callbacks(1);
    auto first = append(*log, "first");
    auto second = append(*log, "second");
    log->when_durable(first, callbacks.make("first"));
    EXPECT_TRUE(log->wait_durable(second));
    callbacks.wait();
    EXPECT_TRUE(callbacks.results()[0].second);
}

TEST_F(CommitQueueTest, ALogItsOwnerDroppedStillCompletesWhatWaits) {
    Callbacks callbacks(50);
    {
        auto log = open_log();
        for (int i = 0; i < 50; ++i) {
            log->when_durable(append(*log, std::to_string(i)), callbacks.make(std::to_string(i)));
        }
    }
    callbacks.wait();
    for (const auto& [name, status] : callbacks.results()) {
        EXPECT_TRUE(status) << name;
    }
    auto reopened = open_log();
    EXPECT_EQ(reopened->durable_end(), 50u);
}

TEST_F(CommitQueueTest, ConcurrentPutsWithFailuresAcknowledgeExactlyWhatIsKept) {
    auto log = open_log();
    constexpr int kThreads = 4;
    constexpr int kPuts = 200;
    std::mutex mu;
    std::set<std::string> acknowledged;  // guarded by mu
    Callbacks callbacks(kThreads * kPuts);
    tests::FaultSaboteur saboteur;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int p = 0; p < kPuts; ++p) {
                std::string data = fmt::format("{}/{}", t, p);
                RecordInput record{"pk", data};
                auto appended = log->append(std::span(&record, 1));
                auto count = callbacks.make(data);
                if (!appended) {
                    count(appended.error());
                    continue;
                }
                log->when_durable(*appended, [&, data, count](Status status) {
                    if (status) {
                        std::lock_guard lock(mu);
                        acknowledged.insert(data);
                    }
                    count(std::move(status));
                });
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    callbacks.wait();
    saboteur.stop();

    log.reset();
    auto recovered = open_log();
    auto batch = recovered->read(0, 100000, SIZE_MAX, 0);
    ASSERT_TRUE(batch);
    std::set<std::string> kept;
    for (const auto& r : batch->records) {
        kept.emplace(r.data);
    }
    EXPECT_EQ(kept, acknowledged);
    EXPECT_EQ(batch->records.size(), acknowledged.size());
}

}  // namespace
}  // namespace shardflow::store::log
