// Restarting a files sink from a checkpoint: records a checkpoint acknowledged are delivered
// exactly once, the records after it at least once once the query replays them.

#include "connectors/files/files_sink.h"
#include "engine/runtime/checkpoint/checkpoint_store.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/connectors/files/files_test_util.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

namespace shardflow::connectors::files {
namespace {

using testing::all_lines;
using ::testing::ElementsAre;
using testing::kArrival;
using testing::objects;
using testing::record;
using ::testing::SizeIs;
using testing::staging_files;

class FilesSinkRestartTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto store = runtime::CheckpointStore::open(dir_.path() / "checkpoints.db");
        ASSERT_TRUE(store) << store.error().message;
        store_ = std::move(*store);
    }

    FilesSinkOptions options() const {
        FilesSinkOptions o;
        o.name = "orders";
        o.path = dir_.path() / "out";
        o.prefix = "!{partitionKeyFromQuery:k}/";
        return o;
    }

    std::shared_ptr<FilesSink> make(FilesSinkOptions o) {
        auto sink = FilesSink::create(std::move(o), store_.get(), clock_);
        EXPECT_TRUE(sink) << sink.error().message;
        return sink ? *sink : nullptr;
    }

    /// Records `from` to `to` - 1, alternating between keys a and b.
    static void put(FilesSink& sink, int from, int to) {
        std::vector<DeliveryRecord> batch;
        for (int n = from; n < to; ++n) {
            batch.push_back(record(fmt::format(R"({{"k":"{}","n":{}}})", n % 2 ? "a" : "b", n)));
        }
        sink.on_batch(batch);
    }

    void checkpoint(FilesSink& sink) {
        runtime::CheckpointParticipant* participants[] = {&sink};
        ASSERT_TRUE(store_->save("query", runtime::Checkpoint{}, participants));
    }

    /// How many times each record n was delivered.
    std::map<int, int> delivered() const {
        std::map<int, int> count;
        for (const std::string& line : all_lines(dir_.path() / "out")) {
            int n = std::stoi(line.substr(line.find("\"n\":") + 4));
            ++count[n];
        }
        return count;
    }

    tests::TempDir dir_;
    FakeClock clock_{kArrival};
    std::unique_ptr<runtime::CheckpointStore> store_;
};

TEST_F(FilesSinkRestartTest, CommittedRecordsSurviveExactlyOnceAndTheRestAreReplayed) {
    auto sink = make(options());
    put(*sink, 0, 10);
    checkpoint(*sink);
    put(*sink, 10, 15);  // after the checkpoint: lost with the process, replayed by the query
    sink.reset();        // a crash: no on_end()
    EXPECT_THAT(objects(dir_.path() / "out"), SizeIs(0));

    sink = make(options());
    put(*sink, 10, 15);
    sink->on_end();
    std::map<int, int> count = delivered();
    ASSERT_THAT(count, SizeIs(15));
    for (auto [n, times] : count) {
        EXPECT_EQ(times, 1) << "record " << n;
    }
    EXPECT_THAT(objects(dir_.path() / "out"), SizeIs(2));
    EXPECT_EQ(staging_files(dir_.path() / "out", "orders"), 0u);
    EXPECT_EQ(sink->stats().records_delivered, 15u);
}

TEST_F(FilesSinkRestartTest, ABufferDeliveredAfterTheCheckpointIsForgottenOnRestart) {
    auto o = options();
    o.buffer_size_bytes = 200;  // about 10 records per key
    auto sink = make(o);
    put(*sink, 0, 10);
    checkpoint(*sink);
    put(*sink, 10, 40);  // delivers buffers holding committed and uncommitted records
    EXPECT_THAT(objects(dir_.path() / "out"), SizeIs(::testing::Ge(2u)));
    sink.reset();

    sink = make(o);
    put(*sink, 10, 40);
    sink->on_end();
    std::map<int, int> count = delivered();
    ASSERT_THAT(count, SizeIs(40));
    for (auto [n, times] : count) {
        if (n < 10) {
            EXPECT_EQ(times, 1) << "committed record " << n;
        } else {
            EXPECT_GE(times, 1) << "replayed record " << n;
        }
    }
}

TEST_F(FilesSinkRestartTest, CsvColumnsAreKeptAcrossRestarts) {
    auto o = options();
    o.format = FileFormat::kCsv;
    auto sink = make(o);
    std::vector<DeliveryRecord> first{record(R"({"k":"a","n":1})")};
    sink->on_batch(first);
    sink->on_end();
    checkpoint(*sink);
    sink.reset();

    sink = make(o);
    std::vector<DeliveryRecord> second{record(R"({"x":true,"n":2,"k":"b"})")};
    sink->on_batch(second);
    sink->on_end();
    EXPECT_THAT(all_lines(dir_.path() / "out", "b/"), ElementsAre("k,n", "b,2"));
}

TEST(FilesSinkWithoutStore, StartsEmptyAndClearsOldStagingFiles) {
    tests::TempDir dir;
    FakeClock clock(kArrival);
    FilesSinkOptions o;
    o.name = "orders";
    o.path = dir.path();
    {
        auto sink = FilesSink::create(o, nullptr, clock);
        ASSERT_TRUE(sink);
        std::vector<DeliveryRecord> batch{record(R"({"n":1})")};
        (*sink)->on_batch(batch);
    }
    EXPECT_EQ(staging_files(dir.path(), "orders"), 1u);
    auto again = FilesSink::create(o, nullptr, clock);
    ASSERT_TRUE(again);
    EXPECT_EQ(staging_files(dir.path(), "orders"), 0u);
    (*again)->on_end();
    EXPECT_THAT(objects(dir.path()), SizeIs(0));
}

}  // namespace
}  // namespace shardflow::connectors::files
