// Subscriptions against a real store: pushed on commit, one per consumer and shard, ended by
// their lifetime, by the shard's end and by cancellation.

#include "connectors/kinesis_api/subscriptions/shard_subscriptions.h"

#include "connectors/kinesis_api/error_mapping.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>

namespace shardflow::api {
namespace {

using namespace std::chrono_literals;

/// Writes "records:<data,...>|<continuation>" or "error:<code>" so tests can read events.
class TextEncoder final : public EventEncoder {
public:
    std::string records(const store::GetRecordsResult& read,
                        std::string_view continuation) const override {
        std::string out = "records:";
        for (const auto& r : read.records) {
            out += std::string(r.data) + ",";
        }
        if (read.shard_ended) {
            out += "ended";
        }
        return out + "|" + std::string(continuation);
    }
    std::string error(const Error& error) const override {
        return "error:" + std::string(to_wire(error.code).type);
    }
};

/// A transport: pulls one part at a time and keeps what it got.
class Reader {
public:
    explicit Reader(std::shared_ptr<BodySource> source)
        : source_(std::move(source)) {}
    ~Reader() { source_->cancel(); }  // no part may arrive once it is gone

    /// The next part (nullopt at the end), waiting at most `within`; "timeout" if none came.
    std::optional<std::string> next(std::chrono::milliseconds within = 5s) {
        {
            std::lock_guard lock(mu_);
            got_.reset();
            delivered_ = false;
        }
        source_->pull([this](std::optional<std::string> part) {  // may deliver at once
            std::lock_guard lock(mu_);
            got_ = std::move(part);
            delivered_ = true;
            cv_.notify_all();
        });
        std::unique_lock lock(mu_);
        if (!cv_.wait_for(lock, within, [this] { return delivered_; })) {
            return "timeout";
        }
        return got_;
    }

    BodySource& source() { return *source_; }

private:
    std::shared_ptr<BodySource> source_;
    std::mutex mu_;
    std::condition_variable cv_;
    bool delivered_ = false;
    std::optional<std::string> got_;
};

class ShardSubscriptionsTest : public ::testing::Test {
protected:
    void SetUp() override {
        store_ = tests::open_test_store(dir_.path());
        ASSERT_TRUE(store_->create_stream({"s", 1, store::StreamMode::kProvisioned, {}}));
    }

    std::unique_ptr<ShardSubscriptions> hub(SubscriptionOptions options = {}) {
        return std::make_unique<ShardSubscriptions>(*store_, options);
    }

    store::ShardCursor cursor(store::IteratorType type = store::IteratorType::kTrimHorizon) {
        return *store_->open_cursor("s", "shardId-000000000000", {type, "", 0});
    }

    void put(std::string_view data) {
        ASSERT_TRUE(store_->put_record("s", {"k", data, std::nullopt}));
    }

    std::shared_ptr<BodySource> subscribe(ShardSubscriptions& h, std::string consumer = "c") {
        auto s = h.subscribe(consumer, cursor(), std::make_unique<TextEncoder>());
        EXPECT_TRUE(s) << s.error().message;
        return s ? *s : nullptr;
    }

    tests::TempDir dir_;
    std::unique_ptr<store::StreamStore> store_;
};

TEST_F(ShardSubscriptionsTest, PushesRecordsAsTheyBecomeDurable) {
    put("before");
    auto h = hub();
    Reader reader(subscribe(*h));
    EXPECT_EQ(reader.next()->substr(0, 15), "records:before,");
    std::thread writer([this] {
        std::this_thread::sleep_for(50ms);
        put("after");
    });
    // Within far less than the heartbeat: the commit woke the subscription.
    auto part = reader.next(2s);
    writer.join();
    EXPECT_EQ(part->substr(0, 14), "records:after,");
}

TEST_F(ShardSubscriptionsTest, AConsumerReadsNoMoreThanItsShareOfAStreamWithLimits) {
    ASSERT_TRUE(store_->set_enforce_limits("s", true));
    std::string chunk(32 << 10, 'x');
    for (int i = 0; i < 4; ++i) {
        put(chunk);
    }
    auto h = hub({.heartbeat = 100ms, .share_bytes_per_second = 64 << 10});
    Reader reader(subscribe(*h));
    auto first = reader.next();
    EXPECT_EQ(std::count(first->begin(), first->end(), ','), 4) << "what it found, at once";
    put("late");
    auto asked = std::chrono::steady_clock::now();
    auto next = reader.next(5s);
    // It read 128 KiB with a second's share of 64 KiB: the next read waits until it earned it.
    EXPECT_GE(std::chrono::steady_clock::now() - asked, 900ms);
    EXPECT_EQ(next->substr(0, 13), "records:late,");
}

TEST_F(ShardSubscriptionsTest, ContinuationResumesWithoutLossOrRepeat) {
    auto h = hub({.heartbeat = 50ms});
    Reader reader(subscribe(*h));
    // An empty shard: the continuation stands before record 0.
    std::string empty = *reader.next();
    std::string continuation = empty.substr(empty.find('|') + 1);
    put("first");
    auto resumed = store_->open_cursor(
        "s", "shardId-000000000000", {store::IteratorType::kAfterSequenceNumber, continuation, 0});
    ASSERT_TRUE(resumed) << resumed.error().message;
    auto read = store_->read_cursor(*resumed);
    ASSERT_EQ(read->records.size(), 1u);
    EXPECT_EQ(read->records[0].data, "first");
    EXPECT_EQ(resumed->continuation, read->records[0].sequence_number);
}

TEST_F(ShardSubscriptionsTest, SendsAnEmptyEventEachHeartbeat) {
    auto h = hub({.heartbeat = 100ms});
    Reader reader(subscribe(*h));
    EXPECT_EQ(reader.next()->substr(0, 9), "records:|");
    EXPECT_EQ(reader.next(2s)->substr(0, 9), "records:|");
}

TEST_F(ShardSubscriptionsTest, EndsAfterItsLifetime) {
    auto h = hub({.lifetime = 200ms, .heartbeat = 50ms});
    Reader reader(subscribe(*h));
    std::optional<std::string> part = "";
    for (int i = 0; i < 100 && part; ++i) {
        part = reader.next(2s);
        ASSERT_NE(part, "timeout");
    }
    EXPECT_FALSE(part) << "the body ended";
    EXPECT_EQ(h->active(), 0u);
}

TEST_F(ShardSubscriptionsTest, ASecondSubscriptionIsRefusedThenTakesOver) {
    auto h = hub({.takeover_after = 200ms});
    Reader first(subscribe(*h));
    auto refused = h->subscribe("c", cursor(), std::make_unique<TextEncoder>());
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kResourceInUse);
    EXPECT_TRUE(h->subscribe("other", cursor(), std::make_unique<TextEncoder>()))
        << "another consumer is not held back";
    std::this_thread::sleep_for(250ms);
    first.next();  // the first event (the shard is empty)
    Reader second(subscribe(*h));
    EXPECT_EQ(first.next(), "error:ResourceInUseException");
    EXPECT_EQ(first.next(), std::nullopt);
    EXPECT_EQ(second.next()->substr(0, 9), "records:|");
}

TEST_F(ShardSubscriptionsTest, CancellingFreesTheConsumersShard) {
    auto h = hub();
    auto source = subscribe(*h);
    source->cancel();
    EXPECT_EQ(h->active(), 0u);
    EXPECT_TRUE(h->subscribe("c", cursor(), std::make_unique<TextEncoder>()));
}

TEST_F(ShardSubscriptionsTest, ASplitShardEndsWithItsChildren) {
    put("last");
    auto h = hub();
    Reader reader(subscribe(*h));
    EXPECT_EQ(reader.next()->substr(0, 13), "records:last,");
    ASSERT_TRUE(store_->split_shard("s", "shardId-000000000000", "100"));
    auto part = reader.next();
    ASSERT_TRUE(part);
    EXPECT_NE(part->find("ended"), std::string::npos) << *part;
    EXPECT_EQ(reader.next(), std::nullopt);
}

TEST_F(ShardSubscriptionsTest, ADeletedStreamEndsWithResourceNotFound) {
    auto h = hub({.heartbeat = 50ms});
    Reader reader(subscribe(*h));
    reader.next();
    ASSERT_TRUE(store_->delete_stream("s"));
    EXPECT_EQ(reader.next(), "error:ResourceNotFoundException");
    EXPECT_EQ(reader.next(), std::nullopt);
}

TEST_F(ShardSubscriptionsTest, DestroyingTheHubEndsEveryBody) {
    auto h = hub();
    Reader reader(subscribe(*h));
    reader.next();
    std::thread stopper([&] {
        std::this_thread::sleep_for(50ms);
        h.reset();
    });
    EXPECT_EQ(reader.next(), std::nullopt);
    stopper.join();
}

}  // namespace
}  // namespace shardflow::api
